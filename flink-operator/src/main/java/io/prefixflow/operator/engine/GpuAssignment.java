package io.prefixflow.operator.engine;

import java.util.Set;
import org.apache.flink.api.common.externalresource.ExternalResourceInfo;

/**
 * Which GPU a subtask's engine uses: one of those Flink hands the task manager as the external
 * resource {@code gpu} ({@code external-resources: gpu}, {@code external-resource.gpu.amount}, the GPU
 * driver's discovery script). Flink gives every operator on a task manager the same set, so subtask
 * {@code i} takes the {@code i mod n}-th GPU by index, spreading a task manager's subtasks over its GPUs.
 * With no {@code gpu} resource configured, device 0.
 */
public final class GpuAssignment {
    /** The name of the external resource. */
    public static final String RESOURCE_NAME = "gpu";

    private GpuAssignment() {
    }

    /** The ordinal of the GPU subtask {@code subtaskIndex} uses; 0 without a {@code gpu} resource. */
    public static int deviceOrdinal(Set<ExternalResourceInfo> gpus, int subtaskIndex) {
        int[] indices = gpus.stream()
                .map(info -> info.getProperty("index").orElseThrow(() -> new IllegalStateException(
                        "a '" + RESOURCE_NAME + "' external resource has no 'index' property: " + info)))
                .mapToInt(Integer::parseInt)
                .sorted()
                .toArray();
        return indices.length == 0 ? 0 : indices[subtaskIndex % indices.length];
    }
}
