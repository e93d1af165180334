package io.prefixflow.jobs.chaos;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The outcome of a chaos run, printed as one JSON line; the field names are a contract.
 *
 * @param requests         requests produced
 * @param completions      completion records a read_committed consumer read
 * @param lost             requests without a completion
 * @param duplicated       completions minus distinct request ids
 * @param mismatched       completions whose text differs from the uninterrupted run's
 * @param taskManagerKills TaskManagers killed with SIGKILL
 * @param brokerKills      broker kills
 * @param restarts         the job's restarts (its numRestarts metric)
 * @param durationS        seconds from submitting the job to the last completion
 */
public record ChaosReport(int requests, long completions, long lost, long duplicated, long mismatched,
                          int taskManagerKills, int brokerKills, long restarts, double durationS) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Whether nothing was lost, duplicated or changed. */
    public boolean clean() {
        return lost == 0 && duplicated == 0 && mismatched == 0;
    }

    /** One line: {@code {"requests":..,"completions":..,"lost":..,...,"duration_s":..}}. */
    public String toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("requests", requests);
        o.put("completions", completions);
        o.put("lost", lost);
        o.put("duplicated", duplicated);
        o.put("mismatched", mismatched);
        o.put("taskmanager_kills", taskManagerKills);
        o.put("broker_kills", brokerKills);
        o.put("restarts", restarts);
        o.put("duration_s", Math.round(durationS * 10) / 10.0);
        return o.toString();
    }
}
