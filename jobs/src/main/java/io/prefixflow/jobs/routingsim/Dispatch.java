package io.prefixflow.jobs.routingsim;

/** Picks the simulated subtask of each arriving request. */
@FunctionalInterface
public interface Dispatch {
    /**
     * @param index   the request's position in arrival order
     * @param request the request
     * @param nowMs   its arrival time, simulated ms
     * @return a subtask in {@code [0, parallelism)}
     */
    int subtaskOf(int index, SimRequest request, double nowMs);

    /** Called before the arrivals at {@code nowMs} are dispatched, with every subtask's engine as it is then. */
    default void observe(double nowMs, java.util.List<SimEngine> engines) {
    }
}
