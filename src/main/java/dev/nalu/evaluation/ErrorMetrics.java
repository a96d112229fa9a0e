package dev.nalu.evaluation;

/**
 * How far predictions are from the exact targets.
 *
 * <p>Relative error of one sample is |p − e| / max(|e|, {@value #RELATIVE_ERROR_FLOOR}): plain
 * |p − e| / |e| where the exact value is not (nearly) zero, and a huge but finite number instead
 * of a division by zero where it is. A prediction that is NaN or infinite makes every metric
 * +∞, so a diverged model can never look accurate.
 *
 * @param mse               mean of (p − e)²
 * @param meanRelativeError mean relative error
 * @param maxRelativeError  largest relative error
 * @param samples           number of samples compared
 */
public record ErrorMetrics(double mse, double meanRelativeError, double maxRelativeError, int samples) {

    /** Smallest |exact value| a relative error divides by. */
    public static final double RELATIVE_ERROR_FLOOR = 1e-12;

    /**
     * @throws IllegalArgumentException if the arrays differ in length, are empty, or an exact value
     *                                  is not finite
     */
    public static ErrorMetrics of(double[] predicted, double[] exact) {
        if (predicted.length != exact.length || exact.length == 0) {
            throw new IllegalArgumentException("need equally many predictions and exact values, at least one; got "
                    + predicted.length + " and " + exact.length);
        }
        double squaredErrorSum = 0;
        double relativeErrorSum = 0;
        double maxRelativeError = 0;
        for (int i = 0; i < exact.length; i++) {
            double e = exact[i];
            double p = predicted[i];
            if (!Double.isFinite(e)) {
                throw new IllegalArgumentException("exact value " + i + " is " + e + ": the target is undefined there");
            }
            if (!Double.isFinite(p)) {
                double inf = Double.POSITIVE_INFINITY;
                return new ErrorMetrics(inf, inf, inf, exact.length);
            }
            double error = p - e;
            double relativeError = Math.abs(error) / Math.max(Math.abs(e), RELATIVE_ERROR_FLOOR);
            squaredErrorSum += error * error;
            relativeErrorSum += relativeError;
            maxRelativeError = Math.max(maxRelativeError, relativeError);
        }
        return new ErrorMetrics(squaredErrorSum / exact.length, relativeErrorSum / exact.length, maxRelativeError,
                exact.length);
    }
}
