package dev.nalu.task;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * The static arithmetic task of Madsen &amp; Johansen, "Neural Arithmetic Units" (ICLR 2020), after
 * Trask et al. (2018): of n inputs, a = Σ of a contiguous subset A, b = Σ of a contiguous subset
 * B that starts inside A, and the target is t = a ∘ b for ∘ in {+, −, ×, ÷}, or t = a², √a.
 *
 * <p>With the defaults (n = 100, subset ratio 0.25, overlap ratio 0.5) A and B have 25 inputs each
 * and share 12: lengths are rounded half to even, as Python's {@code round}, so 0.5 × 25 gives the
 * paper's 12. The position of A is drawn once from the seed, uniformly among the positions where
 * both subsets fit, and B follows A; both are then fixed.
 */
public final class ArithmeticTask implements Task {

    public static final int DEFAULT_INPUT_SIZE = 100;
    public static final double DEFAULT_SUBSET_RATIO = 0.25;
    public static final double DEFAULT_OVERLAP_RATIO = 0.5;
    /** Interpolation (training and validation) range: U[1,2]. */
    public static final Domain DEFAULT_TRAIN_DOMAIN = Domain.of(1, 2);
    /** Extrapolation (test) range: U[2,6]. */
    public static final Domain DEFAULT_EXTRAPOLATION_DOMAIN = Domain.of(2, 6);

    /** The {@link Rng#seeded} stream the subset positions are drawn from; training steps use streams ≥ 0. */
    private static final long SUBSET_STREAM = -2;

    /** The operation ∘ applied to a and b (unary operations use only a). */
    public enum Op {
        ADD("+"), SUB("−"), MUL("×"), DIV("÷"), SQUARE("²"), SQRT("√");

        private final String symbol;

        Op(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }

        /** True for a² and √a, which read only a. */
        public boolean isUnary() {
            return this == SQUARE || this == SQRT;
        }

        public double apply(double a, double b) {
            return switch (this) {
                case ADD -> a + b;
                case SUB -> a - b;
                case MUL -> a * b;
                case DIV -> a / b;
                case SQUARE -> a * a;
                case SQRT -> Math.sqrt(a);
            };
        }

        /** Accepts the names add, sub, mul, div, square, sqrt (any case), the ASCII signs + - * / and {@link #symbol()}. */
        public static Op parse(String text) {
            String t = text.trim();
            for (Op op : values()) {
                if (op.name().equalsIgnoreCase(t) || op.symbol.equals(t)) {
                    return op;
                }
            }
            return switch (t) {
                case "-" -> SUB;
                case "*" -> MUL;
                case "/" -> DIV;
                default -> throw new IllegalArgumentException("unknown operation '" + text
                        + "'; expected one of add, sub, mul, div, square, sqrt, + - * / × ÷ − ² √");
            };
        }
    }

    /** The contiguous inputs [start, start + length) summed into a or b. */
    public record Subset(int start, int length) {
        public Subset {
            if (start < 0 || length < 1) {
                throw new IllegalArgumentException("a subset needs start >= 0 and length >= 1, got start="
                        + start + ", length=" + length);
            }
        }

        /** One past the last input. */
        public int end() {
            return start + length;
        }

        public boolean contains(int input) {
            return start <= input && input < end();
        }

        @Override
        public String toString() {
            return "[" + start + "," + end() + ")";
        }
    }

    private final Op op;
    private final int inputSize;
    private final Subset a;
    private final Subset b;
    private final Domain trainDomain;
    private final List<String> variables;

    /** The paper's defaults: n = 100, subsets of 25 overlapping by 12, trained on U[1,2]. */
    public ArithmeticTask(Op op, long seed) {
        this(op, DEFAULT_INPUT_SIZE, DEFAULT_SUBSET_RATIO, DEFAULT_OVERLAP_RATIO, seed, DEFAULT_TRAIN_DOMAIN);
    }

    /**
     * Subsets of L = round(subsetRatio × n) inputs sharing round(overlapRatio × L), placed from the seed.
     *
     * @throws IllegalArgumentException if the two subsets cannot fit into n inputs
     */
    public ArithmeticTask(Op op, int inputSize, double subsetRatio, double overlapRatio, long seed, Domain trainDomain) {
        this(op, inputSize, drawSubsets(inputSize, subsetRatio, overlapRatio, seed), trainDomain);
    }

    /**
     * Explicit subsets, e.g. the authors' 26-input quirk (a on 0–25, b on 13–38) that their
     * published success thresholds were computed with.
     */
    public ArithmeticTask(Op op, int inputSize, Subset a, Subset b, Domain trainDomain) {
        this(op, inputSize, new Placement(a, b), trainDomain);
    }

    /** Where a and b read from. */
    private record Placement(Subset a, Subset b) {
    }

    private ArithmeticTask(Op op, int inputSize, Placement placement, Domain trainDomain) {
        this.op = Objects.requireNonNull(op, "op");
        this.trainDomain = Objects.requireNonNull(trainDomain, "trainDomain");
        this.inputSize = inputSize;
        this.a = Objects.requireNonNull(placement.a(), "a");
        this.b = Objects.requireNonNull(placement.b(), "b");
        if (a.end() > inputSize || b.end() > inputSize) {
            throw new IllegalArgumentException("subsets " + a + " and " + b + " must lie within the "
                    + inputSize + " inputs");
        }
        this.variables = IntStream.range(0, inputSize).mapToObj(i -> "x" + i).toList();
    }

    private static Placement drawSubsets(int inputSize, double subsetRatio, double overlapRatio, long seed) {
        if (inputSize < 1) {
            throw new IllegalArgumentException("inputSize must be >= 1, got " + inputSize);
        }
        if (!(subsetRatio > 0 && subsetRatio <= 1) || !(overlapRatio >= 0 && overlapRatio <= 1)) {
            throw new IllegalArgumentException("need 0 < subsetRatio <= 1 and 0 <= overlapRatio <= 1, got "
                    + subsetRatio + " and " + overlapRatio);
        }
        int length = (int) Math.rint(subsetRatio * inputSize);
        int overlap = (int) Math.rint(overlapRatio * length);
        int span = 2 * length - overlap;
        if (length < 1 || span > inputSize) {
            throw new IllegalArgumentException("two subsets of " + length + " inputs sharing " + overlap
                    + " need " + span + " of the " + inputSize + " inputs and at least one input each");
        }
        int aStart = Rng.seeded(seed, SUBSET_STREAM).nextInt(inputSize - span + 1);
        return new Placement(new Subset(aStart, length), new Subset(aStart + length - overlap, length));
    }

    public Op op() {
        return op;
    }

    public Subset aSubset() {
        return a;
    }

    public Subset bSubset() {
        return b;
    }

    @Override
    public List<String> variables() {
        return variables;
    }

    @Override
    public int inputSize() {
        return inputSize;
    }

    @Override
    public Domain trainDomain(int column) {
        Objects.checkIndex(column, inputSize);
        return trainDomain;
    }

    /** t = a ∘ b with a = Σ_{i∈A} x_i and b = Σ_{i∈B} x_i. */
    @Override
    public double target(double[] x, int offset) {
        return op.apply(sum(x, offset, a), sum(x, offset, b));
    }

    /**
     * The exact first layer W₀ (column a: 1 on A, 0 elsewhere; column b likewise) with every 1
     * made 1 − eps and every 0 made eps: a_eps = (1 − eps) Σ_{i∈A} x_i + eps Σ_{i∉A} x_i, b_eps
     * likewise, then t = a_eps ∘ b_eps exactly.
     */
    @Override
    public double perturbedTarget(double[] x, int offset, double eps) {
        double total = 0;
        for (int i = 0; i < inputSize; i++) {
            total += x[offset + i];
        }
        double sumA = sum(x, offset, a);
        double sumB = sum(x, offset, b);
        double aEps = (1 - eps) * sumA + eps * (total - sumA);
        double bEps = (1 - eps) * sumB + eps * (total - sumB);
        return op.apply(aEps, bEps);
    }

    @Override
    public Bounds targetBounds() {
        return targetBounds(trainDomain);
    }

    /**
     * a and b are sums of |A| and |B| inputs from the domain's hull, and t = a ∘ b by interval
     * arithmetic (treating a and b as independent, though they share inputs: wider, never narrower).
     */
    @Override
    public Bounds targetBounds(Domain everyColumn) {
        Bounds a = new Bounds(this.a.length() * everyColumn.lo(), this.a.length() * everyColumn.hi());
        Bounds b = new Bounds(this.b.length() * everyColumn.lo(), this.b.length() * everyColumn.hi());
        return switch (op) {
            case ADD -> Bounds.hull(a.lo() + b.lo(), a.hi() + b.hi());
            case SUB -> Bounds.hull(a.lo() - b.hi(), a.hi() - b.lo());
            case MUL -> RangeAnalysis.times(a, b);
            case DIV -> RangeAnalysis.times(a, RangeAnalysis.reciprocal(b));
            case SQUARE -> RangeAnalysis.integerPower(a, 2);
            case SQRT -> a.hi() < 0 ? Bounds.REAL_LINE : new Bounds(Math.sqrt(Math.max(a.lo(), 0)), Math.sqrt(a.hi()));
        };
    }

    @Override
    public String describe() {
        String name = op.name().toLowerCase(Locale.ROOT);
        String subsets = op.isUnary() ? "subset " + a : "subsets " + a + " and " + b;
        return "arithmetic " + name + " (n=" + inputSize + ", " + subsets + ")";
    }

    @Override
    public String toString() {
        return describe();
    }

    private static double sum(double[] x, int offset, Subset subset) {
        double s = 0;
        for (int i = offset + subset.start(), end = offset + subset.end(); i < end; i++) {
            s += x[i];
        }
        return s;
    }
}
