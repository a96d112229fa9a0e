package dev.nalu.compute;

import java.util.SplittableRandom;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.LeakyReLU;
import org.nd4j.linalg.api.ops.impl.transforms.strict.ELU;
import org.nd4j.linalg.api.ops.impl.transforms.strict.SoftPlus;
import org.nd4j.linalg.factory.Nd4j;

/** Dense layer y = act(xW + b): the multilayer-perceptron baseline that fails to extrapolate. */
public final class Dense extends PopulationLayer {
    private final Param w;
    private final Param b;
    private final Activation act;

    Dense(LayerSpec spec, int in, int members, boolean sharedInput, DataType type) {
        super(spec, in, members, sharedInput, type);
        this.w = param("W", matrixLayout(), in, out);
        this.b = param("b", Param.Layout.MEMBER_FIRST, 1, out);
        this.act = spec.activation();
    }

    /** Xavier-uniform W, zero b. */
    @Override
    public void initialise(int member, SplittableRandom rng) {
        double r = glorot(in, out);
        w.write(member, uniform(rng, in, out, -r, r));
        b.write(member, constant(1, out, 0));
    }

    @Override
    public Pass newPass(int batch, INDArray input, INDArray gradInput) {
        return new Pass(batch, input, gradInput) {
            private final INDArray z = outBuffer();
            private final INDArray dz = outBuffer();
            private final INDArray mask = act == Activation.NONE ? null : outBuffer();
            private final INDArray mask2 = act == Activation.RELU6 ? outBuffer() : null;
            private final INDArray bias = b.value.reshape(1, members, out);
            private final INDArray biasGrad = b.grad.reshape(members, out);
            private final Linear lin = linear(input, w, z, dz, gradInput);

            @Override
            public void forward() {
                lin.forward();
                Nd.add(z, bias, z);                            // z = xW + b
                activate();                                    // y = act(z)
            }

            private void activate() {
                switch (act) {
                    case NONE -> output.assign(z);
                    case RELU -> Nd.maxScalar(z, 0, output);
                    case RELU6 -> {
                        Nd.maxScalar(z, 0, output);
                        Nd.minScalar(output, 6, output);
                    }
                    case TANH -> Nd.tanh(z, output);
                    case SIGMOID -> Nd.sigmoid(z, output);
                    case ELU -> Nd4j.getExecutioner().exec(new ELU(z, output));
                    case LEAKY_RELU -> Nd4j.getExecutioner().exec(new LeakyReLU(z, output, Activation.LEAKY_SLOPE));
                    case SOFTPLUS -> Nd4j.getExecutioner().exec(new SoftPlus(z, output));
                }
            }

            /** mask = act'(z), from z and y = act(z). */
            private void derivative() {
                switch (act) {
                    case NONE -> { }
                    case RELU -> Nd.step(z, 0, mask);
                    case RELU6 -> {
                        Nd.step(z, 0, mask);
                        Nd.step(z, 6, mask2);
                        Nd.sub(mask, mask2, mask);             // 0 < z ≤ 6
                    }
                    case TANH -> {
                        Nd.mul(output, output, mask);
                        Nd.rsub(mask, 1, mask);                // 1 − y²
                    }
                    case SIGMOID -> {
                        Nd.rsub(output, 1, mask);
                        Nd.mul(mask, output, mask);            // y(1 − y)
                    }
                    case ELU -> {
                        Nd.step(z, 0, mask);                   // z > 0: 1; else y + 1 = e^z
                        Nd.addScalar(output, 1, dz);
                        Nd.mul(dz, mask, z);
                        Nd.sub(dz, z, dz);
                        Nd.add(dz, mask, mask);
                    }
                    case LEAKY_RELU -> {
                        Nd.step(z, 0, mask);
                        Nd.scale(mask, 1 - Activation.LEAKY_SLOPE, mask);
                        Nd.addScalar(mask, Activation.LEAKY_SLOPE, mask);
                    }
                    case SOFTPLUS -> Nd.sigmoid(z, mask);      // softplus' = σ
                }
            }

            @Override
            public void backward() {
                if (act == Activation.NONE) {
                    dz.assign(gradOutput);
                } else {
                    derivative();
                    Nd.mul(gradOutput, mask, dz);              // dz = dy ⊙ act'(z)
                }
                Nd.sum(dz, biasGrad, 0);                       // db = Σ_b dz
                lin.backward();                                // dW, dx
            }
        };
    }

    static double[] apply(LayerWeights lw, double[] x) {
        double[] z = Matrices.times(x, lw.get("W"));
        Tensor b = lw.get("b");
        for (int j = 0; j < z.length; j++) {
            z[j] = lw.spec().activation().apply(z[j] + b.at(j));
        }
        return z;
    }
}
