package io.prefixflow.jobs.bench;

import java.util.ArrayList;
import java.util.List;

/** Computes {@link RunMetrics} from the per-request samples of a run: pure arithmetic, no I/O. */
public final class BenchMetrics {
    private BenchMetrics() {
    }

    /**
     * @param samples   one per completion read
     * @param durationS the run's duration, first prompt sent to last completion read
     * @param slo       the objectives of goodput
     */
    public static RunMetrics compute(List<RequestSample> samples, double durationS, Slo slo) {
        return compute(samples, durationS, slo, 0);
    }

    /**
     * @param samples     one per completion read
     * @param durationS   the run's duration, first prompt sent to last completion read
     * @param slo         the objectives of goodput
     * @param numSubtasks the inference subtasks, so that idle ones count in the balance; 0 when unknown
     */
    public static RunMetrics compute(List<RequestSample> samples, double durationS, Slo slo, int numSubtasks) {
        if (!(durationS > 0)) {
            throw new IllegalArgumentException("a run's duration must be > 0 s, got " + durationS);
        }
        List<Double> ttft = new ArrayList<>();
        List<Double> tpot = new ArrayList<>();
        List<Double> itl = new ArrayList<>();
        List<Double> e2e = new ArrayList<>();
        int completed = 0;
        int good = 0;
        long prompt = 0;
        long cached = 0;
        long output = 0;
        List<Integer> perSubtask = new ArrayList<>(java.util.Collections.nCopies(Math.max(0, numSubtasks), 0));
        for (RequestSample s : samples) {
            if (s.error()) {
                continue;
            }
            completed++;
            if (s.servedBySubtask() >= 0) {
                while (perSubtask.size() <= s.servedBySubtask()) {
                    perSubtask.add(0);
                }
                perSubtask.set(s.servedBySubtask(), perSubtask.get(s.servedBySubtask()) + 1);
            }
            prompt += s.promptTokens();
            cached += s.cachedPromptTokens();
            output += s.outputTokens();
            if (s.ttftMs() >= 0) {
                ttft.add((double) s.ttftMs());
            }
            if (s.outputTokens() > 1) {
                tpot.add(s.tpotMs());
            }
            itl.addAll(s.chunkGapsMs());
            e2e.add(s.e2eMs());
            if (slo.met(s)) {
                good++;
            }
        }
        return new RunMetrics(completed, samples.size() - completed, durationS, completed / durationS,
                output / durationS, good / durationS, Distribution.of(ttft), Distribution.of(tpot),
                Distribution.of(itl), Distribution.of(e2e), prompt, cached,
                prompt == 0 ? 0 : (double) cached / prompt, output, perSubtask, maxOverMean(perSubtask));
    }

    private static double maxOverMean(List<Integer> counts) {
        if (counts.isEmpty()) {
            return 0;
        }
        double sum = 0;
        int max = 0;
        for (int c : counts) {
            sum += c;
            max = Math.max(max, c);
        }
        return sum == 0 ? 0 : max / (sum / counts.size());
    }
}
