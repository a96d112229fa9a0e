package dev.nalu.compute;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The Elman RNN baseline (as PyTorch's nn.RNN, which Madsen and Johansen's recurrent experiments
 * compare against): h_t = act(x_t W_x + h_{t−1} W_h + b), act = tanh or ReLU.
 * BPTT: dz = dh_t ⊙ act'(z) (1 − h_t² for tanh, [h_t > 0] for ReLU); dW_x += x_tᵀ·dz,
 * dW_h += Σ_b h_{t−1} ⊗ dz, db += Σ_b dz, dh_{t−1} = dz·W_hᵀ.
 */
final class RnnCell extends RecurrentCell {
    private final CellAffine.Params w;
    private final boolean relu;

    RnnCell(CellKind kind, int in, int hidden, int members, DataType type) {
        super(kind, in, hidden, members, type, 1);
        this.relu = kind == CellKind.RNN_RELU;
        this.w = CellAffine.Params.of(this, "", hidden, true);
    }

    /** Every weight and bias ~ U(−1/√hidden, 1/√hidden), PyTorch's initialisation. */
    @Override
    protected void initialiseWeights(int member, SplittableRandom rng) {
        w.uniform(member, rng, 1 / Math.sqrt(hidden), true);
    }

    @Override
    List<Step> newSteps(int batch, int count) {
        CellAffine affine = w.affine(this);
        CellAffine.Scratch scratch = affine.new Scratch(batch, this);
        INDArray dz = stateBuffer(batch);
        INDArray slope = stateBuffer(batch);
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            steps.add(new Step() {
                @Override
                void forward(INDArray x, INDArray[] prev, INDArray[] next) {
                    affine.forward(scratch, x, prev[0], next[0]);                 // z
                    if (relu) {
                        Nd.maxScalar(next[0], 0, next[0]);
                    } else {
                        Nd.tanh(next[0], next[0]);
                    }
                }

                @Override
                void backward(INDArray x, INDArray[] prev, INDArray[] next, INDArray[] dNext, INDArray[] dPrev) {
                    if (relu) {
                        Nd.step(next[0], 0, slope);
                    } else {
                        Nd.mul(next[0], next[0], slope);
                        Nd.rsub(slope, 1.0, slope);
                    }
                    Nd.mul(dNext[0], slope, dz);
                    affine.backward(scratch, x, prev[0], dz, dPrev[0], false);
                }
            });
        }
        return steps;
    }

    static double[][] step(CellWeights w, double[] x, double[][] prev) {
        double[] z = CellAffine.apply(w.get("Wx"), w.get("Wh"), w.get("b"), x, prev[0]);
        for (int j = 0; j < z.length; j++) {
            z[j] = w.kind() == CellKind.RNN_RELU ? Math.max(z[j], 0) : Math.tanh(z[j]);
        }
        return new double[][] {z};
    }
}
