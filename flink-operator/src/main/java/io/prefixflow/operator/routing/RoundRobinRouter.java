package io.prefixflow.operator.routing;

/** {@code ROUND_ROBIN}: subtasks in turn, regardless of the prompt; the baseline. */
public final class RoundRobinRouter implements Router {
    private final int numSubtasks;
    private long next;

    /**
     * @param numSubtasks inference subtasks
     * @param start       where this router starts in the cycle (e.g. its own subtask index, so that several
     *                    prepare subtasks do not all start at 0)
     */
    public RoundRobinRouter(int numSubtasks, int start) {
        if (numSubtasks < 1) {
            throw new IllegalArgumentException("numSubtasks must be >= 1, got " + numSubtasks);
        }
        this.numSubtasks = numSubtasks;
        this.next = Math.floorMod(start, numSubtasks);
    }

    @Override
    public RoutingDecision route(RouteRequest request, long nowMs) {
        int subtask = (int) (next % numSubtasks);
        next++;
        return new RoutingDecision(subtask, RoutingReason.ROUND_ROBIN, 0, 0, 0);
    }
}
