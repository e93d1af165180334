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
}
