package io.prefixflow.operator.sql;

import java.time.Duration;
import org.apache.flink.table.api.config.MLPredictRuntimeConfigOptions;
import org.apache.flink.table.functions.AsyncPredictFunction;
import org.apache.flink.table.functions.PredictFunction;
import org.apache.flink.table.ml.AsyncPredictRuntimeProvider;
import org.apache.flink.table.ml.ModelProvider;
import org.apache.flink.table.ml.PredictRuntimeProvider;

/**
 * Both runtimes of a {@code prefixflow} model; the planner picks by ML_PREDICT's {@code async} option and
 * applies {@code max-concurrent-operations} and {@code output-mode} itself. {@code timeout} is also applied
 * inside: a request still in the engine at the timeout is aborted there, so it stops holding KV blocks.
 */
public final class PrefixFlowModelProvider implements AsyncPredictRuntimeProvider, PredictRuntimeProvider {
    private final PredictSettings settings;

    public PrefixFlowModelProvider(PredictSettings settings) {
        this.settings = settings;
    }

    /** The checked settings (for tests). */
    public PredictSettings settings() {
        return settings;
    }

    @Override
    public AsyncPredictFunction createAsyncPredictFunction(Context context) {
        Duration timeout = context.runtimeConfig().getOptional(MLPredictRuntimeConfigOptions.ASYNC_TIMEOUT)
                .orElse(null);
        return new EnginePredictFunction(settings, timeout);
    }

    @Override
    public PredictFunction createPredictFunction(Context context) {
        return new SyncEnginePredictFunction(settings);
    }

    @Override
    public ModelProvider copy() {
        return new PrefixFlowModelProvider(settings);
    }
}
