package dev.nalu.compute;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * K members of one recurrent architecture (cell, then a head on the final state), every parameter
 * a view into one flat value buffer and one flat gradient buffer, as {@link PopulationModel}: one
 * {@link ParameterUpdate} updates all of them. A time step is a fixed list of ND4J ops over
 * [B, K, hidden] arrays whatever K is.
 */
public final class SequenceModel {
    final SequenceSpec spec;
    final int members;
    final DataType type;
    final RecurrentCell cell;
    final PopulationLayer head;
    final List<ParameterUpdate.Owned> params = new ArrayList<>();
    final INDArray values;
    final INDArray grads;

    public SequenceModel(SequenceSpec spec, int members, DataType type) {
        if (members < 1) {
            throw new IllegalArgumentException("population must be at least 1");
        }
        if (type != DataType.FLOAT && type != DataType.DOUBLE) {
            throw new IllegalArgumentException("training runs in FLOAT or DOUBLE, not " + type);
        }
        this.spec = spec;
        this.members = members;
        this.type = type;
        this.cell = spec.cell().create(spec.cellInputs(), spec.hidden(), members, type);
        if (spec.embedsTokens()) {
            cell.readTokens(spec.vocabulary());
        }
        this.head = PopulationModel.create(spec.headLayer(), spec.hidden(), members, false, type);
        for (Param p : cell.params()) {
            params.add(new ParameterUpdate.Owned(p, cell.regularisedAs()));
        }
        for (Param p : head.params()) {
            params.add(new ParameterUpdate.Owned(p, spec.head()));
        }
        long total = params.stream().mapToLong(o -> o.param().length()).sum();
        this.values = Nd4j.create(type, total);
        this.grads = Nd4j.create(type, total);
        long offset = 0;
        for (ParameterUpdate.Owned o : params) {
            o.param().bind(values, grads, offset);
            offset += o.param().length();
        }
    }

    public SequenceSpec spec() {
        return spec;
    }

    public int members() {
        return members;
    }

    public DataType type() {
        return type;
    }

    /** Initialises member k from its own seed: the cell, then the head, each as its paper prescribes. */
    public void initialise(int member, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        cell.initialise(member, rng);
        head.initialise(member, rng);
    }

    /** Member k's weights in float64. */
    public SequenceNetwork network(int member) {
        return new SequenceNetwork(spec, cell.weights(member), head.weights(member));
    }

    public void setNetwork(int member, SequenceNetwork network) {
        cell.setWeights(member, network.cell());
        head.setWeights(member, network.head());
    }

    /** Buffers for training on rows sequences of {@code length} steps: forward, loss and BPTT. */
    public Batch newBatch(int rows, int length) {
        return new Batch(rows, length, true);
    }

    /**
     * Buffers for measuring rows sequences of {@code length} steps, forward only: two states and
     * one step reused, so memory does not grow with the length.
     */
    public Batch newEvaluation(int rows, int length) {
        return new Batch(rows, length, false);
    }

    /**
     * One batch shape's buffers: x [B, T, in] and targets [B, outputs] in, per-member predictions
     * [B, K, outputs] and MSE [K] (the mean over rows and outputs) out. A token model reads x
     * [B, T, 1] as token ids: each step's ids become one-hot rows [B, V] and a mask, 0 for padding,
     * that keeps a padded row's state as it was.
     */
    public final class Batch {
        final int rows;
        final int length;
        private final boolean train;
        private final int inputs = spec.inputs();
        private final int outputs = spec.outputs();
        /** Values the cell's data map reads per step: the vocabulary's one-hot width for tokens. */
        private final int width = spec.readsTokens() ? spec.vocabulary() : spec.inputs();
        /** Per time step (training) or one reused array (evaluation): x_t [B, width]. */
        private final INDArray[] xs;
        /** Token models only, like xs: 1 where the step holds a token, 0 for padding, [B, 1, 1]. */
        private final INDArray[] masks;
        /** States h_0 … h_T (training) or two alternating ones (evaluation), each one array per part. */
        private final INDArray[][] states;
        private final INDArray[][] gradStates;
        private final List<RecurrentCell.Step> steps;
        private final INDArray ones;
        private final INDArray[] initial3;
        private final INDArray[] initialGrad2;
        private final INDArray headIn;
        private final INDArray headGradIn;
        private final PopulationLayer.Pass headPass;
        private final INDArray t;
        final INDArray y;
        private final INDArray diff;
        private final INDArray dy;
        private final INDArray sumSquares;
        private final float[] stagingF;
        private final double[] stagingD;
        private double[] loaded;

        Batch(int rows, int length, boolean train) {
            if (rows < 1 || length < 1) {
                throw new IllegalArgumentException("a batch needs at least one row and one step");
            }
            this.rows = rows;
            this.length = length;
            this.train = train;
            int parts = cell.stateParts();
            this.xs = new INDArray[train ? length : 1];
            this.masks = new INDArray[spec.readsTokens() ? xs.length : 0];
            for (int i = 0; i < xs.length; i++) {
                xs[i] = Nd4j.create(type, rows, width);
            }
            for (int i = 0; i < masks.length; i++) {
                masks[i] = Nd4j.create(type, rows, 1, 1);
            }
            this.states = new INDArray[train ? length + 1 : 2][parts];
            for (INDArray[] s : states) {
                for (int p = 0; p < parts; p++) {
                    s[p] = cell.stateBuffer(rows);
                }
            }
            this.gradStates = new INDArray[train ? 2 : 0][parts];
            for (INDArray[] s : gradStates) {
                for (int p = 0; p < parts; p++) {
                    s[p] = cell.stateBuffer(rows);
                }
            }
            this.steps = spec.readsTokens() ? MaskedStep.wrap(cell, rows, cell.newSteps(rows, xs.length), masks)
                    : cell.newSteps(rows, xs.length);
            this.ones = Nd.ones(type, rows, 1, 1);
            this.initial3 = new INDArray[parts];
            this.initialGrad2 = new INDArray[parts];
            for (int p = 0; p < parts; p++) {
                initial3[p] = cell.initial[p].value.reshape(1, members, spec.hidden());
                initialGrad2[p] = cell.initial[p].grad.reshape(members, spec.hidden());
            }
            this.headIn = cell.stateBuffer(rows);
            this.headGradIn = cell.stateBuffer(rows);
            this.headPass = head.newPass(rows, headIn, headGradIn);
            this.t = Nd4j.create(type, rows, 1, outputs);
            this.y = headPass.output.reshape(rows, (long) members * outputs);
            this.dy = headPass.gradOutput;
            this.diff = Nd4j.create(type, rows, members, outputs);
            this.sumSquares = Nd4j.create(type, members);
            this.stagingF = type == DataType.FLOAT ? new float[rows * width] : null;
            this.stagingD = type == DataType.FLOAT ? null : new double[rows * width];
        }

        public int rows() {
            return rows;
        }

        public int length() {
            return length;
        }

        /**
         * Takes rows sequences of {@code length} steps ([rows, length, inputs] row-major) and rows ×
         * outputs targets.
         */
        public void load(double[] x, double[] targets) {
            if (train) {
                for (int step = 0; step < length; step++) {
                    copyStep(x, step, xs[step]);
                }
            } else {
                this.loaded = x;
            }
            int n = rows * outputs;
            if (type == DataType.FLOAT) {
                float[] f = new float[n];
                for (int i = 0; i < n; i++) {
                    f[i] = (float) targets[i];
                }
                t.data().asNioFloat().put(f, 0, n);
            } else {
                t.data().asNioDouble().put(targets, 0, n);
            }
        }

        private void copyStep(double[] x, int step, INDArray into) {
            if (spec.readsTokens()) {
                copyTokens(x, step, into, masks[train ? step : 0]);
                return;
            }
            for (int r = 0; r < rows; r++) {
                int from = (r * length + step) * inputs;
                for (int i = 0; i < inputs; i++) {
                    if (stagingF != null) {
                        stagingF[r * inputs + i] = (float) x[from + i];
                    } else {
                        stagingD[r * inputs + i] = x[from + i];
                    }
                }
            }
            if (stagingF != null) {
                into.data().asNioFloat().put(stagingF, 0, stagingF.length);
            } else {
                into.data().asNioDouble().put(stagingD, 0, stagingD.length);
            }
        }

        /** Step {@code step}'s token ids as one-hot rows (a zero row for padding, id 0) and its mask. */
        private void copyTokens(double[] x, int step, INDArray into, INDArray mask) {
            int v = spec.vocabulary();
            double[] m = new double[rows];
            if (stagingF != null) {
                java.util.Arrays.fill(stagingF, 0);
            } else {
                java.util.Arrays.fill(stagingD, 0);
            }
            for (int r = 0; r < rows; r++) {
                double id = x[r * length + step];
                if (id != Math.rint(id) || id < 0 || id > v) {
                    throw new IllegalArgumentException("token id " + id + " is not in 0 … " + v);
                }
                if (id > 0) {
                    if (stagingF != null) {
                        stagingF[r * v + (int) id - 1] = 1;
                    } else {
                        stagingD[r * v + (int) id - 1] = 1;
                    }
                    m[r] = 1;
                }
            }
            if (stagingF != null) {
                into.data().asNioFloat().put(stagingF, 0, stagingF.length);
                float[] f = new float[rows];
                for (int r = 0; r < rows; r++) {
                    f[r] = (float) m[r];
                }
                mask.data().asNioFloat().put(f, 0, rows);
            } else {
                into.data().asNioDouble().put(stagingD, 0, stagingD.length);
                mask.data().asNioDouble().put(m, 0, rows);
            }
        }

        /** Every member through the whole sequence, the head, then the sum of squared errors per member. */
        public void forward() {
            cell.prepare();
            if (cell.embedding != null) {
                cell.embedding.prepare();
            }
            for (int p = 0; p < initial3.length; p++) {
                Nd.mul(ones, initial3[p], states[0][p]);                          // h_0 for every row
            }
            INDArray[] last = states[0];
            steps.get(0).begin();
            for (int step = 0; step < length; step++) {
                INDArray[] prev = train ? states[step] : states[step % 2];
                INDArray[] next = train ? states[step + 1] : states[(step + 1) % 2];
                INDArray x = train ? xs[step] : xs[0];
                if (!train) {
                    copyStep(loaded, step, x);
                }
                steps.get(train ? step : 0).forward(x, prev, next);
                last = next;
            }
            headIn.assign(last[0]);
            headPass.forward();
            Nd.sub(headPass.output, t, diff);                                     // y − t
            Nd.squaredNorm(diff, sumSquares, 0, 2);
        }

        /** Per-member mean squared error of the last forward pass. */
        public double[] meanSquaredErrors() {
            double[] mse = new double[members];
            for (int k = 0; k < members; k++) {
                mse[k] = sumSquares.getDouble(k) / ((double) rows * outputs);
            }
            return mse;
        }

        /**
         * Gradient of Σ_k MSE_k by backpropagation through time: the head, then every step from the
         * last to the first, each adding its share to the cell's gradients, then the initial state's.
         */
        public void backward() {
            if (!train) {
                throw new IllegalStateException("an evaluation batch keeps no history to backpropagate through");
            }
            grads.assign(0);
            Nd.scale(diff, 2.0 / ((double) rows * outputs), dy);                 // dMSE/dy = 2(y − t)/(B·outputs)
            headPass.backward();
            cell.beginBackward();
            if (cell.embedding != null) {
                cell.embedding.beginBackward();
            }
            INDArray[] dNext = gradStates[0];
            INDArray[] dPrev = gradStates[1];
            dNext[0].assign(headGradIn);
            for (int p = 1; p < dNext.length; p++) {
                dNext[p].assign(0);
            }
            for (int step = length - 1; step >= 0; step--) {
                steps.get(step).backward(xs[step], states[step], states[step + 1], dNext, dPrev);
                INDArray[] swap = dNext;
                dNext = dPrev;
                dPrev = swap;
            }
            cell.finishBackward();
            if (cell.embedding != null) {
                cell.embedding.finishBackward();
            }
            for (int p = 0; p < initialGrad2.length; p++) {
                Nd.sum(dNext[p], initialGrad2[p], 0);                             // dh_0 = Σ_b dh_0
            }
        }

        /** The last forward pass's predictions of member k: rows × outputs values, row by row. */
        public double[] predictions(int member) {
            double[] p = new double[rows * outputs];
            for (int i = 0; i < rows; i++) {
                for (int o = 0; o < outputs; o++) {
                    p[i * outputs + o] = y.getDouble(i, (long) member * outputs + o);
                }
            }
            return p;
        }
    }
}
