package io.prefixflow.jobs.routingsim;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The discrete-event loop: arrivals are dispatched to subtasks at their time; each subtask runs one step at a
 * time, planned at its start and completed at its end; the next step starts as soon as the last one ends, or
 * when work arrives at an idle subtask. At equal times step ends go before arrivals, and arrivals at one instant
 * are all queued before idle subtasks start, so a burst is seen as one batch.
 */
public final class Simulation {
    private Simulation() {
    }

    private record StepEnd(double timeMs, int subtask) {
    }

    /**
     * @param requests in arrival order (non-decreasing {@code arrivalMs})
     * @param engines  one per subtask, fresh
     * @param dispatch where each request goes
     */
    public static SimRun run(List<SimRequest> requests, List<SimEngine> engines, Dispatch dispatch) {
        PriorityQueue<StepEnd> stepEnds = new PriorityQueue<>((a, b) -> a.timeMs() != b.timeMs()
                ? Double.compare(a.timeMs(), b.timeMs()) : Integer.compare(a.subtask(), b.subtask()));
        List<RequestOutcome> outcomes = new ArrayList<>(requests.size());
        boolean[] touched = new boolean[engines.size()];
        int next = 0;
        while (next < requests.size() || !stepEnds.isEmpty()) {
            double arrivalMs = next < requests.size() ? requests.get(next).arrivalMs() : Double.POSITIVE_INFINITY;
            if (!stepEnds.isEmpty() && stepEnds.peek().timeMs() <= arrivalMs) {
                StepEnd end = stepEnds.poll();
                outcomes.addAll(engines.get(end.subtask()).completeStep());
                // NOTE: every idle subtask with work is retried, not only this one: in the ideal all engines
                // share one KV cache, so blocks freed here may unblock another engine's admission.
                for (SimEngine engine : engines) {
                    start(engine, end.timeMs(), stepEnds);
                }
                continue;
            }
            dispatch.observe(arrivalMs, engines);
            while (next < requests.size() && requests.get(next).arrivalMs() == arrivalMs) {
                SimRequest request = requests.get(next);
                int subtask = dispatch.subtaskOf(next, request, arrivalMs);
                engines.get(subtask).add(request);
                touched[subtask] = true;
                next++;
            }
            for (int s = 0; s < touched.length; s++) {
                if (touched[s]) {
                    touched[s] = false;
                    start(engines.get(s), arrivalMs, stepEnds);
                }
            }
        }
        double[] busyMs = new double[engines.size()];
        long numPreemptions = 0;
        long numSteps = 0;
        for (SimEngine engine : engines) {
            if (engine.hasWork()) {
                throw new IllegalStateException("subtask " + engine.subtask() + " still has requests it can never"
                        + " admit (not enough KV blocks?)");
            }
            busyMs[engine.subtask()] = engine.busyMs();
            numPreemptions += engine.numPreemptions();
            numSteps += engine.numSteps();
        }
        return new SimRun(outcomes, busyMs, numPreemptions, numSteps);
    }

    private static void start(SimEngine engine, double nowMs, PriorityQueue<StepEnd> stepEnds) {
        if (engine.isStepping() || !engine.hasWork()) {
            return;
        }
        double endMs = engine.tryStart(nowMs);
        if (!Double.isNaN(endMs)) {
            stepEnds.add(new StepEnd(endMs, engine.subtask()));
        }
    }
}
