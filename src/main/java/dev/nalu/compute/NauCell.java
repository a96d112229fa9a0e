package dev.nalu.compute;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The recurrent NAU cell (Madsen and Johansen 2020): h_t = [h_{t−1}, x_t]·W with W = [W_h; W_x]
 * clamped to [−1, 1] after every step and the sparsity regulariser λ·mean(min(|W|, 1 − |W|)) on
 * each block. Snapped to {−1, 0, 1} it is an exact running sum, for example h_t = h_{t−1} + x_t.
 *
 * <p>BPTT: dW_x += x_tᵀ·dh_t, dW_h += Σ_b h_{t−1} ⊗ dh_t, dh_{t−1} = dh_t·W_hᵀ.
 */
final class NauCell extends RecurrentCell {
    private final CellAffine.Params w;

    NauCell(int in, int hidden, int members, DataType type) {
        super(CellKind.NAU, in, hidden, members, type, 1);
        this.w = CellAffine.Params.of(this, "", hidden, false).clampedTo(-1, 1).penalised(Penalty.SPARSITY);
    }

    @Override
    Unit regularisedAs() {
        return Unit.NAU;
    }

    /** W ~ U(−r, r), r = min(½, √3·√(2/(fan-in + fan-out))), fan-in = in + hidden (Madsen and Johansen 2020). */
    @Override
    protected void initialiseWeights(int member, SplittableRandom rng) {
        w.uniform(member, rng, Math.min(0.5, Math.sqrt(3) * Math.sqrt(2.0 / (in + 2 * hidden))), false);
    }

    @Override
    List<Step> newSteps(int batch, int count) {
        CellAffine affine = w.affine(this);
        CellAffine.Scratch scratch = affine.new Scratch(batch, this);
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            steps.add(new Step() {
                @Override
                void forward(INDArray x, INDArray[] prev, INDArray[] next) {
                    affine.forward(scratch, x, prev[0], next[0]);                 // h_t = x_t W_x + h_{t−1} W_h
                }

                @Override
                void backward(INDArray x, INDArray[] prev, INDArray[] next, INDArray[] dNext, INDArray[] dPrev) {
                    affine.backward(scratch, x, prev[0], dNext[0], dPrev[0], false);
                }
            });
        }
        return steps;
    }

    /** h_t = x_t W_x + h_{t−1} W_h, in float64. */
    static double[][] step(CellWeights w, double[] x, double[][] prev) {
        return new double[][] {CellAffine.apply(w.get("Wx"), w.get("Wh"), null, x, prev[0])};
    }
}
