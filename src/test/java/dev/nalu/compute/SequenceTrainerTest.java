package dev.nalu.compute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ops.executioner.OpExecutioner;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.profiler.OpProfiler;

import dev.nalu.task.ArithmeticTask;
import dev.nalu.task.Domain;
import dev.nalu.task.RecurrentArithmeticTask;
import dev.nalu.task.SequenceTaskData;

/**
 * Specifications of the recurrent population trainer: a fixed seed gives an identical run, a run
 * restored from a checkpoint ends bit-identical to an uninterrupted one, the test sets never
 * change what is trained or selected, and a time step's ND4J op count does not depend on K.
 */
class SequenceTrainerTest {
    private static final SequenceSpec NAU_NMU = SequenceSpec.of(10, CellKind.NAU).withHead(Unit.NMU);

    private static SequenceTaskData data(List<Integer> testLengths) {
        return new SequenceTaskData(new RecurrentArithmeticTask(ArithmeticTask.Op.MUL, 3), 3, 10, testLengths, 64, 16);
    }

    /** The regulariser ramps inside the budget, so both halves of a resumed run see it change. */
    private static TrainingConfig config(int k, long steps) {
        return TrainingConfig.defaults(7, steps).withPopulation(k).withBatchSize(32).withLearningRate(5e-3)
                .withEvaluateEvery(20).withSplitInputMean(false).withGradientClip(1.0);
    }

    private static final SequenceRegulariser RAMP = SequenceRegulariser.linear(10, 10, 50);

    private static SequenceResult runToEnd(SequenceTrainer t) {
        return t.run(p -> { }, () -> false);
    }

    private static void assertSameWeights(SequenceNetwork actual, SequenceNetwork expected, String what) {
        assertThat(actual.cell().tensors()).as(what + " cell").isEqualTo(expected.cell().tensors());
        assertThat(actual.head().tensors()).as(what + " head").isEqualTo(expected.head().tensors());
    }

    @Test
    void aFixedSeedGivesAnIdenticalRun() {
        SequenceTaskData data = data(List.of(30));
        SequenceResult a = runToEnd(new SequenceTrainer(NAU_NMU, data, config(4, 60), RAMP));
        SequenceResult b = runToEnd(new SequenceTrainer(NAU_NMU, data, config(4, 60), RAMP));
        assertThat(a.selected()).isEqualTo(b.selected());
        assertThat(a.validationMse()).isEqualTo(b.validationMse());
        assertSameWeights(a.network(), b.network(), "selected member");
        // and training moved the weights: the same run is not the same because nothing happened
        SequenceTrainer fresh = new SequenceTrainer(NAU_NMU, data, config(4, 60), RAMP);
        assertThat(fresh.model().network(a.selected()).cell().tensors()).isNotEqualTo(a.network().cell().tensors());
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void aRestoredRunEndsBitIdentical(DataType type) {
        SequenceTaskData data = data(List.of(30));
        TrainingConfig cfg = config(3, 60).withType(type);
        SequenceTrainer whole = new SequenceTrainer(NAU_NMU, data, cfg, RAMP);
        SequenceResult expected = runToEnd(whole);

        SequenceTrainer first = new SequenceTrainer(NAU_NMU, data, cfg, RAMP);
        boolean[] stop = {false};
        first.run(p -> stop[0] = p.step() >= 20, () -> stop[0]);
        assertThat(first.step()).isEqualTo(20);
        byte[] checkpoint = first.checkpoint();
        SequenceTrainer resumed = SequenceTrainer.restore(NAU_NMU, data, cfg, RAMP, checkpoint);
        assertThat(resumed.step()).isEqualTo(20);
        SequenceResult actual = runToEnd(resumed);
        for (int k = 0; k < 3; k++) {
            assertSameWeights(resumed.model().network(k), whole.model().network(k), "member " + k);
        }
        assertThat(actual.selected()).isEqualTo(expected.selected());
    }

    @Test
    void aCheckpointOfAnotherArchitectureIsRefused() {
        SequenceTaskData data = data(List.of(30));
        byte[] checkpoint = new SequenceTrainer(NAU_NMU, data, config(2, 10), RAMP).checkpoint();
        SequenceSpec other = SequenceSpec.of(10, CellKind.NMU);
        assertThatThrownBy(() -> SequenceTrainer.restore(other, data, config(2, 10), RAMP, checkpoint))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("checkpoint is for");
    }

    @Test
    void theTestSetsChangeNothingTrainedOrSelected() {
        SequenceResult few = runToEnd(new SequenceTrainer(NAU_NMU, data(List.of(30)), config(4, 40), RAMP));
        SequenceTaskData wider = new SequenceTaskData(new RecurrentArithmeticTask(ArithmeticTask.Op.MUL, 3), 3, 10,
                List.of(20, 50), 64, 16,
                List.of(new RecurrentArithmeticTask(ArithmeticTask.Op.MUL, 3).withDomain(Domain.of(2, 6))));
        SequenceResult many = runToEnd(new SequenceTrainer(NAU_NMU, wider, config(4, 40), RAMP));
        assertThat(many.extrapolationMse()).hasNumberOfRows(3);
        assertThat(many.selected()).isEqualTo(few.selected());
        assertThat(many.validationMse()).isEqualTo(few.validationMse());
        assertSameWeights(many.network(), few.network(), "selected member");
    }

    /**
     * A member's success is counted on the first {@link SequenceData#successSets()} test sets only: with a length set
     * every member meets (its threshold infinite) and a range set none can (threshold 0), every member succeeds when
     * the range set is reported only, and none when it counts.
     */
    @Test
    void onlyTheSuccessSetsCountAMembersSuccess() {
        SequenceTaskData base = data(List.of(20));
        SequenceData.EvalSet length = base.extrapolation().get(0);
        SequenceData.EvalSet range = new SequenceTaskData(new RecurrentArithmeticTask(ArithmeticTask.Op.MUL, 3), 3, 10,
                List.of(), 64, 16, List.of(new RecurrentArithmeticTask(ArithmeticTask.Op.MUL, 3)
                        .withDomain(Domain.of(2, 6)))).extrapolation().get(0);
        List<SequenceData.EvalSet> sets = List.of(
                new SequenceData.EvalSet(length.name(), length.rows(), length.length(), Double.MAX_VALUE, length.source()),
                new SequenceData.EvalSet(range.name(), range.rows(), range.length(), 0, range.source()));
        for (int deciding : new int[] {1, 2}) {
            SequenceData data = new SequenceData() {
                @Override public int inputs() { return base.inputs(); }
                @Override public int trainLength() { return base.trainLength(); }
                @Override public void batch(long step, double[] x, double[] y, int rows) { base.batch(step, x, y, rows); }
                @Override public EvalSet validation() { return base.validation(); }
                @Override public List<EvalSet> extrapolation() { return sets; }
                @Override public int successSets() { return deciding; }
            };
            List<Progress> reports = new java.util.ArrayList<>();
            SequenceResult r = new SequenceTrainer(NAU_NMU, data, config(3, 20), RAMP).run(reports::add, () -> false);
            assertThat(r.extrapolationMse()).as("both sets measured").hasNumberOfRows(2);
            assertThat(reports).isNotEmpty();
            int expected = deciding == 1 ? 3 : 0;
            assertThat(r.membersSucceeded()).as("deciding sets %d", deciding).isEqualTo(expected);
            assertThat(reports.get(reports.size() - 1).membersSucceeded()).isEqualTo(expected);
        }
    }

    @Test
    void aDivergingMemberIsReinitialisedAlone() {
        SequenceTaskData data = data(List.of(30));
        SequenceTrainer t = new SequenceTrainer(NAU_NMU, data, config(3, 5), RAMP);
        SequenceNetwork healthy = t.model().network(0);
        SequenceNetwork broken = t.model().network(1);
        t.model().setNetwork(1, new SequenceNetwork(broken.spec(),
                broken.cell().with("h0", new Tensor(1, 2, new double[] {Double.NaN, 1})), broken.head()));
        double[] loss = t.trainStep();
        assertThat(loss[1]).isNaN();
        assertThat(loss[0]).isFinite();
        assertThat(t.model().network(1).finite()).isTrue();
        assertThat(t.model().network(0).cell().tensors()).isNotEqualTo(healthy.cell().tensors());
    }

    private static long opsPerStep(SequenceSpec spec, int k) {
        return opsPerStep(spec, data(List.of(30)), k);
    }

    private static long opsPerStep(SequenceSpec spec, SequenceData data, int k) {
        SequenceTrainer t = new SequenceTrainer(spec, data, config(k, 10), RAMP);
        t.trainStep();
        OpExecutioner ex = Nd4j.getExecutioner();
        OpExecutioner.ProfilingMode before = ex.getProfilingMode();
        OpProfiler.getInstance().reset();
        ex.setProfilingMode(OpExecutioner.ProfilingMode.OPERATIONS);
        try {
            t.trainStep();
            return OpProfiler.getInstance().getInvocationsCount();
        } finally {
            ex.setProfilingMode(before);
            OpProfiler.getInstance().reset();
        }
    }

    @ParameterizedTest
    @EnumSource(CellKind.class)
    void aStepHasTheSameOpCountForEveryPopulationSize(CellKind kind) {
        SequenceSpec spec = SequenceSpec.of(10, kind);
        Map<Integer, Long> counts = new LinkedHashMap<>();
        for (int k : new int[] {1, 16, 64}) {
            counts.put(k, opsPerStep(spec, k));
        }
        System.out.println("ND4J ops per training step (length 10), " + spec.describe() + ": " + counts);
        assertThat(counts.get(1)).isPositive();
        assertThat(counts.values()).containsOnly(counts.get(1));
    }

    /** The embedding in front of the cell and the padding masks add ops per step, none per member. */
    @ParameterizedTest
    @EnumSource(value = CellKind.class, names = {"NAU", "GRU", "LSTM"})
    void aTokenModelStepHasTheSameOpCountForEveryPopulationSize(CellKind kind) {
        tokenOpCountsDoNotDependOnK(SequenceSpec.tokens(dev.nalu.task.NumberWords.VOCABULARY, 8, kind).withHidden(4));
    }

    /** The MAC cell reads the one-hot tokens through its own tables: its step too is a fixed list of ops. */
    @org.junit.jupiter.api.Test
    void aMacTokenModelStepHasTheSameOpCountForEveryPopulationSize() {
        tokenOpCountsDoNotDependOnK(SequenceSpec.oneHotTokens(dev.nalu.task.NumberWords.VOCABULARY, CellKind.MAC)
                .withHidden(4));
    }

    private static void tokenOpCountsDoNotDependOnK(SequenceSpec spec) {
        Map<Integer, Long> counts = new LinkedHashMap<>();
        for (int k : new int[] {1, 16, 64}) {
            counts.put(k, opsPerStep(spec, new dev.nalu.task.NumberWordsTask(1), k));
        }
        System.out.println("ND4J ops per training step (number words, length 5), " + spec.describe() + ": " + counts);
        assertThat(counts.get(1)).isPositive();
        assertThat(counts.values()).containsOnly(counts.get(1));
    }
}
