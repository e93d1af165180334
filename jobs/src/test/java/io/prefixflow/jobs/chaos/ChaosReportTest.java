package io.prefixflow.jobs.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ChaosReportTest {
    @Test
    void jsonHasExactlyTheContractedFieldsInOrder() {
        String json = new ChaosReport(2000, 2001, 0, 1, 0, 3, 1, 5, 123.456).toJson();
        assertEquals("{\"requests\":2000,\"completions\":2001,\"lost\":0,\"duplicated\":1,\"mismatched\":0,"
                + "\"taskmanager_kills\":3,\"broker_kills\":1,\"restarts\":5,\"duration_s\":123.5}", json);
    }

    @Test
    void cleanOnlyWithoutLossDuplicatesOrMismatches() {
        assertTrue(new ChaosReport(10, 10, 0, 0, 0, 1, 0, 1, 1).clean());
        assertFalse(new ChaosReport(10, 9, 1, 0, 0, 1, 0, 1, 1).clean());
        assertFalse(new ChaosReport(10, 11, 0, 1, 0, 1, 0, 1, 1).clean());
        assertFalse(new ChaosReport(10, 10, 0, 0, 1, 1, 0, 1, 1).clean());
    }
}
