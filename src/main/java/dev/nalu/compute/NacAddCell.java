package dev.nalu.compute;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The recurrent additive NAC (Trask et al. 2018, as their recurrent experiments used it):
 * h_t = [h_{t−1}, x_t]·W, W = tanh(Ŵ) ⊙ σ(M̂), no clamp and no regulariser.
 * BPTT as the NAU cell's, into dW, then through the NAC weight once per sequence.
 */
final class NacAddCell extends RecurrentCell {
    private final NacCellWeight w;

    NacAddCell(int in, int hidden, int members, DataType type) {
        super(CellKind.NAC_ADD, in, hidden, members, type, 1);
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
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            steps.add(new Step() {
                @Override
                void forward(INDArray x, INDArray[] prev, INDArray[] next) {
                    affine.forward(scratch, x, prev[0], next[0]);
                }

                @Override
                void backward(INDArray x, INDArray[] prev, INDArray[] next, INDArray[] dNext, INDArray[] dPrev) {
                    affine.backward(scratch, x, prev[0], dNext[0], dPrev[0], false);
                }
            });
        }
        return steps;
    }

    static double[][] step(CellWeights w, double[] x, double[][] prev) {
        return new double[][] {CellAffine.apply(NacCellWeight.weight(w, "x"), NacCellWeight.weight(w, "h"), null, x, prev[0])};
    }
}
