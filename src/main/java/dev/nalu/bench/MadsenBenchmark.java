package dev.nalu.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import dev.nalu.compute.LayerSpec;
import dev.nalu.job.Presets;

/**
 * Madsen &amp; Johansen (2020), the arithmetic task (docs/papers.md §1): success rate over seeds with a
 * Wilson 95% interval, the median step at which successful seeds first succeeded, and their sparsity
 * error, for each module as single seeds (the members of a population run), and for "auto" as jobs
 * (preset {@code madsen-<op>}), each counting once by the member it selects on interpolation validation.
 */
final class MadsenBenchmark {
    static final String FILE = "madsen.md";
    static final String PLOT = "madsen.png";
    static final String SOURCE = "docs/papers.md §1, from " + Presets.MADSEN_SOURCE + ": 100 seeds, up to 5·10⁶ steps";

    /** The published figures of docs/papers.md §1, as printed there. */
    record Published(String symbol, String best, String success, String solvedAt, String naluSuccess) {
    }

    static final Map<String, Published> PUBLISHED = Map.of(
            "add", new Published("+", "NAU", "100%", "1.8e4", "14%"),
            "sub", new Published("−", "NAU", "100%", "5.0e3", "14%"),
            "mul", new Published("×", "NMU", "98%", "1.4e6", "0%"),
            "div", new Published("÷", "none", "0%", "—", "0%"),
            "square", new Published("a²", "NMU", "100%", "1.2e6", "0%"),
            "sqrt", new Published("√a", "NAC•", "7%", "4.0e5", "2%"));

    /** The goals for "auto": success on + − × a² of 100%, on ÷ and √ of at least 90%, within 100,000 steps. */
    static final Map<String, Double> GOALS = Map.of("add", 1.0, "sub", 1.0, "mul", 1.0, "div", 0.9, "square", 1.0, "sqrt", 0.9);

    private final PaperBenchmarks.Context ctx;

    MadsenBenchmark(PaperBenchmarks.Context ctx) {
        this.ctx = ctx;
    }

    /** Seed groups × members per group for the modules; jobs for auto; the step budgets. */
    record Budget(int groups, int members, long moduleSteps, int jobs, long autoSteps) {
        int seeds() {
            return groups * members;
        }
    }

    Budget budget() {
        return ctx.full() ? new Budget(ctx.seeds(4), ctx.seeds(25), ctx.steps(5_000_000), ctx.seeds(100), ctx.steps(Presets.MADSEN_STEPS))
                : new Budget(ctx.seeds(1), ctx.seeds(8), ctx.steps(20_000), ctx.seeds(3), ctx.steps(Presets.MADSEN_STEPS));
    }

    void run() {
        long start = System.nanoTime();
        double load = ctx.load();
        Budget b = budget();
        Map<String, List<LayerSpec>> modules = Presets.madsenModules();
        List<Experiment> experiments = new ArrayList<>();
        for (String op : Presets.ARITHMETIC_OPS) {
            String preset = Presets.MADSEN + "-" + op;
            for (Map.Entry<String, List<LayerSpec>> m : modules.entrySet()) {
                for (int g = 1; g <= b.groups(); g++) {
                    experiments.add(ctx.experiment(m.getKey(), preset, m.getValue(), g, b.members(), b.moduleSteps(), false, false));
                }
            }
            for (int j = 1; j <= b.jobs(); j++) {
                experiments.add(ctx.experiment("auto", preset, null, j, ctx.seeds(16), b.autoSteps(), true, false));
            }
        }
        List<Experiment.Outcome> outcomes = ctx.runAll(experiments);

        StringBuilder body = new StringBuilder();
        Map<String, double[]> bars = new LinkedHashMap<>();
        for (String m : modules.keySet()) {
            bars.put(m, new double[Presets.ARITHMETIC_OPS.size()]);
        }
        bars.put("auto (jobs)", new double[Presets.ARITHMETIC_OPS.size()]);
        Table goals = new Table("op", "goal for auto", "auto: jobs whose selected member meets the criterion", "95% interval",
                "met?", "best published (success)");
        Table auto = new Table("op", "architecture (auto)", "jobs", "selected member meets the criterion",
                "model served (exact formula, else network) meets it", "median step of success",
                "median step the selected member first snapped (where early stop would end the job)", "formulas");
        List<String> unmet = new ArrayList<>();
        int at = 0;
        for (int o = 0; o < Presets.ARITHMETIC_OPS.size(); o++) {
            String op = Presets.ARITHMETIC_OPS.get(o);
            Published p = PUBLISHED.get(op);
            Table t = new Table("model", "architecture", "seeds", "success", "95% interval (Wilson)", "median solved at",
                    "sparsity error (median of successes)", "published (" + p.symbol() + ")");
            for (String m : modules.keySet()) {
                List<Experiment.Outcome> runs = outcomes.subList(at, at + b.groups());
                at += b.groups();
                Stats.Success s = Stats.ofMembers(runs);
                bars.get(m)[o] = 100 * s.rate().rate();
                t.row(m, runs.get(0).network().spec().describe(), Integer.toString(s.trials()),
                        Stats.fraction(s.successes(), s.trials()), Stats.interval(s.rate()), Stats.step(s.medianSolvedAt()),
                        Stats.number(s.medianSparsity()), published(p, m));
            }
            List<Experiment.Outcome> jobs = outcomes.subList(at, at + b.jobs());
            at += b.jobs();
            Stats.Success s = Stats.ofJobs(jobs);
            bars.get("auto (jobs)")[o] = 100 * s.rate().rate();
            t.row("**auto** (ours, jobs of " + jobs.get(0).members() + ")", jobs.get(0).network().spec().describe(),
                    jobs.size() + " jobs", Stats.fraction(s.successes(), s.trials()), Stats.interval(s.rate()),
                    Stats.step(s.medianSolvedAt()), Stats.number(s.medianSparsity()),
                    "best: " + p.best() + " " + p.success() + (p.solvedAt().equals("—") ? "" : " at " + p.solvedAt()));
            body.append("## ").append(p.symbol()).append(" (").append(op).append(")\n\n").append(t.render()).append('\n');

            double goal = GOALS.get(op);
            boolean met = s.rate().rate() >= goal && b.autoSteps() <= Presets.MADSEN_STEPS;
            if (!met) {
                unmet.add(op);
            }
            goals.row(p.symbol(), String.format(Locale.ROOT, "≥ %.0f%% within %,d steps", 100 * goal, Presets.MADSEN_STEPS),
                    Stats.fraction(s.successes(), s.trials()), Stats.interval(s.rate()), met ? "yes"
                            : b.autoSteps() < Presets.MADSEN_STEPS ? String.format(Locale.ROOT, "**no** (at %,d steps)", b.autoSteps())
                            : "**no**",
                    p.best() + " " + p.success());
            Map<String, Integer> formulas = new TreeMap<>();
            List<Double> exactAt = new ArrayList<>();
            for (Experiment.Outcome j : jobs) {
                formulas.merge(j.formula() == null ? "(none exact)" : shorten(j.formula()), 1, Integer::sum);
                if (j.exactAt() >= 0) {
                    exactAt.add((double) j.exactAt());
                }
            }
            auto.row(p.symbol(), jobs.get(0).network().spec().describe(), Integer.toString(jobs.size()),
                    Stats.fraction(s.successes(), s.trials()), Stats.fraction(Stats.servedSuccesses(jobs), jobs.size()),
                    Stats.step(s.medianSolvedAt()), Stats.step(Stats.median(exactAt)), formulas.toString());
        }
        Charts.bars(ctx.path(PLOT), "Arithmetic task (n = 100): success rate over seeds", "success %",
                Presets.ARITHMETIC_OPS.stream().map(op -> PUBLISHED.get(op).symbol()).toList(), bars, false);

        double minutes = (System.nanoTime() - start) / 6e10;
        String budget = String.format(Locale.ROOT, "modules: %d seeds each (%d run%s × %d members), %,d steps "
                        + "(the paper: 100 seeds, up to 5,000,000 steps); auto: %d jobs per op of %d members, %,d steps "
                        + "(the issue's budget: 100,000).%s", b.seeds(), b.groups(), b.groups() == 1 ? "" : "s", b.members(), b.moduleSteps(), b.jobs(),
                ctx.seeds(16), b.autoSteps(), ctx.full() ? "" : " `--full`: 100 seeds (4 × 25) at 5,000,000 steps, 100 auto jobs.");
        String text = ctx.header("Arithmetic task (Madsen & Johansen 2020)", minutes, load, budget) + "\n"
                + "Presets `madsen-<op>`: 100 inputs U[1, 2] (test U[2, 6]); a and b are sums of two subsets of 25 that "
                + "overlap by 12, placed by the seed; t = a + b, a − b, a × b, a ÷ b, a², √a. Adam lr 1e-3, batch 128, "
                + "regulariser ramp 40% → 70% of the steps, learning rate decaying from 70% of the steps (the trainer's "
                + "default), validation and test sets of 10,000 rows. Success is the ε-criterion of docs/papers.md §1 on "
                + "U[2, 6] at the end of training; \"solved at\" is the first progress report (every 1,000 steps) at which "
                + "the seed met it. A module's seeds are the members of its runs: members of one run share the subsets and "
                + "the batches, and a member whose loss turns non-finite is re-initialised (the paper's seed would just fail). "
                + "\"auto\" is a population job per seed, the architecture `\"model\": \"auto\"` picks, counted once by the "
                + "member it selects on interpolation validation.\n\n"
                + "Published: " + SOURCE + ". docs/papers.md gives the best module's figures and NALU's success per op; a "
                + "\"—\" in the published column means it gives none for that module.\n\n"
                + "## Goals for auto (issue #5)\n\n" + goals.render() + "\n"
                + shortfall(unmet) + "\n"
                + body
                + "## auto in detail\n\n" + auto.render() + "\n"
                + "![success rates](" + PLOT + ")\n";
        ctx.write(FILE, text);
    }

    /** A formula over 100 inputs can run to hundreds of characters; the table shows its start. */
    private static String shorten(String formula) {
        return formula.length() <= 90 ? formula : formula.substring(0, 89) + "…";
    }

    /** What the table must say plainly where auto falls short of a goal. */
    private static String shortfall(List<String> unmet) {
        if (unmet.isEmpty()) {
            return "Every goal is met.\n";
        }
        StringBuilder s = new StringBuilder("Not met in this run: "
                + String.join(", ", unmet.stream().map(op -> PUBLISHED.get(op).symbol()).toList()) + ". ");
        if (unmet.contains("mul")) {
            s.append("× (NAU → NMU) with plain Adam stalls where both NAU columns hold about (a + b)/2; auto trains with "
                    + "the input-mean split that lets it leave (docs/performance.md, \"× on the arithmetic task\"). ");
        }
        if (unmet.contains("div")) {
            s.append("÷ (NAU → RealNPU): members end in look-alikes of a ÷ b that fit U[1, 2] to a validation MSE of about "
                    + "1e-6 and miss U[2, 6]. Two things make them easy to find and the exact quotient hard. An input in both "
                    + "subsets moves a ÷ b by (b − a)/b², about 4% of what an input of a alone moves it, so its weight gets "
                    + "little gradient and is dropped cheaply. And a quotient does not change when both NAU columns shrink "
                    + "together, so the NAU's regulariser pulls small weights to 0 unopposed: most members ended with weights "
                    + "of 0.01 to 0.03, where the RealNPU's gate fits a linearisation of a ÷ b around the training range. Tried, 100,000 "
                    + "steps, K = 16 (`ArithmeticTaskBenchmark --auto --ops div` runs plain Adam and the current split; the "
                    + "split's first version and the other variants were builds that are not committed): plain Adam (0 of 48 members on 3 seeds), the "
                    + "input-mean split's first version (0 of 48), the split with "
                    + "its step along the mean at plain Adam's speed (0 of 32, seeds 1 and 2), and the RealNPU's gates held at 1, "
                    + "the NaiveNPU of Heim et al. (0 of 16, seed 1): the same collapse. A prototype that also ran Adam in "
                    + "each member's eigenbasis of the two columns' gradient covariance (a SOAP-like rotation, not shipped) "
                    + "kept the NAU weights at ±1, and one member learned exactly a and b in its two columns, but kept its "
                    + "RealNPU gates at 0.47, which adds a common constant to both, (0.47a + 0.53)^1.03 ÷ (0.47b + 0.53)^1.03 (0 of "
                    + "16 members met the criterion, seed 1); "
                    + "with the gates held at 1 as well, members settled on the inputs of a alone and of b alone without "
                    + "the shared ones, (a′ ÷ b′)^0.52 (0 of 32 members, seeds 1 and 2). ");
        }
        s.append("Nothing else was tuned for this table: auto trains with the preset's settings (Adam lr 1e-3, batch "
                + "128, K = 16) and the service's default input-mean split, and its architecture is AutoModel's (NAU → NAU "
                + "for ±, NAU → NMU for × and a², NAU → RealNPU for ÷, NAU(n→1) → RealNPU for √a).\n");
        return s.toString();
    }

    /** The published figure for a module's row, where docs/papers.md gives one. */
    private static String published(Published p, String module) {
        List<String> parts = new ArrayList<>();
        if (module.equals(p.best())) {
            parts.add(p.success() + (p.solvedAt().equals("—") ? "" : " at " + p.solvedAt()));
        }
        if (module.equals("NALU")) {
            parts.add(p.naluSuccess());
        }
        return parts.isEmpty() ? "—" : String.join("; ", parts);
    }
}
