package dev.nalu.task;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The set an input column is drawn from: a union of disjoint closed intervals, sampled uniformly
 * by length. A single interval is the usual case (U[1,2]); unions express ranges such as
 * Mistry et al.'s (2022) extrapolation range U[-6,-2] ∪ U[2,6].
 *
 * <p>The intervals are kept sorted by their lower bound; intervals that overlap or touch are
 * rejected, since the union would be better written as one interval.
 */
public record Domain(List<Interval> intervals) {

    public Domain {
        if (intervals == null || intervals.isEmpty()) {
            throw new IllegalArgumentException("a domain needs at least one interval");
        }
        List<Interval> sorted = new ArrayList<>(intervals);
        sorted.sort(Comparator.comparingDouble(Interval::lo));
        for (int i = 1; i < sorted.size(); i++) {
            Interval previous = sorted.get(i - 1);
            Interval next = sorted.get(i);
            if (next.lo() <= previous.hi()) {
                throw new IllegalArgumentException(
                        "domain intervals must be disjoint, but " + previous + " and " + next + " overlap or touch");
            }
        }
        intervals = List.copyOf(sorted);
    }

    public static Domain of(double lo, double hi) {
        return new Domain(List.of(new Interval(lo, hi)));
    }

    public static Domain union(Interval... intervals) {
        return new Domain(List.of(intervals));
    }

    /** Total length of the union (the measure the uniform distribution is taken over). */
    public double length() {
        double length = 0;
        for (Interval interval : intervals) {
            length += interval.length();
        }
        return length;
    }

    public boolean contains(double value) {
        for (Interval interval : intervals) {
            if (interval.contains(value)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Maps u in [0, 1) onto the union so that a uniform u gives a value uniform by length: with
     * t = u · L and cₖ the total length of the intervals before interval k, the value lies in the
     * last interval with cₖ ≤ t, at loₖ + (t − cₖ) (clamped to hiₖ against rounding).
     */
    public double sample(double u) {
        double t = u * length();
        Interval chosen = intervals.get(0);
        double chosenStart = 0;
        double start = 0;
        for (int k = 1; k < intervals.size(); k++) {
            start += intervals.get(k - 1).length();
            if (t >= start) {
                chosen = intervals.get(k);
                chosenStart = start;
            }
        }
        return Math.min(chosen.lo() + (t - chosenStart), chosen.hi());
    }

    /** The largest |value| in the domain. */
    public double maxAbs() {
        return Math.max(Math.abs(lo()), Math.abs(hi()));
    }

    /** True if 0 lies in one of the (closed) intervals. */
    public boolean containsZero() {
        return contains(0.0);
    }

    /** The smallest lower bound. */
    public double lo() {
        return intervals.get(0).lo();
    }

    /** The largest upper bound. */
    public double hi() {
        return intervals.get(intervals.size() - 1).hi();
    }

    @Override
    public String toString() {
        return intervals.stream().map(Interval::toString).collect(Collectors.joining(" ∪ "));
    }
}
