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
     * A load report from an inference subtask: its outstanding work when it reported. Routers that do not read
     * reports ignore it.
     *
     * @param subtask           the reporting inference subtask
     * @param outstandingTokens prompt tokens it has still to compute plus tokens it has still to generate
     * @param nowMs             the router's clock when the report arrived
     */
    default void reportLoad(int subtask, double outstandingTokens, long nowMs) {
    }
}
