package dev.nalu.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.nalu.compute.Network;
import dev.nalu.job.Presets;

/**
 * Trask et al. (2018), Fig. 1: an MLP of 3 hidden layers of 8 units, trained to output its input on
 * [-5, 5], fails outside that range for every non-linear activation; one NAC does not. One preset job
 * per activation and seed ({@code identity-<activation>}, {@code identity-nac}); the plot is the
 * selected member's |f(x) − x| over [-20, 20], averaged over the seeds.
 */
final class IdentityBenchmark {
    static final String FILE = "identity.md";
    static final String PLOT = "identity.png";
    private static final double LIMIT = 20;

    private final PaperBenchmarks.Context ctx;

    IdentityBenchmark(PaperBenchmarks.Context ctx) {
        this.ctx = ctx;
    }

    void run() {
        long start = System.nanoTime();
        double load = ctx.load();
        int seeds = ctx.seeds(ctx.full() ? 10 : 2);
        long steps = ctx.steps(ctx.full() ? Presets.IDENTITY_STEPS : 5_000);
        List<String> labels = new ArrayList<>(Presets.IDENTITY_ACTIVATIONS);
        labels.add("nac");
        List<Experiment> experiments = new ArrayList<>();
        for (String label : labels) {
            for (int seed = 1; seed <= seeds; seed++) {
                experiments.add(ctx.experiment(label, Presets.IDENTITY + "-" + label, null, seed, ctx.seeds(8), steps, false, false));
            }
        }
        List<Experiment.Outcome> outcomes = ctx.runAll(experiments);

        double[] x = new double[401];
        for (int i = 0; i < x.length; i++) {
            x[i] = -LIMIT + i * (2 * LIMIT / (x.length - 1));
        }
        Map<String, double[]> curves = new LinkedHashMap<>();
        Table table = new Table("model", "architecture", "MSE on [-5, 5] (train range)", "MSE on [-20, 20] (test)",
                "mean |f(x) − x| at x = ±20", "that error / the error at ±5");
        int i = 0;
        for (String label : labels) {
            List<Experiment.Outcome> runs = outcomes.subList(i, i + seeds);
            i += seeds;
            double[] curve = new double[x.length];
            double edge = 0;
            double inside = 0;
            for (Experiment.Outcome o : runs) {
                Network n = o.network();
                for (int p = 0; p < x.length; p++) {
                    curve[p] += Math.abs(n.predict(new double[] {x[p]}) - x[p]) / runs.size();
                }
                edge += (error(n, LIMIT) + error(n, -LIMIT)) / 2 / runs.size();
                inside += (error(n, 5) + error(n, -5)) / 2 / runs.size();
            }
            String name = label.equals("nac") ? "NAC" : label;
            curves.put(name, curve);
            table.row(name, runs.get(0).network().spec().describe(),
                    Stats.number(Stats.median(runs.stream().mapToDouble(o -> o.validation()[o.selected()]).toArray())),
                    Stats.number(Stats.median(runs.stream().mapToDouble(o -> o.extrapolation()[0][o.selected()]).toArray())),
                    Stats.number(edge), Stats.number(edge / inside));
        }
        Charts.lines(ctx.path(PLOT), "Identity y = x: trained on [-5, 5], mean |f(x) − x| of " + seeds + " seeds",
                "x", "|f(x) − x|", x, curves, false);

        double minutes = (System.nanoTime() - start) / 6e10;
        String budget = String.format(Locale.ROOT, "%d seeds per model, each a population job of %d members (the member "
                + "selected on [-5, 5] validation is plotted), %,d steps, Adam lr %s, batch %d. Trask et al. state "
                + "no budget; the preset trains 10,000 steps, and `--full` runs 10 seeds of those.", seeds, ctx.seeds(8), steps,
                experiments.get(0).config().learningRate(), experiments.get(0).config().batchSize());
        String text = ctx.header("Identity failure (Trask et al. 2018, Fig. 1)", minutes, load, budget) + "\n"
                + "Presets `identity-<activation>` and `identity-nac`: y = x on one input, trained on U[-5, 5], tested on "
                + "U[-20, 20]. The MLPs have 3 hidden layers of 8 units with the activation and a linear output; NAC is one "
                + "NAC+ unit. MSEs are the medians over seeds of the selected member's.\n\n"
                + table.render() + "\n"
                + "![error against x](" + PLOT + ")\n\n"
                + "**Published** (" + Presets.TRASK_SOURCE + ", Fig. 1, as docs/papers.md §3 restates it): \"the error "
                + "outside the training range grows for every non-linear activation\". The paper gives the figure, no table.\n\n"
                + "**Ours**: " + verdict(curves, x) + "\n";
        ctx.write(FILE, text);
    }

    private static double error(Network n, double x) {
        return Math.abs(n.predict(new double[] {x}) - x);
    }

    /** Which models' error at ±20 is over ten times their error at ±5: said in words from the curves. */
    private static String verdict(Map<String, double[]> curves, double[] x) {
        List<String> grows = new ArrayList<>();
        List<String> flat = new ArrayList<>();
        int atFive = indexOf(x, 5);
        int atMinusFive = indexOf(x, -5);
        for (Map.Entry<String, double[]> e : curves.entrySet()) {
            double[] c = e.getValue();
            double outside = (c[0] + c[c.length - 1]) / 2;
            double inside = Math.max((c[atFive] + c[atMinusFive]) / 2, 1e-12);
            (outside > 10 * inside && outside > 0.1 ? grows : flat).add(e.getKey());
        }
        return "the error at x = ±20 is over ten times the error at ±5 (and above 0.1) for " + String.join(", ", grows)
                + "; it is not for " + (flat.isEmpty() ? "none" : String.join(", ", flat)) + ".";
    }

    private static int indexOf(double[] x, double v) {
        int best = 0;
        for (int i = 1; i < x.length; i++) {
            if (Math.abs(x[i] - v) < Math.abs(x[best] - v)) {
                best = i;
            }
        }
        return best;
    }
}
