package dev.nalu.compute;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * K members of one architecture, every parameter tensor carrying the member axis, all of them
 * views into one flat parameter buffer (and one flat gradient buffer) so a single optimiser op
 * updates everything. A training step is a fixed list of ND4J ops whatever K is.
 */
public final class PopulationModel {
    final ModelSpec spec;
    final int members;
    final DataType type;
    final List<PopulationLayer> layers = new ArrayList<>();
    final List<Param> params = new ArrayList<>();
    final INDArray values;
    final INDArray grads;

    public PopulationModel(ModelSpec spec, int members, DataType type) {
        if (members < 1) {
            throw new IllegalArgumentException("population must be at least 1");
        }
        if (type != DataType.FLOAT && type != DataType.DOUBLE) {
            throw new IllegalArgumentException("training runs in FLOAT or DOUBLE, not " + type);
        }
        this.spec = spec;
        this.members = members;
        this.type = type;
        for (int i = 0; i < spec.layers().size(); i++) {
            PopulationLayer layer = create(spec.layers().get(i), spec.in(i), members, i == 0, type);
            layers.add(layer);
            params.addAll(layer.params());
        }
        List<LayerSpec> l = spec.layers();
        for (int i = 0; i + 1 < l.size(); i++) {
            if (l.get(i).unit() == Unit.REAL_NPU && l.get(i).constant() && l.get(i + 1).unit() == Unit.NAU) {
                ((RealNpu) layers.get(i)).termsOfASum = true;
            }
        }
        if (l.size() == 3 && l.get(0).unit() == Unit.REAL_NPU && l.get(0).constant() && l.get(1).unit() == Unit.NAU
                && l.get(2).unit() == Unit.REAL_NPU && l.get(2).constant() && l.get(1).out() == 2 && l.get(2).out() == 1) {
            ((RealNpu) layers.get(2)).ratioHead = true;
        }
        long total = params.stream().mapToLong(Param::length).sum();
        this.values = Nd4j.create(type, total);
        this.grads = Nd4j.create(type, total);
        long offset = 0;
        for (Param p : params) {
            p.bind(values, grads, offset);
            offset += p.length();
        }
    }

    static PopulationLayer create(LayerSpec spec, int in, int members, boolean shared, DataType type) {
        return switch (spec.unit()) {
            case NAU -> new Nau(spec, in, members, shared, type);
            case NMU -> new Nmu(spec, in, members, shared, type);
            case NAC_ADD -> new NacAdd(spec, in, members, shared, type);
            case NAC_MUL -> new NacMul(spec, in, members, shared, type);
            case NALU -> new Nalu(spec, in, members, shared, type);
            case INALU -> new Inalu(spec, in, members, shared, type);
            case REAL_NPU -> new RealNpu(spec, in, members, shared, type);
            case DENSE -> new Dense(spec, in, members, shared, type);
        };
    }

    public ModelSpec spec() {
        return spec;
    }

    public int members() {
        return members;
    }

    public DataType type() {
        return type;
    }

    /** Number of trainable values per member. */
    public long parametersPerMember() {
        return values.length() / members;
    }

    /** Initialises member k from its own seed, every layer as its paper prescribes. */
    public void initialise(int member, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        for (PopulationLayer layer : layers) {
            layer.initialise(member, rng);
        }
    }

    /** Member k's weights in float64, ready for exact inference. */
    public Network network(int member) {
        List<LayerWeights> w = new ArrayList<>();
        for (PopulationLayer layer : layers) {
            w.add(layer.weights(member));
        }
        return new Network(spec, w);
    }

    /** Sets member k's weights from a float64 network of the same architecture. */
    public void setNetwork(int member, Network network) {
        for (int i = 0; i < layers.size(); i++) {
            layers.get(i).setWeights(member, network.layers().get(i));
        }
    }

    /** Buffers for one batch size: forward, loss and backward. */
    public Batch newBatch(int rows) {
        return new Batch(rows);
    }

    /** Raw bytes of a flat buffer (for checkpoints): bit-exact. */
    static byte[] bytes(INDArray flat) {
        ByteBuffer bb = ByteBuffer.allocate((int) (flat.length() * flat.dataType().width())).order(ByteOrder.BIG_ENDIAN);
        if (flat.dataType() == DataType.FLOAT) {
            for (float f : flat.data().asFloat()) {
                bb.putFloat(f);
            }
        } else {
            for (double d : flat.data().asDouble()) {
                bb.putDouble(d);
            }
        }
        return bb.array();
    }

    static void load(INDArray flat, byte[] bytes) {
        ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
        if (bytes.length != flat.length() * flat.dataType().width()) {
            throw new IllegalArgumentException("checkpoint buffer has " + bytes.length + " bytes, expected "
                    + flat.length() * flat.dataType().width());
        }
        if (flat.dataType() == DataType.FLOAT) {
            float[] f = new float[(int) flat.length()];
            bb.asFloatBuffer().get(f);
            flat.assign(Nd4j.createFromArray(f));
        } else {
            double[] d = new double[(int) flat.length()];
            bb.asDoubleBuffer().get(d);
            flat.assign(Nd4j.createFromArray(d));
        }
    }

    /** One batch size's buffers: x [B, in] in, per-member predictions [B, K] and MSE [K] out. */
    public final class Batch {
        final int rows;
        final INDArray x;
        final INDArray t;
        final List<PopulationLayer.Pass> passes = new ArrayList<>();
        final INDArray y;
        final INDArray diff;
        final INDArray dy;
        final INDArray sumSquares;
        private final Nd.Kernel residual;
        private final Nd.Kernel squaredError;
        private final Nd.Kernel lossGradient;
        private final float[] xf;
        private final float[] tf;

        Batch(int rows) {
            this.rows = rows;
            this.x = Nd4j.create(type, rows, spec.inputs());
            this.t = Nd4j.create(type, rows, 1);
            INDArray input = x.reshape(rows, 1, spec.inputs());
            INDArray gradInput = null;
            for (PopulationLayer layer : layers) {
                PopulationLayer.Pass pass = layer.newPass(rows, input, gradInput);
                passes.add(pass);
                input = pass.output;
                gradInput = pass.gradOutput;
            }
            PopulationLayer.Pass last = passes.get(passes.size() - 1);
            this.y = last.output.reshape(rows, members);
            this.dy = last.gradOutput.reshape(rows, members);
            this.diff = Nd4j.create(type, rows, members);
            this.sumSquares = Nd4j.create(type, members);
            this.residual = Nd.subOp(y, t, diff);                      // y − t, [B, K]
            this.squaredError = Nd.squaredNormOp(diff, sumSquares, 0);  // Σ_b (y − t)²
            this.lossGradient = Nd.scaleOp(diff, 2.0 / rows, dy);       // dMSE/dy = 2(y − t)/B
            this.xf = type == DataType.FLOAT ? new float[rows * spec.inputs()] : null;
            this.tf = type == DataType.FLOAT ? new float[rows] : null;
        }

        public int rows() {
            return rows;
        }

        /** Copies rows×inputs values (row-major) and rows targets into the batch. */
        public void load(double[] xs, double[] ts) {
            if (xf != null) {
                for (int i = 0; i < xf.length; i++) {
                    xf[i] = (float) xs[i];
                }
                for (int i = 0; i < tf.length; i++) {
                    tf[i] = (float) ts[i];
                }
                x.data().asNioFloat().put(xf, 0, xf.length);
                t.data().asNioFloat().put(tf, 0, tf.length);
            } else {
                x.data().asNioDouble().put(xs, 0, rows * spec.inputs());
                t.data().asNioDouble().put(ts, 0, rows);
            }
        }

        /** Forward pass of every member, then the sum of squared errors per member into {@link #sumSquares}. */
        public void forward() {
            for (PopulationLayer.Pass pass : passes) {
                pass.forward();
            }
            residual.run();
            squaredError.run();
        }

        /** Per-member mean squared error of the last forward pass, in float64. */
        public double[] meanSquaredErrors() {
            double[] mse = new double[members];
            for (int k = 0; k < members; k++) {
                mse[k] = sumSquares.getDouble(k) / rows;
            }
            return mse;
        }

        /** Gradient of Σ_k MSE_k: each member's loss only reaches its own parameters. */
        public void backward() {
            lossGradient.run();
            for (int i = passes.size() - 1; i >= 0; i--) {
                passes.get(i).backward();
            }
        }

        /** The last forward pass's predictions of member k, in float64. */
        public double[] predictions(int member) {
            double[] p = new double[rows];
            for (int i = 0; i < rows; i++) {
                p[i] = y.getDouble(i, member);
            }
            return p;
        }
    }
}
