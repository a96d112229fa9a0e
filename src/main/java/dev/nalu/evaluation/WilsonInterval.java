package dev.nalu.evaluation;

/**
 * The 95% Wilson score interval (Wilson 1927) for a success rate of k successes in n trials, as
 * Madsen &amp; Johansen (2020) report success over seeds. Unlike the normal approximation it stays
 * inside [0, 1] and is not degenerate at k = 0 or k = n.
 *
 * <p>With p̂ = k/n and z = 1.96: centre = (p̂ + z²/2n) / (1 + z²/n), half-width =
 * z / (1 + z²/n) · √(p̂(1 − p̂)/n + z²/4n²).
 */
public record WilsonInterval(int successes, int trials, double lower, double upper) {

    /** The standard normal quantile Φ⁻¹(0.975). */
    public static final double Z_95 = 1.959963984540054;

    public WilsonInterval {
        requireCounts(successes, trials);
    }

    /** The interval for k of n; [0, 1] when there are no trials. */
    public static WilsonInterval of(int successes, int trials) {
        requireCounts(successes, trials);
        if (trials == 0) {
            return new WilsonInterval(0, 0, 0, 1);
        }
        double n = trials;
        double p = successes / n;
        double z2 = Z_95 * Z_95;
        double denominator = 1 + z2 / n;
        double centre = (p + z2 / (2 * n)) / denominator;
        double halfWidth = Z_95 / denominator * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n));
        return new WilsonInterval(successes, trials, Math.max(0, centre - halfWidth), Math.min(1, centre + halfWidth));
    }

    /** The observed success rate k/n (NaN without trials). */
    public double rate() {
        return trials == 0 ? Double.NaN : (double) successes / trials;
    }

    private static void requireCounts(int successes, int trials) {
        if (trials < 0 || successes < 0 || successes > trials) {
            throw new IllegalArgumentException("need 0 <= successes <= trials, got " + successes + " of " + trials);
        }
    }
}
