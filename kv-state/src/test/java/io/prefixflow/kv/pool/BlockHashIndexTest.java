package io.prefixflow.kv.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** The index against a {@link HashMap}; few slots and many equal low bits force long probe runs. */
class BlockHashIndexTest {

    record Op(boolean put, int key, int value) {}

    @Property(tries = 500)
    void behavesLikeAHashMap(@ForAll @IntRange(min = 1, max = 12) int maxEntries, @ForAll("ops") List<Op> ops) {
        BlockHashIndex index = new BlockHashIndex(maxEntries);
        Map<Integer, Integer> model = new HashMap<>();
        for (Op op : ops) {
            long hi = op.key() % 3;
            long lo = (long) op.key() << 40;
            if (op.put()) {
                Integer present = model.get(op.key());
                if (present == null && model.size() == maxEntries) {
                    assertThrows(IllegalStateException.class, () -> index.putIfAbsent(hi, lo, op.value()));
                } else {
                    assertEquals(present == null ? -1 : present, index.putIfAbsent(hi, lo, op.value()));
                    model.putIfAbsent(op.key(), op.value());
                }
            } else {
                assertEquals(model.remove(op.key()) != null, index.remove(hi, lo));
            }
            assertEquals(model.size(), index.size());
            for (int key = 0; key < 24; key++) {
                assertEquals(model.getOrDefault(key, -1), index.get(key % 3, (long) key << 40), "key " + key);
            }
        }
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        return Combinators.combine(
                        Arbitraries.of(true, true, false),
                        Arbitraries.integers().between(0, 23),
                        Arbitraries.integers().between(0, 1000))
                .as(Op::new)
                .list()
                .ofMaxSize(80);
    }
}
