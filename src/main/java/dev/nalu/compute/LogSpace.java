package dev.nalu.compute;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * L = log(|x| + ε), the log space of the multiplicative NAC path, with its backward
 * dx = dL ⊙ sign(x) / (|x| + ε). Buffers are the caller's, so it works for any batch.
 */
final class LogSpace {
    final INDArray log;
    /** dL, or null when no input gradient is needed. */
    final INDArray gradLog;
    private final INDArray x;
    private final INDArray absEps;
    private final INDArray gradX;
    private final INDArray sign;

    LogSpace(INDArray x, INDArray log, INDArray gradLog, INDArray gradX) {
        this.x = x;
        this.log = log;
        this.gradLog = gradLog;
        this.gradX = gradX;
        this.absEps = log.like();
        this.sign = gradX == null ? null : log.like();
    }

    void forward() {
        Nd.abs(x, absEps);
        Nd.addScalar(absEps, NacMul.EPSILON, absEps);
        Nd.log(absEps, log);
    }

    void backward() {
        if (gradX == null) {
            return;
        }
        Nd.sign(x, sign);
        Nd.mul(gradLog, sign, gradX);
        Nd.divNoNan(gradX, absEps, gradX);
    }

    /** exp(log(|x| + ε)·W) in float64. */
    static double[] expOfLogTimes(double[] x, Tensor w) {
        double[] l = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            l[i] = Math.log(Math.abs(x[i]) + NacMul.EPSILON);
        }
        double[] z = Matrices.times(l, w);
        for (int j = 0; j < z.length; j++) {
            z[j] = Math.exp(z[j]);
        }
        return z;
    }
}
