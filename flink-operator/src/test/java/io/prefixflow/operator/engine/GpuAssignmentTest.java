package io.prefixflow.operator.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import org.apache.flink.api.common.externalresource.ExternalResourceInfo;
import org.junit.jupiter.api.Test;

class GpuAssignmentTest {
    private static ExternalResourceInfo gpu(String index) {
        return new ExternalResourceInfo() {
            @Override
            public Optional<String> getProperty(String key) {
                return "index".equals(key) ? Optional.ofNullable(index) : Optional.empty();
            }

            @Override
            public Collection<String> getKeys() {
                return index == null ? Set.of() : Set.of("index");
            }
        };
    }

    @Test
    void subtasksSpreadOverTheAssignedGpusByIndex() {
        Set<ExternalResourceInfo> gpus = Set.of(gpu("3"), gpu("1"));
        assertEquals(1, GpuAssignment.deviceOrdinal(gpus, 0));
        assertEquals(3, GpuAssignment.deviceOrdinal(gpus, 1));
        assertEquals(1, GpuAssignment.deviceOrdinal(gpus, 2));
    }

    @Test
    void noGpuResourceMeansDeviceZero() {
        assertEquals(0, GpuAssignment.deviceOrdinal(Set.of(), 5));
    }

    @Test
    void aGpuWithoutAnIndexIsAnError() {
        assertThrows(IllegalStateException.class, () -> GpuAssignment.deviceOrdinal(Set.of(gpu(null)), 0));
    }
}
