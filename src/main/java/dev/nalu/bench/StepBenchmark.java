package dev.nalu.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.nd4j.linalg.api.buffer.DataType;

import dev.nalu.compute.LayerSpec;
import dev.nalu.compute.ModelSpec;
import dev.nalu.compute.Optimizer;
import dev.nalu.compute.Progress;
import dev.nalu.compute.Trainer;
import dev.nalu.compute.TrainingConfig;
import dev.nalu.compute.TrainingResult;
import dev.nalu.compute.Unit;
import dev.nalu.evaluation.TaskData;
import dev.nalu.task.ArithmeticTask;

/**
 * Training throughput of the population trainer: NAU(100→2) → NMU(2→1) on the arithmetic task
 * (× on n = 100 inputs), batch 128, Adam, float32, for several population sizes K. A plain main
 * program (no Spring); see docs/performance.md for how to run it from the built jar.
 *
 * <p>What is timed: {@link Trainer#run} with {@code evaluateEvery == steps}, so the only
 * evaluation happens after the last step. The throughput reported is the trainer's own
 * {@link Progress#memberStepsPerSecond()}, which covers exactly the step loop (batch sampling,
 * forward, loss, backward, regularisers on their ramp, optimiser, clamping) and stops before
 * that evaluation. The wall time of the whole call minus the step loop is printed as "eval ms"
 * (validation and extrapolation sets of 10,000 rows, measured twice: final progress report and
 * result). Trainer construction is not timed.
 *
 * <p>Each configuration is warmed up with a separate run, then timed {@code --repeats} times with
 * fresh trainers (seeds 1, 2, ...); the median is printed.
 *
 * <p>Usage: {@code StepBenchmark [K ...] [--steps N] [--warmup N] [--repeats N] [--no-float64] [--compare-plain]};
 * {@code --compare-plain} adds, after each float32 row, the same K with plain Adam (no split along the
 * input mean, {@code TrainingConfig.splitInputMean}), so the split's cost is read off one run.
 */
public final class StepBenchmark {
    private static final int BATCH = 128;
    private static final int INPUTS = ArithmeticTask.DEFAULT_INPUT_SIZE;
    private static final int FLOAT64_POPULATION = 64;

    private StepBenchmark() {
    }

    record Options(int[] populations, long steps, long warmup, int repeats, boolean float64, boolean comparePlain) {
    }

    /** One configuration's medians. */
    record Row(int k, DataType type, boolean split, double stepsPerSecond, double memberStepsPerSecond, double evalMillis,
               double[] samples) {
    }

    public static void main(String[] args) {
        Options opt;
        try {
            opt = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println("usage: StepBenchmark [K ...] [--steps N] [--warmup N] [--repeats N] [--no-float64] [--compare-plain]");
            System.exit(2);
            return;
        }
        String omp = System.getenv("OMP_NUM_THREADS");
        if (!"1".equals(omp)) {
            System.err.println("WARNING: OMP_NUM_THREADS is " + (omp == null ? "unset" : "'" + omp + "'")
                    + ", not 1: the service runs ND4J single-threaded per job; figures may not be comparable.");
        }
        System.out.println(environment(omp));
        System.out.printf(Locale.ROOT, "model NAU(%d→2) → NMU(2→1), task arithmetic MUL n=%d, batch %d, Adam lr 1e-3;"
                        + " warm-up %d steps, timed %d steps × %d repeats (median); regulariser ramp 40%%→70%% of the timed run%n",
                INPUTS, INPUTS, BATCH, opt.warmup(), opt.steps(), opt.repeats());

        ArithmeticTask task = new ArithmeticTask(ArithmeticTask.Op.MUL, 1);
        TaskData data = new TaskData(task, List.of(ArithmeticTask.DEFAULT_EXTRAPOLATION_DOMAIN), 1);
        ModelSpec spec = ModelSpec.of(INPUTS, LayerSpec.of(Unit.NAU, 2), LayerSpec.of(Unit.NMU, 1));

        List<Row> rows = new ArrayList<>();
        for (int k : opt.populations()) {
            rows.add(measure(spec, data, k, DataType.FLOAT, true, opt));
            if (opt.comparePlain()) {
                rows.add(measure(spec, data, k, DataType.FLOAT, false, opt));
            }
        }
        if (opt.float64()) {
            rows.add(measure(spec, data, FLOAT64_POPULATION, DataType.DOUBLE, true, opt));
        }
        double base = rows.stream().filter(r -> r.k() == 1 && r.type() == DataType.FLOAT && r.split())
                .mapToDouble(Row::memberStepsPerSecond).findFirst().orElse(Double.NaN);

        System.out.println();
        System.out.printf(Locale.ROOT, "%5s  %-13s  %10s  %9s  %17s  %8s  %8s  %s%n",
                "K", "type", "steps/s", "µs/step", "member-steps/s", "× K=1", "eval ms", "runs (member-steps/s)");
        for (Row r : rows) {
            String runs = Arrays.stream(r.samples()).mapToObj(s -> String.format(Locale.ROOT, "%.0f", s))
                    .reduce((a, b) -> a + " " + b).orElse("");
            System.out.printf(Locale.ROOT, "%5d  %-13s  %10.0f  %9.1f  %17.0f  %8s  %8.0f  %s%n",
                    r.k(), (r.type() == DataType.FLOAT ? "float32" : "float64") + (r.split() ? "" : " plain"), r.stepsPerSecond(),
                    1e6 / r.stepsPerSecond(), r.memberStepsPerSecond(),
                    Double.isNaN(base) ? "-" : String.format(Locale.ROOT, "%.1f", r.memberStepsPerSecond() / base),
                    r.evalMillis(), runs);
        }
        System.out.printf(Locale.ROOT, "load average at end: %.2f%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private static Row measure(ModelSpec spec, TaskData data, int k, DataType type, boolean split, Options opt) {
        TrainingConfig base = TrainingConfig.defaults(1, opt.steps())
                .withSplitInputMean(split)
                .withPopulation(k)
                .withBatchSize(BATCH)
                .withOptimizer(Optimizer.ADAM)
                .withType(type);
        if (opt.warmup() > 0) {
            TrainingConfig warm = base.withSteps(opt.warmup()).withEvaluateEvery(clampToInt(opt.warmup()));
            new Trainer(spec, data, warm).run(p -> { }, () -> false);
        }
        double[] samples = new double[opt.repeats()];
        double[] eval = new double[opt.repeats()];
        for (int r = 0; r < opt.repeats(); r++) {
            TrainingConfig config = base.withSeed(r + 1).withEvaluateEvery(clampToInt(opt.steps()));
            Trainer trainer = new Trainer(spec, data, config);
            long start = System.nanoTime();
            TrainingResult result = trainer.run(p -> { }, () -> false);
            double wall = (System.nanoTime() - start) / 1e9;
            if (result.history().size() != 1 || result.steps() != opt.steps()) {
                throw new IllegalStateException("expected one progress report after " + opt.steps()
                        + " steps, got " + result.history().size() + " after " + result.steps());
            }
            double memberStepsPerSecond = result.history().get(0).memberStepsPerSecond();
            samples[r] = memberStepsPerSecond;
            double loopSeconds = opt.steps() * (double) k / memberStepsPerSecond;
            eval[r] = (wall - loopSeconds) * 1e3;
        }
        double median = median(samples);
        System.out.printf(Locale.ROOT, "  K=%d %s%s: %.0f member-steps/s (median of %d)%n",
                k, type == DataType.FLOAT ? "float32" : "float64", split ? "" : " plain Adam", median, opt.repeats());
        return new Row(k, type, split, median / k, median, median(eval), samples);
    }

    private static int clampToInt(long n) {
        return (int) Math.min(n, Integer.MAX_VALUE);
    }

    static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    static Options parse(String[] args) {
        List<Integer> ks = new ArrayList<>();
        long steps = 5000;
        long warmup = 3000;
        int repeats = 3;
        boolean float64 = true;
        boolean comparePlain = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--steps" -> steps = positive(a, value(args, ++i, a));
                case "--warmup" -> warmup = nonNegative(a, value(args, ++i, a));
                case "--repeats" -> repeats = (int) positive(a, value(args, ++i, a));
                case "--no-float64" -> float64 = false;
                case "--compare-plain" -> comparePlain = true;
                default -> {
                    for (String part : a.split(",")) {
                        if (part.isBlank()) {
                            continue;
                        }
                        int k;
                        try {
                            k = Integer.parseInt(part.trim());
                        } catch (NumberFormatException e) {
                            throw new IllegalArgumentException("not a population size or option: " + a);
                        }
                        if (k < 1 || k > TrainingConfig.MAX_POPULATION) {
                            throw new IllegalArgumentException("K must be in 1.." + TrainingConfig.MAX_POPULATION + ", got " + k);
                        }
                        ks.add(k);
                    }
                }
            }
        }
        if (ks.isEmpty()) {
            ks = List.of(1, 16, 64, 256);
        }
        return new Options(ks.stream().mapToInt(Integer::intValue).toArray(), steps, warmup, repeats, float64,
                comparePlain);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static long positive(String option, String text) {
        long n = nonNegative(option, text);
        if (n < 1) {
            throw new IllegalArgumentException(option + " must be positive");
        }
        return n;
    }

    private static long nonNegative(String option, String text) {
        try {
            long n = Long.parseLong(text.trim());
            if (n < 0) {
                throw new IllegalArgumentException(option + " must not be negative");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " expects a whole number, got '" + text + "'");
        }
    }

    private static String environment(String omp) {
        Runtime rt = Runtime.getRuntime();
        return String.format(Locale.ROOT,
                "env: OMP_NUM_THREADS=%s, cores=%d, load=%.2f, JVM %s %s (%s), max heap %d MiB, os %s %s",
                omp == null ? "unset" : omp, rt.availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"),
                String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()),
                rt.maxMemory() >> 20, System.getProperty("os.name"), System.getProperty("os.arch"));
    }
}
