package dev.nalu.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import dev.nalu.compute.CellKind;
import dev.nalu.compute.RecurrentRefit;
import dev.nalu.compute.SequenceData;
import dev.nalu.compute.SequenceNetwork;
import dev.nalu.compute.SequenceRegulariser;
import dev.nalu.compute.SequenceResult;
import dev.nalu.compute.SequenceSpec;
import dev.nalu.compute.SequenceTrainer;
import dev.nalu.compute.TrainingConfig;
import dev.nalu.compute.Unit;
import dev.nalu.evaluation.WilsonInterval;
import dev.nalu.task.ArithmeticTask;
import dev.nalu.task.Domain;
import dev.nalu.task.RecurrentArithmeticTask;
import dev.nalu.task.RecurrentRecipe;
import dev.nalu.task.SequenceTaskData;

/**
 * Success rates on the recurrent arithmetic task (docs/papers.md §6), a markdown table per op for
 * docs/results/recurrent.md. A plain main program.
 *
 * <p>Every seed is its own run: its own subsets, batches and initialisation. "auto" trains
 * {@link RecurrentRecipe#forOp}; a cell name trains that cell with the recipe's settings and the
 * cell's default head (the reference network's). A run is judged by the network it selects on
 * validation at length 10: its snapped network when the run stopped on the snap rule or when that
 * snapped network is below the validation threshold at the end, else (with {@code --refit on}, the
 * default, as a job does) the first member whose refitted and snapped network ({@link RecurrentRefit})
 * is below the validation threshold, else the network as trained. It
 * succeeds when its float64 MSE on the length-1000 set is below that set's ε-threshold. Nothing
 * about length 1000 decides what is trained, selected or measured; the training data holds no
 * length-1000 set at all. "solved at" is the step where the run stopped with an exact snapped
 * network (or its last step for a success without one).
 *
 * <p>Usage: {@code RecurrentBenchmark [--ops add,sub,mul,square] [--models auto,nau,nalu,lstm]
 * [--seeds N | --seed-list 3,7] [--members K] [--steps N] [--rows N] [--lr X] [--batch N]
 * [--lambda λ:start:end] [--clip X] [--head nau|nmu] [--hidden N] [--every N] [--snap on|off]
 * [--refit on|off]}: options given override the recipe for every model; {@code --refit off} judges
 * without the refit-and-snap stage.
 */
public final class RecurrentBenchmark {
    private RecurrentBenchmark() {
    }

    /** Overrides of the recipe from the command line; null or NaN = the recipe's. */
    record Overrides(Integer members, Long steps, Double lr, Integer batch, SequenceRegulariser regulariser,
                     Double clip, Unit head, Integer hidden, Integer every, Boolean snap) {
        RecurrentRecipe apply(RecurrentRecipe r, CellKind cell, long seed) {
            SequenceSpec spec = r.spec();
            if (cell != null && cell != spec.cell()) {
                spec = SequenceSpec.of(spec.inputs(), cell).withHidden(spec.hidden());
            }
            if (head != null && (spec.cell() == CellKind.NAU || spec.cell() == CellKind.NMU)) {
                spec = spec.withHead(head);
            }
            if (hidden != null) {
                spec = spec.withHidden(hidden);
            }
            TrainingConfig c = r.config().withSeed(seed);
            c = members == null ? c : c.withPopulation(members);
            c = steps == null ? c : c.withSteps(steps);
            c = lr == null ? c : c.withLearningRate(lr);
            c = batch == null ? c : c.withBatchSize(batch);
            c = clip == null ? c : c.withGradientClip(clip);
            c = every == null ? c : c.withEvaluateEvery(every);
            RecurrentRecipe out = r.withSpec(spec).withConfig(c);
            out = regulariser == null ? out : out.withRegulariser(regulariser);
            return snap == null ? out : out.withSnapStop(snap);
        }
    }

    public static void main(String[] args) {
        List<ArithmeticTask.Op> ops = List.of(ArithmeticTask.Op.ADD, ArithmeticTask.Op.SUB, ArithmeticTask.Op.MUL,
                ArithmeticTask.Op.SQUARE);
        List<String> models = List.of("auto");
        List<Long> seeds = List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
        int rows = SequenceTaskData.DEFAULT_VALIDATION_ROWS;
        Integer members = null;
        Long steps = null;
        Double lr = null;
        Integer batch = null;
        SequenceRegulariser reg = null;
        Double clip = null;
        Unit head = null;
        Integer hidden = null;
        Integer every = null;
        Boolean snap = null;
        boolean refit = true;
        Domain wide = null;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--ops" -> ops = Arrays.stream(args[++i].split(",")).map(ArithmeticTask.Op::parse).toList();
                    case "--models" -> models = List.of(args[++i].split(","));
                    case "--seeds" -> {
                        int n = Integer.parseInt(args[++i]);
                        List<Long> s = new ArrayList<>();
                        for (long k = 1; k <= n; k++) {
                            s.add(k);
                        }
                        seeds = s;
                    }
                    case "--seed-list" -> seeds = Arrays.stream(args[++i].split(",")).map(Long::parseLong).toList();
                    case "--members" -> members = Integer.parseInt(args[++i]);
                    case "--steps" -> steps = Long.parseLong(args[++i]);
                    case "--rows" -> rows = Integer.parseInt(args[++i]);
                    case "--lr" -> lr = Double.parseDouble(args[++i]);
                    case "--batch" -> batch = Integer.parseInt(args[++i]);
                    case "--lambda" -> {
                        String[] p = args[++i].split(":");
                        reg = p[0].equals("exp") ? SequenceRegulariser.recurrentArithmetic()
                                : SequenceRegulariser.linear(Double.parseDouble(p[0]), Long.parseLong(p[1]), Long.parseLong(p[2]));
                    }
                    case "--clip" -> clip = Double.parseDouble(args[++i]);
                    case "--head" -> head = Unit.parse(args[++i]);
                    case "--hidden" -> hidden = Integer.parseInt(args[++i]);
                    case "--every" -> every = Integer.parseInt(args[++i]);
                    case "--snap" -> snap = args[++i].equals("on");
                    case "--range" -> {
                        String[] r = args[++i].split(":");
                        wide = Domain.of(Double.parseDouble(r[0]), Double.parseDouble(r[1]));
                    }
                    case "--refit" -> refit = args[++i].equals("on");
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            for (String m : models) {
                if (!m.equals("auto")) {
                    CellKind.parse(m);
                }
            }
            if (seeds.isEmpty() || rows < 1) {
                throw new IllegalArgumentException("seeds and rows must be positive");
            }
        } catch (RuntimeException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println("usage: RecurrentBenchmark [--ops add,sub,mul,square] [--models auto,nau,nalu,lstm]"
                    + " [--seeds N | --seed-list 3,7] [--members K] [--steps N] [--rows N] [--lr X] [--batch N]"
                    + " [--lambda λ:start:end|exp] [--clip X] [--head nau|nmu] [--hidden N] [--every N] [--snap on|off]"
                    + " [--refit on|off] [--range LO:HI]");
            System.exit(2);
            return;
        }
        Overrides overrides = new Overrides(members, steps, lr, batch, reg, clip, head, hidden, every, snap);
        long started = System.nanoTime();
        System.out.println(BenchmarkEnvironment.line() + ", started " + Instant.now());
        System.out.println("command line: " + String.join(" ", args));
        System.out.printf(Locale.ROOT, "seeds %s, each its own run; validation (length 10) and test (length 1000)"
                + " sets of %d rows%s%n", seeds, rows, wide == null ? "" : "; the wider range: the same task at length 10"
                + " over U" + wide + ", its own set and ε-threshold, reported separately");
        for (ArithmeticTask.Op op : ops) {
            RecurrentRecipe base = RecurrentRecipe.forOp(op);
            System.out.println();
            System.out.println("## " + op.name().toLowerCase(Locale.ROOT) + " (" + op.symbol() + ")");
            System.out.println();
            System.out.println("| model | architecture | settings | seeds succeeded at length 1000 | 95% interval (Wilson)"
                    + " | median solved at (step) | snapped | min per seed |"
                    + (wide == null ? "" : " seeds succeeded at length 10 over " + wide + " |"));
            System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- |" + (wide == null ? "" : " --- |"));
            for (String model : models) {
                CellKind cell = model.equals("auto") ? null : CellKind.parse(model);
                int success = 0;
                int wideSuccess = 0;
                int snapped = 0;
                List<Double> solvedAt = new ArrayList<>();
                long nanos = 0;
                RecurrentRecipe recipe = null;
                for (long seed : seeds) {
                    recipe = overrides.apply(base, cell, seed);
                    long t0 = System.nanoTime();
                    Outcome o = run(recipe, seed, rows, refit, wide);
                    nanos += System.nanoTime() - t0;
                    System.err.printf(Locale.ROOT, "%s %s seed %d: %s, %s at step %d, length-1000 MSE %s (threshold %s),"
                                    + " %.1f min (refit %.1f s)%n", op, model, seed, o.success ? "success" : "failure",
                            o.refitted ? "refitted and snapped" : o.snapped ? "snapped" : "as trained", o.steps,
                            Stats.number(o.mse), Stats.number(o.threshold), (System.nanoTime() - t0) / 6e10, o.refitSeconds);
                    if (o.success) {
                        success++;
                        solvedAt.add((double) o.steps);
                    }
                    if (o.snapped) {
                        snapped++;
                    }
                    if (o.wideSuccess) {
                        wideSuccess++;
                    }
                }
                WilsonInterval w = WilsonInterval.of(success, seeds.size());
                System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %d | %.1f |%s%n", model,
                        recipe.spec().describe(), settings(recipe), Stats.fraction(success, seeds.size()), Stats.interval(w),
                        Stats.step(Stats.median(solvedAt)), snapped, nanos / 6e10 / seeds.size(),
                        wide == null ? "" : " " + Stats.fraction(wideSuccess, seeds.size()) + " |");
            }
        }
        System.out.printf(Locale.ROOT, "%n%s; %.1f min%n", BenchmarkEnvironment.endLine(), (System.nanoTime() - started) / 6e10);
    }

    static String settings(RecurrentRecipe r) {
        TrainingConfig c = r.config();
        SequenceRegulariser g = r.regulariser();
        String reg = g.shape() == SequenceRegulariser.Shape.EXPONENTIAL
                ? String.format(Locale.ROOT, "λ %s·(1−e^(−%s t))", Stats.number(g.lambda()), Stats.number(g.rate()))
                : String.format(Locale.ROOT, "λ̂ %s from %s to %s", Stats.number(g.lambda()), Stats.step(g.start()), Stats.step(g.end()));
        return String.format(Locale.ROOT, "K %d, ≤ %s steps, batch %d, lr %s%s, %s%s, %s", c.population(),
                Stats.step(c.steps()), c.batchSize(), Stats.number(c.learningRate()),
                c.decayStart() < 1 ? " decaying" : "", reg, c.gradientClip() > 0 ? ", clip " + Stats.number(c.gradientClip()) : "",
                r.snapStop() ? "snap stop every " + c.evaluateEvery() : "no snap stop");
    }

    /**
     * @param snapped      whether the judged network is an integer one (snapped, or refitted and snapped)
     * @param refitted     whether it came from the refit-and-snap stage
     * @param refitSeconds the stage's time (0 when it did not run)
     */
    record Outcome(boolean success, boolean snapped, long steps, double mse, double threshold, boolean refitted,
                   double refitSeconds, boolean wideSuccess) {
    }

    /**
     * One seed: train on data without any long set, then judge the selected network at length 1000; with
     * {@code refit}, a run whose snapped selection does not pass validation tries the refit-and-snap stage on its
     * members (training batches refit, the validation set accepts). With {@code wide}, the judged network is also
     * measured at length 10 over that value range against its own ε-threshold ({@code wideSuccess}; else false).
     */
    static Outcome run(RecurrentRecipe recipe, long seed, int rows, boolean refit, Domain wide) {
        RecurrentArithmeticTask task = new RecurrentArithmeticTask(recipe.op(), seed);
        SequenceTaskData training = new SequenceTaskData(task, seed, 10, List.of(), rows, rows);
        SequenceResult result = recipe.train(training);
        SequenceTaskData judging = new SequenceTaskData(task, seed, 10, List.of(1000), rows, rows,
                wide == null ? List.of() : List.of(task.withDomain(wide)));
        SequenceData.EvalSet far = judging.extrapolation().get(0);
        SequenceNetwork judged = result.network();
        boolean snapped = result.snapped();
        if (!snapped) {
            SequenceNetwork s = judged.snapped();
            if (s != null && SequenceTrainer.below(s, training.validation(), training.validation().threshold())) {
                judged = s;
                snapped = true;
            }
        }
        boolean refitted = false;
        double seconds = 0;
        if (!snapped && refit) {
            long t0 = System.nanoTime();
            RecurrentRefit.Choice c = RecurrentRefit.snapBest(result.members(), result.validationMse(), training,
                    RecurrentRefit.TRIES);
            seconds = (System.nanoTime() - t0) / 1e9;
            if (c != null) {
                judged = c.network();
                snapped = true;
                refitted = true;
            }
        }
        double mse = SequenceTrainer.mse(judged, far);
        boolean wideSuccess = false;
        if (wide != null) {
            SequenceData.EvalSet widened = judging.extrapolation().get(1);
            wideSuccess = SequenceTrainer.mse(judged, widened) < widened.threshold();
        }
        return new Outcome(mse < far.threshold(), snapped, result.steps(), mse, far.threshold(), refitted, seconds,
                wideSuccess);
    }
}
