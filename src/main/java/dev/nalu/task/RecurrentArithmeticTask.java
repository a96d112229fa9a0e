package dev.nalu.task;

import java.util.Locale;
import java.util.Objects;

/**
 * The recurrent arithmetic task of Madsen and Johansen's reference code ("simple function
 * recurrent", see docs/papers.md §6): each step is a vector of 10 values from U[1, 2]; a and b are
 * sums over time of two overlapping contiguous subsets of it, and the target is op(a, b) for
 * + − × ÷, a², √a.
 *
 * <p>The subsets are drawn once from the seed: an overlap of 1 or 2 values, each subset's size
 * uniform from the overlap up to 5, a's start uniform among the places where both fit, b starting
 * where a ends less the overlap. (The reference code draws sizes from 1 to 5 and overlaps 1 to 2
 * but then refuses those settings as they stand, since a subset of 1 cannot hold an overlap of 2;
 * drawing each size from the overlap up is the reading this project takes, said in docs/papers.md.)
 *
 * <p>The exact recurrent model is an NAU cell with h = (a, b): W_h the identity, W_x the two subset
 * indicators, h_0 = 0; then op on the final state.
 */
public final class RecurrentArithmeticTask implements ScalarSequenceTask {
    public static final int DEFAULT_INPUTS = 10;
    public static final int MAX_SUBSET = 5;
    public static final int MIN_OVERLAP = 1;
    public static final int MAX_OVERLAP = 2;
    public static final Domain DEFAULT_DOMAIN = Domain.of(1, 2);
    /** The {@link Rng#seeded} stream the subsets are drawn from; training steps use streams ≥ 0. */
    private static final long SUBSET_STREAM = -2;

    private final ArithmeticTask.Op op;
    private final ArithmeticTask.Subset a;
    private final ArithmeticTask.Subset b;
    private final Domain domain;

    /** The reference protocol: 10 values a step from U[1, 2], subsets drawn from the seed. */
    public RecurrentArithmeticTask(ArithmeticTask.Op op, long seed) {
        this(op, draw(seed), DEFAULT_DOMAIN);
    }

    private RecurrentArithmeticTask(ArithmeticTask.Op op, ArithmeticTask.Subset[] subsets, Domain domain) {
        this(op, subsets[0], subsets[1], domain);
    }

    /** Explicit subsets and value range. */
    public RecurrentArithmeticTask(ArithmeticTask.Op op, ArithmeticTask.Subset a, ArithmeticTask.Subset b, Domain domain) {
        this.op = Objects.requireNonNull(op, "op");
        this.a = Objects.requireNonNull(a, "a");
        this.b = Objects.requireNonNull(b, "b");
        this.domain = Objects.requireNonNull(domain, "domain");
        if (a.end() > DEFAULT_INPUTS || b.end() > DEFAULT_INPUTS) {
            throw new IllegalArgumentException("subsets " + a + " and " + b + " must lie within the " + DEFAULT_INPUTS + " values");
        }
    }

    static ArithmeticTask.Subset[] draw(long seed) {
        Rng rng = Rng.seeded(seed, SUBSET_STREAM);
        int overlap = MIN_OVERLAP + rng.nextInt(MAX_OVERLAP - MIN_OVERLAP + 1);
        int aSize = overlap + rng.nextInt(MAX_SUBSET - overlap + 1);
        int bSize = overlap + rng.nextInt(MAX_SUBSET - overlap + 1);
        int aStart = rng.nextInt(DEFAULT_INPUTS - aSize - bSize + overlap + 1);
        int bStart = aStart + aSize - overlap;
        return new ArithmeticTask.Subset[] {new ArithmeticTask.Subset(aStart, aSize), new ArithmeticTask.Subset(bStart, bSize)};
    }

    public ArithmeticTask.Op op() {
        return op;
    }

    public ArithmeticTask.Subset aSubset() {
        return a;
    }

    public ArithmeticTask.Subset bSubset() {
        return b;
    }

    /** The same task over another value range (a wider test range, reported separately). */
    public RecurrentArithmeticTask withDomain(Domain d) {
        return new RecurrentArithmeticTask(op, a, b, d);
    }

    @Override
    public int inputs() {
        return DEFAULT_INPUTS;
    }

    @Override
    public Domain trainDomain() {
        return domain;
    }

    @Override
    public double target(double[] x, int offset, int length) {
        double sa = 0;
        double sb = 0;
        for (int t = 0; t < length; t++) {
            int row = offset + t * DEFAULT_INPUTS;
            for (int i = a.start(); i < a.end(); i++) {
                sa += x[row + i];
            }
            for (int i = b.start(); i < b.end(); i++) {
                sb += x[row + i];
            }
        }
        return op.apply(sa, sb);
    }

    /**
     * The exact NAU cell with every weight off by ε: h_a ← (1 − ε) h_a + ε h_b + Σ_i w_a,i x_i with
     * w_a,i = 1 − ε on a's subset and ε elsewhere (h_b likewise), then op on the final state.
     */
    @Override
    public double perturbedTarget(double[] x, int offset, int length, double eps) {
        double ha = 0;
        double hb = 0;
        for (int t = 0; t < length; t++) {
            int row = offset + t * DEFAULT_INPUTS;
            double xa = 0;
            double xb = 0;
            for (int i = 0; i < DEFAULT_INPUTS; i++) {
                double v = x[row + i];
                xa += (a.contains(i) ? 1 - eps : eps) * v;
                xb += (b.contains(i) ? 1 - eps : eps) * v;
            }
            double na = (1 - eps) * ha + eps * hb + xa;
            double nb = eps * ha + (1 - eps) * hb + xb;
            ha = na;
            hb = nb;
        }
        return op.apply(ha, hb);
    }

    @Override
    public String describe() {
        String name = op.name().toLowerCase(Locale.ROOT);
        String subsets = op.isUnary() ? "a = Σ_t x_t" + a : "a = Σ_t x_t" + a + ", b = Σ_t x_t" + b;
        return "recurrent arithmetic " + name + " (" + subsets + ", values " + domain + ")";
    }
}
