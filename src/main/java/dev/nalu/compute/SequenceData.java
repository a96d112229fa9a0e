package dev.nalu.compute;

import java.util.List;

/**
 * Where sequence samples come from: rows sequences [B, T, inputs] and one exact target each. The
 * batch of step t depends only on (seed, t), so a resumed run sees exactly the batches an
 * uninterrupted one would.
 */
public interface SequenceData {
    /** Values per time step. */
    int inputs();

    /** The training (and validation) length T. */
    int trainLength();

    /** Target values per sequence (the head's outputs); 1 unless a task has more, such as counts per symbol. */
    default int outputs() {
        return 1;
    }

    /**
     * Fills rows sequences of {@link #trainLength()} steps ([rows, T, inputs] row-major) and rows ×
     * {@link #outputs()} targets (row by row) for this step.
     */
    void batch(long step, double[] x, double[] y, int rows);

    /** Fixed validation set at the training length: selects the member, never the test sets. */
    EvalSet validation();

    /** Fixed test sets at other lengths (or ranges): reported, never used to select or stop. */
    List<EvalSet> extrapolation();

    /**
     * How many of the first {@link #extrapolation()} sets decide whether a member succeeded (membersSucceeded,
     * firstSuccessStep): all of them unless the data says otherwise; the sets after them (a sequence task's other
     * value ranges) are measured and reported only.
     */
    default int successSets() {
        return extrapolation().size();
    }

    /**
     * A fixed set of rows sequences of one length with exact targets and the success threshold on
     * it (0 when none). Its rows are made on demand, a chunk at a time, always the same for the
     * same row, so a set of long sequences never sits in memory whole.
     */
    record EvalSet(String name, int rows, int length, double threshold, Rows source) {
        public EvalSet {
            if (rows < 1 || length < 1) {
                throw new IllegalArgumentException("an evaluation set needs at least one row and one step");
            }
        }
    }

    /** Writes rows [first, first + count) of a set: count × length × inputs values and count × outputs targets. */
    @FunctionalInterface
    interface Rows {
        void fill(int first, int count, double[] x, double[] y);
    }
}
