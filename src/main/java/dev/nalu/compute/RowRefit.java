package dev.nalu.compute;

/**
 * A {@link WeightRefit} over fixed training rows whose prediction has an analytic gradient ({@link MacRefit},
 * {@link RecurrentRefit}): the residuals are the relative errors (ŷ − y)/max(1, |y|), the Jacobian the rows'
 * gradients.
 */
abstract class RowRefit extends WeightRefit {
    /** The number of training rows. */
    abstract int rows();

    /** Row k's target. */
    abstract double target(int k);

    /** ŷ for row k under weights p; with {@code gradient} non-null, also dŷ/dp there (overwritten). */
    abstract double predict(double[] p, int k, double[] gradient);

    final double scale(int k) {
        return Math.max(1, Math.abs(target(k)));
    }

    @Override
    protected final double[] residuals(double[] p) {
        double[] r = new double[rows()];
        for (int k = 0; k < r.length; k++) {
            r[k] = (predict(p, k, null) - target(k)) / scale(k);
            if (!Double.isFinite(r[k])) {
                r[k] = 1e150;
            }
        }
        return r;
    }

    @Override
    protected final double[][] jacobian(double[] p, int[] free) {
        double[] g = new double[p.length];
        double[][] jac = new double[free.length][rows()];
        for (int k = 0; k < rows(); k++) {
            predict(p, k, g);
            for (int a = 0; a < free.length; a++) {
                jac[a][k] = g[free[a]] / scale(k);
            }
        }
        return jac;
    }
}
