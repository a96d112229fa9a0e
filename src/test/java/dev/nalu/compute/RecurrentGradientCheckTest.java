package dev.nalu.compute;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.assertj.core.data.Offset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Finite differences in float64 prove every recurrent cell's backpropagation through time: over a
 * sequence of 4 steps, 3 members, every parameter (the initial state included) of the cell and its
 * head. They also prove that each member's float64 {@link SequenceNetwork} computes what the
 * population computes, and that a forward-only evaluation batch agrees with the training batch.
 */
class RecurrentGradientCheckTest {
    private static final int MEMBERS = 3;
    private static final int ROWS = 4;
    private static final int LENGTH = 4;
    private static final int INPUTS = 3;

    static Stream<Arguments> specs() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (CellKind kind : CellKind.values()) {
            b.add(Arguments.of(kind + " cell", SequenceSpec.of(INPUTS, kind)));
        }
        b.add(Arguments.of("NAU cell, NMU head", SequenceSpec.of(INPUTS, CellKind.NAU).withHead(Unit.NMU)));
        b.add(Arguments.of("NMU cell, hidden 3", SequenceSpec.of(INPUTS, CellKind.NMU).withHidden(3)));
        b.add(Arguments.of("LSTM cell, hidden 3", SequenceSpec.of(INPUTS, CellKind.LSTM).withHidden(3)));
        b.add(Arguments.of("NAU cell, NAU head, 3 outputs", SequenceSpec.of(INPUTS, CellKind.NAU).withHidden(3).withOutputs(3)));
        b.add(Arguments.of("GRU cell, 2 outputs", SequenceSpec.of(INPUTS, CellKind.GRU).withOutputs(2)));
        return b.build();
    }

    /**
     * Token models: an embedding of 5 tokens (ids 1 … 5, 0 padding) in front of each cell that can read one,
     * and the MAC cell, which reads the one-hot tokens through its own tables.
     */
    static Stream<Arguments> tokenSpecs() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (CellKind kind : CellKind.values()) {
            if (kind.embeds()) {
                b.add(Arguments.of(kind + " cell reading tokens", SequenceSpec.tokens(VOCABULARY, 3, kind)));
            }
        }
        b.add(Arguments.of("embedding → LSTM(3) → NALU head",
                SequenceSpec.tokens(VOCABULARY, 2, CellKind.LSTM).withHidden(3).withHead(Unit.NALU)));
        b.add(Arguments.of("embedding → GRU → NAU head, 2 outputs",
                SequenceSpec.tokens(VOCABULARY, 4, CellKind.GRU).withHead(Unit.NAU).withOutputs(2)));
        b.add(Arguments.of("MAC cell reading one-hot tokens", SequenceSpec.oneHotTokens(VOCABULARY, CellKind.MAC)));
        b.add(Arguments.of("MAC cell reading one-hot tokens, hidden 3, NMU head",
                SequenceSpec.oneHotTokens(VOCABULARY, CellKind.MAC).withHidden(3).withHead(Unit.NMU)));
        return b.build();
    }

    private static final int VOCABULARY = 5;

    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    void bpttMatchesFiniteDifferences(String name, SequenceSpec spec) {
        SplittableRandom rng = new SplittableRandom(11);
        double[] x = new double[ROWS * LENGTH * INPUTS];
        for (int i = 0; i < x.length; i++) {
            x[i] = (rng.nextBoolean() ? 1 : -1) * (0.5 + rng.nextDouble());
        }
        check(name, spec, x, rng);
    }

    /**
     * Token ids, with padding (0) at the end of some rows and in the middle of one, so the masked
     * steps, the embedding's gradient and the float64 reference's skipping of padding all show.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("tokenSpecs")
    void bpttThroughTheEmbeddingMatchesFiniteDifferences(String name, SequenceSpec spec) {
        SplittableRandom rng = new SplittableRandom(12);
        double[] x = {1, 2, 3, 4, 5, 5, 0, 0, 2, 0, 1, 0, 3, 1, 4, 2};
        check(name, spec, x, rng);
    }

    private static void check(String name, SequenceSpec spec, double[] x, SplittableRandom rng) {
        SequenceModel model = new SequenceModel(spec, MEMBERS, DataType.DOUBLE);
        for (int k = 0; k < MEMBERS; k++) {
            model.initialise(k, 200 + k);
        }
        // move off symmetric starting points (zero initial states, gates at ½) so every term shows
        double[] v = model.values.toDoubleVector();
        for (int i = 0; i < v.length; i++) {
            v[i] += 0.3 * (rng.nextDouble() - 0.5);
        }
        model.values.assign(Nd4j.createFromArray(v));

        double[] t = new double[ROWS * spec.outputs()];
        for (int i = 0; i < t.length; i++) {
            t[i] = rng.nextDouble() * 4 - 2;
        }
        SequenceModel.Batch batch = model.newBatch(ROWS, LENGTH);
        batch.load(x, t);
        batch.forward();
        batch.backward();
        double[] analytic = model.grads.toDoubleVector();

        INDArray values = model.values;
        double h = 1e-6;
        for (int i = 0; i < analytic.length; i++) {
            double orig = values.getDouble(i);
            values.putScalar(i, orig + h);
            double plus = totalLoss(batch);
            values.putScalar(i, orig - h);
            double minus = totalLoss(batch);
            values.putScalar(i, orig);
            double numeric = (plus - minus) / (2 * h);
            double scale = Math.max(1, Math.max(Math.abs(numeric), Math.abs(analytic[i])));
            assertThat(Math.abs(numeric - analytic[i]) / scale)
                    .as("%s: d loss / d param[%d] analytic %s numeric %s", name, i, analytic[i], numeric)
                    .isLessThan(1e-5);
        }

        batch.forward();
        SequenceModel.Batch evaluation = model.newEvaluation(ROWS, LENGTH);
        evaluation.load(x, t);
        evaluation.forward();
        for (int k = 0; k < MEMBERS; k++) {
            double[] population = batch.predictions(k);
            double[] forwardOnly = evaluation.predictions(k);
            double[] reference = model.network(k).predict(x, ROWS, LENGTH);
            for (int r = 0; r < ROWS * spec.outputs(); r++) {
                Offset<Double> tolerance = Offset.offset(1e-9 * Math.max(1, Math.abs(reference[r])));
                assertThat(population[r]).as("%s member %d row %d", name, k, r).isCloseTo(reference[r], tolerance);
                assertThat(forwardOnly[r]).as("%s member %d row %d, forward only", name, k, r).isEqualTo(population[r]);
            }
        }
    }

    private static double totalLoss(SequenceModel.Batch batch) {
        batch.forward();
        double sum = 0;
        for (double l : batch.meanSquaredErrors()) {
            sum += l;
        }
        return sum;
    }
}
