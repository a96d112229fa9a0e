package dev.nalu.task;

/**
 * A closed, finite interval [lo, hi] of real numbers with lo &lt; hi: the building block of a
 * {@link Domain}, e.g. the U[1,2] interpolation range or the U[2,6] extrapolation range of
 * Madsen &amp; Johansen (2020).
 */
public record Interval(double lo, double hi) {

    public Interval {
        if (!Double.isFinite(lo) || !Double.isFinite(hi)) {
            throw new IllegalArgumentException(
                    "interval bounds must be finite numbers, got [" + lo + ", " + hi + "]");
        }
        if (!(lo < hi)) {
            throw new IllegalArgumentException(
                    "interval needs lo < hi, got [" + Numbers.format(lo) + ", " + Numbers.format(hi) + "]");
        }
    }

    public double length() {
        return hi - lo;
    }

    /** Closed bounds: both ends belong to the interval. */
    public boolean contains(double value) {
        return lo <= value && value <= hi;
    }

    @Override
    public String toString() {
        return "[" + Numbers.format(lo) + ", " + Numbers.format(hi) + "]";
    }
}
