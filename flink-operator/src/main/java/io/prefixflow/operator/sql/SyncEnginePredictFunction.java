package io.prefixflow.operator.sql;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.functions.FunctionContext;
import org.apache.flink.table.functions.PredictFunction;

/**
 * The synchronous {@code ML_PREDICT} of a {@code prefixflow} model ({@code 'async' = 'false'}): one row at a
 * time per subtask, waiting for its completion. Rows of other {@code ML_PREDICT}s of the slot still batch with
 * it on the shared engine.
 */
public final class SyncEnginePredictFunction extends PredictFunction {
    private static final long serialVersionUID = 1L;

    private final PredictSettings settings;
    private transient RowPredictor predictor;

    public SyncEnginePredictFunction(PredictSettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(FunctionContext context) throws Exception {
        super.open(context);
        predictor = RowPredictor.open(settings, null, context);
    }

    @Override
    public Collection<RowData> predict(RowData input) {
        try {
            return List.of(predictor.predict(input).get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a completion", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the slot's inference engine failed", e.getCause());
        }
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
