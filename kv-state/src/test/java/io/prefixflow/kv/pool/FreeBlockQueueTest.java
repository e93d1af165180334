package io.prefixflow.kv.pool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class FreeBlockQueueTest {

    @Test
    void startsWithEveryBlockInIdOrder() {
        FreeBlockQueue queue = new FreeBlockQueue(4);
        assertArrayEquals(new int[] {0, 1, 2, 3}, queue.toArray());
        assertEquals(4, queue.size());
    }

    @Test
    void removesFromHeadMiddleAndTailAndAppendsAtTail() {
        FreeBlockQueue queue = new FreeBlockQueue(5);
        queue.remove(2);
        queue.remove(4);
        assertEquals(0, queue.pollFirst());
        queue.addLast(2);
        assertArrayEquals(new int[] {1, 3, 2}, queue.toArray());
        assertFalse(queue.contains(0));
        assertEquals(1, queue.pollFirst());
        assertEquals(3, queue.pollFirst());
        assertEquals(2, queue.pollFirst());
        assertEquals(-1, queue.pollFirst());
        assertEquals(0, queue.size());
    }

    @Test
    void rejectsDoubleLinkAndDoubleUnlink() {
        FreeBlockQueue queue = new FreeBlockQueue(2);
        assertEquals("block 1 is already in the free queue",
                assertThrows(IllegalStateException.class, () -> queue.addLast(1)).getMessage());
        queue.remove(1);
        assertEquals("block 1 is not in the free queue",
                assertThrows(IllegalStateException.class, () -> queue.remove(1)).getMessage());
    }
}
