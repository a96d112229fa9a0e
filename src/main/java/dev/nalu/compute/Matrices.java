package dev.nalu.compute;

/** Float64 helpers for one member's forward pass (inference, snapping, reference checks) and small least-squares fits. */
public final class Matrices {
    private Matrices() {
    }

    /** x·W for x [in] and W [in, out]. */
    static double[] times(double[] x, Tensor w) {
        double[] z = new double[w.cols()];
        for (int i = 0; i < w.rows(); i++) {
            double xi = x[i];
            for (int j = 0; j < w.cols(); j++) {
                z[j] += xi * w.at(i, j);
            }
        }
        return z;
    }

    static double sigmoid(double v) {
        return 1 / (1 + Math.exp(-v));
    }

    /** The solution of the m×(m+1) augmented system a (Gauss–Jordan with partial pivoting, a is overwritten), or null if singular. */
    public static double[] solve(double[][] a) {
        int m = a.length;
        for (int col = 0; col < m; col++) {
            int pivot = col;
            for (int i = col + 1; i < m; i++) {
                if (Math.abs(a[i][col]) > Math.abs(a[pivot][col])) {
                    pivot = i;
                }
            }
            double[] tmp = a[col];
            a[col] = a[pivot];
            a[pivot] = tmp;
            if (!(Math.abs(a[col][col]) > 1e-300)) {
                return null;
            }
            for (int i = 0; i < m; i++) {
                if (i != col) {
                    double factor = a[i][col] / a[col][col];
                    for (int j = col; j <= m; j++) {
                        a[i][j] -= factor * a[col][j];
                    }
                }
            }
        }
        double[] c = new double[m];
        for (int i = 0; i < m; i++) {
            c[i] = a[i][m] / a[i][i];
            if (!Double.isFinite(c[i])) {
                return null;
            }
        }
        return c;
    }

    /** A least-squares problem for {@link #levenbergMarquardt}: residuals at θ and their Jacobian (one row per parameter). */
    public interface LeastSquares {
        double[] residuals(double[] theta);

        /** ∂r/∂θ_i for each parameter i (p rows of as many values as residuals), at θ whose residuals are r. */
        double[][] jacobian(double[] theta, double[] r);
    }

    /**
     * The θ that minimises the sum of squared residuals, from {@code theta} (Levenberg–Marquardt: damping ×10 on a
     * rejected step, ÷10 on an accepted one, stopping after {@code iterations}, at a zero cost, or when a step gains
     * less than 1e−15 of the cost), or null when the cost is not finite.
     */
    public static double[] levenbergMarquardt(double[] theta, LeastSquares problem, int iterations) {
        int p = theta.length;
        double[] r = problem.residuals(theta);
        double cost = dot(r, r);
        double lambda = 1e-3;
        for (int it = 0; it < iterations && Double.isFinite(cost) && cost > 0; it++) {
            double[][] jac = problem.jacobian(theta, r);
            double[][] a = new double[p][p + 1];
            for (int i = 0; i < p; i++) {
                for (int j = 0; j <= i; j++) {
                    a[i][j] = dot(jac[i], jac[j]);
                    a[j][i] = a[i][j];
                }
                a[i][p] = -dot(jac[i], r);
            }
            boolean improved = false;
            while (lambda < 1e12) {
                double[][] damped = new double[p][];
                for (int i = 0; i < p; i++) {
                    damped[i] = a[i].clone();
                    damped[i][i] += lambda * (a[i][i] + 1e-12);
                }
                double[] step = solve(damped);
                if (step != null) {
                    double[] t = theta.clone();
                    for (int i = 0; i < p; i++) {
                        t[i] += step[i];
                    }
                    double[] rt = problem.residuals(t);
                    double c = dot(rt, rt);
                    if (c < cost) {
                        improved = cost - c > 1e-15 * cost;
                        theta = t;
                        r = rt;
                        cost = c;
                        lambda = Math.max(lambda / 10, 1e-12);
                        break;
                    }
                }
                lambda *= 10;
            }
            if (!improved) {
                break;
            }
        }
        return Double.isFinite(cost) ? theta : null;
    }

    public static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
