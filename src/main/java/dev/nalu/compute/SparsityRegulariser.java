package dev.nalu.compute;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Madsen and Johansen 2020: R = λ · mean(min(|W|, 1 − |W|)), pushing each weight to the nearest
 * of {-1, 0, 1} (NAU) or {0, 1} (NMU, whose W is clamped to [0, 1] so |W| = W). Gradient:
 * λ/N · sign(W) · sign(½ − |W|).
 */
final class SparsityRegulariser {
    private final Param w;
    private final INDArray a;
    private final INDArray b;
    private final long perMember;

    SparsityRegulariser(Param w, DataType type) {
        this.w = w;
        this.a = Nd4j.create(type, w.storageShape());
        this.b = Nd4j.create(type, w.storageShape());
        this.perMember = (long) w.rows * w.cols;
    }

    /** grad += λ/N · sign(W) · sign(½ − |W|). */
    void addGradient(double lambda) {
        if (lambda == 0) {
            return;
        }
        Nd.abs(w.value, a);
        Nd.rsub(a, 0.5, a);
        Nd.sign(a, a);
        Nd.sign(w.value, b);
        Nd.mul(a, b, a);
        Nd.axpy(lambda / perMember, a, w.grad);
    }
}
