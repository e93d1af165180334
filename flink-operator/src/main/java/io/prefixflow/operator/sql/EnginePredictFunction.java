package io.prefixflow.operator.sql;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.functions.AsyncPredictFunction;
import org.apache.flink.table.functions.FunctionContext;

/**
 * The asynchronous {@code ML_PREDICT} of a {@code prefixflow} model (ML_PREDICT's default, {@code 'async' =
 * 'true'}): each row is submitted to the slot's shared engine at once and its future completes on the engine
 * thread, so up to {@code max-concurrent-operations} rows per subtask batch continuously with every other
 * {@code ML_PREDICT} of the slot.
 */
public final class EnginePredictFunction extends AsyncPredictFunction {
    private static final long serialVersionUID = 1L;

    private final PredictSettings settings;
    private final Duration timeout;
    private transient RowPredictor predictor;

    /**
     * @param timeout ML_PREDICT's {@code timeout}, after which a row's request is aborted in the engine; or null
     */
    public EnginePredictFunction(PredictSettings settings, Duration timeout) {
        this.settings = settings;
        this.timeout = timeout;
    }

    @Override
    public void open(FunctionContext context) throws Exception {
        super.open(context);
        predictor = RowPredictor.open(settings, timeout, context);
    }

    @Override
    public CompletableFuture<Collection<RowData>> asyncPredict(RowData input) {
        return predictor.predict(input).thenApply(List::of);
    }

    @Override
    public void close() throws Exception {
        try {
            if (predictor != null) {
                predictor.close();
            }
        } finally {
            super.close();
        }
    }
}
