package io.prefixflow.jobs.soak;

/**
 * A plain least-squares line {@code y = intercept + slope * x} through points, NaN points left out.
 *
 * @param slope          change of y per unit of x; NaN with fewer than 2 points or all x equal
 * @param slopeStdError  the slope's standard error, {@code sqrt(SSR / (n - 2) / Sxx)}; NaN with fewer than 3
 *                       points
 * @param points         points used
 */
record LeastSquares(double slope, double slopeStdError, int points) {
    /** Fits {@code ys} against {@code xs} (same length). */
    static LeastSquares fit(double[] xs, double[] ys) {
        if (xs.length != ys.length) {
            throw new IllegalArgumentException("xs and ys differ in length: " + xs.length + " vs " + ys.length);
        }
        int n = 0;
        double sumX = 0;
        double sumY = 0;
        for (int i = 0; i < xs.length; i++) {
            if (Double.isFinite(xs[i]) && Double.isFinite(ys[i])) {
                n++;
                sumX += xs[i];
                sumY += ys[i];
            }
        }
        if (n < 2) {
            return new LeastSquares(Double.NaN, Double.NaN, n);
        }
        double meanX = sumX / n;
        double meanY = sumY / n;
        double sxx = 0;
        double sxy = 0;
        for (int i = 0; i < xs.length; i++) {
            if (Double.isFinite(xs[i]) && Double.isFinite(ys[i])) {
                sxx += (xs[i] - meanX) * (xs[i] - meanX);
                sxy += (xs[i] - meanX) * (ys[i] - meanY);
            }
        }
        if (sxx == 0) {
            return new LeastSquares(Double.NaN, Double.NaN, n);
        }
        double slope = sxy / sxx;
        double stdError = Double.NaN;
        if (n >= 3) {
            double intercept = meanY - slope * meanX;
            double ssr = 0;
            for (int i = 0; i < xs.length; i++) {
                if (Double.isFinite(xs[i]) && Double.isFinite(ys[i])) {
                    double r = ys[i] - (intercept + slope * xs[i]);
                    ssr += r * r;
                }
            }
            stdError = Math.sqrt(ssr / (n - 2) / sxx);
        }
        return new LeastSquares(slope, stdError, n);
    }
}
