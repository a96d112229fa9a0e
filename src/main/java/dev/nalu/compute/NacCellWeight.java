package dev.nalu.compute;

import java.util.SplittableRandom;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The NAC weight of Trask et al. 2018 for a recurrent cell, both blocks of W = [W_h; W_x]:
 * W = tanh(Ŵ) ⊙ σ(M̂), computed once per sequence ({@link #forward}); the steps add their
 * gradients to dW, which {@link #backward} turns into dŴ = dW ⊙ (1 − tanh²Ŵ) ⊙ σ(M̂) and
 * dM̂ = dW ⊙ tanh(Ŵ) ⊙ σ(M̂)(1 − σ(M̂)) once per backward pass.
 */
final class NacCellWeight {
    private final Block x;
    private final Block h;

    NacCellWeight(RecurrentCell cell, String suffix) {
        this.x = new Block(cell, "x" + suffix, Param.Layout.MEMBER_MIDDLE, cell.in);
        this.h = new Block(cell, "h" + suffix, Param.Layout.MEMBER_FIRST, cell.hidden);
    }

    /** The affine map x·W_x + h·W_h over the derived weights, accumulating into dW. */
    CellAffine affine(RecurrentCell cell) {
        return new CellAffine(cell.in, cell.hidden, cell.hidden, cell.members, x.w, x.dw, h.w, h.dw, null, null);
    }

    void forward() {
        x.forward();
        h.forward();
    }

    void zeroGradient() {
        x.dw.assign(0);
        h.dw.assign(0);
    }

    void backward() {
        x.backward();
        h.backward();
    }

    /** Xavier-uniform Ŵ and M̂ over fan-in in + hidden and fan-out hidden (Trask et al. 2018). */
    void initialise(int member, SplittableRandom rng, int in, int hidden) {
        double r = PopulationLayer.glorot(in + hidden, hidden);
        x.initialise(member, rng, r);
        h.initialise(member, rng, r);
    }

    /** W = tanh(Ŵ) ⊙ σ(M̂) of one block ("x" or "h", with the suffix) in float64. */
    static Tensor weight(CellWeights w, String block) {
        Tensor wh = w.get("Ŵ" + block);
        Tensor mh = w.get("M̂" + block);
        double[] d = new double[wh.data().length];
        for (int i = 0; i < d.length; i++) {
            d[i] = Math.tanh(wh.data()[i]) / (1 + Math.exp(-mh.data()[i]));
        }
        return new Tensor(wh.rows(), wh.cols(), d);
    }

    private static final class Block {
        final Param wHat;
        final Param mHat;
        final INDArray w;
        final INDArray dw;
        private final INDArray tanhW;
        private final INDArray sigM;
        private final INDArray scratch;

        Block(RecurrentCell cell, String name, Param.Layout layout, int rows) {
            this.wHat = cell.param("Ŵ" + name, layout, rows, cell.hidden);
            this.mHat = cell.param("M̂" + name, layout, rows, cell.hidden);
            this.w = cell.buffer(wHat.storageShape());
            this.dw = w.like();
            this.tanhW = w.like();
            this.sigM = w.like();
            this.scratch = w.like();
        }

        void forward() {
            NacWeight.forward(wHat, mHat, tanhW, sigM, w);
        }

        void backward() {
            NacWeight.backward(wHat, mHat, tanhW, sigM, dw, scratch);
        }

        void initialise(int member, SplittableRandom rng, double r) {
            wHat.write(member, PopulationLayer.uniform(rng, wHat.rows, wHat.cols, -r, r));
            mHat.write(member, PopulationLayer.uniform(rng, mHat.rows, mHat.cols, -r, r));
        }
    }
}
