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
        for (RequestSample s : samples) {
            if (s.error()) {
                continue;
            }
            completed++;
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
                prompt == 0 ? 0 : (double) cached / prompt, output);
    }
}
