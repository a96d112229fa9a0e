package dev.nalu.evaluation;

import java.util.List;

import dev.nalu.compute.SequenceData;
import dev.nalu.compute.SequenceNetwork;
import dev.nalu.compute.SequenceTrainer;

/**
 * A recurrent member snapped ({@link SequenceNetwork#snapped()}: every weight and the initial state of an NAU or NMU
 * cell and head rounded to an integer) and judged on the validation set at the training length only: its formula is
 * exact when the snapped network's float64 MSE there is below the set's ε-threshold (docs/sequence.md, "Success
 * criterion"). A snapped network is a recurrence with weights in {−1, 0, 1}: one that is not the task's recurrence
 * misses by far more than the ε-perturbed one does, so the threshold separates the two.
 *
 * @param snapped       the snapped network, or null (a cell or head that does not snap)
 * @param formula       its equations, or null (not snapped, or a weight off {−1, 0, 1})
 * @param validationMse the snapped network's validation MSE in float64 (NaN when not snapped)
 * @param exact         whether the formula passes the validation set
 */
public record SequenceSnap(SequenceNetwork snapped, List<String> formula, double validationMse, boolean exact) {

    /** No snapped network: a model that does not snap (its formula text null, not exact). */
    public static final SequenceSnap NONE = new SequenceSnap(null, null, Double.NaN, false);

    public static SequenceSnap of(SequenceNetwork network, SequenceData.EvalSet validation) {
        SequenceNetwork snapped = network.snapped();
        if (snapped == null) {
            return NONE;
        }
        List<String> formula = snapped.formula();
        double mse = SequenceTrainer.mse(snapped, validation);
        boolean exact = formula != null && SuccessCriterion.succeeded(mse, validation.threshold());
        return new SequenceSnap(snapped, formula, mse, exact);
    }

    /** The formula as one line, its equations joined by "; ", or null. */
    public String text() {
        return formula == null ? null : text(formula);
    }

    public static String text(List<String> formula) {
        return String.join("; ", formula);
    }
}
