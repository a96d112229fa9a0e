package dev.nalu.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import dev.nalu.evaluation.NormalisedError;
import dev.nalu.evaluation.WilsonInterval;

/**
 * The figures of the benchmark tables, from the outcomes of the runs: success over seeds with its
 * Wilson interval, the median step at which the successful seeds first succeeded, the sparsity error
 * of the successful seeds (Madsen &amp; Johansen 2020), and Trask et al.'s normalised error.
 */
final class Stats {
    private Stats() {
    }

    /** Successes over seeds, with the median solved-at step and sparsity error of the successful ones. */
    record Success(WilsonInterval rate, double medianSolvedAt, double medianSparsity) {
        int successes() {
            return rate.successes();
        }

        int trials() {
            return rate.trials();
        }
    }

    /**
     * One seed per member of each single-module run: member k of a run succeeded when it is below the
     * threshold on every range at the end; its solved-at step is the first progress step it was.
     */
    static Success ofMembers(List<Experiment.Outcome> runs) {
        int n = 0;
        List<Double> solvedAt = new ArrayList<>();
        List<Double> sparsity = new ArrayList<>();
        for (Experiment.Outcome o : runs) {
            for (int k = 0; k < o.members(); k++) {
                n++;
                if (o.succeeded(k)) {
                    solvedAt.add((double) o.firstSuccess()[k]);
                    sparsity.add(o.sparsity()[k]);
                }
            }
        }
        return new Success(WilsonInterval.of(solvedAt.size(), n), median(solvedAt), median(sparsity));
    }

    /** One seed per job: the job succeeded when the member it selected on validation meets the criterion. */
    static Success ofJobs(List<Experiment.Outcome> jobs) {
        List<Double> solvedAt = new ArrayList<>();
        List<Double> sparsity = new ArrayList<>();
        for (Experiment.Outcome o : jobs) {
            if (o.succeeded(o.selected())) {
                solvedAt.add((double) o.firstSuccess()[o.selected()]);
                sparsity.add(o.sparsity()[o.selected()]);
            }
        }
        return new Success(WilsonInterval.of(solvedAt.size(), jobs.size()), median(solvedAt), median(sparsity));
    }

    /** Jobs whose served model (the exact formula, else the network) meets the criterion. */
    static int servedSuccesses(List<Experiment.Outcome> jobs) {
        return (int) jobs.stream().filter(Experiment.Outcome::servedSucceeded).count();
    }

    /**
     * Trask et al.'s normalised error of every member, 100 × MSE / MSE of a randomly initialised model,
     * with the run's median initial MSE as that random model (one baseline per architecture and seed,
     * robust to the occasional initialisation whose output explodes). {@code range} is -1 for the
     * interpolation validation set, else the extrapolation range's index.
     */
    static double[] normalisedErrors(Experiment.Outcome o, int range, boolean selectedOnly) {
        double[] initial = range < 0 ? o.initialValidation() : o.initialExtrapolation()[range];
        double[] trained = range < 0 ? o.validation() : o.extrapolation()[range];
        double baseline = median(initial);
        if (!(baseline > 0) || Double.isInfinite(baseline)) {
            double[] none = new double[selectedOnly ? 1 : o.members()];
            Arrays.fill(none, Double.NaN); // no finite random baseline to normalise by
            return none;
        }
        if (selectedOnly) {
            return new double[] {NormalisedError.of(trained[o.selected()], baseline)};
        }
        double[] out = new double[o.members()];
        for (int k = 0; k < out.length; k++) {
            out[k] = NormalisedError.of(trained[k], baseline);
        }
        return out;
    }

    /** The median of the per-seed normalised errors over all runs. */
    static double medianNormalisedError(List<Experiment.Outcome> runs, int range, boolean selectedOnly) {
        List<Double> all = new ArrayList<>();
        for (Experiment.Outcome o : runs) {
            for (double v : normalisedErrors(o, range, selectedOnly)) {
                all.add(v);
            }
        }
        return median(all);
    }

    /** The median (the mean of the middle two for an even count); NaN when empty. Infinities sort last. */
    static double median(List<Double> values) {
        return median(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] s = values.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    /** "7/16 (44%)" */
    static String fraction(int k, int n) {
        return n == 0 ? "—" : String.format(Locale.ROOT, "%d/%d (%.0f%%)", k, n, 100.0 * k / n);
    }

    /** "[20%, 70%]" */
    static String interval(WilsonInterval w) {
        return String.format(Locale.ROOT, "[%.0f%%, %.0f%%]", 100 * w.lower(), 100 * w.upper());
    }

    /** Three significant digits, "—" for NaN, "∞" for infinity. */
    static String number(double v) {
        if (Double.isNaN(v)) {
            return "—";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "∞" : "−∞";
        }
        if (v == 0) {
            return "0";
        }
        double a = Math.abs(v);
        if (a >= 1e5 || a < 1e-2) {
            return String.format(Locale.ROOT, "%.2e", v);
        }
        return String.format(Locale.ROOT, a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : "%.3g", v);
    }

    /** A step count: 18000 → "1.8e4". */
    static String step(double v) {
        if (Double.isNaN(v)) {
            return "—";
        }
        if (v < 1000) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        int e = (int) Math.floor(Math.log10(v));
        return String.format(Locale.ROOT, "%.1fe%d", v / Math.pow(10, e), e);
    }
}
