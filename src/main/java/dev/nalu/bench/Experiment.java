package dev.nalu.bench;

import java.util.List;

import dev.nalu.compute.ModelSpec;
import dev.nalu.compute.Network;
import dev.nalu.compute.Sparsity;
import dev.nalu.compute.StopRule;
import dev.nalu.compute.Trainer;
import dev.nalu.compute.TrainingConfig;
import dev.nalu.compute.TrainingData;
import dev.nalu.compute.TrainingResult;
import dev.nalu.evaluation.Snapper;
import dev.nalu.evaluation.TaskData;
import dev.nalu.task.Domain;
import dev.nalu.task.Task;

/**
 * One population run of a paper experiment: a preset job's task, ranges and model, trained by the
 * service's own {@link Trainer}. Each of the K members is its own seed, so a run of K members counts
 * as K single-seed runs of the paper (they share the task's subsets and the batches); a job ("auto")
 * counts once, by the member it selects on interpolation validation.
 *
 * @param label     what the tables call it, e.g. "NMU" or "auto"
 * @param snap      also snap the selected member at every progress report (never stopping on it) and at the end
 * @param baseline  also measure every member before training: the random-initialisation baseline of
 *                  Trask et al.'s normalised error
 */
record Experiment(String label, Task task, List<Domain> extrapolation, ModelSpec model, TrainingConfig config,
                  int evaluationRows, boolean snap, boolean baseline) {

    /**
     * What a run measured, per member where it says so.
     *
     * @param validation            interpolation validation MSE per member (after training)
     * @param extrapolation         MSE per extrapolation range, per member
     * @param thresholds            the ε-success threshold per extrapolation range
     * @param firstSuccess          per member, the first progress step at which it met the criterion on every range, or -1
     * @param sparsity              Madsen &amp; Johansen's sparsity error per member
     * @param initialValidation     per member before training (only with {@code baseline})
     * @param initialExtrapolation  per range, per member before training (only with {@code baseline})
     * @param formula               the selected member's snapped formula, or null
     * @param formulaExtrapolation  the snapped formula's MSE per range (NaN without an exact formula)
     * @param exactAt               first progress step at which the selected member snapped exactly, or -1
     */
    record Outcome(String label, int members, int selected, double[] validation, double[][] extrapolation,
                   double[] thresholds, long[] firstSuccess, double[] sparsity, double[] initialValidation,
                   double[][] initialExtrapolation, String formula, double[] formulaExtrapolation, long exactAt,
                   Network network, long steps, double seconds, int reinitialisations) {

        /** Whether member k is below the threshold on every extrapolation range. */
        boolean succeeded(int k) {
            for (int i = 0; i < thresholds.length; i++) {
                if (!(extrapolation[i][k] < thresholds[i])) {
                    return false;
                }
            }
            return thresholds.length > 0;
        }

        /** Whether the job's model (its snapped formula when exact, else its network) meets the criterion. */
        boolean servedSucceeded() {
            if (formula == null) {
                return succeeded(selected);
            }
            for (int i = 0; i < thresholds.length; i++) {
                if (!(formulaExtrapolation[i] < thresholds[i])) {
                    return false;
                }
            }
            return thresholds.length > 0;
        }
    }

    Outcome run() {
        long start = System.nanoTime();
        TaskData data = new TaskData(task, extrapolation, config.seed(), evaluationRows);
        Trainer trainer = new Trainer(model, data, config);
        int k = config.population();
        double[] initialValidation = null;
        double[][] initialExtrapolation = null;
        if (baseline) {
            initialValidation = new double[k];
            initialExtrapolation = new double[extrapolation.size()][k];
            for (int m = 0; m < k; m++) {
                Network n = trainer.model().network(m);
                initialValidation[m] = mse(n, data.validation());
                for (int i = 0; i < extrapolation.size(); i++) {
                    initialExtrapolation[i][m] = mse(n, data.extrapolation().get(i));
                }
            }
        }
        long[] exactAt = {-1};
        StopRule watch = !snap ? StopRule.NEVER : (p, selected) -> {
            if (exactAt[0] < 0 && Snapper.snap(selected, data.validationSet()).reproducesTargets()) {
                exactAt[0] = p.step();
            }
            return false;
        };
        TrainingResult r = trainer.run(p -> { }, () -> false, watch);
        double[] sparsity = new double[k];
        for (int m = 0; m < k; m++) {
            sparsity[m] = Sparsity.error(trainer.model().network(m));
        }
        double[] thresholds = data.extrapolation().stream().mapToDouble(TrainingData.EvalSet::threshold).toArray();
        String formula = null;
        double[] formulaMse = new double[extrapolation.size()];
        java.util.Arrays.fill(formulaMse, Double.NaN);
        if (snap) {
            Snapper.Snap s = Snapper.snap(r.network(), data.validationSet());
            if (s.matchesNetwork()) {
                formula = s.text(task.variables());
                for (int i = 0; i < extrapolation.size(); i++) {
                    formulaMse[i] = mse(s.formula()::evaluate, data.extrapolation().get(i));
                }
            }
        }
        return new Outcome(label, k, r.selected(), r.validationMse(), r.extrapolationMse(), thresholds,
                r.firstSuccessStep(), sparsity, initialValidation, initialExtrapolation, formula, formulaMse,
                exactAt[0], r.network(), r.steps(), (System.nanoTime() - start) / 1e9, r.reinitialisations());
    }

    /** Work in member-steps × inputs, to start the longest runs first. */
    double cost() {
        return (double) config.steps() * (config.population() + 8) * (model.inputs() + 4) * model.layers().size();
    }

    private interface Predictor {
        double apply(double[] row);
    }

    private static double mse(Network n, TrainingData.EvalSet set) {
        return mse(n::predict, set);
    }

    /** MSE in float64 over a fixed set; +∞ when a prediction is not finite. */
    private static double mse(Predictor p, TrainingData.EvalSet set) {
        int cols = set.x().length / set.rows();
        double[] row = new double[cols];
        double s = 0;
        for (int r = 0; r < set.rows(); r++) {
            System.arraycopy(set.x(), r * cols, row, 0, cols);
            double e = p.apply(row) - set.y()[r];
            s += e * e;
        }
        double m = s / set.rows();
        return Double.isFinite(m) ? m : Double.POSITIVE_INFINITY;
    }
}
