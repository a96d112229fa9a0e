package dev.nalu.compute;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The NAC weight of Trask et al. 2018, W = tanh(Ŵ) ⊙ σ(M̂), whose saturation biases W towards
 * {-1, 0, 1}; with its backward pass dŴ = dW ⊙ (1 − tanh²Ŵ) ⊙ σ(M̂), dM̂ = dW ⊙ tanh(Ŵ) ⊙ σ(M̂)(1 − σ(M̂)).
 * Shared by NAC+, NAC•, NALU and iNALU.
 */
public final class NacWeight {
    final Param wHat;
    final Param mHat;
    /** W and its gradient, in the storage layout of Ŵ. */
    final INDArray w;
    final INDArray dw;
    private final INDArray tanhW;
    private final INDArray sigM;
    private final INDArray scratch;

    NacWeight(PopulationLayer layer, String suffix) {
        this(layer, suffix, layer.matrixLayout());
    }

    NacWeight(PopulationLayer layer, String suffix, Param.Layout layout) {
        this.wHat = layer.param("Ŵ" + suffix, layout, layer.in, layer.out);
        this.mHat = layer.param("M̂" + suffix, layout, layer.in, layer.out);
        this.w = layer.buffer(wHat.storageShape());
        this.dw = w.like();
        this.tanhW = w.like();
        this.sigM = w.like();
        this.scratch = w.like();
    }

    /** W = tanh(Ŵ) ⊙ σ(M̂). */
    void forward() {
        forward(wHat, mHat, tanhW, sigM, w);
    }

    /** W = tanh(Ŵ) ⊙ σ(M̂), keeping tanh(Ŵ) and σ(M̂) for {@link #backward(Param, Param, INDArray, INDArray, INDArray, INDArray)}. */
    static void forward(Param wHat, Param mHat, INDArray tanhW, INDArray sigM, INDArray w) {
        Nd.tanh(wHat.value, tanhW);
        Nd.sigmoid(mHat.value, sigM);
        Nd.mul(tanhW, sigM, w);
    }

    /** From dW (already in {@link #dw}) to dŴ and dM̂, overwriting their gradients. */
    void backward() {
        backward(wHat, mHat, tanhW, sigM, dw, scratch);
    }

    /** From dW to dŴ and dM̂ (overwriting their gradients), with tanh(Ŵ) and σ(M̂) of the forward pass. */
    static void backward(Param wHat, Param mHat, INDArray tanhW, INDArray sigM, INDArray dw, INDArray scratch) {
        Nd.mul(tanhW, tanhW, scratch);
        Nd.rsub(scratch, 1.0, scratch);             // 1 − tanh²(Ŵ)
        Nd.mul(scratch, sigM, scratch);
        Nd.mul(scratch, dw, wHat.grad);
        Nd.rsub(sigM, 1.0, scratch);                // 1 − σ(M̂)
        Nd.mul(scratch, sigM, scratch);
        Nd.mul(scratch, tanhW, scratch);
        Nd.mul(scratch, dw, mHat.grad);
    }

    /** Xavier-uniform Ŵ and M̂, as in Trask et al. 2018 and Madsen and Johansen's reimplementation. */
    void initialise(int member, java.util.SplittableRandom rng, int in, int out) {
        double r = PopulationLayer.glorot(in, out);
        wHat.write(member, PopulationLayer.uniform(rng, in, out, -r, r));
        mHat.write(member, PopulationLayer.uniform(rng, in, out, -r, r));
    }

    /** W = tanh(Ŵ) ⊙ σ(M̂) of one member, in float64. */
    public static Tensor weight(LayerWeights lw, String suffix) {
        Tensor wh = lw.get("Ŵ" + suffix);
        Tensor mh = lw.get("M̂" + suffix);
        double[] d = new double[wh.data().length];
        for (int i = 0; i < d.length; i++) {
            d[i] = Math.tanh(wh.data()[i]) / (1 + Math.exp(-mh.data()[i]));
        }
        return new Tensor(wh.rows(), wh.cols(), d);
    }
}
