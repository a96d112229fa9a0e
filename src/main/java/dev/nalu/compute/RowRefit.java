package dev.nalu.compute;

import java.util.stream.IntStream;

/**
 * The refit that {@link MacRefit} and {@link RecurrentRefit} share: Levenberg–Marquardt
 * ({@link Matrices#levenbergMarquardt}) over the unfrozen weights of a network on fixed training rows, on the relative
 * residuals (ŷ − y)/max(1, |y|), each weight kept in its range as training keeps it.
 */
abstract class RowRefit {
    /** Levenberg–Marquardt iterations per refit. */
    static final int ITERATIONS = 100;

    /** The number of training rows. */
    abstract int rows();

    /** Row k's target. */
    abstract double target(int k);

    /** ŷ for row k under weights p; with {@code gradient} non-null, also dŷ/dp there (overwritten). */
    abstract double predict(double[] p, int k, double[] gradient);

    /** Weight i's value v kept in its unit's range. */
    abstract double clamp(int i, double v);

    final double scale(int k) {
        return Math.max(1, Math.abs(target(k)));
    }

    /** The unfrozen weights of p refitted in place. */
    final void refit(double[] p, boolean[] frozen) {
        int[] free = IntStream.range(0, p.length).filter(i -> !frozen[i]).toArray();
        if (free.length == 0) {
            return;
        }
        double[] theta = new double[free.length];
        for (int a = 0; a < free.length; a++) {
            theta[a] = p[free[a]];
        }
        double[] at = p.clone();
        double[] g = new double[p.length];
        int n = rows();
        double[] fitted = Matrices.levenbergMarquardt(theta, new Matrices.LeastSquares() {
            @Override
            public double[] residuals(double[] t) {
                place(t);
                double[] r = new double[n];
                for (int k = 0; k < n; k++) {
                    r[k] = (predict(at, k, null) - target(k)) / scale(k);
                    if (!Double.isFinite(r[k])) {
                        r[k] = 1e150;
                    }
                }
                return r;
            }

            @Override
            public double[][] jacobian(double[] t, double[] r) {
                place(t);
                double[][] jac = new double[free.length][n];
                for (int k = 0; k < n; k++) {
                    predict(at, k, g);
                    for (int a = 0; a < free.length; a++) {
                        jac[a][k] = g[free[a]] / scale(k);
                    }
                }
                return jac;
            }

            private void place(double[] t) {
                for (int a = 0; a < free.length; a++) {
                    at[free[a]] = clamp(free[a], t[a]);
                }
            }
        }, ITERATIONS);
        if (fitted != null) {
            for (int a = 0; a < free.length; a++) {
                p[free[a]] = clamp(free[a], fitted[a]);
            }
        }
    }
}
