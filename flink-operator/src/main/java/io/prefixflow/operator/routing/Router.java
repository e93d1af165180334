package io.prefixflow.operator.routing;

/**
 * Picks the inference subtask of each request. One instance per prepare subtask; not thread-safe. The same
 * requests in the same order at the same times give the same decisions.
 */
public interface Router {
    /**
     * @param request what is routed
     * @param nowMs   the current time in ms (any monotonic-enough clock; only differences are used)
     */
    RoutingDecision route(RouteRequest request, long nowMs);

    /**
     * A load report from an inference subtask: its outstanding work when it reported, which includes every request
     * this router sent it up to route sequence number {@code receivedRouteSeq} ({@link RoutingDecision#routeSeq})
     * and none after it. Routers that do not read reports ignore it.
     *
     * @param subtask           the reporting inference subtask
     * @param outstandingTokens the routers' work estimates of its live requests, less what they have done
     * @param receivedRouteSeq  the last of this router's sequence numbers the subtask had taken, 0 for none
     * @param nowMs             the router's clock when the report arrived
     */
    default void reportLoad(int subtask, double outstandingTokens, long receivedRouteSeq, long nowMs) {
    }

    /** A report that includes everything this router sent the subtask (as a simulation delivers them). */
    default void reportLoad(int subtask, double outstandingTokens, long nowMs) {
        reportLoad(subtask, outstandingTokens, Long.MAX_VALUE, nowMs);
    }
}
