package io.prefixflow.operator.routing;

import java.util.Objects;

/**
 * Where one request goes and why.
 *
 * @param subtask             index of the inference subtask, in {@code [0, parallelism)}
 * @param reason              why
 * @param matchedPromptTokens prompt tokens the router expects to be cached there (0 when it keeps no index)
 * @param workTokens          the work the router charged to the subtask: expected uncached prompt tokens plus
 *                            max_tokens (0 when it keeps no load estimate)
 * @param routeSeq            this router's sequence number of the decision, increasing by one per decision, for
 *                            the receiving subtask's load reports to acknowledge; 0 when the router reads no
 *                            reports
 */
public record RoutingDecision(int subtask, RoutingReason reason, int matchedPromptTokens, long workTokens,
                              long routeSeq) {
    public RoutingDecision {
        if (subtask < 0) {
            throw new IllegalArgumentException("subtask must be >= 0, got " + subtask);
        }
        Objects.requireNonNull(reason, "reason");
    }
}
