package dev.nalu.compute;

import java.util.List;

/**
 * One trained member in float64: the weights of every layer and a forward pass that uses no
 * ND4J, for prediction, evaluation and snapping. Each unit's float64 forward sits in its class,
 * beside its population forward.
 */
public record Network(ModelSpec spec, List<LayerWeights> layers) {
    public Network {
        layers = List.copyOf(layers);
        if (layers.size() != spec.layers().size()) {
            throw new IllegalArgumentException("network has " + layers.size() + " layers, spec has " + spec.layers().size());
        }
    }

    public double predict(double[] x) {
        double[] h = x;
        for (LayerWeights lw : layers) {
            h = apply(lw, h);
        }
        return h[0];
    }

    /** Predictions for rows×inputs values, row-major. */
    public double[] predict(double[] xs, int rows) {
        int n = spec.inputs();
        double[] out = new double[rows];
        double[] row = new double[n];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(xs, r * n, row, 0, n);
            out[r] = predict(row);
        }
        return out;
    }

    /** One layer's float64 forward. */
    public static double[] apply(LayerWeights lw, double[] h) {
        return switch (lw.spec().unit()) {
            case NAU -> Nau.apply(lw, h);
            case NMU -> Nmu.apply(lw, h);
            case NAC_ADD -> NacAdd.apply(lw, h);
            case NAC_MUL -> NacMul.apply(lw, h);
            case NALU -> Nalu.apply(lw, h);
            case INALU -> Inalu.apply(lw, h);
            case REAL_NPU -> RealNpu.apply(lw, h);
            case DENSE -> Dense.apply(lw, h);
        };
    }

    public Network withLayer(int i, LayerWeights lw) {
        List<LayerWeights> copy = new java.util.ArrayList<>(layers);
        copy.set(i, lw);
        return new Network(spec, copy);
    }

    /** Whether every weight is finite. */
    public boolean finite() {
        for (LayerWeights lw : layers) {
            for (Tensor t : lw.tensors().values()) {
                for (double v : t.data()) {
                    if (!Double.isFinite(v)) {
                        return false;
                    }
                }
            }
        }
        return true;
    }
}
