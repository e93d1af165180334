package io.prefixflow.runtime.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WorkerPoolTest {
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void everyItemRunsExactlyOnceOverManyLoops(int numThreads) {
        try (WorkerPool pool = new WorkerPool(numThreads)) {
            for (int loop = 0; loop < 2_000; loop++) {
                int numItems = 1 + loop % 97;
                AtomicIntegerArray hits = new AtomicIntegerArray(numItems);
                pool.parallelFor(numItems, 1 + loop % 7, (start, end, worker) -> {
                    for (int i = start; i < end; i++) {
                        hits.incrementAndGet(i);
                    }
                });
                for (int i = 0; i < numItems; i++) {
                    assertEquals(1, hits.get(i), "loop " + loop + " item " + i);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void aFailingChunkIsRethrownAndThePoolKeepsWorking(int numThreads) {
        try (WorkerPool pool = new WorkerPool(numThreads)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () ->
                    pool.parallelFor(64, 4, (start, end, worker) -> {
                        if (start <= 32 && 32 < end) {
                            throw new IllegalStateException("chunk at 32");
                        }
                    }));
            assertEquals("chunk at 32", e.getMessage());
            AtomicIntegerArray hits = new AtomicIntegerArray(10);
            pool.parallelFor(10, 1, (start, end, worker) -> {
                for (int i = start; i < end; i++) {
                    hits.incrementAndGet(i);
                }
            });
            for (int i = 0; i < 10; i++) {
                assertEquals(1, hits.get(i));
            }
        }
    }
}
