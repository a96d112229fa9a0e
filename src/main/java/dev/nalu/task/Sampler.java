package dev.nalu.task;

import java.util.Arrays;
import java.util.List;

/**
 * Draws input rows uniformly from each column's domain, into caller-owned row-major arrays (the
 * trainer reuses one buffer every step: Madsen &amp; Johansen 2020 draw a fresh batch per step).
 * Values are drawn row by row, column by column, so the result depends only on the generator's
 * state.
 */
public final class Sampler {

    private Sampler() {
    }

    /** Fills x[0 .. rows × inputSize) with rows drawn from the task's training domains. */
    public static void sample(Task task, Rng rng, double[] x, int rows) {
        int cols = task.inputSize();
        Domain[] domains = new Domain[cols];
        for (int c = 0; c < cols; c++) {
            domains[c] = task.trainDomain(c);
        }
        sample(domains, rng, x, rows);
    }

    /** Fills x[0 .. rows × cols) with rows whose every column is drawn from one domain (e.g. an extrapolation range). */
    public static void sample(Domain everyColumn, int cols, Rng rng, double[] x, int rows) {
        Domain[] domains = new Domain[cols];
        Arrays.fill(domains, everyColumn);
        sample(domains, rng, x, rows);
    }

    private static void sample(Domain[] domains, Rng rng, double[] x, int rows) {
        int cols = domains.length;
        if (cols < 1 || rows < 0) {
            throw new IllegalArgumentException("need at least one column and rows >= 0, got " + rows + " × " + cols);
        }
        int values = Math.multiplyExact(rows, cols);
        if (x.length < values) {
            throw new IllegalArgumentException(
                    "x holds " + x.length + " values, but " + rows + " rows of " + cols + " need " + values);
        }
        rng.nextDoubles(x, 0, values);
        boolean singleIntervals = Arrays.stream(domains).allMatch(d -> d.intervals().size() == 1);
        if (singleIntervals && Arrays.stream(domains).allMatch(domains[0]::equals)) {
            mapOntoInterval(domains[0], x, values);
        } else if (singleIntervals) {
            mapOntoIntervals(domains, x, rows);
        } else {
            mapOntoUnions(domains, x, rows);
        }
    }

    /**
     * x = lo + u (hi − lo), as {@link Domain#sample(double)} does for one interval, when every
     * column shares it (the arithmetic task; extrapolation sets): one flat loop the JIT vectorises.
     */
    private static void mapOntoInterval(Domain domain, double[] x, int values) {
        double lo = domain.lo();
        double hi = domain.hi();
        double width = domain.length();
        for (int i = 0; i < values; i++) {
            x[i] = Math.min(lo + x[i] * width, hi);
        }
    }

    /** x = lo + u (hi − lo), as {@link Domain#sample(double)} does for one interval, per column. */
    private static void mapOntoIntervals(Domain[] domains, double[] x, int rows) {
        int cols = domains.length;
        double[] lo = new double[cols];
        double[] width = new double[cols];
        double[] hi = new double[cols];
        for (int c = 0; c < cols; c++) {
            lo[c] = domains[c].lo();
            hi[c] = domains[c].hi();
            width[c] = domains[c].length();
        }
        for (int r = 0, i = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++, i++) {
                x[i] = Math.min(lo[c] + x[i] * width[c], hi[c]);
            }
        }
    }

    /**
     * {@link Domain#sample(double)} on every value, with the same arithmetic, but with each domain's
     * intervals unpacked into arrays once and the interval found by counting starts below t rather
     * than by branching (a uniform t mispredicts half the branches).
     */
    private static void mapOntoUnions(Domain[] domains, double[] x, int rows) {
        int cols = domains.length;
        Union[] unions = new Union[cols];
        for (int c = 0; c < cols; c++) {
            unions[c] = new Union(domains[c]);
        }
        for (int r = 0, i = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++, i++) {
                x[i] = unions[c].sample(x[i]);
            }
        }
    }

    /** A domain's intervals as arrays: lower and upper bounds and the length cₖ before each. */
    private static final class Union {
        private final double[] lo;
        private final double[] hi;
        private final double[] start;
        private final double length;

        Union(Domain domain) {
            List<Interval> intervals = domain.intervals();
            int k = intervals.size();
            lo = new double[k];
            hi = new double[k];
            start = new double[k];
            for (int j = 0; j < k; j++) {
                lo[j] = intervals.get(j).lo();
                hi[j] = intervals.get(j).hi();
                start[j] = j == 0 ? 0 : start[j - 1] + intervals.get(j - 1).length();
            }
            length = domain.length();
        }

        double sample(double u) {
            double t = u * length;
            int k = 0;
            for (int j = 1; j < start.length; j++) {
                k += t >= start[j] ? 1 : 0;
            }
            return Math.min(lo[k] + (t - start[k]), hi[k]);
        }
    }
}
