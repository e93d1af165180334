package io.prefixflow.jobs.soak;

import com.fasterxml.jackson.databind.JsonNode;
import io.prefixflow.jobs.cluster.FlinkRestClient;
import java.io.IOException;

/**
 * The job's latest completed checkpoint, from {@code GET /jobs/:id/checkpoints} ({@code latest.completed}).
 *
 * @param id                 its id, -1 before the first
 * @param stateSizeBytes     {@code state_size}: the full state it covers (NaN before the first)
 * @param checkpointedBytes  {@code checkpointed_size}: what this (incremental) checkpoint wrote
 * @param completedCount     checkpoints completed so far
 */
record CheckpointSize(long id, double stateSizeBytes, double checkpointedBytes, long completedCount) {
    static CheckpointSize latest(FlinkRestClient rest, String jobId) throws IOException {
        JsonNode root = rest.get("jobs/" + jobId + "/checkpoints");
        long completed = root.path("counts").path("completed").asLong();
        JsonNode latest = root.path("latest").path("completed");
        if (latest.isMissingNode() || latest.isNull() || !latest.has("id")) {
            return new CheckpointSize(-1, Double.NaN, Double.NaN, completed);
        }
        return new CheckpointSize(latest.path("id").asLong(), latest.path("state_size").asDouble(Double.NaN),
                latest.path("checkpointed_size").asDouble(Double.NaN), completed);
    }
}
