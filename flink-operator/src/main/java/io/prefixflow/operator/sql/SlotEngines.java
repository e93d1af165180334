package io.prefixflow.operator.sql;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The engines of this JVM, one per ({@link EngineSpec}, slot), reference-counted: the first predict function
 * of a slot starts the engine, the others share it (so their rows batch together and share one prefix cache),
 * the last to close stops it.
 *
 * <p>NOTE: the slot is identified by the subtask index. Flink's slot sharing puts subtask {@code i} of every
 * operator of a job in the same slot, so every {@code ML_PREDICT} subtask {@code i} on one model meets the
 * same engine. In a cluster the registry is per job, since each job's classes come from its own user-code
 * class loader.
 */
final class SlotEngines {
    private record Key(EngineSpec spec, int subtaskIndex) {
    }

    private static final class Entry {
        private final SlotEngine engine;
        private int users;

        private Entry(SlotEngine engine) {
            this.engine = engine;
        }
    }

    private static final Map<Key, Entry> ENGINES = new HashMap<>();

    private SlotEngines() {
    }

    /**
     * A lease on the engine of ({@code spec}, {@code subtaskIndex}), started by {@code starter} if none runs.
     * Close the lease once; the engine stops when its last lease closes.
     */
    static synchronized Lease acquire(EngineSpec spec, int subtaskIndex, Supplier<SlotEngine> starter) {
        Key key = new Key(spec, subtaskIndex);
        Entry entry = ENGINES.get(key);
        if (entry == null) {
            entry = new Entry(starter.get());
            ENGINES.put(key, entry);
        }
        entry.users++;
        return new Lease(key, entry.engine);
    }

    /** Engines running now (for tests). */
    static synchronized int numRunning() {
        return ENGINES.size();
    }

    private static void release(Key key) {
        SlotEngine toClose = null;
        synchronized (SlotEngines.class) {
            Entry entry = ENGINES.get(key);
            if (entry != null && --entry.users == 0) {
                ENGINES.remove(key);
                toClose = entry.engine;
            }
        }
        if (toClose != null) {
            toClose.close();
        }
    }

    /** One user's hold on a slot engine. */
    static final class Lease implements AutoCloseable {
        private final Key key;
        private final SlotEngine engine;
        private boolean closed;

        private Lease(Key key, SlotEngine engine) {
            this.key = key;
            this.engine = engine;
        }

        SlotEngine engine() {
            return engine;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                release(key);
            }
        }
    }
}
