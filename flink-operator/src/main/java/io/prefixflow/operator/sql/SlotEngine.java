package io.prefixflow.operator.sql;

import io.prefixflow.operator.prepare.ControlTokens;
import io.prefixflow.operator.prepare.PromptEncoder;
import io.prefixflow.runtime.engine.Engine;
import io.prefixflow.runtime.engine.SchedulerConfig;
import io.prefixflow.runtime.model.Model;
import io.prefixflow.runtime.runner.ModelRunner;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One engine serving every {@code ML_PREDICT} of one slot on one {@link EngineSpec}: the loaded model, its
 * runner, the continuously batching engine (one prefix cache) and the prompt encoder. Thread-safe: predict
 * functions submit from their task threads; the engine completes results on its own thread.
 */
final class SlotEngine implements AutoCloseable {
    /** The job's defaults: token budget of a step, sequences at once, prefix caching on. */

    private final Model model;
    private final ModelRunner runner;
    private final Engine engine;
    private final PromptEncoder encoder;
    private final AtomicLong nextRequest = new AtomicLong();

    private SlotEngine(Model model, ModelRunner runner, Engine engine, PromptEncoder encoder) {
        this.model = model;
        this.runner = runner;
        this.engine = engine;
        this.encoder = encoder;
    }

    /** Loads the model and starts the engine on GPU {@code deviceOrdinal} (for the CUDA backend). */
    static SlotEngine start(EngineSpec spec, int deviceOrdinal) {
        Model model = spec.load();
        if (model.tokenizer() == null) {
            throw new IllegalArgumentException("model " + model.name() + " has no tokenizer, so prompts cannot be"
                    + " encoded; give '" + PrefixFlowModelOptions.TOKENIZER.key() + "' for a llama2.c checkpoint");
        }
        PromptEncoder encoder = new PromptEncoder(model, ControlTokens.of(spec.model()));
        int numBlocks = spec.backend().blocksForBudget(model.config(), EngineSpec.BLOCK_SIZE, spec.kvCacheBytes());
        ModelRunner runner = spec.backend().open(model.config(), model.weights(), EngineSpec.BLOCK_SIZE, numBlocks,
                spec.threads(), deviceOrdinal);
        try {
            return new SlotEngine(model, runner, Engine.start(model, runner, SchedulerConfig.DEFAULT), encoder);
        } catch (RuntimeException e) {
            runner.close();
            throw e;
        }
    }

    Model model() {
        return model;
    }

    Engine engine() {
        return engine;
    }

    PromptEncoder encoder() {
        return encoder;
    }

    /** An id unique among this engine's requests. */
    String nextRequestId() {
        return "sql-" + nextRequest.getAndIncrement();
    }

    @Override
    public void close() {
        try {
            engine.close();
        } finally {
            runner.close();
        }
    }
}
