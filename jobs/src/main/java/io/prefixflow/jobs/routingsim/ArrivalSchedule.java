package io.prefixflow.jobs.routingsim;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * When requests reach the routers: a seeded Poisson process of a given rate (exponential gaps; the first at 0)
 * or, for an infinite rate, all at once at 0 (a burst).
 */
public final class ArrivalSchedule {
    private ArrivalSchedule() {
    }

    /** The requests in order, the i-th arriving at the i-th arrival of the process. */
    public static List<SimRequest> apply(List<SimRequest> requests, double ratePerS, long seed) {
        if (!(ratePerS > 0)) {
            throw new IllegalArgumentException("the arrival rate must be > 0 requests/s, got " + ratePerS);
        }
        SplittableRandom random = new SplittableRandom(seed ^ 0xa771L);
        List<SimRequest> out = new ArrayList<>(requests.size());
        double timeMs = 0;
        for (int i = 0; i < requests.size(); i++) {
            if (i > 0 && Double.isFinite(ratePerS)) {
                timeMs += -Math.log(1 - random.nextDouble()) * 1000 / ratePerS;
            }
            out.add(requests.get(i).arrivingAt(timeMs));
        }
        return out;
    }
}
