package io.prefixflow.jobs.routingsim;

import io.prefixflow.operator.config.RoutingSettings;
import java.util.List;
import java.util.Objects;

/**
 * What a routing simulation runs.
 *
 * @param parallelisms         inference parallelisms p (= prepare parallelism), each >= 1
 * @param workloads            the workloads
 * @param requestsPerSubtask   requests per run = p times this
 * @param kvBlocksPerSubtask   KV blocks of each subtask's pool (the ideal's one pool has p times as many)
 * @param blockSize            tokens per KV block
 * @param maxRunning           most running sequences per engine
 * @param maxBatchedTokens     token budget per engine step
 * @param load                 offered load as a fraction of the ideal's capacity (Poisson arrivals at
 *                             {@code load} times the ideal's burst throughput), or infinity for a burst at t = 0
 * @param seed                 seeds workloads and arrivals
 * @param prepareParallelism   routers (prepare subtasks), each seeing every {@code prepareParallelism}-th request;
 *                             0 for p (the job's shape)
 * @param routing              the routing options; the mode is replaced by each compared mode
 */
public record SimSettings(List<Integer> parallelisms, List<SimWorkload> workloads, int requestsPerSubtask,
                          int kvBlocksPerSubtask, int blockSize, int maxRunning, int maxBatchedTokens, double load,
                          long seed, int prepareParallelism, RoutingSettings routing) {
    public SimSettings {
        parallelisms = List.copyOf(parallelisms);
        workloads = List.copyOf(workloads);
        Objects.requireNonNull(routing, "routing");
        if (parallelisms.isEmpty() || parallelisms.stream().anyMatch(p -> p < 1)) {
            throw new IllegalArgumentException("--parallelism needs values >= 1, got " + parallelisms);
        }
        if (workloads.isEmpty()) {
            throw new IllegalArgumentException("--workloads needs at least one workload");
        }
        if (requestsPerSubtask < 1 || kvBlocksPerSubtask < 1 || blockSize < 1 || maxRunning < 1
                || maxBatchedTokens < 1) {
            throw new IllegalArgumentException("--requests-per-subtask, --kv-blocks-per-subtask, block size,"
                    + " max running and max batched tokens must be >= 1");
        }
        if (prepareParallelism < 0) {
            throw new IllegalArgumentException("--prepare-parallelism must be >= 0 (0: the inference parallelism),"
                    + " got " + prepareParallelism);
        }
        if (!(load > 0)) {
            throw new IllegalArgumentException("--load must be > 0 (a fraction of the ideal's capacity), got " + load);
        }
    }

    /** Routers at inference parallelism {@code p}. */
    public int routersAt(int p) {
        return prepareParallelism == 0 ? p : prepareParallelism;
    }

    /** Whether all requests arrive at t = 0. */
    public boolean burst() {
        return Double.isInfinite(load);
    }
}
