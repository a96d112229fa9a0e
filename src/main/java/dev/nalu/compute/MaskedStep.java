package dev.nalu.compute;

import java.util.ArrayList;
import java.util.List;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A time step that padding skips: with m = 1 for a row holding a token and 0 for padding,
 * h_t = h_{t−1} + m ⊙ (cell(h_{t−1}, x_t) − h_{t−1}) for every state part, so a padded row keeps
 * its state exactly and sequences of different lengths share one batch. Backward: the cell's step
 * sees m ⊙ dh_t, and dh_{t−1} gains (1 − m) ⊙ dh_t. Three ops per state part each way, whatever K.
 */
final class MaskedStep extends RecurrentCell.Step {
    private final RecurrentCell.Step inner;
    private final INDArray mask;
    private final INDArray keep;
    /** The cell's own output before masking; its backward pass reads it. */
    private final INDArray[] raw;
    private final INDArray[] dRaw;
    private final INDArray tmp;
    private final KernelCache forward = new KernelCache();
    private final KernelCache backward = new KernelCache();

    private MaskedStep(RecurrentCell.Step inner, INDArray mask, INDArray keep, INDArray[] raw, INDArray[] dRaw,
                       INDArray tmp) {
        this.inner = inner;
        this.mask = mask;
        this.keep = keep;
        this.raw = raw;
        this.dRaw = dRaw;
        this.tmp = tmp;
    }

    /** Wraps step i of {@code steps} with masks[i] ([B, 1, 1], filled before each pass). */
    static List<RecurrentCell.Step> wrap(RecurrentCell cell, int batch, List<RecurrentCell.Step> steps, INDArray[] masks) {
        int parts = cell.stateParts();
        INDArray[] dRaw = new INDArray[parts];
        for (int p = 0; p < parts; p++) {
            dRaw[p] = cell.stateBuffer(batch);
        }
        INDArray tmp = cell.stateBuffer(batch);
        List<RecurrentCell.Step> wrapped = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            INDArray[] raw = new INDArray[parts];
            for (int p = 0; p < parts; p++) {
                raw[p] = cell.stateBuffer(batch);
            }
            INDArray keep = masks[i].ulike();
            wrapped.add(new MaskedStep(steps.get(i), masks[i], keep, raw, dRaw, tmp));
        }
        return wrapped;
    }

    @Override
    void begin() {
        inner.begin();
    }

    @Override
    void forward(INDArray x, INDArray[] prev, INDArray[] next) {
        inner.forward(x, prev, raw);
        Nd.run(forward.get(() -> {
            List<Nd.Kernel> k = new ArrayList<>();
            for (int p = 0; p < raw.length; p++) {
                k.add(Nd.subOp(raw[p], prev[p], tmp));
                k.add(Nd.mulOp(tmp, mask, tmp));
                k.add(Nd.addOp(prev[p], tmp, next[p]));                         // h + m (cell − h)
            }
            return k.toArray(Nd.Kernel[]::new);
        }, prev, next));
    }

    @Override
    void backward(INDArray x, INDArray[] prev, INDArray[] next, INDArray[] dNext, INDArray[] dPrev) {
        Nd.run(backward.get(() -> {
            List<Nd.Kernel> k = new ArrayList<>();
            k.add(Nd.rsubOp(mask, 1.0, keep));                                   // 1 − m
            for (int p = 0; p < raw.length; p++) {
                k.add(Nd.mulOp(dNext[p], mask, dRaw[p]));
            }
            return k.toArray(Nd.Kernel[]::new);
        }, dNext, mask));
        inner.backward(x, prev, raw, dRaw, dPrev);
        Nd.run(backward.get(() -> {
            List<Nd.Kernel> k = new ArrayList<>();
            for (int p = 0; p < raw.length; p++) {
                k.add(Nd.mulOp(dNext[p], keep, tmp));
                k.add(Nd.addOp(dPrev[p], tmp, dPrev[p]));                        // + (1 − m) dh
            }
            return k.toArray(Nd.Kernel[]::new);
        }, dNext, dPrev));
    }
}
