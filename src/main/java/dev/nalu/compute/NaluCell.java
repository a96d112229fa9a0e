package dev.nalu.compute;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The recurrent NALU (Trask et al. 2018): over v = [h_{t−1}, x_t], with W = tanh(Ŵ) ⊙ σ(M̂) shared
 * by both paths, a = v·W, m = exp(log(|v| + ε)·W), g = σ(v·G), h_t = g ⊙ a + (1 − g) ⊙ m.
 *
 * <p>BPTT: da = dh ⊙ g, dP = dh ⊙ (1 − g) ⊙ m, dz_g = dh ⊙ (a − m) ⊙ g(1 − g); dW += vᵀ·da + Lᵀ·dP,
 * dG += vᵀ·dz_g; dh_{t−1} = da·W_hᵀ + dz_g·G_hᵀ + (dP·W_hᵀ) ⊙ sign(h_{t−1}) / (|h_{t−1}| + ε).
 */
final class NaluCell extends RecurrentCell {
    private final NacCellWeight w;
    private final CellAffine.Params gate;

    NaluCell(int in, int hidden, int members, DataType type) {
        super(CellKind.NALU, in, hidden, members, type, 1);
        this.w = new NacCellWeight(this, "");
        this.gate = CellAffine.Params.of(this, "G", hidden, false);
    }

    @Override
    protected void initialiseWeights(int member, SplittableRandom rng) {
        w.initialise(member, rng, in, hidden);
        gate.uniform(member, rng, PopulationLayer.glorot(in + hidden, hidden), false);
    }

    @Override
    void prepare() {
        w.forward();
    }

    @Override
    void beginBackward() {
        w.zeroGradient();
    }

    @Override
    void finishBackward() {
        w.backward();
    }

    @Override
    List<Step> newSteps(int batch, int count) {
        CellAffine add = w.affine(this);
        CellAffine mul = w.affine(this);
        CellAffine gz = gate.affine(this);
        CellAffine.Scratch scratch = add.new Scratch(batch, this);
        INDArray da = stateBuffer(batch);
        INDArray dp = stateBuffer(batch);
        INDArray dg = stateBuffer(batch);
        INDArray dLogH = stateBuffer(batch);
        INDArray sign = stateBuffer(batch);
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            INDArray logX = buffer(batch, in);
            INDArray absH = stateBuffer(batch);
            INDArray logH = stateBuffer(batch);
            INDArray a = stateBuffer(batch);
            INDArray m = stateBuffer(batch);
            INDArray g = stateBuffer(batch);
            steps.add(new Step() {
                @Override
                void forward(INDArray x, INDArray[] prev, INDArray[] next) {
                    add.forward(scratch, x, prev[0], a);                          // a = v W
                    NacMulCell.logOf(x, logX, logX);
                    NacMulCell.logOf(prev[0], absH, logH);
                    mul.forward(scratch, logX, logH, m);
                    Nd.exp(m, m);                                                 // m = exp(log(|v|+ε) W)
                    gz.forward(scratch, x, prev[0], g);
                    Nd.sigmoid(g, g);                                             // g = σ(v G)
                    Nd.sub(a, m, next[0]);
                    Nd.mul(g, next[0], next[0]);
                    Nd.add(next[0], m, next[0]);                                  // h = g a + (1 − g) m
                }

                @Override
                void backward(INDArray x, INDArray[] prev, INDArray[] next, INDArray[] dNext, INDArray[] dPrev) {
                    INDArray dh = dNext[0];
                    Nd.mul(dh, g, da);                                            // da = dh g
                    Nd.sub(dh, da, dp);
                    Nd.mul(dp, m, dp);                                            // dP = dh (1 − g) m
                    Nd.sub(a, m, dg);
                    Nd.mul(dg, dh, dg);                                           // dg = dh (a − m)
                    Nd.rsub(g, 1.0, a);                                           // (a is not needed again)
                    Nd.mul(a, g, a);
                    Nd.mul(dg, a, dg);                                            // dz_g = dg g(1 − g)
                    mul.backward(scratch, logX, logH, dp, dLogH, false);
                    Nd.sign(prev[0], sign);
                    Nd.mul(dLogH, sign, dLogH);
                    Nd.divNoNan(dLogH, absH, dPrev[0]);
                    add.backward(scratch, x, prev[0], da, dPrev[0], true);
                    gz.backward(scratch, x, prev[0], dg, dPrev[0], true);
                }
            });
        }
        return steps;
    }

    static double[][] step(CellWeights w, double[] x, double[][] prev) {
        Tensor wx = NacCellWeight.weight(w, "x");
        Tensor wh = NacCellWeight.weight(w, "h");
        double[] a = CellAffine.apply(wx, wh, null, x, prev[0]);
        double[] m = CellAffine.apply(wx, wh, null, NacMulCell.log(x), NacMulCell.log(prev[0]));
        double[] gz = CellAffine.apply(w.get("WxG"), w.get("WhG"), null, x, prev[0]);
        double[] h = new double[a.length];
        for (int j = 0; j < h.length; j++) {
            double g = Matrices.sigmoid(gz[j]);
            h[j] = g * a[j] + (1 - g) * Math.exp(m[j]);
        }
        return new double[][] {h};
    }
}
