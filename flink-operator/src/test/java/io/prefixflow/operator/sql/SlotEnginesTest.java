package io.prefixflow.operator.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prefixflow.operator.config.ModelSpecs;
import io.prefixflow.runtime.engine.EngineRequest;
import io.prefixflow.runtime.engine.EngineResult;
import io.prefixflow.runtime.runner.Backend;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The per-slot engine registry: one engine per (spec, slot), shared, stopped by the last lease. */
class SlotEnginesTest {
    private static final EngineSpec SPEC = new EngineSpec(ModelSpecs.BUILTIN_STORIES, null, 256, Backend.CPU, 1,
            4_000_000);

    @Test
    void leasesOfOneSlotShareOneEngineUntilTheLastCloses() throws Exception {
        AtomicInteger starts = new AtomicInteger();
        SlotEngines.Lease first = SlotEngines.acquire(SPEC, 0, () -> start(starts));
        SlotEngines.Lease second = SlotEngines.acquire(SPEC, 0, () -> start(starts));
        SlotEngines.Lease otherSlot = SlotEngines.acquire(SPEC, 1, () -> start(starts));
        SlotEngine shared = first.engine();

        assertThat(second.engine()).isSameAs(shared);
        assertThat(otherSlot.engine()).isNotSameAs(shared);
        assertThat(starts).hasValue(2);
        assertThat(SlotEngines.numRunning()).isEqualTo(2);

        first.close();
        first.close();
        EngineResult result = shared.engine().submit(EngineRequest.greedy(shared.nextRequestId(),
                shared.encoder().encodePrompt("Once"), 3)).result().get(30, TimeUnit.SECONDS);
        assertThat(result.tokenIds()).hasSize(3);

        second.close();
        otherSlot.close();
        assertThat(SlotEngines.numRunning()).isZero();
        assertThatThrownBy(() -> shared.engine().submit(EngineRequest.greedy("late", new int[] {1}, 1)))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void requestIdsOfOneEngineAreUnique() {
        try (SlotEngines.Lease lease = SlotEngines.acquire(SPEC, 7, () -> SlotEngine.start(SPEC, 0))) {
            assertThat(lease.engine().nextRequestId()).isNotEqualTo(lease.engine().nextRequestId());
        }
    }

    private static SlotEngine start(AtomicInteger starts) {
        starts.incrementAndGet();
        return SlotEngine.start(SPEC, 0);
    }
}
