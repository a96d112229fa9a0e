package dev.nalu.model;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.nalu.api.ApiException;
import dev.nalu.config.LimitsProperties;
import dev.nalu.task.Domain;
import dev.nalu.task.Interval;

/**
 * Ranges as users write them in JSON. A domain is {@code [lo, hi]} or a union
 * {@code [[lo, hi], [lo, hi], …]}; a list of ranges is {@code [[lo, hi], …]}, where a single
 * {@code [lo, hi]} stands for {@code [[lo, hi]]} and a union is written {@code [[[lo, hi], [lo, hi]]]}.
 * Every bound must be a finite number within nalu.limits.max-range-magnitude and lo &lt; hi.
 */
public final class Ranges {
    private Ranges() {
    }

    /** One domain: {@code [lo, hi]} or {@code [[lo, hi], …]} (disjoint intervals). */
    public static Domain domain(JsonNode node, String field, LimitsProperties limits) {
        if (node == null || node.isNull()) {
            throw ApiException.invalid(field, field + " is required: a range [lo, hi]");
        }
        if (isPair(node)) {
            return new Domain(List.of(interval(node, field, limits)));
        }
        if (!node.isArray() || node.isEmpty()) {
            throw ApiException.invalid(field, field + " must be a range [lo, hi] or a union [[lo, hi], …], got " + node);
        }
        if (node.size() > limits.maxIntervals()) {
            throw ApiException.overLimit(field, limits.maxIntervals(),
                    field + " has " + node.size() + " intervals, at most " + limits.maxIntervals() + " are allowed");
        }
        List<Interval> intervals = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            intervals.add(interval(node.get(i), field + "[" + i + "]", limits));
        }
        try {
            return new Domain(intervals);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(field, field + ": " + e.getMessage());
        }
    }

    /** A list of domains: {@code [lo, hi]} (one), {@code [[lo, hi], …]} (one each), unions as {@code [[[lo, hi], …]]}. */
    public static List<Domain> domains(JsonNode node, String field, LimitsProperties limits, int max) {
        if (node == null || node.isNull()) {
            throw ApiException.invalid(field, field + " is required: a list of ranges [[lo, hi], …]");
        }
        if (isPair(node)) {
            return List.of(domain(node, field, limits));
        }
        if (!node.isArray() || node.isEmpty()) {
            throw ApiException.invalid(field, field + " must be a list of ranges [[lo, hi], …], got " + node);
        }
        if (node.size() > max) {
            throw ApiException.overLimit(field, max, field + " has " + node.size() + " ranges, at most " + max + " are allowed");
        }
        List<Domain> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            out.add(domain(node.get(i), field + "[" + i + "]", limits));
        }
        return out;
    }

    private static boolean isPair(JsonNode node) {
        return node.isArray() && node.size() == 2 && !node.get(0).isArray() && !node.get(1).isArray();
    }

    private static Interval interval(JsonNode node, String field, LimitsProperties limits) {
        if (!isPair(node)) {
            throw ApiException.invalid(field, field + " must be a range [lo, hi] of two numbers, got " + node);
        }
        double lo = number(node.get(0), field + "[0]", limits);
        double hi = number(node.get(1), field + "[1]", limits);
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
        double v = node.doubleValue();
        if (!Double.isFinite(v)) {
            throw ApiException.invalid(field, field + " must be a finite number, got " + node.asText());
        }
        if (Math.abs(v) > limits.maxRangeMagnitude()) {
            throw ApiException.overLimit(field, limits.maxRangeMagnitude(), field + " is " + node.asText()
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
