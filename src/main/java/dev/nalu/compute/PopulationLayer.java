package dev.nalu.compute;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A layer of K members trained side by side. Activations are [B, K, features]; the first
 * layer sees the data as [B, 1, in], shared by every member.
 *
 * <p>Each unit writes its forward pass like its paper's equation and its backward pass beside
 * it, into buffers a {@link Pass} allocates once per batch size. The backward pass overwrites
 * the gradient of every parameter; regularisers then add to it.
 */
public abstract class PopulationLayer {
    protected final LayerSpec spec;
    protected final int in;
    protected final int out;
    protected final int members;
    /** The input is the data itself, [B, 1, in], the same for every member. */
    protected final boolean sharedInput;
    protected final DataType type;
    private final List<Param> params = new ArrayList<>();

    protected PopulationLayer(LayerSpec spec, int in, int members, boolean sharedInput, DataType type) {
        this.spec = spec;
        this.in = in;
        this.out = spec.out();
        this.members = members;
        this.sharedInput = sharedInput;
        this.type = type;
    }

    protected final Param param(String name, Param.Layout layout, int rows, int cols) {
        Param p = new Param(name, layout, rows, cols, members);
        params.add(p);
        return p;
    }

    /** The layout for a weight matrix [in, out] that multiplies this layer's input. */
    protected final Param.Layout matrixLayout() {
        return sharedInput ? Param.Layout.MEMBER_MIDDLE : Param.Layout.MEMBER_FIRST;
    }

    public final List<Param> params() {
        return params;
    }

    public final LayerSpec spec() {
        return spec;
    }

    /** Writes member k's initial weights, as the unit's paper prescribes. */
    public abstract void initialise(int member, SplittableRandom rng);

    /**
     * Buffers and the forward/backward computation for one batch size. {@code input} is
     * [B, 1, in] data for the first layer, else the previous layer's output [B, K, in];
     * {@code gradInput} receives the gradient with respect to it, or is null for data.
     */
    public abstract Pass newPass(int batch, INDArray input, INDArray gradInput);

    /** Member k's weights in float64. */
    public final LayerWeights weights(int k) {
        Map<String, Tensor> t = new LinkedHashMap<>();
        for (Param p : params) {
            t.put(p.name, p.read(k));
        }
        return new LayerWeights(spec, in, t);
    }

    /** Sets member k's weights. */
    public final void setWeights(int k, LayerWeights w) {
        for (Param p : params) {
            p.write(k, w.get(p.name));
        }
    }

    protected final INDArray buffer(long... shape) {
        return Nd4j.create(type, shape);
    }

    /** Xavier/Glorot uniform bound, √(6 / (fanIn + fanOut)). */
    protected static double glorot(int fanIn, int fanOut) {
        return Math.sqrt(6.0 / (fanIn + fanOut));
    }

    protected static Tensor uniform(SplittableRandom rng, int rows, int cols, double lo, double hi) {
        double[] d = new double[rows * cols];
        for (int i = 0; i < d.length; i++) {
            d[i] = lo + (hi - lo) * rng.nextDouble();
        }
        return new Tensor(rows, cols, d);
    }

    protected static Tensor constant(int rows, int cols, double v) {
        double[] d = new double[rows * cols];
        java.util.Arrays.fill(d, v);
        return new Tensor(rows, cols, d);
    }

    /** One batch size's buffers, bound to its input once, so a step allocates nothing. */
    public abstract class Pass {
        protected final int batch;
        protected final INDArray input;
        protected final INDArray gradInput;
        /** [B, K, out]. */
        public final INDArray output;
        /** [B, K, out], written by the next layer (or the loss) before {@link #backward}. */
        public final INDArray gradOutput;

        protected Pass(int batch, INDArray input, INDArray gradInput) {
            this.batch = batch;
            this.input = input;
            this.gradInput = gradInput;
            this.output = buffer(batch, members, out);
            this.gradOutput = buffer(batch, members, out);
        }

        public abstract void forward();

        /**
         * Writes every parameter's gradient (overwriting it) and, when there is one, the gradient
         * with respect to the input. Called after {@link #forward}.
         */
        public abstract void backward();

        /** z = h·W for a weight parameter; dh may be null. */
        protected final Linear linear(INDArray h, Param w, INDArray z, INDArray dz, INDArray dh) {
            return linear(h, w.value, w.grad, z, dz, dh);
        }

        /** z = h·W with W stored [K, in, out] (broadcast path), whatever the input. */
        protected final Linear memberLinear(INDArray h, Param w, INDArray z, INDArray dz, INDArray dh) {
            return new Linear(batch, members, in, out, false, h, w.value, w.grad, z, dz, dh);
        }

        /** z = h·W for a derived weight (e.g. tanh(Ŵ)⊙σ(M̂)) stored like {@link #matrixBuffer()}. */
        protected final Linear linear(INDArray h, INDArray w, INDArray dw, INDArray z, INDArray dz, INDArray dh) {
            return new Linear(batch, members, in, out, sharedInput, h, w, dw, z, dz, dh);
        }

        /** [B, K, out]. */
        protected final INDArray outBuffer() {
            return buffer(batch, members, out);
        }

        /** [B, K or 1, in], the shape of this layer's input. */
        protected final INDArray inBuffer() {
            return buffer(batch, sharedInput ? 1 : members, in);
        }

        /** [B, K, in]: per-member values over the input features. */
        protected final INDArray memberInBuffer() {
            return buffer(batch, members, in);
        }
    }

    /** A buffer with the storage shape of a weight matrix [in, out] in {@link #matrixLayout()}. */
    protected final INDArray matrixBuffer() {
        return sharedInput ? buffer(in, members, out) : buffer(members, in, out);
    }
}
