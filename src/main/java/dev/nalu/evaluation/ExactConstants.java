package dev.nalu.evaluation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The exact forms a learned constant may be: (p/q) · π^k · √r, for k in −2..2 and r 1 or one of {@link #ROOTS}.
 * These cover the constants of physics formulas (the Feynman equations of series I need 1/2, 3/2, 1/(4π), 1/(6π),
 * 8π/3, 1/(2π), 1/π²; with roots √2, √3, √(3/2) = √6/2; docs/papers.md §5). For each of these 5 × 7 = 35 families
 * there is at most one candidate, the fraction with the smallest denominator within the tolerance (found by
 * continued fractions), and only if that denominator is small enough to mean something. Any real number is within
 * 1/q² of some p/q: without a bound every value would "be" a fraction. About 0.304·Q² reduced fractions with a
 * denominator up to Q lie in a unit interval, so a value m drawn at random falls within tolerance·m of one of them
 * with a chance of about 0.61·Q²·tolerance·m. The bound for a family is the Q that makes this
 * {@value #FALSE_FIT} / 35, so that the chance of an accidental fit in any family is about {@value #FALSE_FIT}:
 * <ul>
 *   <li>Q = √({@value #FALSE_FIT} / (35 · 0.61 · tolerance · m)), m the value divided by π^k·√r;</li>
 *   <li>but at most {@value #MAX_DENOMINATOR}, and at least {@value #MIN_DENOMINATOR} (so that the physics
 *       constants are found at loose tolerances too: there accidental fits are frequent, see
 *       {@code ExactConstantsTest#accidentalFits} and docs/api.md, "Formula formats").</li>
 * </ul>
 * A candidate is no proof: the caller tries it in the whole formula on validation rows ({@link Snapper} keeps it if
 * the formula is no worse than with the learned float), and a formula is exact only if it reproduces the targets.
 * Candidates come simplest first: fewest numbers and symbols ({@link Formula.Exact#symbols()}), then rational
 * before π before roots, then the smaller denominator.
 */
public final class ExactConstants {
    /** Square-free roots: √2, √3, √5, √6 (√(3/2) = √6/2, √(2/3) = √6/3), √7, √10. */
    public static final List<Integer> ROOTS = List.of(2, 3, 5, 6, 7, 10);
    /** Powers of π: π^−2 .. π². */
    public static final int MAX_PI_POWER = 2;
    /** The largest denominator of a fraction, at any tolerance. */
    public static final long MAX_DENOMINATOR = 1000;
    /** Denominators up to this are always tried (1/2, 1/(4π), 1/(6π), 8π/3, 3/5), however loose the tolerance. */
    public static final long MIN_DENOMINATOR = 6;
    /** The largest numerator: integers up to a billion, and fractions of them. */
    public static final long MAX_NUMERATOR = 1_000_000_000L;
    /** The chance, over all 35 families, that a random value fits a form by accident: it sets the denominator bound. */
    static final double FALSE_FIT = 0.01;
    /** The number of families: 5 powers of π times 7 roots (1 included). */
    static final int FAMILIES = (2 * MAX_PI_POWER + 1) * (ROOTS.size() + 1);
    /** The interval searched is widened to at least this relative width, for float rounding of value / (π^k·√r). */
    private static final double SEARCH_FLOOR = 1e-14;

    private ExactConstants() {
    }

    /**
     * Exact forms of value, simplest first: integers, p/q (continued fractions, bounded denominators), (p/q)·π^k
     * for k = ±1, ±2, (p/q)·√r; each within relativeTolerance of value ({@code |exact − value| ≤ tolerance·|value|},
     * the exact form's value computed in float64 as {@link Formula.Exact#value()}). 0 has the one form 0; a value
     * that is not finite has none.
     *
     * @throws IllegalArgumentException if relativeTolerance is negative, not finite, or 0.1 or more
     */
    public static List<Formula.Constant> candidates(double value, double relativeTolerance) {
        if (!(relativeTolerance >= 0 && relativeTolerance < 0.1)) {
            throw new IllegalArgumentException("relativeTolerance must be in [0, 0.1), got " + relativeTolerance);
        }
        if (!Double.isFinite(value)) {
            return List.of();
        }
        if (value == 0) {
            return List.of(Formula.Constant.of(Formula.Exact.of(0)));
        }
        double magnitude = Math.abs(value);
        double search = Math.max(relativeTolerance, SEARCH_FLOOR);
        List<Formula.Exact> found = new ArrayList<>();
        for (int root : roots()) {
            for (int k = -MAX_PI_POWER; k <= MAX_PI_POWER; k++) {
                double m = magnitude / (Math.pow(Math.PI, k) * Math.sqrt(root));
                long[] pq = simplest(m * (1 - search), m * (1 + search), denominatorBound(m, relativeTolerance));
                if (pq == null || pq[0] == 0 || pq[0] > MAX_NUMERATOR) {
                    continue;
                }
                Formula.Exact e = new Formula.Exact(value < 0 ? -pq[0] : pq[0], pq[1], k, root);
                if (Math.abs(e.value() - value) <= relativeTolerance * magnitude) {
                    found.add(e);
                }
            }
        }
        found.sort(Comparator.comparingInt(Formula.Exact::symbols)
                .thenComparingInt(e -> (e.root() == 1 ? 0 : 2) + (e.piPower() == 0 ? 0 : 1))
                .thenComparingInt(e -> Math.abs(e.piPower()))
                .thenComparingLong(Formula.Exact::denominator)
                .thenComparingDouble(e -> Math.abs(e.value() - value)));
        return found.stream().map(Formula.Constant::of).toList();
    }

    private static List<Integer> roots() {
        List<Integer> r = new ArrayList<>();
        r.add(1);
        r.addAll(ROOTS);
        return r;
    }

    /** The largest denominator that is still unlikely to fit m by accident (see the class comment). */
    static long denominatorBound(double m, double relativeTolerance) {
        double q = Math.sqrt(FALSE_FIT / (FAMILIES * 0.61 * relativeTolerance * m));
        return Math.max(MIN_DENOMINATOR, Math.min(MAX_DENOMINATOR, Double.isFinite(q) ? (long) q : MAX_DENOMINATOR));
    }

    /**
     * The fraction p/q with the smallest q in [lo, hi] (0 < lo ≤ hi), by continued fractions: the smallest integer
     * in the interval if there is one, else n + 1/y with y the simplest in [1/(hi − n), 1/(lo − n)]. Null if its
     * denominator would exceed maxDenominator.
     */
    static long[] simplest(double lo, double hi, long maxDenominator) {
        return simplest(lo, hi, maxDenominator, 0);
    }

    private static long[] simplest(double lo, double hi, long maxDenominator, int depth) {
        if (!(lo > 0) || !(hi >= lo) || !Double.isFinite(hi) || depth > 60) {
            return null;
        }
        double c = Math.ceil(lo);
        if (c <= hi) {
            return c > MAX_NUMERATOR ? null : new long[] {(long) c, 1};
        }
        double n = Math.floor(lo);
        if (n > MAX_NUMERATOR) {
            return null;
        }
        // x = n + 1/y: y's numerator is x's denominator, at least y's lower end
        if (1 / (hi - n) > maxDenominator) {
            return null;
        }
        long[] y = simplest(1 / (hi - n), 1 / (lo - n), maxDenominator, depth + 1);
        if (y == null || y[0] > maxDenominator) {
            return null;
        }
        return new long[] {(long) n * y[0] + y[1], y[0]};
    }
}
