package io.prefixflow.runtime.cpu;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed set of threads that run one parallel loop at a time, the calling thread included.
 *
 * <p>A forward step dispatches a few hundred short loops back to back, so workers spin for a while
 * after each loop before they park: the next loop usually arrives within microseconds, and a wake-up
 * from park costs more than the work of a small loop. Work is handed out in chunks from a shared
 * counter, so a slow core does not hold the others back.
 *
 * <p>NOTE: one loop at a time; {@link #parallelFor} is not reentrant and must be called from one
 * thread (the engine thread).
 */
public final class WorkerPool implements AutoCloseable {
    /** The body of a parallel loop: handles items {@code [start, end)} on worker {@code workerIndex}. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int start, int end, int workerIndex);
    }

    private static final int SPIN_ITERATIONS = 1 << 16;

    private final Thread[] workers;
    private final int numThreads;
    private volatile boolean closed;
    private volatile long generation;
    private volatile RangeBody body;
    private volatile int numItems;
    private volatile int chunkSize;
    private final AtomicInteger nextChunk = new AtomicInteger();
    private final AtomicInteger pendingWorkers = new AtomicInteger();
    private volatile Throwable failure;

    /** @param numThreads threads that run loops, the caller included; 1 runs everything on the caller */
    public WorkerPool(int numThreads) {
        if (numThreads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + numThreads);
        }
        this.numThreads = numThreads;
        this.workers = new Thread[numThreads - 1];
        for (int i = 0; i < workers.length; i++) {
            int workerIndex = i + 1;
            workers[i] = new Thread(() -> workLoop(workerIndex), "prefixflow-cpu-" + workerIndex);
            workers[i].setDaemon(true);
            workers[i].start();
        }
    }

    public int numThreads() {
        return numThreads;
    }

    /**
     * Runs {@code body} over {@code [0, numItems)} in chunks of {@code chunkSize} items, on all threads,
     * and returns when every chunk is done. A failure in any chunk is rethrown here.
     */
    public void parallelFor(int numItems, int chunkSize, RangeBody body) {
        if (numItems <= 0) {
            return;
        }
        int numChunks = (numItems + chunkSize - 1) / chunkSize;
        if (workers.length == 0 || numChunks == 1) {
            body.run(0, numItems, 0);
            return;
        }
        this.body = body;
        this.numItems = numItems;
        this.chunkSize = chunkSize;
        this.failure = null;
        nextChunk.set(0);
        pendingWorkers.set(workers.length);
        generation++;
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
        runChunks(body, numItems, chunkSize, 0);
        while (pendingWorkers.get() != 0) {
            Thread.onSpinWait();
        }
        this.body = null;
        Throwable t = failure;
        if (t != null) {
            if (t instanceof RuntimeException re) {
                throw re;
            }
            if (t instanceof Error e) {
                throw e;
            }
            throw new IllegalStateException(t);
        }
    }

    private void runChunks(RangeBody body, int numItems, int chunkSize, int workerIndex) {
        int chunk;
        while ((chunk = nextChunk.getAndIncrement()) * (long) chunkSize < numItems) {
            int start = chunk * chunkSize;
            body.run(start, Math.min(numItems, start + chunkSize), workerIndex);
        }
    }

    private void workLoop(int workerIndex) {
        long seen = 0;
        while (true) {
            int spins = 0;
            while (generation == seen && !closed) {
                if (spins < SPIN_ITERATIONS) {
                    spins++;
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
            if (closed) {
                return;
            }
            seen = generation;
            try {
                runChunks(body, numItems, chunkSize, workerIndex);
            } catch (Throwable t) {
                failure = t;
                nextChunk.set(Integer.MAX_VALUE / 2);
            } finally {
                pendingWorkers.decrementAndGet();
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
    }
}
