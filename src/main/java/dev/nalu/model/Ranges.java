package dev.nalu.model;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.nalu.api.ApiException;
import dev.nalu.config.LimitsProperties;
import dev.nalu.task.Domain;
import dev.nalu.task.Interval;

/**
 * The values of ranges a request gives ({@link Range}, {@link RangeList}, read for their shape only), checked and
 * turned into {@link Domain}s: every bound a finite number within nalu.limits.max-range-magnitude, lo &lt; hi,
 * the intervals of a union disjoint and at most nalu.limits.max-intervals of them, and at most as many ranges
 * as the list may hold. A problem names the field as the client wrote it: {@code task.variables.a.train[1]}
 * for the upper bound of {@code [lo, hi]}, {@code …train[0][1]} for that of a union's first interval.
 */
public final class Ranges {
    private Ranges() {
    }

    /** One domain: {@code [lo, hi]} or {@code [[lo, hi], …]} (disjoint intervals). */
    public static Domain domain(Range range, String field, LimitsProperties limits) {
        if (range == null) {
            throw ApiException.invalid(field, field + " is required: a range [lo, hi]");
        }
        if (range.bare()) {
            return new Domain(List.of(interval(range.intervals().get(0), field, limits)));
        }
        if (range.intervals().size() > limits.maxIntervals()) {
            throw ApiException.overLimit(field, limits.maxIntervals(), field + " has " + range.intervals().size()
                    + " intervals, at most " + limits.maxIntervals() + " are allowed");
        }
        List<Interval> intervals = new ArrayList<>();
        for (int i = 0; i < range.intervals().size(); i++) {
            intervals.add(interval(range.intervals().get(i), field + "[" + i + "]", limits));
        }
        try {
            return new Domain(intervals);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(field, field + ": " + e.getMessage());
        }
    }

    /** A list of domains: {@code [lo, hi]} (one), {@code [[lo, hi], …]} (one each), unions as {@code [[[lo, hi], …]]}. */
    public static List<Domain> domains(RangeList ranges, String field, LimitsProperties limits, int max) {
        if (ranges == null) {
            throw ApiException.invalid(field, field + " is required: a list of ranges [[lo, hi], …]");
        }
        if (ranges.bare()) {
            return List.of(domain(ranges.ranges().get(0), field, limits));
        }
        if (ranges.ranges().size() > max) {
            throw ApiException.overLimit(field, max, field + " has " + ranges.ranges().size() + " ranges, at most "
                    + max + " are allowed");
        }
        List<Domain> out = new ArrayList<>();
        for (int i = 0; i < ranges.ranges().size(); i++) {
            out.add(domain(ranges.ranges().get(i), field + "[" + i + "]", limits));
        }
        return out;
    }

    private static Interval interval(Range.Pair pair, String field, LimitsProperties limits) {
        double lo = bound(pair.lo(), field + "[0]", limits);
        double hi = bound(pair.hi(), field + "[1]", limits);
        if (!(lo < hi)) {
            throw ApiException.invalid(field, field + " must have lo < hi, got [" + format(lo) + ", "
                    + format(hi) + "]" + (lo == hi ? " (empty)" : " (inverted)"));
        }
        return new Interval(lo, hi);
    }

    /** A finite JSON number within the range-magnitude limit. */
    public static double number(JsonNode node, String field, LimitsProperties limits) {
        if (node == null || !node.isNumber()) {
            throw ApiException.invalid(field, field + " must be a number, got " + node);
        }
        return bound(node.doubleValue(), field, limits);
    }

    /** A finite number within the range-magnitude limit. */
    private static double bound(double v, String field, LimitsProperties limits) {
        if (!Double.isFinite(v)) {
            throw ApiException.invalid(field, field + " must be a finite number, got " + v);
        }
        if (Math.abs(v) > limits.maxRangeMagnitude()) {
            throw ApiException.overLimit(field, limits.maxRangeMagnitude(), field + " is " + format(v)
                    + ", beyond the largest magnitude allowed, " + format(limits.maxRangeMagnitude()));
        }
        return v;
    }

    /** Integers without a decimal point (2, not 2.0); everything else as {@link Double#toString}. */
    public static String format(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }

    /** A domain as JSON-ready numbers: [[lo, hi], …]. */
    public static List<List<Double>> toLists(Domain d) {
        return d.intervals().stream().map(i -> List.of(i.lo(), i.hi())).toList();
    }

    /**
     * The inverse of {@link #toLists}. The lists may come from outside (an imported model document), so a
     * range that is not [[lo, hi], …] with two numbers each is an IllegalArgumentException, like an inverted one.
     */
    public static Domain fromLists(List<List<Double>> lists) {
        if (lists == null) {
            throw new IllegalArgumentException("a range is required: [[lo, hi], …]");
        }
        List<Interval> intervals = new ArrayList<>();
        for (List<Double> l : lists) {
            if (l == null || l.size() != 2 || l.get(0) == null || l.get(1) == null) {
                throw new IllegalArgumentException("a range is [[lo, hi], …] with two numbers in each interval, got "
                        + lists);
            }
            intervals.add(new Interval(l.get(0), l.get(1)));
        }
        return new Domain(intervals);
    }
}
