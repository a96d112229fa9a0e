package dev.nalu.compute;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Trains a recurrent population: every step one fresh batch of training-length sequences (a
 * function of seed and step), one forward pass and backpropagation through time over all K
 * members, then one {@link ParameterUpdate} (the NAU/NMU regulariser on its
 * {@link SequenceRegulariser} schedule, gradient clipping, the optimiser, clamping). Members whose
 * loss turns non-finite are re-initialised from a fresh seed. The selected member has the lowest
 * validation error at the training length; the test sets (longer sequences, other value ranges) are
 * measured and reported, never used; a member's success is counted on the first
 * {@link SequenceData#successSets()} of them (a sequence task's test lengths).
 * {@link #run(Consumer, BooleanSupplier, boolean)} may stop a run early on a member whose snapped
 * network is exact on the validation set (the snap stop of docs/sequence.md); that decision is not part of {@link #checkpoint()}: a run restored after it trains on and checks
 * again at its next evaluation.
 *
 * <p>Of {@link TrainingConfig}, the regulariser ramp fractions, the stuck-member rule and the
 * input-mean split do not apply (the schedule is the {@link SequenceRegulariser}'s); the rest does.
 * {@link #checkpoint()} captures the whole state; a run restored from it gives bit-identical weights.
 */
public final class SequenceTrainer {
    private static final int CHECKPOINT_VERSION = 1;
    /** At most this many values (rows × length × inputs) of a test set are made at once. */
    static final int EVAL_VALUES = 1 << 21;

    private final SequenceData data;
    private final TrainingConfig config;
    private final SequenceRegulariser regulariser;
    private final SequenceModel model;
    private final SequenceModel.Batch train;
    private final ParameterUpdate update;
    private final long[] memberSteps;
    private final long[] generation;
    private final long[] firstSuccess;
    private final double[] batchX;
    private final double[] batchY;
    private final int members;
    private final Map<Long, SequenceModel.Batch> evaluations = new HashMap<>();
    private long step;
    private int reinitialisations;
    /** Rows a snap check measures at a time before it may stop early. */
    private static final int SNAP_CHECK_ROWS = 256;
    private double[] lastValidation;
    private int snappedMember = -1;
    private SequenceNetwork snappedNetwork;

    public SequenceTrainer(SequenceSpec spec, SequenceData data, TrainingConfig config, SequenceRegulariser regulariser) {
        if (data.inputs() != spec.inputs()) {
            throw new IllegalArgumentException("model has " + spec.inputs() + " inputs per step, task has " + data.inputs());
        }
        if (data.outputs() != spec.outputs()) {
            throw new IllegalArgumentException("model has " + spec.outputs() + " outputs, task has " + data.outputs());
        }
        Nd4jRuntime.singleThreadedOnThisThread();
        this.data = data;
        this.config = config;
        this.regulariser = regulariser;
        this.members = config.population();
        this.model = new SequenceModel(spec, members, config.type());
        this.train = model.newBatch(config.batchSize(), data.trainLength());
        this.update = new ParameterUpdate(members, model.values, model.grads, model.params, config.optimizer(), null);
        this.memberSteps = new long[members];
        this.generation = new long[members];
        this.firstSuccess = new long[members];
        Arrays.fill(firstSuccess, -1);
        this.batchX = new double[config.batchSize() * data.trainLength() * spec.inputs()];
        this.batchY = new double[config.batchSize() * spec.outputs()];
        for (int k = 0; k < members; k++) {
            model.initialise(k, memberSeed(k));
        }
    }

    public static SequenceTrainer restore(SequenceSpec spec, SequenceData data, TrainingConfig config,
                                          SequenceRegulariser regulariser, byte[] checkpoint) {
        SequenceTrainer t = new SequenceTrainer(spec, data, config, regulariser);
        t.load(checkpoint);
        return t;
    }

    public long step() {
        return step;
    }

    public SequenceModel model() {
        return model;
    }

    private long memberSeed(int k) {
        long h = config.seed() * 0x9E3779B97F4A7C15L + (k + 1) * 0xBF58476D1CE4E5B9L + generation[k] * 0x94D049BB133111EBL;
        h ^= h >>> 31;
        h *= 0xD6E8FEB86659FD93L;
        return h ^ (h >>> 32);
    }

    /** Trains to the step budget or until cancelled, reporting progress every evaluation interval. */
    public SequenceResult run(Consumer<Progress> listener, BooleanSupplier cancelled) {
        return run(listener, cancelled, false);
    }

    /**
     * As {@link #run(Consumer, BooleanSupplier)}; with {@code stopWhenSnapped}, at every evaluation
     * each member's snapped network ({@link SequenceNetwork#snapped()}: NAU/NMU cells and heads
     * only), taken in order of the members' validation MSE, is measured in float64 on the
     * validation set at the training length. The first one below that set's threshold ends the run
     * and is the result's network (its member the selected one, {@link SequenceResult#snapped()}
     * true). Only the validation set decides: the test sets are measured, never read.
     */
    public SequenceResult run(Consumer<Progress> listener, BooleanSupplier cancelled, boolean stopWhenSnapped) {
        Nd4jRuntime.singleThreadedOnThisThread();
        List<Progress> history = new ArrayList<>();
        boolean wasCancelled = false;
        long since = System.nanoTime();
        long stepsSince = 0;
        double[] lastLoss = new double[members];
        while (step < config.steps()) {
            if (cancelled.getAsBoolean()) {
                wasCancelled = true;
                break;
            }
            lastLoss = trainStep();
            stepsSince++;
            if (step % config.evaluateEvery() == 0 || step == config.steps()) {
                double seconds = (System.nanoTime() - since) / 1e9;
                Progress p = measure(lastLoss, stepsSince * members / Math.max(seconds, 1e-9));
                history.add(p);
                listener.accept(p);
                since = System.nanoTime();
                stepsSince = 0;
                if (stopWhenSnapped && snapCheck()) {
                    break;
                }
            }
        }
        return result(history, wasCancelled);
    }

    /**
     * Whether a member's snapped network is below the validation threshold; if so it becomes the
     * result's network (and its member the selected one). Members are tried in order of their last
     * validation MSE. The snap stop of {@link #run(Consumer, BooleanSupplier, boolean)} calls it after
     * each report; a caller that must know before its report is written (a job marks that report its
     * last) calls it from the listener and stops the run through {@code cancelled}.
     */
    public boolean snapCheck() {
        SequenceData.EvalSet validation = data.validation();
        Integer[] order = new Integer[members];
        for (int k = 0; k < members; k++) {
            order[k] = k;
        }
        Arrays.sort(order, (i, j) -> Double.compare(lastValidation[i], lastValidation[j]));
        for (int k : order) {
            SequenceNetwork snapped = model.network(k).snapped();
            if (snapped != null && below(snapped, validation, validation.threshold())) {
                snappedMember = k;
                snappedNetwork = snapped;
                return true;
            }
        }
        return false;
    }

    /**
     * The refit stop of a job: whether a member refitted and snapped on training batches ({@link RecurrentRefit}, NAU
     * and NMU cells with NAU or NMU heads only) is below the validation threshold; if so it becomes the result's network
     * as {@link #snapCheck()}'s would. Members are tried in order of their last validation MSE. Costlier than the snap
     * check (up to about 2 s a member), so a job calls it every {@link RecurrentRefit#EVERY} steps only.
     */
    public boolean refitCheck() {
        if (!RecurrentRefit.applies(model.spec()) || lastValidation == null) {
            return false;
        }
        List<SequenceNetwork> networks = new ArrayList<>(members);
        for (int k = 0; k < members; k++) {
            networks.add(model.network(k));
        }
        RecurrentRefit.Choice c = RecurrentRefit.snapBest(networks, lastValidation, data, RecurrentRefit.TRIES);
        if (c == null) {
            return false;
        }
        snappedMember = c.member();
        snappedNetwork = c.network();
        return true;
    }

    /** One optimiser step over every member; returns each member's training MSE on this batch. */
    double[] trainStep() {
        data.batch(step, batchX, batchY, config.batchSize());
        train.load(batchX, batchY);
        train.forward();
        double[] loss = train.meanSquaredErrors();
        train.backward();
        for (int k = 0; k < members; k++) {
            memberSteps[k]++;
        }
        double lambda = regulariser.at(step);
        update.apply(unit -> unit == Unit.NAU || unit == Unit.NMU ? lambda : 0, config.gradientClip(),
                config.learningRateAt(step), memberSteps);
        step++;
        for (int k = 0; k < members; k++) {
            if (!Double.isFinite(loss[k])) {
                reinitialise(k);
            }
        }
        return loss;
    }

    private void reinitialise(int k) {
        generation[k]++;
        reinitialisations++;
        model.initialise(k, memberSeed(k));
        update.resetMember(k);
        memberSteps[k] = 0;
        firstSuccess[k] = -1;
    }

    /** Per-member MSE on a fixed set through the population in the training precision, a chunk of rows at a time. */
    double[] memberMse(SequenceData.EvalSet set) {
        int n = data.inputs();
        int chunk = (int) Math.max(1, Math.min(set.rows(), EVAL_VALUES / ((long) set.length() * n)));
        SequenceModel.Batch batch = evaluations.computeIfAbsent(((long) chunk << 32) | set.length(),
                key -> model.newEvaluation(chunk, set.length()));
        int outputs = data.outputs();
        double[] x = new double[chunk * set.length() * n];
        double[] y = new double[chunk * outputs];
        double[] sse = new double[members];
        for (int first = 0; first < set.rows(); first += chunk) {
            int rows = Math.min(chunk, set.rows() - first);
            set.source().fill(first, rows, x, y);
            // a short last chunk repeats its first row; only the real rows count
            for (int r = rows; r < chunk; r++) {
                System.arraycopy(x, 0, x, r * set.length() * n, set.length() * n);
                System.arraycopy(y, 0, y, r * outputs, outputs);
            }
            batch.load(x, y);
            batch.forward();
            double[] predictions = batch.y.dup().data().asDouble();
            for (int r = 0; r < rows; r++) {
                for (int k = 0; k < members; k++) {
                    for (int o = 0; o < outputs; o++) {
                        double d = predictions[(r * members + k) * outputs + o] - y[r * outputs + o];
                        sse[k] += d * d;
                    }
                }
            }
        }
        for (int k = 0; k < members; k++) {
            sse[k] = Double.isFinite(sse[k]) ? sse[k] / ((double) set.rows() * outputs) : Double.POSITIVE_INFINITY;
        }
        return sse;
    }

    /**
     * The MSE of one float64 network on a fixed set (snapped networks are judged so: exactly, at
     * any length), made a chunk of rows at a time.
     */
    public static double mse(SequenceNetwork network, SequenceData.EvalSet set) {
        double[] sse = {0};
        network.predictSet(set, (rows, p, y) -> sse[0] += squaredErrors(rows * network.spec().outputs(), p, y));
        return sse[0] / ((double) set.rows() * network.spec().outputs());
    }

    /**
     * Whether a float64 network's MSE on a set is below {@code limit}, stopping as soon as the rows
     * so far already put it at or above (a wrong snapped network is told in its first chunk).
     */
    public static boolean below(SequenceNetwork network, SequenceData.EvalSet set, double limit) {
        double most = limit * set.rows() * network.spec().outputs();
        double[] sse = {0};
        network.predictSet(set, (rows, p, y) -> sse[0] += squaredErrors(rows * network.spec().outputs(), p, y),
                SNAP_CHECK_ROWS, () -> !(sse[0] < most));
        return sse[0] < most;
    }

    private static double squaredErrors(int n, double[] p, double[] y) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += (p[i] - y[i]) * (p[i] - y[i]);
        }
        return sum;
    }

    private Progress measure(double[] loss, double memberStepsPerSecond) {
        double[] validation = memberMse(data.validation());
        lastValidation = validation;
        int best = Trainer.argmin(validation, null);
        List<Double> extrapolation = new ArrayList<>();
        boolean[] succeeded = new boolean[members];
        int deciding = data.successSets();
        Arrays.fill(succeeded, deciding > 0);
        for (int i = 0; i < data.extrapolation().size(); i++) {
            SequenceData.EvalSet set = data.extrapolation().get(i);
            double[] mse = memberMse(set);
            extrapolation.add(mse[best]);
            for (int k = 0; k < members && i < deciding; k++) {
                succeeded[k] &= set.threshold() > 0 && mse[k] < set.threshold();
            }
        }
        int count = Trainer.countSuccesses(succeeded, firstSuccess, step);
        return new Progress(step, loss[best], validation[best], best, List.copyOf(extrapolation), count,
                memberStepsPerSecond, reinitialisations);
    }

    private SequenceResult result(List<Progress> history, boolean cancelled) {
        double[] validation = memberMse(data.validation());
        double[] sparsity = new double[members];
        for (int k = 0; k < members; k++) {
            sparsity[k] = model.network(k).sparsityError();
        }
        int best = snappedMember >= 0 ? snappedMember : Trainer.argmin(validation, sparsity);
        double[][] extrapolation = new double[data.extrapolation().size()][];
        boolean[] ok = new boolean[members];
        int deciding = data.successSets();
        Arrays.fill(ok, deciding > 0);
        for (int i = 0; i < extrapolation.length; i++) {
            SequenceData.EvalSet set = data.extrapolation().get(i);
            extrapolation[i] = memberMse(set);
            for (int k = 0; k < members && i < deciding; k++) {
                ok[k] &= set.threshold() > 0 && extrapolation[i][k] < set.threshold();
            }
        }
        int succeeded = 0;
        for (int k = 0; k < members; k++) {
            if (ok[k]) {
                succeeded++;
                if (firstSuccess[k] < 0) {
                    firstSuccess[k] = step;
                }
            }
        }
        List<SequenceNetwork> networks = new ArrayList<>();
        for (int k = 0; k < members; k++) {
            networks.add(model.network(k));
        }
        return new SequenceResult(best, snappedMember >= 0 ? snappedNetwork : model.network(best), validation,
                extrapolation, succeeded, firstSuccess.clone(), reinitialisations, step, cancelled,
                List.copyOf(history), List.copyOf(networks), snappedMember >= 0);
    }

    /** The whole training state as bytes. */
    public byte[] checkpoint() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            Checkpoints.writeHeader(out, CHECKPOINT_VERSION, model.spec().describe(), members, config.type());
            out.writeLong(step);
            out.writeInt(reinitialisations);
            for (int k = 0; k < members; k++) {
                out.writeLong(generation[k]);
                out.writeLong(memberSteps[k]);
                out.writeLong(firstSuccess[k]);
            }
            Checkpoints.writeValues(out, model.values);
            Checkpoints.writeState(out, update.state());
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void load(byte[] checkpoint) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(checkpoint))) {
            Checkpoints.readHeader(in, CHECKPOINT_VERSION, "sequence checkpoint", model.spec().describe(), members,
                    config.type());
            step = in.readLong();
            reinitialisations = in.readInt();
            for (int m = 0; m < members; m++) {
                generation[m] = in.readLong();
                memberSteps[m] = in.readLong();
                firstSuccess[m] = in.readLong();
            }
            Checkpoints.readValues(in, model.values);
            Checkpoints.readState(in, update.state());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
