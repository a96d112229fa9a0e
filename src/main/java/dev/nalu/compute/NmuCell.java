package dev.nalu.compute;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The recurrent NMU cell (Madsen and Johansen 2020): over v = [h_{t−1}, x_t],
 * h_t,j = ∏_i (W_ij v_i + 1 − W_ij) = ∏_{i∈h} (W_h,ij h_i + 1 − W_h,ij) · ∏_{i∈x} (W_x,ij x_i + 1 − W_x,ij),
 * W clamped to [0, 1], with the sparsity regulariser λ·mean(min(W, 1 − W)) on each block. Snapped,
 * it is an exact running product, for example h_t = h_{t−1} · x_t.
 *
 * <p>The data part runs over [B·in, K·H]: W_x (stored [in, K, H]) is tiled over the batch once per
 * sequence, so each step's f_x = W_x x + 1 − W_x is a row-wise scaling by x and an add, then a product
 * over the inputs axis; ND4J's legacy broadcasts are far faster here than a numpy-style broadcast of
 * x[B,1,in,1] ⊙ W_x[1,K,in,H] (docs/performance.md, "Recurrent cells"). The state part is
 * f_h = h[B,K,H,1] ⊙ W_h[1,K,H,H] + (1 − W_h) and its product.
 * BPTT with q_ij = dh_t,j · h_t,j / f_ij (the product of the other factors, times the incoming
 * gradient): dW_ij += Σ_b q_ij (v_i − 1), dh_{t−1},i = Σ_j q_ij W_h,ij.
 */
final class NmuCell extends RecurrentCell {
    private final Param wh;
    private final Param wx;
    private final INDArray oneMinusWh;

    NmuCell(int in, int hidden, int members, DataType type) {
        super(CellKind.NMU, in, hidden, members, type, 1);
        this.wx = param("Wx", Param.Layout.MEMBER_MIDDLE, in, hidden).clampedTo(0, 1).penalised(Penalty.SPARSITY);
        this.wh = param("Wh", Param.Layout.MEMBER_FIRST, hidden, hidden).clampedTo(0, 1).penalised(Penalty.SPARSITY);
        this.oneMinusWh = buffer(1, members, hidden, hidden);
    }

    @Override
    Unit regularisedAs() {
        return Unit.NMU;
    }

    /** W ~ U(½ − r, ½ + r), r = ¼ (Madsen and Johansen 2020). */
    @Override
    protected void initialiseWeights(int member, SplittableRandom rng) {
        wx.write(member, uniform(rng, in, hidden, 0.25, 0.75));
        wh.write(member, uniform(rng, hidden, hidden, 0.25, 0.75));
    }

    @Override
    void prepare() {
        Nd.rsub(wh.value.reshape(1, members, hidden, hidden), 1.0, oneMinusWh);
    }

    @Override
    List<Step> newSteps(int batch, int count) {
        long kh = (long) members * hidden;
        INDArray wh4 = wh.value.reshape(1, members, hidden, hidden);
        INDArray scratchH = buffer(batch, members, hidden, hidden);
        INDArray gradWh = buffer(members, hidden, hidden);
        INDArray prevMinus1 = buffer(batch, members, hidden, 1);
        // the data part over [B·in, K·hidden]: W_x tiled over the batch once per sequence, then row-wise scaling by x
        INDArray tiled = buffer((long) batch * in, kh);
        INDArray oneMinusTiled = buffer((long) batch * in, kh);
        INDArray ones = Nd.ones(type, batch, (long) in * kh);
        INDArray ones3 = Nd.ones(type, batch, in, kh);
        INDArray onesRow = Nd.ones(type, 1, batch);
        INDArray q = buffer((long) batch * in, kh);
        INDArray g = buffer(batch, kh);
        INDArray xMinus1 = buffer((long) batch * in);
        INDArray productX = stateBuffer(batch);
        Nd.Kernel[] tile = {
            Nd.mulRowOp(ones, wx.value.reshape(1, (long) in * kh), tiled.reshape(batch, (long) in * kh)),
            Nd.rsubOp(tiled, 1.0, oneMinusTiled),
        };
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            INDArray fh = buffer(batch, members, hidden, hidden);
            INDArray fx = buffer((long) batch * in, kh);
            INDArray productH = stateBuffer(batch);
            KernelCache forwardOps = new KernelCache();
            KernelCache backwardOps = new KernelCache();
            steps.add(new Step() {
                @Override
                void begin() {
                    Nd.run(tile);
                }

                @Override
                void forward(INDArray x, INDArray[] prev, INDArray[] next) {
                    Nd.run(forwardOps.get(() -> new Nd.Kernel[] {
                        Nd.broadcastMulOp(tiled, x.reshape((long) batch * in), fx, 0),
                        Nd.addOp(fx, oneMinusTiled, fx),                              // f_x = W_x x + 1 − W_x
                        Nd.prodOp(fx.reshape(batch, in, kh), productX.reshape(batch, kh), 1),
                        Nd.mulOp(prev[0].reshape(batch, members, hidden, 1), wh4, fh),
                        Nd.addOp(fh, oneMinusWh, fh),                                 // f_h = W_h h + 1 − W_h
                        Nd.prodOp(fh, productH, 2),
                        Nd.mulOp(productX, productH, next[0]),                        // h_t = ∏ f_x · ∏ f_h
                    }, x, prev[0], next[0]));
                }

                @Override
                void backward(INDArray x, INDArray[] prev, INDArray[] next, INDArray[] dNext, INDArray[] dPrev) {
                    Nd.run(backwardOps.get(() -> {
                        INDArray h4 = next[0].reshape(batch, members, 1, hidden);
                        INDArray dh4 = dNext[0].reshape(batch, members, 1, hidden);
                        INDArray q3 = q.reshape(batch, in, kh);
                        return new Nd.Kernel[] {
                            Nd.divNoNanOp(h4, fh, scratchH),
                            Nd.mulOp(scratchH, dh4, scratchH),                        // q over the state inputs
                            Nd.mulOp(wh4, scratchH, fh),                              // (f_h is not needed again)
                            Nd.addScalarOp(prev[0].reshape(batch, members, hidden, 1), -1.0, prevMinus1),
                            Nd.mulOp(scratchH, prevMinus1, scratchH),
                            Nd.sumOp(scratchH, gradWh, 0),
                            Nd.addOp(wh.grad, gradWh, wh.grad),                       // dW_h += Σ_b q (h − 1)
                            Nd.sumOp(fh, dPrev[0], 3),                                // dh_{t−1} = Σ_j q W_h
                            Nd.mulOp(next[0].reshape(batch, kh), dNext[0].reshape(batch, kh), g),  // dh ⊙ h
                            Nd.broadcastMulOp(ones3, g, q3, 0, 2),
                            Nd.divNoNanOp(q, fx, q),                                  // q over the data inputs
                            Nd.addScalarOp(x.reshape((long) batch * in), -1.0, xMinus1),
                            Nd.broadcastMulOp(q, xMinus1, q, 0),
                            Nd.gemmOp(onesRow, q.reshape(batch, (long) in * kh),
                                    wx.grad.reshape(1, (long) in * kh), false, false, 1.0), // dW_x += Σ_b q (x − 1)
                        };
                    }, x, prev[0], next[0], dNext[0], dPrev[0]));
                }
            });
        }
        return steps;
    }

    /** h_t,j = ∏_i (W_x,ij x_i + 1 − W_x,ij) · ∏_i (W_h,ij h_i + 1 − W_h,ij), in float64. */
    static double[][] step(CellWeights w, double[] x, double[][] prev) {
        Tensor wx = w.get("Wx");
        Tensor wh = w.get("Wh");
        double[] h = new double[wh.cols()];
        for (int j = 0; j < h.length; j++) {
            double p = 1;
            for (int i = 0; i < wx.rows(); i++) {
                p *= wx.at(i, j) * x[i] + 1 - wx.at(i, j);
            }
            for (int i = 0; i < wh.rows(); i++) {
                p *= wh.at(i, j) * prev[0][i] + 1 - wh.at(i, j);
            }
            h[j] = p;
        }
        return new double[][] {h};
    }
}
