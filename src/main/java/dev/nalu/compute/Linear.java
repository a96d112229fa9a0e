package dev.nalu.compute;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * z = h·W for every member at once, with its backward pass, bound to fixed buffers.
 *
 * <p>Shared input (the first layer): h is [B, 1, in] and W is stored [in, K, out], so all members
 * are one GEMM, x[B, in]·W[in, K·out]. Per-member input: h is [B, K, in] and W is stored
 * [K, in, out]; z = Σ_i h[B, K, in, 1] ⊙ W[1, K, in, out] is one broadcast multiply and one sum.
 * Either way the op count does not depend on K.
 */
final class Linear {
    private final boolean shared;
    private final INDArray h;
    private final INDArray w;
    private final INDArray dw;
    private final INDArray z;
    private final INDArray dz;
    private final INDArray dh;
    private final INDArray scratch;
    private final INDArray gradInScratch;
    private final Nd.Kernel product;
    private final Nd.Kernel weightGradient;

    /** dh may be null (no input gradient wanted). */
    Linear(int batch, int members, int in, int out, boolean shared,
           INDArray h, INDArray w, INDArray dw, INDArray z, INDArray dz, INDArray dh) {
        this.shared = shared;
        long kOut = (long) members * out;
        if (shared) {
            if (dh != null) {
                throw new IllegalStateException("the shared input is data; it has no gradient");
            }
            this.h = h.reshape(batch, in);
            this.w = w.reshape(in, kOut);
            this.dw = dw.reshape(in, kOut);
            this.z = z.reshape(batch, kOut);
            this.dz = dz.reshape(batch, kOut);
            this.dh = null;
            this.scratch = null;
            this.gradInScratch = null;
            this.product = Nd.gemmOp(this.h, this.w, this.z, false, false);
            this.weightGradient = Nd.gemmOp(this.h, this.dz, this.dw, true, false);
        } else {
            if (dh != null && h.size(1) != members) {
                throw new IllegalStateException("an input shared by all members is data; it has no gradient");
            }
            this.h = h.reshape(batch, h.size(1), in, 1);
            this.w = w.reshape(1, members, in, out);
            this.dw = dw;
            this.z = z;
            this.dz = dz.reshape(batch, members, 1, out);
            this.dh = dh;
            this.scratch = Nd4j.create(z.dataType(), batch, members, in, out);
            this.gradInScratch = dh == null ? null : Nd4j.create(z.dataType(), batch, members, in, out);
            this.product = null;
            this.weightGradient = null;
        }
    }

    /** z = h·W. */
    void forward() {
        if (shared) {
            product.run();
        } else {
            Nd.mul(h, w, scratch);
            Nd.sum(scratch, z, 2);
        }
    }

    /** dW = hᵀ·dz per member (overwrites dW); dh = dz·Wᵀ when wanted. */
    void backward() {
        if (shared) {
            weightGradient.run();
        } else {
            Nd.mul(h, dz, scratch);
            Nd.sum(scratch, dw, 0);
            if (dh != null) {
                Nd.mul(w, dz, gradInScratch);
                Nd.sum(gradInScratch, dh, 3);
            }
        }
    }
}
