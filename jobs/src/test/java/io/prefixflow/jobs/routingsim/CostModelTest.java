package io.prefixflow.jobs.routingsim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The step-time model: piecewise-linear decode step times, linear extrapolation, prefill at a fixed rate. */
class CostModelTest {
    // Step times: 1 -> 10 ms, 4 -> 20 ms, 16 -> 40 ms, 64 -> 80 ms.
    private static final String CALIBRATION = "{\"prefill_tokens_per_s\": 1000, \"decode\": ["
            + "{\"concurrency\": 16, \"tokens_per_s\": 400}, {\"concurrency\": 1, \"tokens_per_s\": 100},"
            + "{\"concurrency\": 4, \"tokens_per_s\": 200}, {\"concurrency\": 64, \"tokens_per_s\": 800}]}";

    private static CostModel model() throws Exception {
        return CostModel.fromBenchEngine(new ObjectMapper().readTree(CALIBRATION));
    }

    @Test
    void interpolatesBetweenAndExtrapolatesPastTheMeasuredPoints() throws Exception {
        CostModel cost = model();
        assertEquals(0, cost.decodeStepMs(0), 1e-9);
        assertEquals(10, cost.decodeStepMs(1), 1e-9);
        assertEquals(20, cost.decodeStepMs(4), 1e-9);
        assertEquals(10 + 10.0 * 2 / 3, cost.decodeStepMs(3), 1e-9);
        assertEquals(30, cost.decodeStepMs(10), 1e-9);
        assertEquals(80, cost.decodeStepMs(64), 1e-9);
        assertEquals(80 + 40.0 / 48 * 64, cost.decodeStepMs(128), 1e-9, "past the last point: the last slope");
    }

    @Test
    void stepTimeIsPrefillAtItsRatePlusTheDecodeBatch() throws Exception {
        CostModel cost = model();
        assertEquals(500, cost.stepMs(500, 0), 1e-9);
        assertEquals(256 + 20, cost.stepMs(256, 4), 1e-9);
    }

    @Test
    void rejectsACalibrationWithoutDecodePoints() {
        assertThrows(IllegalArgumentException.class,
                () -> CostModel.fromBenchEngine(new ObjectMapper().readTree("{\"prefill_tokens_per_s\": 10}")));
    }
}
