package dev.nalu.model;

import java.util.List;

import dev.nalu.api.ApiException;
import dev.nalu.evaluation.Formula;
import dev.nalu.evaluation.Snapper;
import dev.nalu.task.ArithmeticTask;
import dev.nalu.task.Bounds;
import dev.nalu.task.DataTask;
import dev.nalu.task.Dataset;
import dev.nalu.task.DomainProblem;
import dev.nalu.task.ExpressionTask;
import dev.nalu.task.Task;

/**
 * What an imported model document claims, recomputed from the model built from it rather than taken
 * on trust: its task is defined on its training ranges, and a formula marked exact is the one its own
 * weights snap to and reproduces its task's targets, on validation rows drawn from the training
 * ranges, by the test a job applies ({@link Snapper.Snap#reproducesTargets()}: MSE at most 1e-12 of
 * the targets' mean square). Predictions come from an exact formula, so an exact formula that the
 * weights do not compute, or that misses the task, would make the service answer something the
 * model never learned.
 */
final class DocumentClaims {
    /** Validation rows the claims are checked on. */
    static final int ROWS = 1000;
    /** The rows' seed: the same document is always judged on the same rows. */
    private static final long SEED = 1;

    private DocumentClaims() {
    }

    /**
     * @param datasetRows for a model learned from a dataset, up to {@value #ROWS} of that dataset's rows (its inputs
     *                    and target), or null when this service does not hold the dataset; unused for other tasks
     */
    static void verify(ModelService.Loaded model, Dataset datasetRows) {
        Task task = model.task();
        taskIsDefined(task);
        Formula formula = model.formula();
        if (formula == null) {
            return; // not exact: predictions come from the weights
        }
        List<String> names = task.variables();
        String text = "y = " + formula.render(names, false);
        if (task instanceof DataTask && datasetRows == null) {
            throw DocumentLimits.invalid("formula", "formula.exact is true, but the model was learned from a dataset "
                    + "this service does not hold (task.data names its id and content hash): off its rows there is "
                    + "no target to check " + text + " against (set formula.exact to false to import the weights alone)");
        }
        // a dataset's own rows, or rows drawn from the task's training ranges with their exact targets
        Dataset rows = task instanceof DataTask ? datasetRows : Dataset.interpolation(task, ROWS, SEED);
        double targetMeanSquare = meanSquare(rows.y());
        double againstTargets = mse(formula, rows, rows.y());
        if (!Snapper.reproduces(againstTargets, targetMeanSquare)) {
            throw DocumentLimits.invalid("formula", "formula.exact is true, but " + text + " does not reproduce the task "
                    + task.describe() + " on its training ranges: its MSE on " + ROWS + " rows is " + againstTargets
                    + ", above 1e-12 of the targets' mean square (" + targetMeanSquare + "); an exact formula must "
                    + "reproduce the targets (set formula.exact to false to import the weights alone)");
        }
        Snapper.Snap snap = Snapper.snap(model.network(), rows);
        double[] snapped = snap.formula() == null ? null : values(snap.formula(), rows);
        if (snapped == null || !Snapper.reproduces(mse(formula, rows, snapped), targetMeanSquare)) {
            throw DocumentLimits.invalid("formula", "formula.exact is true, but the model's weights compute "
                    + (snap.formula() == null ? "no formula" : snap.text(names)) + ", not " + text
                    + ": an exact formula must be the one the model's own weights snap to");
        }
    }

    /**
     * The task's targets must be defined on its training ranges, and within ±{@value Task#MAX_MAGNITUDE}
     * (by interval arithmetic), as a job's are: else no row can be checked, nor any error measured.
     */
    private static void taskIsDefined(Task task) {
        if (task instanceof ExpressionTask e) {
            List<DomainProblem> problems = e.domainProblems();
            if (!problems.isEmpty()) {
                throw DocumentLimits.invalid("task", "the task " + e.describe() + " " + problems.get(0).verb()
                        + " on its training ranges: " + problems.get(0).message());
            }
        } else if (task instanceof ArithmeticTask a && ((a.op() == ArithmeticTask.Op.DIV && a.trainDomain(0).containsZero())
                || (a.op() == ArithmeticTask.Op.SQRT && a.trainDomain(0).lo() < 0))) {
            throw DocumentLimits.invalid("task", "the arithmetic " + a.op().name().toLowerCase()
                    + " is undefined on the training range " + a.trainDomain(0));
        }
        Bounds target = task.targetBounds();
        if (target.lo() < -Task.MAX_MAGNITUDE || target.hi() > Task.MAX_MAGNITUDE) {
            throw DocumentLimits.invalid("task", "the task " + task.describe() + " can reach " + target
                    + " on its training ranges, beyond ±1e150, where squared errors overflow float64");
        }
    }

    private static double[] values(Formula f, Dataset rows) {
        double[] out = new double[rows.rows()];
        double[] row = new double[rows.cols()];
        for (int r = 0; r < rows.rows(); r++) {
            System.arraycopy(rows.x(), r * rows.cols(), row, 0, rows.cols());
            out[r] = f.evaluate(row);
        }
        return out;
    }

    /** Mean of (f(x) − expected)² over the rows; +∞ when it is not a number. */
    private static double mse(Formula f, Dataset rows, double[] expected) {
        double[] predicted = values(f, rows);
        double s = 0;
        for (int r = 0; r < predicted.length; r++) {
            double e = predicted[r] - expected[r];
            s += e * e;
        }
        double m = s / predicted.length;
        return Double.isNaN(m) ? Double.POSITIVE_INFINITY : m;
    }

    private static double meanSquare(double[] y) {
        double s = 0;
        for (double v : y) {
            s += v * v;
        }
        return s / y.length;
    }
}
