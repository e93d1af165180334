package io.prefixflow.runtime.cpu;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed set of threads that run one parallel loop at a time, the calling thread included.
 *
 * <p>A forward step dispatches a few hundred short loops back to back, so idle workers spin briefly,
 * then yield, then park: the next loop usually arrives within microseconds, and a wake-up from park
 * costs more than the work of a small loop. Work is handed out in chunks from a counter, so a slow or
 * descheduled thread never holds the others back.
 *
 * <p>NOTE: the caller waits only for chunks that were claimed, never for every worker to check in.
 * Each loop is an immutable {@link Job}; a worker that wakes up late finds its job's chunks all taken
 * and does nothing. On a busy machine (other processes on the same cores) this keeps a step from
 * stalling on a worker the OS has not scheduled.
 *
 * <p>One loop at a time: {@link #parallelFor} must be called from one thread (the engine thread).
 */
public final class WorkerPool implements AutoCloseable {
    /** The body of a parallel loop: handles items {@code [start, end)} on worker {@code workerIndex}. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int start, int end, int workerIndex);
    }

    private static final int SPIN_ITERATIONS = 1 << 12;
    private static final int YIELD_ITERATIONS = 1 << 6;

    /** One parallel loop. */
    private static final class Job {
        final RangeBody body;
        final int numItems;
        final int chunkSize;
        final int numChunks;
        final AtomicInteger nextChunk = new AtomicInteger();
        final AtomicInteger doneChunks = new AtomicInteger();
        volatile Throwable failure;

        Job(RangeBody body, int numItems, int chunkSize) {
            this.body = body;
            this.numItems = numItems;
            this.chunkSize = chunkSize;
            this.numChunks = (numItems + chunkSize - 1) / chunkSize;
        }

        void runChunks(int workerIndex) {
            int chunk;
            while ((chunk = nextChunk.getAndIncrement()) < numChunks) {
                try {
                    if (failure == null) {
                        int start = chunk * chunkSize;
                        body.run(start, Math.min(numItems, start + chunkSize), workerIndex);
                    }
                } catch (Throwable t) {
                    failure = t;
                } finally {
                    doneChunks.incrementAndGet();
                }
            }
        }
    }

    private final Thread[] workers;
    private final int numThreads;
    private volatile boolean closed;
    private volatile Job current;

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
        if (workers.length == 0 || numItems <= chunkSize) {
            body.run(0, numItems, 0);
            return;
        }
        Job job = new Job(body, numItems, chunkSize);
        current = job;
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
        job.runChunks(0);
        for (int spins = 0; job.doneChunks.get() < job.numChunks; spins++) {
            if (spins < SPIN_ITERATIONS) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
        Throwable t = job.failure;
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error e) {
            throw e;
        }
        if (t != null) {
            throw new IllegalStateException(t);
        }
    }

    private void workLoop(int workerIndex) {
        Job done = null;
        while (!closed) {
            Job job = current;
            if (job != done && job != null) {
                job.runChunks(workerIndex);
                done = job;
                continue;
            }
            int spins = 0;
            while (current == done && !closed) {
                if (spins < SPIN_ITERATIONS) {
                    Thread.onSpinWait();
                } else if (spins < SPIN_ITERATIONS + YIELD_ITERATIONS) {
                    Thread.yield();
                } else {
                    LockSupport.park(this);
                }
                spins++;
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
