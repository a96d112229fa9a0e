package dev.nalu.task;

/**
 * A closed interval [lo, hi] of interval arithmetic (Moore 1966), used to bound the values a
 * subexpression takes over the input domains. Unlike {@link Interval} it may be a single point
 * (a constant) or unbounded (after dividing by a range that contains 0).
 */
public record Bounds(double lo, double hi) {

    public static final Bounds REAL_LINE = new Bounds(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);

    public Bounds {
        if (Double.isNaN(lo) || Double.isNaN(hi) || lo > hi) {
            throw new IllegalArgumentException("bounds need lo <= hi, got [" + lo + ", " + hi + "]");
        }
    }

    public static Bounds point(double value) {
        return new Bounds(value, value);
    }

    /** The smallest bounds holding every candidate; the whole real line if any candidate is NaN (e.g. 0 × ∞). */
    static Bounds hull(double... candidates) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double candidate : candidates) {
            if (Double.isNaN(candidate)) {
                return REAL_LINE;
            }
            lo = Math.min(lo, candidate);
            hi = Math.max(hi, candidate);
        }
        return new Bounds(lo, hi);
    }

    public boolean containsZero() {
        return lo <= 0 && 0 <= hi;
    }

    public boolean hasNegative() {
        return lo < 0;
    }

    @Override
    public String toString() {
        return "[" + Numbers.format(lo) + ", " + Numbers.format(hi) + "]";
    }
}
