package dev.nalu.bench;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.nd4j.linalg.api.buffer.DataType;

import dev.nalu.compute.CellKind;
import dev.nalu.compute.MacRefit;
import dev.nalu.compute.SequenceNetwork;
import dev.nalu.compute.SequenceRegulariser;
import dev.nalu.compute.SequenceResult;
import dev.nalu.compute.SequenceSpec;
import dev.nalu.compute.SequenceTrainer;
import dev.nalu.compute.TrainingConfig;
import dev.nalu.compute.Unit;
import dev.nalu.task.NumberWords;
import dev.nalu.task.NumberWordsTask;

/**
 * Number words to values (Trask et al. 2018, Table 3; docs/sequence.md, "Number words"): mean
 * absolute error on the training, validation and test splits per head, a markdown table for
 * docs/results/number-words.md. A plain main program.
 *
 * <p>Model: embedding (29 tokens → {@code --embedding} values) → encoder ({@code --encoder}, hidden
 * {@code --hidden}) → head on the final state; with {@code --encoder mac} the MAC cell reads the
 * tokens through its own tables, h_t = h_{t−1} ⊙ M[w_t] + A[w_t], without an embedding. Per head and
 * seed one population run with the snap stop (docs/sequence.md): every {@code --evaluate} steps each
 * member's snapped network (MAC, NAU or NMU cell with an NAU or NMU head only) is tried on the
 * validation split, and the first that gets every validation number exactly ends the run and is
 * reported ("exact": yes (snap stop)); otherwise, for a MAC cell, the job's last stage refits and snaps
 * the best members on the training split ({@link MacRefit}), and an integer network that gets every
 * validation number right is reported ("exact": yes (refit)); otherwise the member with the lowest
 * validation MSE is (the test split never selects or stops anything).
 *
 * <p>Usage: {@code NumberWordsBenchmark [--heads dense,nac,nalu,nau] [--encoder lstm|gru|mac]
 * [--embedding D] [--hidden H] [--seeds N] [--first S] [--members K] [--steps N] [--lr X] [--batch B]
 * [--evaluate N] [--lambda X] [--ramp START:END]}; {@code --lambda} is λ̂ of the NAU/NMU/MAC regulariser
 * λ̂·(1 − e^(−10⁻⁵ t)) (default 0.1, the reference script's), or, with {@code --ramp}, λ̂ linear from
 * step START to END.
 */
public final class NumberWordsBenchmark {
    private NumberWordsBenchmark() {
    }

    public static void main(String[] args) {
        List<Unit> heads = List.of(Unit.DENSE, Unit.NAC_ADD, Unit.NALU, Unit.NAU);
        CellKind encoder = CellKind.LSTM;
        int embedding = 16;
        int hidden = 10;
        int seeds = 1;
        int first = 1;
        int evaluate = 250;
        double lambda = 0.1;
        long[] ramp = null;
        int members = 8;
        long steps = 2000;
        double lr = 0.1;
        int batch = 64;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--heads" -> heads = Arrays.stream(args[++i].split(",")).map(Unit::parse).toList();
                    case "--encoder" -> encoder = CellKind.parse(args[++i]);
                    case "--embedding" -> embedding = Integer.parseInt(args[++i]);
                    case "--hidden" -> hidden = Integer.parseInt(args[++i]);
                    case "--seeds" -> seeds = Integer.parseInt(args[++i]);
                    case "--first" -> first = Integer.parseInt(args[++i]);
                    case "--evaluate" -> evaluate = Integer.parseInt(args[++i]);
                    case "--lambda" -> lambda = Double.parseDouble(args[++i]);
                    case "--ramp" -> ramp = Arrays.stream(args[++i].split(":")).mapToLong(Long::parseLong).toArray();
                    case "--members" -> members = Integer.parseInt(args[++i]);
                    case "--steps" -> steps = Long.parseLong(args[++i]);
                    case "--lr" -> lr = Double.parseDouble(args[++i]);
                    case "--batch" -> batch = Integer.parseInt(args[++i]);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (seeds < 1 || members < 1 || members > TrainingConfig.MAX_POPULATION || steps < 1 || embedding < 1
                    || hidden < 1 || batch < 1 || evaluate < 1 || !(lr > 0) || !(lambda >= 0)
                    || (ramp != null && (ramp.length != 2 || ramp[0] < 0 || ramp[1] < ramp[0]))) {
                throw new IllegalArgumentException("every number must be positive (members ≤ 256)");
            }
        } catch (RuntimeException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println("usage: NumberWordsBenchmark [--heads dense,nac,nalu,nau] [--encoder lstm|gru|mac] [--embedding D]"
                    + " [--hidden H] [--seeds N] [--first S] [--members K] [--steps N] [--lr X] [--batch B] [--evaluate N]"
                    + " [--lambda X] [--ramp START:END]");
            System.exit(2);
            return;
        }
        long started = System.nanoTime();
        System.out.println(BenchmarkEnvironment.line() + ", started " + Instant.now());
        System.out.printf(Locale.ROOT, "%d seed(s) from %d × %d members, at most %d steps, batch %d, Adam lr %s decaying"
                + " from 70%%, regulariser %s, snap check every %d steps; splits %d / %d / %d (seeded per"
                + " run); MAE of the exact snapped or refitted member, else of the member with the lowest validation MSE%n%n", seeds,
                first, members, steps, batch, lr, ramp != null ? lambda + " linear from step " + ramp[0] + " to " + ramp[1]
                : lambda + "·(1 − e^(−10⁻⁵ t))", evaluate, NumberWordsTask.TRAIN, NumberWordsTask.VALIDATION,
                NumberWordsTask.TEST);
        System.out.println("| model | seed | train MAE | validation MAE | test MAE | exact | steps | minutes |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- |");
        SequenceRegulariser regulariser = ramp != null ? SequenceRegulariser.linear(lambda, ramp[0], ramp[1])
                : new SequenceRegulariser(lambda, SequenceRegulariser.Shape.EXPONENTIAL, 0, 0, 1e-5);
        for (Unit head : heads) {
            SequenceSpec spec = (encoder.readsOneHot() ? SequenceSpec.oneHotTokens(NumberWords.VOCABULARY, encoder)
                    : SequenceSpec.tokens(NumberWords.VOCABULARY, embedding, encoder)).withHidden(hidden).withHead(head);
            for (int seed = first; seed < first + seeds; seed++) {
                long t0 = System.nanoTime();
                NumberWordsTask data = new NumberWordsTask(seed);
                TrainingConfig config = TrainingConfig.defaults(seed, steps).withPopulation(members).withBatchSize(batch)
                        .withLearningRate(lr).withEvaluateEvery((int) Math.min(evaluate, steps)).withSplitInputMean(false)
                        .withType(DataType.FLOAT);
                SequenceTrainer trainer = new SequenceTrainer(spec, data, config, regulariser);
                SequenceResult result = trainer.run(p -> { }, () -> false, true);
                SequenceNetwork network = result.network();
                String exact = result.snapped() ? "yes (snap stop)" : "no";
                if (!result.snapped()) {
                    // the job's last stage for a MAC model: refit and snap on the training rows, accepted on validation
                    MacRefit.Choice refit = MacRefit.snapBest(trainer.model(), result.validationMse(), data.trainSet(),
                            data.validation(), MacRefit.TRIES);
                    if (refit != null) {
                        network = refit.network();
                        exact = "yes (refit)";
                    }
                }
                System.out.printf(Locale.ROOT, "| %s | %d | %.3f | %.3f | %.3f | %s | %d | %.1f |%n", spec.describe(), seed,
                        NumberWordsTask.mae(network, data.trainSet()), NumberWordsTask.mae(network, data.validation()),
                        NumberWordsTask.mae(network, data.extrapolation().get(0)), exact,
                        result.steps(), (System.nanoTime() - t0) / 6e10);
            }
        }
        System.out.printf(Locale.ROOT, "%n%s; %.1f min%n", BenchmarkEnvironment.endLine(), (System.nanoTime() - started) / 6e10);
    }
}
