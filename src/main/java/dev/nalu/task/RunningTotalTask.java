package dev.nalu.task;

import java.util.Locale;

/**
 * Running totals over scalar sequences (after Trask et al. 2018's running sums and products):
 * y_T = Σ_t x_t or y_T = ∏_t x_t. The sum draws x_t from U[1, 2]; the product from U[0.8, 1.25],
 * where log x_t averages about 0.016, so products of 1000 steps stay near e^16, within float32,
 * as products over U[1, 2] (near e^386) would not.
 *
 * <p>Their exact recurrent models are one NAU cell h_t = h_{t−1} + x_t (h_0 = 0) and one NMU cell
 * h_t = h_{t−1} · x_t (h_0 = 1); the ε-perturbed ones, whose error sets the success threshold, are
 * h_t = (1 − ε) h_{t−1} + (1 − ε) x_t and h_t = ((1 − ε) h_{t−1} + ε)((1 − ε) x_t + ε).
 */
public final class RunningTotalTask implements ScalarSequenceTask {
    public enum Kind { SUM, PRODUCT }

    public static final Domain SUM_DOMAIN = Domain.of(1, 2);
    public static final Domain PRODUCT_DOMAIN = Domain.of(0.8, 1.25);

    private final Kind kind;
    private final Domain domain;

    /** The protocol's values: U[1, 2] for the sum, U[0.8, 1.25] for the product. */
    public RunningTotalTask(Kind kind) {
        this(kind, kind == Kind.SUM ? SUM_DOMAIN : PRODUCT_DOMAIN);
    }

    private RunningTotalTask(Kind kind, Domain domain) {
        this.kind = java.util.Objects.requireNonNull(kind, "kind");
        this.domain = java.util.Objects.requireNonNull(domain, "domain");
    }

    /** The same running total over another value range (a wider test range, reported separately). */
    public RunningTotalTask withDomain(Domain d) {
        return new RunningTotalTask(kind, d);
    }

    public Kind kind() {
        return kind;
    }

    @Override
    public int inputs() {
        return 1;
    }

    @Override
    public Domain trainDomain() {
        return domain;
    }

    @Override
    public double target(double[] x, int offset, int length) {
        double y = kind == Kind.SUM ? 0 : 1;
        for (int t = 0; t < length; t++) {
            y = kind == Kind.SUM ? y + x[offset + t] : y * x[offset + t];
        }
        return y;
    }

    @Override
    public double perturbedTarget(double[] x, int offset, int length, double eps) {
        double h = kind == Kind.SUM ? 0 : 1;
        for (int t = 0; t < length; t++) {
            double v = x[offset + t];
            h = kind == Kind.SUM ? (1 - eps) * h + (1 - eps) * v : ((1 - eps) * h + eps) * ((1 - eps) * v + eps);
        }
        return h;
    }

    @Override
    public String describe() {
        return "running " + kind.name().toLowerCase(Locale.ROOT) + " over " + trainDomain();
    }
}
