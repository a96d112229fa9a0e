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
import dev.nalu.task.SequenceTaskData;

/**
 * Counting symbols (docs/sequence.md, "Counting"): accuracy of the rounded counts by length, a
 * markdown table for docs/results/counting.md. A plain main program.
 *
 * <p>Per model and seed, one population run trains on length 10. The selected member (lowest
 * validation MSE at length 10) is measured as trained and, for an NAU cell with an NAU head, snapped
 * when its snapped network is below the validation threshold; nothing longer than 10 decides
 * anything. Reported: the fraction of test sequences whose every rounded count is right, at the
 * validation length and each test length, and whether the MSE is below the ε-threshold there.
 *
 * <p>Usage: {@code CountingBenchmark [--symbols K] [--models nau,lstm] [--seeds N] [--members K]
 * [--steps N] [--rows N] [--lengths 100,1000]}.
 */
public final class CountingBenchmark {
    private CountingBenchmark() {
    }

    public static void main(String[] args) {
        int symbols = CountingTask.DEFAULT_SYMBOLS;
        List<CellKind> cells = List.of(CellKind.NAU, CellKind.LSTM);
        int seeds = 1;
        int members = 8;
        long steps = 3000;
        int rows = 256;
        List<Integer> lengths = List.of(100, 1000);
        double lambda = 1;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--symbols" -> symbols = Integer.parseInt(args[++i]);
                    case "--models" -> cells = Arrays.stream(args[++i].split(",")).map(CellKind::parse).toList();
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
        } catch (RuntimeException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println("usage: CountingBenchmark [--symbols K] [--models nau,lstm] [--seeds N] [--members K]"
                    + " [--steps N] [--rows N] [--lengths 100,1000]");
            System.exit(2);
            return;
        }
        long started = System.nanoTime();
        System.out.println(BenchmarkEnvironment.line() + ", started " + Instant.now());
        System.out.printf(Locale.ROOT, "counting %d symbols; %d seed(s) × %d members, %d steps, batch 64, Adam lr 1e-2"
                + " decaying from 70%%, λ̂ = %s linear from 1/3 to 2/3 of the steps; train and validate on length 10;"
                + " validation and test sets of %d rows%n%n", symbols, seeds, members, steps, lambda, rows);
        StringBuilder header = new StringBuilder("| model | seed | members exact when snapped | measured | length 10");
        StringBuilder rule = new StringBuilder("| --- | --- | --- | --- | ---");
        for (int length : lengths) {
            header.append(" | length ").append(length);
            rule.append(" | ---");
        }
        System.out.println(header.append(" |"));
        System.out.println(rule.append(" |"));
        CountingTask task = new CountingTask(symbols);
        List<String> formulas = new ArrayList<>();
        for (CellKind cell : cells) {
            SequenceSpec spec = SequenceSpec.of(symbols, cell).withHidden(symbols).withOutputs(symbols);
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
                cellsOfRow.add(score(measured, data.validation()));
                for (SequenceData.EvalSet set : data.extrapolation()) {
                    cellsOfRow.add(score(measured, set));
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

    /** "100.0% (ε: yes)": sequences whose rounded counts are all right, and whether the MSE is below the ε-threshold. */
    private static String score(SequenceNetwork network, SequenceData.EvalSet set) {
        CountingTask.Accuracy a = CountingTask.accuracy(network, set);
        boolean below = SequenceTrainer.mse(network, set) < set.threshold();
        return String.format(Locale.ROOT, "%.1f%% (ε: %s)", 100 * a.sequences(), below ? "yes" : "no");
    }
}
