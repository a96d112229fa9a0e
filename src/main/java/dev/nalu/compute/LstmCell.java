package dev.nalu.compute;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The LSTM baseline (Hochreiter and Schmidhuber 1997, in PyTorch's form), state (h, c), both
 * learnable at t = 0: i = σ(x W_xi + h W_hi + b_i), f = σ(…), g = tanh(…), o = σ(…),
 * c_t = f ⊙ c_{t−1} + i ⊙ g, h_t = o ⊙ tanh(c_t).
 *
 * <p>BPTT: with τ = tanh(c_t), do = dh ⊙ τ, dc = dc_t + dh ⊙ o ⊙ (1 − τ²); df = dc ⊙ c_{t−1},
 * di = dc ⊙ g, dg = dc ⊙ i, dc_{t−1} = dc ⊙ f; each gate's pre-activation gradient through its
 * activation's derivative, then through its {@link CellAffine}, whose state gradients sum into dh_{t−1}.
 */
final class LstmCell extends RecurrentCell {
    private final CellAffine.Params[] gates = new CellAffine.Params[4];

    LstmCell(int in, int hidden, int members, DataType type) {
        super(CellKind.LSTM, in, hidden, members, type, 2);
        String[] names = {"i", "f", "g", "o"};
        for (int q = 0; q < 4; q++) {
            gates[q] = CellAffine.Params.of(this, names[q], hidden, true);
        }
    }

    /** Every weight and bias ~ U(−1/√hidden, 1/√hidden), PyTorch's initialisation. */
    @Override
    protected void initialiseWeights(int member, SplittableRandom rng) {
        for (CellAffine.Params g : gates) {
            g.uniform(member, rng, 1 / Math.sqrt(hidden), true);
        }
    }

    @Override
    List<Step> newSteps(int batch, int count) {
        CellAffine[] affine = new CellAffine[4];
        for (int q = 0; q < 4; q++) {
            affine[q] = gates[q].affine(this);
        }
        CellAffine.Scratch scratch = affine[0].new Scratch(batch, this);
        INDArray dc = stateBuffer(batch);
        INDArray dz = stateBuffer(batch);
        INDArray tmp = stateBuffer(batch);
        List<Step> steps = new ArrayList<>();
        for (int s = 0; s < count; s++) {
            INDArray[] act = {stateBuffer(batch), stateBuffer(batch), stateBuffer(batch), stateBuffer(batch)};
            INDArray tanhC = stateBuffer(batch);
            steps.add(new Step() {
                @Override
                void forward(INDArray x, INDArray[] prev, INDArray[] next) {
                    for (int q = 0; q < 4; q++) {
                        affine[q].forward(scratch, x, prev[0], act[q]);
                        if (q == 2) {
                            Nd.tanh(act[q], act[q]);
                        } else {
                            Nd.sigmoid(act[q], act[q]);
                        }
                    }
                    Nd.mul(act[1], prev[1], next[1]);
                    Nd.mul(act[0], act[2], tmp);
                    Nd.add(next[1], tmp, next[1]);                                // c = f c + i g
                    Nd.tanh(next[1], tanhC);
                    Nd.mul(act[3], tanhC, next[0]);                               // h = o tanh(c)
                }

                @Override
                void backward(INDArray x, INDArray[] prev, INDArray[] next, INDArray[] dNext, INDArray[] dPrev) {
                    INDArray dh = dNext[0];
                    Nd.mul(tanhC, tanhC, tmp);
                    Nd.rsub(tmp, 1.0, tmp);
                    Nd.mul(tmp, act[3], tmp);
                    Nd.mul(tmp, dh, dc);
                    Nd.add(dc, dNext[1], dc);                                     // dc = dc_t + dh o (1 − τ²)
                    Nd.mul(dc, act[1], dPrev[1]);                                 // dc_{t−1} = dc f
                    for (int q = 0; q < 4; q++) {
                        switch (q) {
                            case 0 -> Nd.mul(dc, act[2], dz);                     // di = dc g
                            case 1 -> Nd.mul(dc, prev[1], dz);                    // df = dc c_{t−1}
                            case 2 -> Nd.mul(dc, act[0], dz);                     // dg = dc i
                            default -> Nd.mul(dh, tanhC, dz);                     // do = dh τ
                        }
                        if (q == 2) {
                            Nd.mul(act[q], act[q], tmp);
                            Nd.rsub(tmp, 1.0, tmp);                               // 1 − g²
                        } else {
                            Nd.mul(act[q], act[q], tmp);
                            Nd.sub(act[q], tmp, tmp);                             // σ(1 − σ)
                        }
                        Nd.mul(dz, tmp, dz);
                        affine[q].backward(scratch, x, prev[0], dz, dPrev[0], q > 0);
                    }
                }
            });
        }
        return steps;
    }

    static double[][] step(CellWeights w, double[] x, double[][] prev) {
        String[] names = {"i", "f", "g", "o"};
        double[][] a = new double[4][];
        for (int q = 0; q < 4; q++) {
            a[q] = CellAffine.apply(w.get("Wx" + names[q]), w.get("Wh" + names[q]), w.get("b" + names[q]), x, prev[0]);
        }
        int n = prev[0].length;
        double[] h = new double[n];
        double[] c = new double[n];
        for (int j = 0; j < n; j++) {
            double i = Matrices.sigmoid(a[0][j]);
            double f = Matrices.sigmoid(a[1][j]);
            double g = Math.tanh(a[2][j]);
            double o = Matrices.sigmoid(a[3][j]);
            c[j] = f * prev[1][j] + i * g;
            h[j] = o * Math.tanh(c[j]);
        }
        return new double[][] {h, c};
    }
}
