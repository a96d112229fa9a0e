package dev.nalu.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.nd4j.linalg.api.buffer.DataType;

import dev.nalu.compute.CellKind;
import dev.nalu.compute.SequenceRegulariser;
import dev.nalu.compute.SequenceResult;
import dev.nalu.compute.SequenceSpec;
import dev.nalu.compute.SequenceTrainer;
import dev.nalu.compute.TrainingConfig;
import dev.nalu.task.ArithmeticTask;
import dev.nalu.task.RecurrentArithmeticTask;
import dev.nalu.task.SequenceTaskData;

/**
 * Training throughput of the recurrent cells: the NAU cell → NAU head and the NMU cell → NMU head
 * (hidden size 2) on the recurrent arithmetic task (10 values a step, sequences of length 10),
 * batch 128, Adam, float32, regulariser on, for several population sizes K. A plain main program
 * (no Spring); docs/performance.md says how to run it and bench/recurrent_torch.py is the same
 * measurement in PyTorch.
 *
 * <p>What is timed: {@link SequenceTrainer#run} with one progress report after the last step; the
 * figure is the trainer's own member-steps/s over its step loop (batch sampling, forward over the
 * 10 time steps, loss, backpropagation through time, regulariser, Adam, clamping), which stops
 * before that report's evaluation. One member-step is one optimiser step of one member on a batch
 * of 128 sequences of 10 steps; member-time-steps/s is that times 10. Each configuration is warmed
 * up with a separate run, then timed {@code --repeats} times with fresh trainers; the median is printed.
 *
 * <p>Usage: {@code RecurrentStepBenchmark [K ...] [--steps N] [--warmup N] [--repeats N]}.
 */
public final class RecurrentStepBenchmark {
    private static final int BATCH = 128;
    private static final int LENGTH = 10;

    private RecurrentStepBenchmark() {
    }

    public static void main(String[] args) {
        List<Integer> ks = new ArrayList<>();
        long steps = 500;
        long warmup = 200;
        int repeats = 3;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--steps" -> steps = Long.parseLong(args[++i]);
                    case "--warmup" -> warmup = Long.parseLong(args[++i]);
                    case "--repeats" -> repeats = Integer.parseInt(args[++i]);
                    default -> ks.add(Integer.parseInt(args[i]));
                }
            }
            if (steps < 1 || warmup < 0 || repeats < 1) {
                throw new IllegalArgumentException("steps and repeats must be positive");
            }
            for (int k : ks) {
                if (k < 1 || k > TrainingConfig.MAX_POPULATION) {
                    throw new IllegalArgumentException("K must be in 1.." + TrainingConfig.MAX_POPULATION);
                }
            }
        } catch (RuntimeException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println("usage: RecurrentStepBenchmark [K ...] [--steps N] [--warmup N] [--repeats N]");
            System.exit(2);
            return;
        }
        if (ks.isEmpty()) {
            ks = List.of(1, 64, 256);
        }
        System.out.println(BenchmarkEnvironment.line());
        System.out.printf(Locale.ROOT, "task recurrent arithmetic MUL (10 values a step, length %d), batch %d, Adam lr 1e-3,"
                + " float32, regulariser on; warm-up %d steps, timed %d steps × %d repeats (median)%n", LENGTH, BATCH, warmup, steps, repeats);
        SequenceTaskData data = new SequenceTaskData(new RecurrentArithmeticTask(ArithmeticTask.Op.MUL, 1), 1, LENGTH,
                List.of(), 16, 16);
        System.out.printf(Locale.ROOT, "%-30s %5s %10s %10s %16s %21s  %s%n", "model", "K", "steps/s", "ms/step",
                "member-steps/s", "member-time-steps/s", "runs (member-steps/s)");
        for (CellKind cell : List.of(CellKind.NAU, CellKind.NMU)) {
            SequenceSpec spec = SequenceSpec.of(RecurrentArithmeticTask.DEFAULT_INPUTS, cell);
            for (int k : ks) {
                double[] runs = new double[repeats];
                TrainingConfig base = TrainingConfig.defaults(1, steps).withPopulation(k).withBatchSize(BATCH)
                        .withType(DataType.FLOAT).withSplitInputMean(false);
                if (warmup > 0) {
                    new SequenceTrainer(spec, data, base.withSteps(warmup).withEvaluateEvery((int) warmup),
                            SequenceRegulariser.linear(10, 0, warmup)).run(p -> { }, () -> false);
                }
                for (int r = 0; r < repeats; r++) {
                    SequenceResult result = new SequenceTrainer(spec, data, base.withSeed(r + 1).withEvaluateEvery((int) steps),
                            SequenceRegulariser.linear(10, 0, steps)).run(p -> { }, () -> false);
                    runs[r] = result.history().get(result.history().size() - 1).memberStepsPerSecond();
                }
                double median = median(runs);
                System.out.printf(Locale.ROOT, "%-30s %5d %10.1f %10.3f %16.0f %21.0f  %s%n", spec.describe(), k, median / k,
                        1e3 * k / median, median, median * LENGTH,
                        String.join(" ", Arrays.stream(runs).mapToObj(v -> String.format(Locale.ROOT, "%.0f", v)).toList()));
            }
        }
        System.out.println(BenchmarkEnvironment.endLine());
    }

    static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
