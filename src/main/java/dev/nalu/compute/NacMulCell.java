package dev.nalu.compute;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The recurrent multiplicative NAC (Trask et al. 2018): h_t = exp(log(|v| + ε)·W) over
 * v = [h_{t−1}, x_t], W = tanh(Ŵ) ⊙ σ(M̂).
 * BPTT: dP = dh_t ⊙ h_t for P = L·W; dW += Lᵀ·dP; dh_{t−1} = (dP·W_hᵀ) ⊙ sign(h_{t−1}) / (|h_{t−1}| + ε).
 */
final class NacMulCell extends RecurrentCell {
    private final NacCellWeight w;

    NacMulCell(int in, int hidden, int members, DataType type) {
        super(CellKind.NAC_MUL, in, hidden, members, type, 1);
        this.w = new NacCellWeight(this, "");
    }

    @Override
    protected void initialiseWeights(int member, SplittableRandom rng) {
        w.initialise(member, rng, in, hidden);
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
        CellAffine affine = w.affine(this);
        CellAffine.Scratch scratch = affine.new Scratch(batch, this);
        INDArray dp = stateBuffer(batch);
        INDArray sign = stateBuffer(batch);
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            INDArray logX = buffer(batch, in);
            INDArray absH = stateBuffer(batch);
            INDArray logH = stateBuffer(batch);
            steps.add(new Step() {
                @Override
                void forward(INDArray x, INDArray[] prev, INDArray[] next) {
                    logOf(x, logX, logX);
                    logOf(prev[0], absH, logH);
                    affine.forward(scratch, logX, logH, next[0]);                 // P = L W
                    Nd.exp(next[0], next[0]);                                     // h_t = exp(P)
                }

                @Override
                void backward(INDArray x, INDArray[] prev, INDArray[] next, INDArray[] dNext, INDArray[] dPrev) {
                    Nd.mul(dNext[0], next[0], dp);                                // dP = dh ⊙ h
                    affine.backward(scratch, logX, logH, dp, dPrev[0], false);    // dW, dL_h
                    Nd.sign(prev[0], sign);
                    Nd.mul(dPrev[0], sign, dPrev[0]);
                    Nd.divNoNan(dPrev[0], absH, dPrev[0]);                        // dh = dL ⊙ sign(h) / (|h| + ε)
                }
            });
        }
        return steps;
    }

    /** log = log(|v| + ε), keeping |v| + ε in abs. */
    static void logOf(INDArray v, INDArray abs, INDArray log) {
        Nd.abs(v, abs);
        Nd.addScalar(abs, NacMul.EPSILON, abs);
        Nd.log(abs, log);
    }

    static double[] log(double[] v) {
        double[] l = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            l[i] = Math.log(Math.abs(v[i]) + NacMul.EPSILON);
        }
        return l;
    }

    static double[][] step(CellWeights w, double[] x, double[][] prev) {
        double[] p = CellAffine.apply(NacCellWeight.weight(w, "x"), NacCellWeight.weight(w, "h"), null, log(x), log(prev[0]));
        for (int j = 0; j < p.length; j++) {
            p[j] = Math.exp(p[j]);
        }
        return new double[][] {p};
    }
}
