package dev.nalu.compute;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ops.executioner.OpExecutioner;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.profiler.OpProfiler;

import dev.nalu.evaluation.TaskData;
import dev.nalu.task.ArithmeticTask;
import dev.nalu.task.Domain;
import dev.nalu.task.ExpressionTask;
import dev.nalu.task.Task;

/**
 * Specifications of the population trainer: determinism, bit-exact checkpoint/resume, isolation
 * of a diverging member, a step whose ND4J op count does not depend on K, and selection that
 * never looks at the extrapolation sets.
 */
class TrainerTest {
    private static final long SEED = 42;

    // ---------------------------------------------------------------- fixtures

    private static TaskData product(long seed) {
        Task task = ExpressionTask.parse("a * b", Map.of("a", Domain.of(1, 2), "b", Domain.of(1, 2)));
        return new TaskData(task, List.of(Domain.of(2, 6)), seed, 1000);
    }

    private static TaskData arithmetic(long seed) {
        return new TaskData(new ArithmeticTask(ArithmeticTask.Op.MUL, seed), List.of(Domain.of(2, 6)), seed, 1000);
    }

    private static final ModelSpec NAU_NMU_100 = ModelSpec.of(100, LayerSpec.of(Unit.NAU, 2), LayerSpec.of(Unit.NMU, 1));
    private static final ModelSpec REAL_NPU_2 = ModelSpec.of(2, LayerSpec.of(Unit.REAL_NPU, 1));

    /** Regularisers ramp inside the budget so both halves of a resumed run see them change. */
    private static TrainingConfig config(int k, long steps, DataType type) {
        return TrainingConfig.defaults(SEED, steps).withPopulation(k).withType(type).withBatchSize(64)
                .withLearningRate(5e-3).withEvaluateEvery(100).withRegulariserRamp(0.2, 0.6);
    }

    private static List<Network> networks(Trainer t) {
        List<Network> n = new ArrayList<>();
        for (int k = 0; k < t.model().members(); k++) {
            n.add(t.model().network(k));
        }
        return n;
    }

    /** Every tensor of every layer, bit for bit (Tensor.equals compares the double arrays exactly). */
    private static void assertSameWeights(Network actual, Network expected, String what) {
        assertThat(actual.layers()).as(what).hasSameSizeAs(expected.layers());
        for (int i = 0; i < expected.layers().size(); i++) {
            Map<String, Tensor> a = actual.layers().get(i).tensors();
            Map<String, Tensor> e = expected.layers().get(i).tensors();
            assertThat(a.keySet()).as(what + " layer " + i).isEqualTo(e.keySet());
            for (String name : e.keySet()) {
                assertThat(a.get(name)).as(what + " layer " + i + " " + name).isEqualTo(e.get(name));
            }
        }
    }

    private static TrainingResult runToEnd(Trainer t) {
        return t.run(p -> { }, () -> false);
    }

    /** Runs until exactly {@code until} steps are done, via the cancellation supplier. */
    private static TrainingResult runUntil(Trainer t, long until) {
        return t.run(p -> { }, () -> t.step() >= until);
    }

    // ---------------------------------------------------------------- 1. reproducibility

    @Test
    void sameSpecDataAndSeedGiveBitIdenticalWeightsAndValidation() {
        TrainingConfig cfg = config(4, 400, DataType.FLOAT);
        Trainer a = new Trainer(NAU_NMU_100, arithmetic(3), cfg);
        TrainingResult ra = runToEnd(a);
        Trainer b = new Trainer(NAU_NMU_100, arithmetic(3), cfg);
        TrainingResult rb = runToEnd(b);

        List<Network> na = networks(a);
        List<Network> nb = networks(b);
        for (int k = 0; k < na.size(); k++) {
            assertSameWeights(nb.get(k), na.get(k), "member " + k);
        }
        assertThat(rb.validationMse()).isEqualTo(ra.validationMse());
        assertThat(rb.extrapolationMse()).isDeepEqualTo(ra.extrapolationMse());
        assertThat(rb.selected()).isEqualTo(ra.selected());
        assertSameWeights(rb.network(), ra.network(), "selected");
        // a different seed really is a different run (the comparison above can fail)
        Trainer c = new Trainer(NAU_NMU_100, arithmetic(3), cfg.withSeed(SEED + 1));
        runToEnd(c);
        assertThat(networks(c).get(0).layers().get(0).get("W")).isNotEqualTo(na.get(0).layers().get(0).get("W"));
    }

    // ---------------------------------------------------------------- 2. checkpoint / resume

    static Stream<Arguments> resumeCases() {
        return Stream.of(
                Arguments.of("NAU→NMU float32", NAU_NMU_100, DataType.FLOAT),
                Arguments.of("NAU→NMU float64", NAU_NMU_100, DataType.DOUBLE),
                Arguments.of("RealNPU float32", REAL_NPU_2, DataType.FLOAT),
                Arguments.of("RealNPU float64", REAL_NPU_2, DataType.DOUBLE));
    }

    /**
     * Long enough for the stuck-member rule's 1000-step windows: the resume point sits inside the
     * second window, so the accumulated window losses must travel in the checkpoint too.
     */
    @Test
    void resumeCarriesTheStuckMemberWindows() {
        long n = 2400;
        long cut = 1300;
        TrainingData data = arithmetic(23);
        TrainingConfig cfg = config(4, n, DataType.FLOAT).withReinitialiseStuck(true).withEvaluateEvery(500);
        Trainer a = new Trainer(NAU_NMU_100, data, cfg);
        TrainingResult ra = runToEnd(a);
        Trainer b = new Trainer(NAU_NMU_100, data, cfg);
        runUntil(b, cut);
        Trainer c = Trainer.restore(NAU_NMU_100, data, cfg, b.checkpoint());
        TrainingResult rc = runToEnd(c);
        System.out.println("stuck-rule run: re-initialisations " + ra.reinitialisations());
        assertThat(c.checkpoint()).isEqualTo(a.checkpoint());
        assertThat(rc.reinitialisations()).isEqualTo(ra.reinitialisations());
        for (int k = 0; k < 4; k++) {
            assertSameWeights(c.model().network(k), a.model().network(k), "member " + k);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("resumeCases")
    void resumedRunIsBitIdenticalToUninterruptedRun(String name, ModelSpec spec, DataType type) {
        long n = 600;
        long half = 250; // not on an evaluation boundary, and before the regulariser ramp ends
        TrainingData data = spec.inputs() == 100 ? arithmetic(5) : product(5);
        TrainingConfig cfg = config(4, n, type).withGradientClip(10);

        Trainer a = new Trainer(spec, data, cfg);
        TrainingResult ra = runToEnd(a);
        assertThat(ra.steps()).isEqualTo(n);

        Trainer b = new Trainer(spec, data, cfg);
        TrainingResult rb1 = runUntil(b, half);
        assertThat(rb1.cancelled()).isTrue();
        assertThat(b.step()).isEqualTo(half);
        byte[] checkpoint = b.checkpoint();

        Trainer c = Trainer.restore(spec, data, cfg, checkpoint);
        assertThat(c.step()).isEqualTo(half);
        // restoring reproduces the state exactly
        assertThat(c.checkpoint()).isEqualTo(checkpoint);
        TrainingResult rc = runToEnd(c);
        assertThat(rc.steps()).isEqualTo(n);
        assertThat(rc.cancelled()).isFalse();

        List<Network> na = networks(a);
        List<Network> nc = networks(c);
        for (int k = 0; k < na.size(); k++) {
            assertSameWeights(nc.get(k), na.get(k), name + " member " + k);
        }
        assertThat(c.checkpoint()).as("whole final state").isEqualTo(a.checkpoint());
        assertThat(rc.validationMse()).isEqualTo(ra.validationMse());
        assertThat(rc.selected()).isEqualTo(ra.selected());
        assertThat(rc.reinitialisations()).isEqualTo(ra.reinitialisations());
        assertThat(rc.firstSuccessStep()).isEqualTo(ra.firstSuccessStep());
    }

    // ---------------------------------------------------------------- 2b. early stop

    @Test
    void stopRuleEndsTheRunAtTheFirstProgressPointWhereItHolds() {
        TrainingConfig cfg = config(4, 1000, DataType.FLOAT); // progress every 100 steps
        Trainer t = new Trainer(REAL_NPU_2, product(7), cfg);
        List<Long> asked = new ArrayList<>();
        List<Long> reported = new ArrayList<>();
        List<Long> stopSeenByListener = new ArrayList<>();
        Network[] offered = new Network[1];
        TrainingResult r = t.run(p -> {
            reported.add(p.step());
            stopSeenByListener.add(t.stoppedEarlyAt());
        }, () -> false, (p, selected) -> {
            asked.add(p.step());
            offered[0] = selected;
            return p.step() >= 300;
        });

        assertThat(asked).containsExactly(100L, 200L, 300L);
        assertThat(reported).containsExactly(100L, 200L, 300L);
        // the listener knows, when it gets the last report, that the run ends there
        assertThat(stopSeenByListener).containsExactly(-1L, -1L, 300L);
        assertThat(r.cancelled()).isFalse();
        assertThat(r.stoppedEarly()).isTrue();
        assertThat(r.stoppedEarlyAt()).isEqualTo(300);
        assertThat(r.steps()).isEqualTo(300);
        assertThat(t.step()).isEqualTo(300);
        assertThat(r.history()).hasSize(3);
        // the rule judged exactly the member the result selects
        assertSameWeights(r.network(), offered[0], "selected member");
    }

    @Test
    void stopRuleIsNotAskedAtTheLastStepAndNeverStoppingRunsTheWholeBudget() {
        TrainingConfig cfg = config(2, 300, DataType.FLOAT);
        List<Long> asked = new ArrayList<>();
        TrainingResult r = new Trainer(REAL_NPU_2, product(7), cfg).run(p -> { }, () -> false, (p, selected) -> {
            asked.add(p.step());
            return false;
        });
        assertThat(asked).containsExactly(100L, 200L);
        assertThat(r.steps()).isEqualTo(300);
        assertThat(r.stoppedEarly()).isFalse();
        assertThat(r.stoppedEarlyAt()).isEqualTo(-1);
        assertThat(r.cancelled()).isFalse();
    }

    /** A rule on the weights: a run resumed from a checkpoint stops at the same step with the same weights. */
    @Test
    void resumedRunMakesTheSameStopDecision() {
        TrainingData data = product(11);
        TrainingConfig cfg = config(4, 2000, DataType.FLOAT);
        // the validation error an uninterrupted run reaches at step 800: the rule stops at the first point at or below it
        TrainingResult probe = runToEnd(new Trainer(REAL_NPU_2, data, cfg));
        double target = probe.history().get(7).validationMse();
        StopRule rule = (p, selected) -> p.validationMse() <= target;

        Trainer a = new Trainer(REAL_NPU_2, data, cfg);
        TrainingResult ra = a.run(p -> { }, () -> false, rule);
        assertThat(ra.stoppedEarlyAt()).isBetween(100L, 800L);

        Trainer b = new Trainer(REAL_NPU_2, data, cfg);
        runUntil(b, 50);
        Trainer c = Trainer.restore(REAL_NPU_2, data, cfg, b.checkpoint());
        TrainingResult rc = c.run(p -> { }, () -> false, rule);
        assertThat(rc.stoppedEarlyAt()).isEqualTo(ra.stoppedEarlyAt());
        assertThat(c.checkpoint()).isEqualTo(a.checkpoint());
        assertSameWeights(rc.network(), ra.network(), "selected member");
    }

    @Test
    void checkpointOfAnotherArchitectureIsRefused() {
        TrainingConfig cfg = config(2, 10, DataType.FLOAT);
        Trainer t = new Trainer(REAL_NPU_2, product(1), cfg);
        byte[] bytes = t.checkpoint();
        ModelSpec other = ModelSpec.of(2, LayerSpec.of(Unit.NMU, 1));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Trainer.restore(other, product(1), cfg, bytes))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Trainer.restore(REAL_NPU_2, product(1), cfg.withPopulation(3), bytes))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ---------------------------------------------------------------- 3. NaN injection

    /** Flat indices in the model's value buffer of member k's parameters, from the documented layouts. */
    private static List<Long> memberIndices(PopulationModel model, int k) {
        List<Long> idx = new ArrayList<>();
        int members = model.members();
        for (Param p : model.params) {
            for (int i = 0; i < p.rows; i++) {
                for (int j = 0; j < p.cols; j++) {
                    long local = p.layout == Param.Layout.MEMBER_FIRST
                            ? ((long) k * p.rows + i) * p.cols + j
                            : ((long) i * members + k) * p.cols + j;
                    idx.add(p.offset + local);
                }
            }
        }
        return idx;
    }

    /** The optimiser state vectors out of a checkpoint (format of {@link Trainer#checkpoint()}). */
    private static List<double[]> optimiserState(byte[] checkpoint, int members, DataType type) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(checkpoint));
        in.readInt();
        in.readUTF();
        in.readInt();
        in.readUTF();
        in.readLong();
        in.readInt();
        for (int m = 0; m < members; m++) {
            in.readLong();      // generation
            in.readLong();      // steps since (re-)initialisation
            in.readLong();      // first success
            in.readDouble();
            in.readDouble();
        }
        in.skipNBytes(in.readInt());
        int states = in.readInt();
        List<double[]> out = new ArrayList<>();
        for (int s = 0; s < states; s++) {
            double[] d = new double[in.readInt()];   // optimiser state is float64 whatever the training type
            for (int i = 0; i < d.length; i++) {
                d[i] = in.readDouble();
            }
            out.add(d);
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("resumeCases")
    void nanInOneMemberReinitialisesItAndLeavesTheOthersUntouched(String name, ModelSpec spec, DataType type) throws IOException {
        int members = 4;
        int victim = 2;
        long n = 400;
        long injectAt = 150;
        TrainingData data = spec.inputs() == 100 ? arithmetic(7) : product(7);
        TrainingConfig cfg = config(members, n, type);

        Trainer reference = new Trainer(spec, data, cfg);
        runUntil(reference, injectAt);
        TrainingResult ref = runToEnd(reference);

        Trainer t = new Trainer(spec, data, cfg);
        runUntil(t, injectAt);
        List<Long> victimIdx = memberIndices(t.model(), victim);
        long target = victimIdx.get(victimIdx.size() / 2);
        t.model().values.putScalar(target, Double.NaN);
        // the index computed from the layout is member 2's: its float64 view shows the NaN, no one else's does
        assertThat(t.model().network(victim).finite()).isFalse();
        for (int k = 0; k < members; k++) {
            if (k != victim) {
                assertThat(t.model().network(k).finite()).as("member " + k).isTrue();
            }
        }

        double[] loss = t.trainStep();
        assertThat(loss[victim]).isNaN();
        assertThat(t.model().network(victim).finite()).as("re-initialised right away").isTrue();
        // Adam's state of the re-initialised member is reset, everyone else's is not
        List<double[]> all = optimiserState(t.checkpoint(), members, type);
        // Adam's m and v per parameter; on U[1,2] inputs also m and v along the first NAU's input mean,
        // per member and column (InputMeanBasis)
        boolean meanBasis = spec.layers().get(0).unit() == Unit.NAU;
        assertThat(all).hasSize(meanBasis ? 4 : 2);
        List<double[]> state = all.subList(0, 2);
        for (double[] alongMean : all.subList(2, all.size())) {
            int cols = alongMean.length / members;
            double others = 0;
            for (int k = 0; k < members; k++) {
                for (int c = 0; c < cols; c++) {
                    if (k == victim) {
                        assertThat(alongMean[k * cols + c]).as("victim's moment along the mean").isZero();
                    } else {
                        others += Math.abs(alongMean[k * cols + c]);
                    }
                }
            }
            assertThat(others).isPositive();
        }
        for (double[] s : state) {
            for (long i : victimIdx) {
                assertThat(s[(int) i]).as("victim state at " + i).isZero();
            }
            double others = 0;
            for (int k = 0; k < members; k++) {
                if (k != victim) {
                    for (long i : memberIndices(t.model(), k)) {
                        others += Math.abs(s[(int) i]);
                    }
                }
            }
            assertThat(others).isPositive();
        }

        TrainingResult r = runToEnd(t);
        assertThat(r.reinitialisations()).isGreaterThanOrEqualTo(ref.reinitialisations() + 1);
        assertThat(r.network().finite()).isTrue();
        assertThat(r.validationMse()[r.selected()]).isFinite();
        assertThat(r.validationMse()[victim]).isFinite();
        for (int k = 0; k < members; k++) {
            if (k != victim) {
                assertSameWeights(t.model().network(k), reference.model().network(k), name + " member " + k);
                assertThat(r.validationMse()[k]).isEqualTo(ref.validationMse()[k]);
            }
        }
        assertThat(t.model().network(victim).layers().get(0).tensors())
                .isNotEqualTo(reference.model().network(victim).layers().get(0).tensors());
    }

    // ---------------------------------------------------------------- 4. op count independent of K

    /** ND4J ops executed by one training step (after a warm-up step), counted by ND4J's own profiler. */
    private static long opsPerStep(ModelSpec spec, TrainingData data, int k) {
        TrainingConfig cfg = config(k, 1000, DataType.FLOAT).withRegulariserRamp(0, 0).withGradientClip(1);
        Trainer t = new Trainer(spec, data, cfg);
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

    @Test
    void nauNmuStepHasTheSameOpCountForEveryPopulationSize() {
        TrainingData data = arithmetic(11);
        Map<Integer, Long> counts = new LinkedHashMap<>();
        for (int k : new int[] {1, 16, 256}) {
            counts.put(k, opsPerStep(NAU_NMU_100, data, k));
        }
        System.out.println("ND4J ops per step, " + NAU_NMU_100.describe() + ": " + counts);
        assertThat(counts.get(1)).isPositive();
        assertThat(counts.values()).containsOnly(counts.get(1));
    }

    static Stream<Arguments> singleLayers() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (Unit u : Unit.values()) {
            if (u != Unit.DENSE) {
                b.add(Arguments.of(ModelSpec.of(2, LayerSpec.of(u, 1))));
            }
        }
        for (Activation a : Activation.values()) {
            b.add(Arguments.of(ModelSpec.of(2, LayerSpec.dense(1, a))));
        }
        return b.build();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("singleLayers")
    void singleLayerStepHasTheSameOpCountForOneOrSixtyFourMembers(ModelSpec spec) {
        TrainingData data = product(13);
        long one = opsPerStep(spec, data, 1);
        long many = opsPerStep(spec, data, 64);
        System.out.println("ND4J ops per step, " + spec.describe() + ": K=1 " + one + ", K=64 " + many);
        assertThat(one).isPositive();
        assertThat(many).isEqualTo(one);
    }

    // ---------------------------------------------------------------- 5. members are independent of K

    static Stream<Arguments> independenceCases() {
        return Stream.of(
                Arguments.of("NAU→NMU", NAU_NMU_100),
                Arguments.of("RealNPU", REAL_NPU_2),
                Arguments.of("iNALU", ModelSpec.of(2, LayerSpec.of(Unit.INALU, 1))),
                Arguments.of("dense tanh", ModelSpec.of(2, LayerSpec.dense(8, Activation.TANH), LayerSpec.dense(1, Activation.NONE))));
    }

    /**
     * Member k's seed depends only on (seed, k) and the batches only on (seed, step), so in float64
     * member k of a K=4 run is member k of a K=8 or K=64 run, bit for bit. (Not specified in float32:
     * there the shared first-layer SGEMM x·[W_1 … W_K] takes different OpenBLAS kernel paths for
     * different K·out, and NAU(100→2) members of K=4 and K=8 differ in the last bits.)
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("independenceCases")
    void memberKIsTheSameWhateverThePopulationSizeInFloat64(String name, ModelSpec spec) {
        TrainingData data = spec.inputs() == 100 ? arithmetic(17) : product(17);
        Trainer four = new Trainer(spec, data, config(4, 300, DataType.DOUBLE));
        runToEnd(four);
        for (int k : new int[] {8, 64}) {
            Trainer more = new Trainer(spec, data, config(k, 300, DataType.DOUBLE));
            runToEnd(more);
            for (int m = 0; m < 4; m++) {
                assertSameWeights(more.model().network(m), four.model().network(m), name + " K=" + k + " member " + m);
            }
        }
    }

    // ---------------------------------------------------------------- 6. selection ignores extrapolation

    /** The same data with every extrapolation target replaced by garbage. */
    private record GarbageExtrapolation(TrainingData inner) implements TrainingData {
        @Override
        public int inputs() {
            return inner.inputs();
        }

        @Override
        public void batch(long step, double[] x, double[] y, int rows) {
            inner.batch(step, x, y, rows);
        }

        @Override
        public EvalSet validation() {
            return inner.validation();
        }

        @Override
        public List<EvalSet> extrapolation() {
            List<EvalSet> out = new ArrayList<>();
            for (EvalSet s : inner.extrapolation()) {
                double[] y = new double[s.rows()];
                java.util.Arrays.fill(y, 1e6);
                out.add(new EvalSet(s.name(), s.rows(), s.x(), y, s.threshold()));
            }
            return out;
        }
    }

    @Test
    void selectionNeverLooksAtTheExtrapolationSets() {
        TrainingData good = product(19);
        TrainingData bad = new GarbageExtrapolation(good);
        ModelSpec spec = ModelSpec.of(2, LayerSpec.of(Unit.NAU, 2), LayerSpec.of(Unit.NMU, 1));
        TrainingConfig cfg = config(8, 400, DataType.FLOAT);

        TrainingResult rg = runToEnd(new Trainer(spec, good, cfg));
        TrainingResult rb = runToEnd(new Trainer(spec, bad, cfg));

        // the garbage really changes what is measured
        assertThat(rb.extrapolationMse()[0][0]).isNotEqualTo(rg.extrapolationMse()[0][0]);
        assertThat(rb.selected()).isEqualTo(rg.selected());
        assertSameWeights(rb.network(), rg.network(), "selected");
        assertThat(rb.validationMse()).isEqualTo(rg.validationMse());
        assertThat(rb.history()).hasSameSizeAs(rg.history());
        for (int i = 0; i < rg.history().size(); i++) {
            assertThat(rb.history().get(i).bestMember()).isEqualTo(rg.history().get(i).bestMember());
            assertThat(rb.history().get(i).validationMse()).isEqualTo(rg.history().get(i).validationMse());
        }
    }
}
