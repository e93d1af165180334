package io.prefixflow.jobs.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The few calls of the JobManager's REST API a local cluster needs: jobs and their states, completed
 * checkpoints, restarts, registered TaskManagers.
 */
public final class FlinkRestClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final URI base;

    /** @param hostPort the REST endpoint, e.g. {@code 127.0.0.1:8081} */
    public FlinkRestClient(String hostPort) {
        this.base = URI.create("http://" + hostPort + "/");
    }

    /**
     * One job of {@code /jobs/overview}.
     *
     * @param id    the job id
     * @param name  its name
     * @param state e.g. RUNNING, RESTARTING, FAILED
     */
    public record JobOverview(String id, String name, String state) {
    }

    /** {@code /jobs/overview}. */
    public List<JobOverview> jobs() throws IOException {
        List<JobOverview> jobs = new ArrayList<>();
        for (JsonNode job : get("jobs/overview").path("jobs")) {
            jobs.add(new JobOverview(job.path("jid").asText(), job.path("name").asText(), job.path("state").asText()));
        }
        return jobs;
    }

    /** The state of job {@code jobId}. */
    public String jobState(String jobId) throws IOException {
        return get("jobs/" + jobId).path("state").asText();
    }

    /** Completed checkpoints of the job so far ({@code /jobs/:id/checkpoints}, counts.completed). */
    public long completedCheckpoints(String jobId) throws IOException {
        return get("jobs/" + jobId + "/checkpoints").path("counts").path("completed").asLong();
    }

    /** The job's {@code numRestarts} metric, if it reports one yet. */
    public OptionalLong numRestarts(String jobId) throws IOException {
        for (JsonNode metric : get("jobs/" + jobId + "/metrics?get=numRestarts")) {
            if ("numRestarts".equals(metric.path("id").asText())) {
                return OptionalLong.of(Long.parseLong(metric.path("value").asText()));
            }
        }
        return OptionalLong.empty();
    }

    /** TaskManagers registered with the JobManager. */
    public int numTaskManagers() throws IOException {
        return get("taskmanagers").path("taskmanagers").size();
    }

    /**
     * Resource ids of the TaskManagers that hold at least one occupied slot (run tasks); a local cluster's
     * TaskManager {@code n} has the id {@code taskmanager-n}.
     */
    public List<String> busyTaskManagers() throws IOException {
        List<String> busy = new ArrayList<>();
        for (JsonNode tm : get("taskmanagers").path("taskmanagers")) {
            if (tm.path("freeSlots").asInt() < tm.path("slotsNumber").asInt()) {
                busy.add(tm.path("id").asText());
            }
        }
        return busy;
    }

    /** Whether the REST endpoint answers. */
    public boolean isUp() {
        try {
            get("overview");
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** GETs {@code path} (relative to the REST root) as JSON. */
    public JsonNode get(String path) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).GET().build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException("GET " + request.uri() + ": HTTP " + response.statusCode() + " "
                        + response.body());
            }
            return JSON.readTree(response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: GET " + request.uri(), e);
        }
    }
}
