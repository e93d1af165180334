package io.prefixflow.runtime.engine;

import io.prefixflow.runtime.model.ModelConfig;
import io.prefixflow.runtime.runner.ForwardBatch;
import io.prefixflow.runtime.runner.ModelRunner;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A runner whose first forward step waits until the test {@link #open opens} it, so that every request
 * a test submits is queued before the engine schedules any. Without it, what a test sees (preemptions,
 * which requests a crash catches) depends on how fast the engine thread runs.
 */
class GatedRunner implements ModelRunner {
    private final ModelRunner delegate;
    private final CountDownLatch gate = new CountDownLatch(1);

    GatedRunner(ModelRunner delegate) {
        this.delegate = delegate;
    }

    /** Lets the engine start stepping. */
    void open() {
        gate.countDown();
    }

    @Override
    public ModelConfig config() {
        return delegate.config();
    }

    @Override
    public int blockSize() {
        return delegate.blockSize();
    }

    @Override
    public int numBlocks() {
        return delegate.numBlocks();
    }

    @Override
    public float[][] forward(ForwardBatch batch) {
        try {
            if (!gate.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never opened the gate");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return delegate.forward(batch);
    }

    /** Leaves the delegate open: whoever made it closes it. */
    @Override
    public void close() {
    }
}
