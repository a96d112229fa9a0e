package dev.nalu.compute;

/** Float64 helpers for one member's forward pass (inference, snapping, reference checks). */
final class Matrices {
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
}
