package io.prefixflow.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class JitSettleTest {
    @Test
    void quietOnlyAfterAWholeWindow() throws InterruptedException {
        // any amount of compiling counts as quiet here: the wait is the window itself
        JitSettle.Result quiet = JitSettle.await(200, Long.MAX_VALUE, 10_000);
        assertTrue(quiet.settled(), quiet.toString());
        assertTrue(quiet.waitedS() >= 0.2 && quiet.waitedS() < 10, quiet.toString());
        assertTrue(quiet.summary().startsWith("JIT quiet after "), quiet.summary());
    }

    @Test
    void givesUpAtTheLongestWait() throws InterruptedException {
        // no growth is below -1 ms: never quiet
        JitSettle.Result busy = JitSettle.await(100, -1, 300);
        assertFalse(busy.settled(), busy.toString());
        assertTrue(busy.waitedS() >= 0.3 && busy.compileMs() >= 0, busy.toString());
        assertTrue(busy.summary().startsWith("JIT still compiling after "), busy.summary());
    }
}
