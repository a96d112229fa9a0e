package dev.nalu.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.nd4j.linalg.api.buffer.DataType;

import dev.nalu.compute.CellKind;
import dev.nalu.compute.SequenceData;
import dev.nalu.compute.SequenceNetwork;
import dev.nalu.compute.SequenceRegulariser;
import dev.nalu.compute.SequenceResult;
import dev.nalu.compute.SequenceSpec;
import dev.nalu.compute.SequenceTrainer;
import dev.nalu.compute.TrainingConfig;
import dev.nalu.task.CountingTask;
import dev.nalu.task.RunningTotalTask;
import dev.nalu.task.SequenceAutoModel;
import dev.nalu.task.SequenceTask;
import dev.nalu.task.SequenceTaskData;

/**
 * Counting symbols (docs/sequence.md, "Counting") and, with {@code --task sum|product}, the running totals
 * (docs/sequence.md, "Tasks"): accuracy by length, a markdown table for docs/results/counting.md. A plain
 * main program.
 *
 * <p>Per model and seed, one population run trains on length 10. The selected member (lowest
 * validation MSE at length 10) is measured as trained and, for an NAU or NMU cell with an NAU or NMU
 * head, snapped when its snapped network is below the validation threshold; nothing longer than 10
 * decides anything. Reported at the validation length and each test length: for counting, the fraction
 * of sequences whose every rounded count is right; for a running total, the largest relative error over
 * the set's sequences; and whether the MSE is below the ε-threshold there. A running total's model
 * "auto" is the job's ({@link SequenceAutoModel}: an NAU cell and head for the sum, an NMU cell and head
 * for the product); a cell named in {@code --models} gets hidden 2 and its own head.
 *
 * <p>Usage: {@code CountingBenchmark [--task count|sum|product] [--symbols K] [--models nau,lstm]
 * [--seeds N] [--members K] [--steps N] [--rows N] [--lengths 100,1000]}.
 */
public final class CountingBenchmark {
    private CountingBenchmark() {
    }

    public static void main(String[] args) {
        int symbols = CountingTask.DEFAULT_SYMBOLS;
        String kind = "count";
        List<String> models = List.of("nau", "lstm");
        int seeds = 1;
        int members = 8;
        long steps = 3000;
        int rows = 256;
        List<Integer> lengths = List.of(100, 1000);
        double lambda = 1;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--task" -> kind = args[++i];
                    case "--symbols" -> symbols = Integer.parseInt(args[++i]);
                    case "--models" -> models = List.of(args[++i].split(","));
                    case "--seeds" -> seeds = Integer.parseInt(args[++i]);
                    case "--members" -> members = Integer.parseInt(args[++i]);
                    case "--steps" -> steps = Long.parseLong(args[++i]);
                    case "--rows" -> rows = Integer.parseInt(args[++i]);
                    case "--lambda" -> lambda = Double.parseDouble(args[++i]);
                    case "--lengths" -> lengths = Arrays.stream(args[++i].split(",")).map(Integer::valueOf).toList();
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (seeds < 1 || members < 1 || members > TrainingConfig.MAX_POPULATION || steps < 1 || rows < 1) {
                throw new IllegalArgumentException("seeds, members, steps and rows must be positive (members ≤ 256)");
            }
            if (!List.of("count", "sum", "product").contains(kind)) {
                throw new IllegalArgumentException("--task is count, sum or product");
            }
            for (String m : models) {
                if (!(m.equals("auto") && !kind.equals("count"))) {
                    CellKind.parse(m);
                }
            }
        } catch (RuntimeException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println("usage: CountingBenchmark [--task count|sum|product] [--symbols K] [--models nau,lstm]"
                    + " [--seeds N] [--members K]"
                    + " [--steps N] [--rows N] [--lengths 100,1000]");
            System.exit(2);
            return;
        }
        long started = System.nanoTime();
        System.out.println(BenchmarkEnvironment.line() + ", started " + Instant.now());
        boolean counting = kind.equals("count");
        SequenceTask task = counting ? new CountingTask(symbols)
                : new RunningTotalTask(kind.equals("sum") ? RunningTotalTask.Kind.SUM : RunningTotalTask.Kind.PRODUCT);
        System.out.printf(Locale.ROOT, "%s; %d seed(s) × %d members, %d steps, batch 64, Adam lr 1e-2"
                + " decaying from 70%%, λ̂ = %s linear from 1/3 to 2/3 of the steps; train and validate on length 10;"
                + " validation and test sets of %d rows; %s%n%n", counting ? "counting " + symbols + " symbols"
                : "running " + kind + " over " + task.trainDomain(), seeds, members, steps, lambda, rows, counting
                ? "a cell: the share of sequences whose every rounded count is right" : "a cell: the largest relative error");
        StringBuilder header = new StringBuilder("| model | seed | members exact when snapped | measured | length 10");
        StringBuilder rule = new StringBuilder("| --- | --- | --- | --- | ---");
        for (int length : lengths) {
            header.append(" | length ").append(length);
            rule.append(" | ---");
        }
        System.out.println(header.append(" |"));
        System.out.println(rule.append(" |"));
        List<String> formulas = new ArrayList<>();
        for (String model : models) {
            SequenceSpec spec = counting ? SequenceSpec.of(symbols, CellKind.parse(model)).withHidden(symbols)
                    .withOutputs(symbols) : model.equals("auto") ? SequenceAutoModel.choose(kind, 1).spec()
                    : SequenceSpec.of(1, CellKind.parse(model)).withHidden(2);
            for (int seed = 1; seed <= seeds; seed++) {
                SequenceTaskData data = new SequenceTaskData(task, seed, 10, lengths, rows, rows);
                TrainingConfig config = TrainingConfig.defaults(seed, steps).withPopulation(members).withBatchSize(64)
                        .withLearningRate(1e-2).withEvaluateEvery((int) steps).withSplitInputMean(false)
                        .withType(DataType.FLOAT);
                SequenceResult result = new SequenceTrainer(spec, data, config,
                        SequenceRegulariser.linear(lambda, steps / 3, 2 * steps / 3)).run(p -> { }, () -> false);
                int exact = 0;
                for (SequenceNetwork member : result.members()) {
                    SequenceNetwork s = member.snapped();
                    exact += s != null && SequenceTrainer.mse(s, data.validation()) < data.validation().threshold() ? 1 : 0;
                }
                SequenceNetwork network = result.network();
                SequenceNetwork snapped = network.snapped();
                boolean useSnapped = snapped != null
                        && SequenceTrainer.mse(snapped, data.validation()) < data.validation().threshold();
                SequenceNetwork measured = useSnapped ? snapped : network;
                List<String> cellsOfRow = new ArrayList<>();
                cellsOfRow.add(score(measured, data.validation(), counting));
                for (SequenceData.EvalSet set : data.extrapolation()) {
                    cellsOfRow.add(score(measured, set, counting));
                }
                System.out.printf(Locale.ROOT, "| %s | %d | %d of %d | %s | %s |%n", spec.describe(), seed, exact, members,
                        useSnapped ? "snapped" : "as trained", String.join(" | ", cellsOfRow));
                if (useSnapped) {
                    formulas.add("- " + spec.describe() + ", seed " + seed + ": `" + String.join("; ", snapped.formula()) + "`");
                }
            }
        }
        if (!formulas.isEmpty()) {
            // after the table, so that it stays one table
            System.out.println();
            System.out.println("Snapped networks:");
            System.out.println();
            formulas.forEach(System.out::println);
        }
        System.out.printf(Locale.ROOT, "%n%s; %.1f min%n", BenchmarkEnvironment.endLine(), (System.nanoTime() - started) / 6e10);
    }

    /**
     * Counting: "100.0% (ε: yes)", the sequences whose rounded counts are all right; a running total: "2.1e-16 (ε: yes)",
     * the largest relative error; each with whether the MSE is below the ε-threshold.
     */
    private static String score(SequenceNetwork network, SequenceData.EvalSet set, boolean counting) {
        boolean below = SequenceTrainer.mse(network, set) < set.threshold();
        if (counting) {
            CountingTask.Accuracy a = CountingTask.accuracy(network, set);
            return String.format(Locale.ROOT, "%.1f%% (ε: %s)", 100 * a.sequences(), below ? "yes" : "no");
        }
        double[] worst = {0};
        network.predictSet(set, (rows, p, y) -> {
            for (int r = 0; r < rows; r++) {
                worst[0] = Math.max(worst[0], Math.abs(p[r] - y[r]) / Math.max(Math.abs(y[r]), Double.MIN_NORMAL));
            }
        });
        return String.format(Locale.ROOT, "%s (ε: %s)", Stats.number(worst[0]), below ? "yes" : "no");
    }
}
