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
 * A recurrent cell of K members trained side by side: h_t = cell(h_{t−1}, x_t), with a learnable
 * initial state h_0 per member. The data x_t is [B, in], shared by every member; the state is one
 * or more parts of [B, K, hidden] (the LSTM has two, h and c; the others one), so every op of a
 * time step covers the whole population and the number of ops per step does not depend on K.
 *
 * <p>Backpropagation through time: the model runs {@link Step#forward} for t = 1 … T, each step
 * keeping what its backward pass needs, then {@link Step#backward} for t = T … 1. Every step adds
 * its share to the parameters' gradients (the model zeroes them first) and writes the gradient
 * with respect to the previous state.
 */
public abstract class RecurrentCell {
    protected final CellKind kind;
    protected final int in;
    protected final int hidden;
    protected final int members;
    protected final DataType type;
    private final List<Param> params = new ArrayList<>();
    /** The learnable initial state, one [1, hidden] parameter per state part ("h0", and "c0" for the LSTM). */
    final Param[] initial;
    /** The token embedding in front of the cell, or null when the cell reads vectors. */
    TokenEmbedding embedding;

    protected RecurrentCell(CellKind kind, int in, int hidden, int members, DataType type, int stateParts) {
        this.kind = kind;
        this.in = in;
        this.hidden = hidden;
        this.members = members;
        this.type = type;
        this.initial = new Param[stateParts];
        for (int p = 0; p < stateParts; p++) {
            initial[p] = param(p == 0 ? "h0" : "c0", Param.Layout.MEMBER_FIRST, 1, hidden);
        }
    }

    protected final Param param(String name, Param.Layout layout, int rows, int cols) {
        Param p = new Param(name, layout, rows, cols, members);
        params.add(p);
        return p;
    }

    /**
     * Puts an embedding of {@code vocabulary} tokens in front of the cell (its parameter "E", one
     * row of {@code in} values per token); before the model binds its parameters.
     */
    final void readTokens(int vocabulary) {
        if (!kind.embeds()) {
            throw new IllegalArgumentException("a " + kind.label() + " cell cannot read tokens");
        }
        embedding = new TokenEmbedding(this, param("E", Param.Layout.MEMBER_MIDDLE, vocabulary, in));
    }

    public final List<Param> params() {
        return params;
    }

    public final CellKind kind() {
        return kind;
    }

    public final int stateParts() {
        return initial.length;
    }

    /** The unit whose regulariser strength λ applies to this cell's penalised weights. */
    Unit regularisedAs() {
        return Unit.DENSE;
    }

    /** Writes member k's initial weights as the cell's paper prescribes; the initial state starts at 0. */
    public final void initialise(int member, SplittableRandom rng) {
        for (Param p : initial) {
            p.write(member, Tensor.zeros(1, hidden));
        }
        initialiseWeights(member, rng);
        if (embedding != null) {
            embedding.initialise(member, rng);
        }
    }

    protected abstract void initialiseWeights(int member, SplittableRandom rng);

    /** Once per forward pass over a sequence, before the first step (weights derived from parameters). */
    void prepare() {
    }

    /** Once per backward pass, before the last step's backward (zero accumulators of derived weights). */
    void beginBackward() {
    }

    /** Once per backward pass, after the first step's backward (gradients of derived weights to parameters). */
    void finishBackward() {
    }

    /**
     * {@code count} steps for one batch size: each keeps its own intermediates for its backward
     * pass; scratch that holds nothing between calls is shared by all of them.
     */
    abstract List<Step> newSteps(int batch, int count);

    /** Member k's weights in float64 (initial state included). */
    public final CellWeights weights(int k) {
        Map<String, Tensor> t = new LinkedHashMap<>();
        for (Param p : params) {
            t.put(p.name, p.read(k));
        }
        return new CellWeights(kind, in, hidden, t);
    }

    public final void setWeights(int k, CellWeights w) {
        for (Param p : params) {
            p.write(k, w.get(p.name));
        }
    }

    protected final INDArray buffer(long... shape) {
        return Nd4j.create(type, shape);
    }

    /** [B, K, hidden]. */
    protected final INDArray stateBuffer(int batch) {
        return buffer(batch, members, hidden);
    }

    protected static Tensor uniform(SplittableRandom rng, int rows, int cols, double lo, double hi) {
        return PopulationLayer.uniform(rng, rows, cols, lo, hi);
    }

    /** One time step of the population: its intermediates live from its forward to its backward. */
    abstract static class Step {
        /**
         * Once per forward pass over a sequence, on the first step only, before its {@link #forward}
         * (work shared by every step of this batch shape, such as tiling a weight over the batch).
         */
        void begin() {
        }

        /** next = cell(prev, x): x [B, in], prev and next one [B, K, hidden] array per state part. */
        abstract void forward(INDArray x, INDArray[] prev, INDArray[] next);

        /**
         * Adds this step's contribution to every parameter's gradient and writes dPrev (the
         * gradient with respect to prev) from dNext. Called after this step's {@link #forward}
         * and after the backward of every later step.
         */
        abstract void backward(INDArray x, INDArray[] prev, INDArray[] next, INDArray[] dNext, INDArray[] dPrev);
    }
}
