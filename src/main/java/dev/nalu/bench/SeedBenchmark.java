package dev.nalu.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.nd4j.linalg.api.buffer.DataType;

import dev.nalu.compute.ModelSpec;
import dev.nalu.compute.Trainer;
import dev.nalu.compute.TrainingConfig;
import dev.nalu.compute.TrainingResult;
import dev.nalu.evaluation.Snapper;
import dev.nalu.evaluation.TaskData;
import dev.nalu.task.AutoModel;
import dev.nalu.task.Dataset;
import dev.nalu.task.Domain;
import dev.nalu.task.ExpressionTask;

/**
 * How reliably a population job finds the exact formula of a op b (train U[1,2]): for each op and
 * each seed, one job with the architecture {@code "model": "auto"} picks (AutoModel), K members,
 * a step budget; the selected member (lowest interpolation validation error) is snapped.
 *
 * <p>A seed counts as found when the snapped formula is exact: it equals the target bit for bit,
 * in float64, on 1,000 points of U[1e3, 1e6], a range it never saw. The table also counts seeds
 * whose trained (unsnapped) member meets the ε-criterion on U[2,6] and U[10,100].
 *
 * <p>Usage: {@code SeedBenchmark [--seeds N] [--steps N] [--population K] [--lr X] [--ops "a + b,a * b"] [--float64]}.
 */
public final class SeedBenchmark {
    private static final Domain TRAIN = Domain.of(1, 2);
    private static final List<Domain> TESTS = List.of(Domain.of(2, 6), Domain.of(10, 100));
    private static final Domain FAR = Domain.of(1e3, 1e6);

    private SeedBenchmark() {
    }

    record Options(List<String> ops, int seeds, long steps, int population, double learningRate, DataType type) {
    }

    /** One op over all seeds. */
    record Row(String op, String model, int found, int criterion, int seeds, double medianSeconds,
               Map<String, Integer> formulas) {
    }

    public static void main(String[] args) {
        Options opt = parse(args);
        System.out.println(BenchmarkEnvironment.line());
        TrainingConfig defaults = TrainingConfig.defaults(1, 1);
        System.out.printf(Locale.ROOT, "train U[1,2]; K=%d, %d steps, Adam lr %s (decaying to 1%% from %.0f%% of the steps),"
                        + " batch %d, %s; seeds 1..%d%n", opt.population(), opt.steps(), opt.learningRate(),
                defaults.decayStart() * 100, defaults.batchSize(), opt.type() == DataType.DOUBLE ? "float64" : "float32",
                opt.seeds());
        List<Row> rows = new ArrayList<>();
        for (String op : opt.ops()) {
            rows.add(run(op, opt));
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "%-7s  %-12s  %-14s  %-22s  %9s  %s%n",
                "task", "model", "exact formula", "criterion U[2,6]+[10,100]", "median s", "formulas (seeds)");
        for (Row r : rows) {
            System.out.printf(Locale.ROOT, "%-7s  %-12s  %-14s  %-22s  %9.1f  %s%n", r.op(), r.model(),
                    r.found() + "/" + r.seeds(), r.criterion() + "/" + r.seeds(), r.medianSeconds(), r.formulas());
        }
        System.out.println(BenchmarkEnvironment.endLine());
    }

    private static Row run(String op, Options opt) {
        ExpressionTask task = ExpressionTask.parse(op, Map.of("a", TRAIN, "b", TRAIN));
        ModelSpec spec = AutoModel.choose(task).spec();
        Dataset far = Dataset.on(task, FAR, 1000, 3);
        int found = 0;
        int criterion = 0;
        double[] seconds = new double[opt.seeds()];
        Map<String, Integer> formulas = new TreeMap<>();
        for (int seed = 1; seed <= opt.seeds(); seed++) {
            TaskData data = new TaskData(task, TESTS, seed);
            TrainingConfig config = TrainingConfig.defaults(seed, opt.steps()).withPopulation(opt.population())
                    .withLearningRate(opt.learningRate()).withType(opt.type()).withEvaluateEvery(1000);
            long start = System.nanoTime();
            TrainingResult result = new Trainer(spec, data, config).run(p -> { }, () -> false);
            Snapper.Snap snap = Snapper.snap(result.network(), data.validationSet());
            seconds[seed - 1] = (System.nanoTime() - start) / 1e9;
            boolean exact = snap.matchesNetwork() && snap.firstMismatch(far) < 0;
            boolean meets = true;
            for (int i = 0; i < TESTS.size(); i++) {
                meets &= result.extrapolationMse()[i][result.selected()] < data.extrapolation().get(i).threshold();
            }
            found += exact ? 1 : 0;
            criterion += meets ? 1 : 0;
            String text = snap.text(task.variables()) + (exact ? "" : " (not exact)");
            formulas.merge(text, 1, Integer::sum);
            System.out.printf(Locale.ROOT, "  %s seed %d: %s, criterion %s, %.1f s%n", op, seed, text, meets ? "met" : "missed",
                    seconds[seed - 1]);
        }
        return new Row(op, spec.describe(), found, criterion, opt.seeds(), StepBenchmark.median(seconds), formulas);
    }

    static Options parse(String[] args) {
        List<String> ops = List.of("a + b", "a - b", "a * b", "a / b");
        int seeds = 10;
        long steps = 20_000;
        int population = 16;
        double lr = 0.01;
        DataType type = DataType.FLOAT;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--float64")) {
                type = DataType.DOUBLE;
                continue;
            }
            String v = i + 1 < args.length ? args[i + 1] : null;
            if (v == null) {
                usage(a + " needs a value");
            }
            switch (a) {
                case "--seeds" -> seeds = Integer.parseInt(v);
                case "--steps" -> steps = Long.parseLong(v);
                case "--population" -> population = Integer.parseInt(v);
                case "--lr" -> lr = Double.parseDouble(v);
                case "--ops" -> ops = Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
                default -> usage("unknown option " + a);
            }
            i++;
        }
        return new Options(ops, seeds, steps, population, lr, type);
    }

    private static void usage(String problem) {
        System.err.println("error: " + problem);
        System.err.println("usage: SeedBenchmark [--seeds N] [--steps N] [--population K] [--lr X] [--ops \"a + b,a * b\"] [--float64]");
        System.exit(2);
    }
}
