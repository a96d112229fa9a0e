package dev.nalu.compute;

import java.util.stream.IntStream;

/**
 * What the refit-and-snap stages share ({@link MacRefit}, {@link RecurrentRefit} and the search's
 * {@code dev.nalu.evaluation.SearchRefit}): a vector of a member's weights, Levenberg–Marquardt
 * ({@link Matrices#levenbergMarquardt}) over the weights not yet fixed, on the stage's residuals (relative errors on
 * fixed training rows), each weight kept in its range as training keeps it; and the trial that fixes one weight at a
 * value, refits the rest and keeps the value only if the stage's rule accepts the refitted weights.
 */
public abstract class WeightRefit {
    /** Levenberg–Marquardt iterations per refit. */
    static final int ITERATIONS = 100;

    /** The residuals at weights p (non-finite ones as 1e150, so the fit moves away from them). */
    protected abstract double[] residuals(double[] p);

    /** Weight i's value v kept in its range. */
    protected abstract double clamp(int i, double v);

    /** Whether a trial's refitted weights {@code after} replace {@code before}. */
    protected abstract boolean keeps(double[] before, double[] after);

    /** ∂r/∂p_i for each i of {@code free} at weights p, or null: a stage without one is differentiated numerically. */
    protected double[][] jacobian(double[] p, int[] free) {
        return null;
    }

    /**
     * The residuals at {@code base} with weight i set to {@code value}, for one column of the forward differences:
     * every call of one {@link #differences} shares its base, so a stage may keep what the other weights give (the
     * rows' values before weight i's layer, the outputs weight i does not reach). Must equal
     * {@code residuals(base with p_i = value)} exactly, bit for bit, which this default is.
     */
    protected Differences differences(double[] base) {
        return (i, value) -> {
            double[] q = base.clone();
            q[i] = value;
            return residuals(q);
        };
    }

    /** The residuals at one base with one weight moved. */
    @FunctionalInterface
    protected interface Differences {
        double[] residuals(int i, double value);
    }

    /** The mean square of the residuals at p. */
    protected final double meanSquare(double[] p) {
        double[] r = residuals(p);
        return Matrices.dot(r, r) / r.length;
    }

    /** The unfrozen weights of p refitted in place. */
    protected final void refit(double[] p, boolean[] frozen) {
        int[] free = IntStream.range(0, p.length).filter(i -> !frozen[i]).toArray();
        if (free.length == 0) {
            return;
        }
        double[] theta = new double[free.length];
        for (int a = 0; a < free.length; a++) {
            theta[a] = p[free[a]];
        }
        double[] fitted = Matrices.levenbergMarquardt(theta, new Matrices.LeastSquares() {
            @Override
            public double[] residuals(double[] t) {
                return WeightRefit.this.residuals(place(t));
            }

            /** The stage's Jacobian, else forward differences (a step of 1e−7 of the value, at least 1e−7). */
            @Override
            public double[][] jacobian(double[] t, double[] r) {
                double[][] analytic = WeightRefit.this.jacobian(place(t), free);
                if (analytic != null) {
                    return analytic;
                }
                double[][] jac = new double[free.length][];
                Differences moved = differences(place(t));
                for (int a = 0; a < free.length; a++) {
                    double h = 1e-7 * Math.max(1, Math.abs(t[a]));
                    double[] ra = moved.residuals(free[a], clamp(free[a], t[a] + h));
                    for (int k = 0; k < ra.length; k++) {
                        ra[k] = (ra[k] - r[k]) / h;
                    }
                    jac[a] = ra;
                }
                return jac;
            }

            private double[] place(double[] t) {
                double[] q = p.clone();
                for (int a = 0; a < free.length; a++) {
                    q[free[a]] = clamp(free[a], t[a]);
                }
                return q;
            }
        }, ITERATIONS);
        if (fitted != null) {
            for (int a = 0; a < free.length; a++) {
                p[free[a]] = clamp(free[a], fitted[a]);
            }
        }
    }

    /**
     * Fixes weight i at value and refits the others; keeps it (frozen) if {@link #keeps} accepts the refitted weights,
     * else restores p. A weight already fixed stays as it is.
     */
    protected final boolean tryValue(double[] p, boolean[] frozen, int i, double value) {
        if (frozen[i]) {
            return true;
        }
        double[] saved = p.clone();
        p[i] = value;
        frozen[i] = true;
        refit(p, frozen);
        if (keeps(saved, p)) {
            return true;
        }
        System.arraycopy(saved, 0, p, 0, p.length);
        frozen[i] = false;
        return false;
    }
}
