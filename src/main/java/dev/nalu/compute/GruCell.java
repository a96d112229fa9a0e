package dev.nalu.compute;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The GRU baseline (Cho et al. 2014, in PyTorch's form):
 * r = σ(x W_xr + h W_hr + b_r), u = σ(x W_xu + h W_hu + b_u),
 * n = tanh(x W_xn + b_n + r ⊙ (h W_hn + b_hn)), h_t = (1 − u) ⊙ n + u ⊙ h_{t−1}.
 *
 * <p>BPTT: dn = dh (1 − u), du = dh (h_{t−1} − n), dh_{t−1} = dh u + (the gates' and candidate's
 * input gradients); dz_n = dn (1 − n²), d(hW_hn + b_hn) = dz_n ⊙ r, dr = dz_n ⊙ (h W_hn + b_hn),
 * dz_r = dr r(1 − r), dz_u = du u(1 − u). Each gate is one {@link CellAffine}: no slicing of
 * stacked gates, so every array an op writes is contiguous.
 */
final class GruCell extends RecurrentCell {
    private final CellAffine.Params reset;
    private final CellAffine.Params update;
    private final CellAffine.Params candidateX;
    private final CellAffine.Params candidateH;
    /** b_hn, inside r ⊙ (h W_hn + b_hn). */
    private final Param candidateBias;

    GruCell(int in, int hidden, int members, DataType type) {
        super(CellKind.GRU, in, hidden, members, type, 1);
        this.reset = CellAffine.Params.of(this, "r", hidden, true);
        this.update = CellAffine.Params.of(this, "u", hidden, true);
        // n's input part x W_xn + b_n and state part h W_hn + b_hn are separate maps (r multiplies only the second)
        this.candidateX = CellAffine.Params.of(this, "n", hidden, true, false, true);
        this.candidateH = CellAffine.Params.of(this, "n", hidden, false, true, false);
        this.candidateBias = param("bhn", Param.Layout.MEMBER_FIRST, 1, hidden);
    }

    /** Every weight and bias ~ U(−1/√hidden, 1/√hidden), PyTorch's initialisation. */
    @Override
    protected void initialiseWeights(int member, SplittableRandom rng) {
        double r = 1 / Math.sqrt(hidden);
        reset.uniform(member, rng, r, true);
        update.uniform(member, rng, r, true);
        candidateX.uniform(member, rng, r, true);
        candidateH.uniform(member, rng, r, true);
        candidateBias.write(member, uniform(rng, 1, hidden, -r, r));
    }

    @Override
    List<Step> newSteps(int batch, int count) {
        CellAffine ar = reset.affine(this);
        CellAffine au = update.affine(this);
        CellAffine anx = candidateX.affine(this);
        CellAffine anh = new CellAffine(in, hidden, hidden, members, null, null, candidateH.wh().value,
                candidateH.wh().grad, candidateBias.value, candidateBias.grad);
        CellAffine.Scratch scratch = ar.new Scratch(batch, this);
        INDArray dn = stateBuffer(batch);
        INDArray du = stateBuffer(batch);
        INDArray dr = stateBuffer(batch);
        INDArray dhn = stateBuffer(batch);
        INDArray tmp = stateBuffer(batch);
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            INDArray r = stateBuffer(batch);
            INDArray u = stateBuffer(batch);
            INDArray n = stateBuffer(batch);
            INDArray hn = stateBuffer(batch);
            steps.add(new Step() {
                @Override
                void forward(INDArray x, INDArray[] prev, INDArray[] next) {
                    ar.forward(scratch, x, prev[0], r);
                    Nd.sigmoid(r, r);
                    au.forward(scratch, x, prev[0], u);
                    Nd.sigmoid(u, u);
                    anh.forward(scratch, x, prev[0], hn);                 // h W_hn + b_hn
                    anx.forward(scratch, x, prev[0], n);                        // x W_xn + b_n
                    Nd.mul(r, hn, tmp);
                    Nd.add(n, tmp, n);
                    Nd.tanh(n, n);
                    Nd.sub(prev[0], n, tmp);
                    Nd.mul(u, tmp, tmp);
                    Nd.add(n, tmp, next[0]);                                      // h = n + u (h − n)
                }

                @Override
                void backward(INDArray x, INDArray[] prev, INDArray[] next, INDArray[] dNext, INDArray[] dPrev) {
                    INDArray dh = dNext[0];
                    Nd.mul(dh, u, dPrev[0]);                                      // direct path
                    Nd.sub(prev[0], n, du);
                    Nd.mul(du, dh, du);
                    Nd.mul(u, u, tmp);
                    Nd.sub(u, tmp, tmp);
                    Nd.mul(du, tmp, du);                                          // dz_u
                    Nd.mul(dh, u, dn);
                    Nd.sub(dh, dn, dn);                                           // dn = dh (1 − u)
                    Nd.mul(n, n, tmp);
                    Nd.rsub(tmp, 1.0, tmp);
                    Nd.mul(dn, tmp, dn);                                          // dz_n
                    Nd.mul(dn, hn, dr);
                    Nd.mul(r, r, tmp);
                    Nd.sub(r, tmp, tmp);
                    Nd.mul(dr, tmp, dr);                                          // dz_r
                    Nd.mul(dn, r, dhn);                                           // d(h W_hn + b_hn)
                    anx.backward(scratch, x, prev[0], dn, null, false);
                    anh.backward(scratch, x, prev[0], dhn, dPrev[0], true);
                    ar.backward(scratch, x, prev[0], dr, dPrev[0], true);
                    au.backward(scratch, x, prev[0], du, dPrev[0], true);
                }
            });
        }
        return steps;
    }

    static double[][] step(CellWeights w, double[] x, double[][] prev) {
        double[] h = prev[0];
        double[] r = CellAffine.apply(w.get("Wxr"), w.get("Whr"), w.get("br"), x, h);
        double[] u = CellAffine.apply(w.get("Wxu"), w.get("Whu"), w.get("bu"), x, h);
        double[] nx = CellAffine.apply(w.get("Wxn"), null, w.get("bn"), x, h);
        double[] nh = CellAffine.apply(null, w.get("Whn"), w.get("bhn"), x, h);
        double[] out = new double[h.length];
        for (int j = 0; j < out.length; j++) {
            double rj = Matrices.sigmoid(r[j]);
            double uj = Matrices.sigmoid(u[j]);
            double n = Math.tanh(nx[j] + rj * nh[j]);
            out[j] = (1 - uj) * n + uj * h[j];
        }
        return new double[][] {out};
    }
}
