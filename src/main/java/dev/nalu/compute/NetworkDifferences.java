package dev.nalu.compute;

import java.util.Arrays;

/**
 * A network's predictions on fixed rows with one weight moved, for the columns of a forward-difference Jacobian
 * ({@link WeightRefit#differences}): each layer's input on every row is computed once at the base weights, so a
 * weight of layer l costs the layers from l up, and an exponent or scale of a RealNPU (which reaches one output)
 * recomputes that output alone from the layer's kept logarithms. The predictions are those of
 * {@link Network#predict(double[], int)} on the moved network, bit for bit: the same operations in the same order
 * ({@code NetworkDifferencesTest}).
 */
public final class NetworkDifferences {
    private final Network base;
    private final int rows;
    /** Per layer l, per row: the input of layer l; at index layers, the network's outputs. */
    private final double[][][] inputs;
    /** Per RealNPU layer, per row: log r and k of {@link RealNpu#logs}; null for other layers. */
    private final double[][][] logR;
    private final double[][][] k;

    /** The base network on the first {@code rows} rows of {@code x} (row-major, the network's inputs per row). */
    public NetworkDifferences(Network base, double[] x, int rows) {
        this.base = base;
        this.rows = rows;
        int n = base.spec().inputs();
        int layers = base.layers().size();
        this.inputs = new double[layers + 1][rows][];
        this.logR = new double[layers][][];
        this.k = new double[layers][][];
        for (int l = 0; l < layers; l++) {
            LayerWeights lw = base.layers().get(l);
            if (lw.spec().unit() == Unit.REAL_NPU) {
                logR[l] = new double[rows][];
                k[l] = new double[rows][];
            }
        }
        for (int r = 0; r < rows; r++) {
            inputs[0][r] = Arrays.copyOfRange(x, r * n, r * n + n);
            for (int l = 0; l < layers; l++) {
                LayerWeights lw = base.layers().get(l);
                double[] h = inputs[l][r];
                if (logR[l] != null) {
                    logR[l][r] = new double[h.length];
                    k[l][r] = new double[h.length];
                    RealNpu.logs(lw.get("g"), h, logR[l][r], k[l][r]);
                }
                inputs[l + 1][r] = Network.apply(lw, h);
            }
        }
    }

    /** The predictions with element {@code index} of tensor {@code name} of layer {@code layer} set to {@code value}. */
    public double[] predict(int layer, String name, int index, double value) {
        LayerWeights lw = base.layers().get(layer);
        Tensor t = lw.get(name);
        double[] v = t.data().clone();
        v[index] = value;
        LayerWeights moved = lw.with(name, new Tensor(t.rows(), t.cols(), v));
        // an exponent W_ij or a scale s_j of a RealNPU reaches output j only
        int only = logR[layer] == null ? -1 : "W".equals(name) ? index % t.cols() : "s".equals(name) ? index : -1;
        Tensor w = moved.get("W");
        Tensor s = moved.spec().constant() && only >= 0 ? moved.get("s") : null;
        double[] out = new double[rows];
        int layers = base.layers().size();
        for (int r = 0; r < rows; r++) {
            double[] h;
            if (only >= 0) {
                h = inputs[layer + 1][r].clone();
                h[only] = RealNpu.output(logR[layer][r], k[layer][r], w, s, only);
            } else {
                h = Network.apply(moved, inputs[layer][r]);
            }
            for (int l = layer + 1; l < layers; l++) {
                h = Network.apply(base.layers().get(l), h);
            }
            out[r] = h[0];
        }
        return out;
    }
}
