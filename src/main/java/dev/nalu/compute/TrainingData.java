package dev.nalu.compute;

import java.util.List;

/**
 * Where samples come from. The batch of step t depends only on (seed, t), so a resumed run sees
 * exactly the batches an uninterrupted one would.
 */
public interface TrainingData {
    int inputs();

    /** Fills rows×inputs values (row-major) and rows exact targets for this step. */
    void batch(long step, double[] x, double[] y, int rows);

    /** Fixed interpolation validation set: selects the member, never the test ranges. */
    EvalSet validation();

    /** Fixed extrapolation test sets: reported, never used to select or stop. */
    List<EvalSet> extrapolation();

    /** A fixed set of samples with exact targets, and the success threshold on it (0 when none). */
    record EvalSet(String name, int rows, double[] x, double[] y, double threshold) {
    }
}
