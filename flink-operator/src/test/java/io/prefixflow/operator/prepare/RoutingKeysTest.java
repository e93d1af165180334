package io.prefixflow.operator.prepare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.prefixflow.kv.hash.BlockHash;
import io.prefixflow.kv.hash.BlockHasher;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RoutingKeysTest {
    private final BlockHash ns = BlockHasher.namespace("m", "tenant");

    private static int[] tokens(int n, int offset) {
        return IntStream.range(0, n).map(i -> i < 40 ? i + 3 : i + offset).toArray();
    }

    @Test
    void equalFirstKBlocksGiveEqualKeysAndTheKeyIsTheEnginesBlockHash() {
        String a = RoutingKeys.routingKey(null, tokens(50, 0), 16, 2, ns);
        String b = RoutingKeys.routingKey(null, tokens(60, 100), 16, 2, ns);
        assertEquals(a, b, "first 32 tokens agree");
        assertEquals(BlockHasher.hashFullBlocks(tokens(50, 0), 16, ns).get(1).toHex(), a);
        assertNotEquals(a, RoutingKeys.routingKey(null, tokens(50, 0), 16, 3, ns), "a longer chain is another hash");
        assertNotEquals(a, RoutingKeys.routingKey(null, tokens(50, 0), 16, 2, BlockHasher.namespace("m", "other")));
    }

    @Test
    void shortPromptsUseWhatTheyHaveAndCacheKeysWin() {
        int[] one = tokens(20, 0);
        assertEquals(BlockHasher.hashFullBlocks(one, 16, ns).get(0).toHex(), RoutingKeys.routingKey(null, one, 16, 4, ns));
        int[] tiny = {3, 4, 5};
        assertEquals(BlockHasher.hashBlock(BlockHasher.ROOT_PARENT, tiny, 0, 3, ns).toHex(),
                RoutingKeys.routingKey(null, tiny, 16, 4, ns));
        assertEquals("conversation-1", RoutingKeys.routingKey("conversation-1", one, 16, 4, ns));
    }
}
