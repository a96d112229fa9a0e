package dev.nalu.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.nalu.compute.LayerSpec;
import dev.nalu.job.Presets;

/**
 * Trask et al. (2018), Table 1 (static task), on the reconstruction of docs/papers.md §1: the
 * normalised interpolation and extrapolation error (a randomly initialised model scores 100, a perfect
 * one 0) of a ReLU6 MLP, a linear model, NAC and NALU as single seeds, and of "auto" as jobs (preset
 * {@code trask-<op>}), for + − × ÷ a² √a.
 */
final class TraskBenchmark {
    static final String FILE = "trask.md";
    static final String PLOT = "trask.png";
    private static final double PLOT_CAP = 150;

    /** What docs/papers.md §3 quotes of Trask et al.'s Table 1, per op: the paper's qualitative result. */
    static final Map<String, String> PUBLISHED = Map.of(
            "add", "NAC solves it (0.0 extrapolation)",
            "sub", "NAC solves it (0.0 extrapolation)",
            "mul", "NALU solves it",
            "div", "NALU nearly solves it",
            "square", "NALU solves it",
            "sqrt", "NALU solves it");
    private static final Map<String, String> SYMBOLS = PaperBenchmarks.OPS;

    private final PaperBenchmarks.Context ctx;

    TraskBenchmark(PaperBenchmarks.Context ctx) {
        this.ctx = ctx;
    }

    void run() {
        long start = System.nanoTime();
        double load = ctx.load();
        int groups = ctx.seeds(ctx.full() ? 4 : 1);
        int members = ctx.seeds(ctx.full() ? 25 : 8);
        int jobs = ctx.seeds(ctx.full() ? 10 : 2);
        long steps = ctx.steps(ctx.full() ? Presets.TRASK_STEPS : 10_000);
        Map<String, List<LayerSpec>> modules = Presets.traskModules();
        List<Experiment> experiments = new ArrayList<>();
        for (String op : Presets.ARITHMETIC_OPS) {
            String preset = Presets.TRASK + "-" + op;
            for (Map.Entry<String, List<LayerSpec>> m : modules.entrySet()) {
                for (int g = 1; g <= groups; g++) {
                    experiments.add(ctx.experiment(m.getKey(), preset, m.getValue(), g, members, steps, false, true));
                }
            }
            for (int j = 1; j <= jobs; j++) {
                experiments.add(ctx.experiment("auto", preset, null, j, ctx.seeds(16), steps, false, true));
            }
        }
        List<Experiment.Outcome> outcomes = ctx.runAll(experiments);

        List<String> models = new ArrayList<>(modules.keySet());
        models.add("auto");
        List<String> header = new ArrayList<>(List.of("op"));
        models.forEach(m -> header.add(m.equals("auto") ? "**auto** (ours)" : m));
        Table interpolation = new Table(header);
        List<String> extraHeader = new ArrayList<>(header);
        extraHeader.add("published (Trask et al., as docs/papers.md §3 restates it)");
        Table extrapolation = new Table(extraHeader);
        Map<String, double[]> bars = new LinkedHashMap<>();
        models.forEach(m -> bars.put(m, new double[Presets.ARITHMETIC_OPS.size()]));
        int at = 0;
        for (int o = 0; o < Presets.ARITHMETIC_OPS.size(); o++) {
            String op = Presets.ARITHMETIC_OPS.get(o);
            List<String> inter = new ArrayList<>(List.of(SYMBOLS.get(op)));
            List<String> extra = new ArrayList<>(List.of(SYMBOLS.get(op)));
            for (String m : models) {
                boolean auto = m.equals("auto");
                int n = auto ? jobs : groups;
                List<Experiment.Outcome> runs = outcomes.subList(at, at + n);
                at += n;
                double ni = Stats.medianNormalisedError(runs, -1, auto);
                double ne = Stats.medianNormalisedError(runs, 0, auto);
                inter.add(Stats.number(ni));
                extra.add(Stats.number(ne));
                bars.get(m)[o] = ne;
            }
            extra.add(PUBLISHED.get(op));
            interpolation.row(inter);
            extrapolation.row(extra);
        }
        bars.values().forEach(v -> {
            for (int i = 0; i < v.length; i++) {
                v[i] = Math.min(v[i], PLOT_CAP);
            }
        });
        Charts.bars(ctx.path(PLOT), "Static arithmetic task: normalised extrapolation error (random init = 100; bars capped at "
                + (int) PLOT_CAP + ")", "normalised error", Presets.ARITHMETIC_OPS.stream().map(SYMBOLS::get).toList(), bars, false);

        double minutes = (System.nanoTime() - start) / 6e10;
        String budget = String.format(Locale.ROOT, "%d seeds per module (%d run%s × %d members), %d auto jobs of %d "
                        + "members, %,d steps each.%s Trask et al. state no budget.", groups * members, groups,
                groups == 1 ? "" : "s", members, jobs, ctx.seeds(16), steps,
                ctx.full() ? "" : " `--full`: 100 seeds (4 × 25), 10 jobs, 100,000 steps.");
        String text = ctx.header("Static arithmetic task (Trask et al. 2018, Table 1)", minutes, load, budget) + "\n"
                + "Presets `trask-<op>`: the task of docs/papers.md §1 (100 inputs U[1, 2], test U[2, 6], a and b sums of "
                + "overlapping subsets of 25), which docs/papers.md takes as the careful reconstruction of Trask et al.'s "
                + "under-specified static task. Models have two layers with a hidden size of 2: ReLU6 MLP = dense ReLU6 "
                + "then linear; Linear = two linear layers; NAC = NAC+ → NAC+; NALU = NALU → NALU; auto = the architecture "
                + "`\"model\": \"auto\"` picks (NAU → NAU, NMU or RealNPU). Adam lr 1e-3, batch 128.\n\n"
                + "**Normalised error** = 100 × MSE / MSE of a randomly initialised model: the same architecture before "
                + "training, taken as the median over the members of the same run (so one exploding initialisation does "
                + "not set the scale). Each cell is the median over seeds: every member of the module runs; the member "
                + "each auto job selects on interpolation validation. 0 is perfect; 100 is no better than the random model.\n\n"
                + "## Interpolation (U[1, 2], the validation set)\n\n" + interpolation.render() + "\n"
                + "## Extrapolation (U[2, 6])\n\n" + extrapolation.render() + "\n"
                + "Published (" + Presets.TRASK_SOURCE + ", Table 1, as docs/papers.md §3 restates it): \"NAC solves + and − "
                + "(0.0 extrapolation), NALU solves ×, a², √a and nearly ÷; ReLU6 MLPs score 10–47 on extrapolation.\" "
                + "docs/papers.md carries no per-cell figures, so none are printed here.\n\n"
                + "![normalised extrapolation error](" + PLOT + ")\n";
        ctx.write(FILE, text);
    }
}
