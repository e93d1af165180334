package io.prefixflow.jobs.chaos;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Counts what went wrong between the requests and the completions a consumer read: requests without a
 * completion (lost), completions beyond one per request (duplicated), and completions whose text differs from
 * an uninterrupted run's (mismatched).
 *
 * @param completions every completion read
 * @param lost        requests without any completion
 * @param duplicated  completions minus distinct request ids among them
 * @param mismatched  completions whose text is not the reference's for their request (or that answer no request)
 */
public record DeliveryCheck(long completions, long lost, long duplicated, long mismatched) {
    /**
     * One completion as read.
     *
     * @param requestId the request it answers
     * @param text      its text
     */
    public record Output(String requestId, String text) {
    }

    /**
     * @param requestIds the ids of the requests sent
     * @param outputs    the completions read, duplicates included
     * @param reference  each request's text in an uninterrupted run
     */
    public static DeliveryCheck of(Collection<String> requestIds, List<Output> outputs, Map<String, String> reference) {
        Set<String> requested = new HashSet<>(requestIds);
        Set<String> answered = new HashSet<>();
        long mismatched = 0;
        for (Output o : outputs) {
            answered.add(o.requestId());
            if (!requested.contains(o.requestId()) || !Objects.equals(reference.get(o.requestId()), o.text())) {
                mismatched++;
            }
        }
        long lost = requested.stream().filter(id -> !answered.contains(id)).count();
        return new DeliveryCheck(outputs.size(), lost, outputs.size() - answered.size(), mismatched);
    }
}
