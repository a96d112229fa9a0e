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
import dev.nalu.compute.Unit;
import dev.nalu.evaluation.WilsonInterval;
import dev.nalu.task.ArithmeticTask;
import dev.nalu.task.RecurrentArithmeticTask;
import dev.nalu.task.SequenceTaskData;

/**
 * Success rates on the recurrent arithmetic task (docs/papers.md §6), a markdown table per op for
 * docs/results/recurrent.md. A plain main program.
 *
 * <p>For each op and model, one population run per seed (K members, sharing the seed's subsets and
 * batches) trains on length 10. Each member is then judged on its own: if its cell and head snap
 * (NAU/NMU) and the snapped network is below the validation threshold at length 10, the snapped
 * network is the one measured, else the network as trained; it succeeds when its float64 MSE on
 * the length-1000 set is below that set's ε-threshold. Nothing about length 1000 decides what is
 * measured. A member counts as one seed, as in docs/results/madsen.md.
 *
 * <p>Usage: {@code RecurrentBenchmark [--ops add,mul] [--models nau,nmu,nalu,lstm] [--seeds N]
 * [--members K] [--steps N] [--rows N]}.
 */
public final class RecurrentBenchmark {
    private RecurrentBenchmark() {
    }

    public static void main(String[] args) {
        List<ArithmeticTask.Op> ops = List.of(ArithmeticTask.Op.ADD, ArithmeticTask.Op.MUL);
        List<CellKind> cells = List.of(CellKind.NAU, CellKind.NMU, CellKind.NALU, CellKind.LSTM);
        int seeds = 1;
        int members = 16;
        long steps = 5000;
        int rows = 512;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--ops" -> ops = Arrays.stream(args[++i].split(",")).map(ArithmeticTask.Op::parse).toList();
                    case "--models" -> cells = Arrays.stream(args[++i].split(",")).map(CellKind::parse).toList();
                    case "--seeds" -> seeds = Integer.parseInt(args[++i]);
                    case "--members" -> members = Integer.parseInt(args[++i]);
                    case "--steps" -> steps = Long.parseLong(args[++i]);
                    case "--rows" -> rows = Integer.parseInt(args[++i]);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (seeds < 1 || members < 1 || members > TrainingConfig.MAX_POPULATION || steps < 1 || rows < 1) {
                throw new IllegalArgumentException("seeds, members, steps and rows must be positive (members ≤ 256)");
            }
        } catch (RuntimeException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println("usage: RecurrentBenchmark [--ops add,mul] [--models nau,nmu,nalu,lstm] [--seeds N]"
                    + " [--members K] [--steps N] [--rows N]");
            System.exit(2);
            return;
        }
        long started = System.nanoTime();
        System.out.println(BenchmarkEnvironment.line() + ", started " + Instant.now());
        System.out.printf(Locale.ROOT, "%d seed(s) × %d members, %d steps, batch 64, Adam lr 1e-2 decaying from 70%%,"
                + " λ̂ = 1 linear from 1/3 to 2/3 of the steps; train and validate on length 10, test on length 1000;"
                + " validation and test sets of %d rows%n", seeds, members, steps, rows);
        for (ArithmeticTask.Op op : ops) {
            System.out.println();
            System.out.println("## " + op.name().toLowerCase(Locale.ROOT) + " (" + op.symbol() + ")");
            System.out.println();
            System.out.println("| model | architecture | members | success at length 1000 | 95% interval (Wilson) | of them snapped | selected member |");
            System.out.println("| --- | --- | --- | --- | --- | --- | --- |");
            for (CellKind cell : cells) {
                SequenceSpec spec = SequenceSpec.of(RecurrentArithmeticTask.DEFAULT_INPUTS, cell);
                if (cell == CellKind.NAU) {
                    spec = spec.withHead(op == ArithmeticTask.Op.ADD || op == ArithmeticTask.Op.SUB ? Unit.NAU : Unit.NMU);
                }
                int success = 0;
                int snapped = 0;
                int total = 0;
                List<String> selected = new ArrayList<>();
                for (int seed = 1; seed <= seeds; seed++) {
                    RecurrentArithmeticTask task = new RecurrentArithmeticTask(op, seed);
                    SequenceTaskData data = new SequenceTaskData(task, seed, 10, List.of(1000), rows, rows);
                    TrainingConfig config = TrainingConfig.defaults(seed, steps).withPopulation(members).withBatchSize(64)
                            .withLearningRate(1e-2).withEvaluateEvery((int) steps).withSplitInputMean(false)
                            .withType(DataType.FLOAT);
                    SequenceResult result = new SequenceTrainer(spec, data, config,
                            SequenceRegulariser.linear(1, steps / 3, 2 * steps / 3)).run(p -> { }, () -> false);
                    SequenceData.EvalSet validation = data.validation();
                    SequenceData.EvalSet far = data.extrapolation().get(0);
                    for (int k = 0; k < members; k++) {
                        Judged j = judge(result.members().get(k), validation, far);
                        total++;
                        if (j.success()) {
                            success++;
                            if (j.snapped()) {
                                snapped++;
                            }
                        }
                        if (k == result.selected()) {
                            selected.add(j.success() ? "yes" : "no");
                        }
                    }
                }
                WilsonInterval w = WilsonInterval.of(success, total);
                System.out.printf(Locale.ROOT, "| %s | %s | %d | %d/%d (%.0f%%) | [%.0f%%, %.0f%%] | %d | %s |%n",
                        cell.label(), spec.describe(), total, success, total, 100.0 * success / total,
                        100 * w.lower(), 100 * w.upper(), snapped, String.join(", ", selected));
            }
        }
        System.out.printf(Locale.ROOT, "%n%s; %.1f min%n", BenchmarkEnvironment.endLine(), (System.nanoTime() - started) / 6e10);
    }

    record Judged(boolean success, boolean snapped) {
    }

    static Judged judge(SequenceNetwork network, SequenceData.EvalSet validation, SequenceData.EvalSet far) {
        SequenceNetwork snapped = network.snapped();
        boolean useSnapped = snapped != null && SequenceTrainer.mse(snapped, validation) < validation.threshold();
        SequenceNetwork judged = useSnapped ? snapped : network;
        double mse = SequenceTrainer.mse(judged, far);
        return new Judged(mse < far.threshold(), useSnapped);
    }
}
