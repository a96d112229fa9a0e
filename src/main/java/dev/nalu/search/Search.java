package dev.nalu.search;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import dev.nalu.compute.Network;
import dev.nalu.compute.Progress;
import dev.nalu.compute.Trainer;
import dev.nalu.compute.TrainingConfig;
import dev.nalu.compute.TrainingData;
import dev.nalu.evaluation.SearchRefit;
import dev.nalu.evaluation.Snapper;
import dev.nalu.task.Dataset;

/**
 * An architecture search: the population is shared out over the plan's candidates, each trained by
 * its own {@link Trainer} on the same data, and successive halving spends the step budget on what
 * works (docs/search.md).
 *
 * <p><b>Budget.</b> {@code config.population()} is the members of all candidates together: each gets
 * ⌊population / candidates⌋, the first (simplest) ones one more until all are given out; when there
 * are more candidates than members, only the first {@code population} race, one member each.
 * {@code config.steps()} is the longest any candidate trains, so member-steps never exceed
 * population × steps. Every trainer has the whole budget as its own, so its learning-rate decay and
 * regulariser ramps are those of a single job of that length; a candidate eliminated early never
 * reaches them.
 *
 * <p><b>Successive halving.</b> With n candidates there are R = ⌈log₂ n⌉ + 1 rounds; round r ends at
 * steps/2^(R−1−r) (rounded up to a progress interval), the last at the budget. At the end of each round
 * but the last the better half (rounded up) trains on; better means, in this order: reproduces the
 * validation targets when snapped, with the simpler formula; lower interpolation validation MSE of the
 * selected member; earlier in the plan. At a round's end, and at the end of the search, while no candidate
 * reproduces the targets, each candidate's best members are also refitted and snapped on training rows
 * ({@link SearchRefit}); one whose formula then reproduces the validation targets stands for its candidate.
 *
 * <p><b>Early stop</b> (when enabled): at a progress point, when the simplest candidate still racing
 * snaps to a formula that reproduces the validation targets, nothing simpler can still win, and the
 * search ends there.
 *
 * <p>Nothing here reads the extrapolation sets except to report them in the front. A run restored
 * from {@link #checkpoint()} ends with bit-identical results.
 */
public final class Search {
    private static final int CHECKPOINT_VERSION = 1;

    private final SearchPlan plan;
    private final TrainingData data;
    private final Dataset snapValidation;
    private final TrainingConfig config;
    private final boolean earlyStop;
    private final List<SearchPlan.Candidate> racers = new ArrayList<>();
    private final int[] shares;
    private final Trainer[] trainers;
    /** Per racer: true while it trains. */
    private final boolean[] alive;
    /** End step of each round, the last the budget. */
    private final long[] boundaries;
    private long step;
    private int round;
    private long memberSteps;
    /** Per racer: its last standing with the refit and the trainer step it was taken at (a cache, not state). */
    private final Standing[] refitStanding;
    private final long[] refitStep;
    /** Training rows the refit fits on (drawn once from the training data, stream {@link #REFIT_STREAM}). */
    private Dataset refitRows;
    /** The stream of {@link TrainingData#batch} the refit rows come from: no training step, validation or test uses it. */
    static final long REFIT_STREAM = -7;
    /** How many members of a candidate, lowest validation MSE first, the refit tries. */
    static final int REFIT_TRIES = 2;

    public Search(SearchPlan plan, TrainingData data, Dataset snapValidation, TrainingConfig config) {
        this(plan, data, snapValidation, config, true);
    }

    public Search(SearchPlan plan, TrainingData data, Dataset snapValidation, TrainingConfig config, boolean earlyStop) {
        this.plan = plan;
        this.data = data;
        this.snapValidation = snapValidation;
        this.config = config;
        this.earlyStop = earlyStop;
        int n = Math.min(plan.candidates().size(), config.population());
        racers.addAll(plan.candidates().subList(0, n));
        this.shares = new int[n];
        for (int i = 0; i < n; i++) {
            shares[i] = config.population() / n + (i < config.population() % n ? 1 : 0);
        }
        this.trainers = new Trainer[n];
        for (int i = 0; i < n; i++) {
            trainers[i] = new Trainer(racers.get(i).spec(), data, candidateConfig(i));
        }
        this.alive = new boolean[n];
        java.util.Arrays.fill(alive, true);
        this.boundaries = boundaries(n, config.steps(), config.evaluateEvery());
        this.refitStanding = new Standing[n];
        this.refitStep = new long[n];
    }

    /** Restores a search from {@link #checkpoint()} bytes. */
    public static Search restore(SearchPlan plan, TrainingData data, Dataset snapValidation, TrainingConfig config,
                                 byte[] checkpoint) {
        return restore(plan, data, snapValidation, config, true, checkpoint);
    }

    public static Search restore(SearchPlan plan, TrainingData data, Dataset snapValidation, TrainingConfig config,
                                 boolean earlyStop, byte[] checkpoint) {
        Search s = new Search(plan, data, snapValidation, config, earlyStop);
        s.load(checkpoint);
        return s;
    }

    private TrainingConfig candidateConfig(int i) {
        long h = config.seed() * 0x9E3779B97F4A7C15L + (i + 1) * 0xC2B2AE3D27D4EB4FL;
        h ^= h >>> 29;
        return config.withPopulation(shares[i]).withSeed(h);
    }

    /** Round ends: steps/2^(R−1−r) rounded up to the progress interval, the last the budget. */
    static long[] boundaries(int candidates, long steps, int every) {
        int rounds = 1;
        while ((1 << (rounds - 1)) < candidates) {
            rounds++;
        }
        long[] b = new long[rounds];
        for (int r = 0; r < rounds; r++) {
            long end = (long) Math.ceil(steps / Math.pow(2, rounds - 1 - r));
            end = (end + every - 1) / every * every;
            b[r] = Math.min(steps, Math.max(end, every));
        }
        b[rounds - 1] = steps;
        return b;
    }

    public SearchPlan plan() {
        return plan;
    }

    /** Steps done: every racing candidate has trained this far. */
    public long step() {
        return step;
    }

    /** The candidates still training. */
    public List<String> racing() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < racers.size(); i++) {
            if (alive[i]) {
                names.add(racers.get(i).name());
            }
        }
        return names;
    }

    /** A candidate's standing at a progress point: its selected member snapped. */
    private record Standing(int candidate, Network network, Snapper.Snap snap, int complexity, double validationMse) {
        boolean exact() {
            return snap.reproducesTargets();
        }
    }

    /**
     * Candidate i's standing: its selected member snapped; with {@code refit}, when that is not exact, the
     * {@value #REFIT_TRIES} members with the lowest validation MSE are refitted and snapped on training rows
     * ({@link SearchRefit}), and the first whose formula reproduces the validation targets stands instead.
     */
    private Standing standing(int i, boolean refit) {
        Trainer t = trainers[i];
        if (refit && refitStanding[i] != null && refitStep[i] == t.step()) {
            return refitStanding[i];
        }
        Network net = t.model().network(t.selectedMember());
        Snapper.Snap snap = Snapper.snap(net, snapValidation);
        if (refit && !snap.reproducesTargets()) {
            SearchRefit.Result exact = refitted(t);
            if (exact != null) {
                net = exact.network();
                snap = exact.snap();
            }
        }
        int complexity = snap.formula() == null ? -1 : snap.formula().complexity();
        double mse = snap.formula() != null ? snap.snappedValidationMse() : snap.trainedValidationMse();
        Standing s = new Standing(i, net, snap, complexity, Double.isNaN(mse) ? Double.POSITIVE_INFINITY : mse);
        if (refit) {
            refitStanding[i] = s;
            refitStep[i] = t.step();
        }
        return s;
    }

    /** The first refitted member, lowest validation MSE first, whose snap is exact, or null. */
    private SearchRefit.Result refitted(Trainer t) {
        int k = t.model().members();
        double[] mse = new double[k];
        Integer[] order = new Integer[k];
        for (int m = 0; m < k; m++) {
            order[m] = m;
            double[] p = t.model().network(m).predict(snapValidation.x(), snapValidation.rows());
            double s = 0;
            for (int r = 0; r < p.length; r++) {
                double e = p[r] - snapValidation.y()[r];
                s += e * e;
            }
            mse[m] = Double.isFinite(s) ? s : Double.POSITIVE_INFINITY;
        }
        java.util.Arrays.sort(order, Comparator.comparingDouble(m -> mse[m]));
        for (int a = 0; a < Math.min(REFIT_TRIES, k); a++) {
            SearchRefit.Result s = SearchRefit.snap(t.model().network(order[a]), refitRows(), snapValidation);
            if (s != null) {
                return s;
            }
        }
        return null;
    }

    private Dataset refitRows() {
        if (refitRows == null) {
            int n = data.inputs();
            double[] x = new double[SearchRefit.ROWS * n];
            double[] y = new double[SearchRefit.ROWS];
            data.batch(REFIT_STREAM, x, y, SearchRefit.ROWS);
            refitRows = new Dataset(SearchRefit.ROWS, n, x, y);
        }
        return refitRows;
    }

    /** Better first: reproduces the targets (simpler formula first), then lower validation MSE, then plan order. */
    private static final Comparator<Standing> RANK = Comparator
            .comparing((Standing s) -> !s.exact())
            .thenComparingInt(s -> s.exact() ? s.complexity() : 0)
            .thenComparingDouble(Standing::validationMse)
            .thenComparingInt(Standing::candidate);

    /** Trains to the budget, until cancelled, or until the early-stop rule holds; reports every progress interval. */
    public SearchResult run(Consumer<SearchProgress> listener, BooleanSupplier cancelled) {
        List<SearchProgress> history = new ArrayList<>();
        boolean wasCancelled = false;
        long stoppedEarlyAt = -1;
        while (step < config.steps()) {
            if (cancelled.getAsBoolean()) {
                wasCancelled = true;
                break;
            }
            long next = Math.min(config.steps(), (step / config.evaluateEvery() + 1) * config.evaluateEvery());
            long started = System.nanoTime();
            Progress[] progress = new Progress[racers.size()];
            boolean interrupted = false;
            for (int i = 0; i < racers.size(); i++) {
                if (!alive[i]) {
                    continue;
                }
                if (cancelled.getAsBoolean()) {
                    interrupted = true;
                    break;
                }
                progress[i] = trainers[i].trainUntil(next);
            }
            if (interrupted) {
                wasCancelled = true;
                break;
            }
            long racingMembers = 0;
            for (int i = 0; i < racers.size(); i++) {
                racingMembers += alive[i] ? shares[i] : 0;
            }
            memberSteps += racingMembers * (next - step);
            double rate = racingMembers * (next - step) / Math.max((System.nanoTime() - started) / 1e9, 1e-9);
            step = next;
            List<Standing> standings = new ArrayList<>();
            for (int i = 0; i < racers.size(); i++) {
                if (alive[i]) {
                    standings.add(standing(i, false));
                }
            }
            if (step >= boundaries[round] && standings.stream().noneMatch(Standing::exact)) {
                standings.replaceAll(s -> standing(s.candidate(), true));
            }
            standings.sort(RANK);
            Standing leader = standings.get(0);
            SearchProgress report = report(leader, progress, rate);
            while (round < boundaries.length - 1 && step >= boundaries[round]) {
                int keep = (standings.size() + 1) / 2;
                for (Standing s : standings.subList(keep, standings.size())) {
                    alive[s.candidate()] = false;
                }
                standings = new ArrayList<>(standings.subList(0, keep));
                round++;
                report = new SearchProgress(report.progress(), report.bestArchitecture(), racing(), round);
            }
            if (earlyStop && step < config.steps()) {
                Standing simplest = standings.stream().min(Comparator.comparingInt(Standing::candidate)).orElseThrow();
                if (simplest.exact()) {
                    stoppedEarlyAt = step;
                    report = new SearchProgress(report.progress(), report.bestArchitecture(), report.racing(),
                            report.round(), true);
                }
            }
            history.add(report);
            listener.accept(report);
            if (stoppedEarlyAt >= 0) {
                break;
            }
        }
        return result(history, wasCancelled, stoppedEarlyAt);
    }

    private SearchProgress report(Standing leader, Progress[] progress, double rate) {
        int i = leader.candidate();
        Progress p = progress[i];
        int offset = 0;
        for (int j = 0; j < i; j++) {
            offset += shares[j];
        }
        int succeeded = 0;
        int reinitialisations = 0;
        for (Progress q : progress) {
            if (q != null) {
                succeeded += q.membersSucceeded();
                reinitialisations += q.reinitialisations();
            }
        }
        Progress combined = new Progress(step, p.loss(), p.validationMse(), offset + p.bestMember(),
                p.extrapolationMse(), succeeded, rate, reinitialisations);
        return new SearchProgress(combined, racers.get(i).name(), racing(), round);
    }

    private SearchResult result(List<SearchProgress> history, boolean cancelled, long stoppedEarlyAt) {
        List<FrontEntry> front = new ArrayList<>();
        List<Standing> standings = new ArrayList<>();
        for (int i = 0; i < racers.size(); i++) {
            standings.add(standing(i, false));
        }
        if (!cancelled && standings.stream().noneMatch(Standing::exact)) {
            standings.replaceAll(s -> standing(s.candidate(), true));
        }
        for (int i = 0; i < racers.size(); i++) {
            Standing s = standings.get(i);
            Network net = s.network();
            List<Double> extrapolation = new ArrayList<>();
            for (TrainingData.EvalSet set : data.extrapolation()) {
                extrapolation.add(s.snap().formula() != null ? mse(s.snap().formula()::evaluate, set) : mse(net::predict, set));
            }
            front.add(new FrontEntry(racers.get(i).name(), s.snap().formula(), s.complexity(), s.validationMse(),
                    extrapolation, s.exact(), trainers[i].step()));
        }
        int served = Front.choose(front, standings.get(0).snap().targetMeanSquare());
        Network network = standings.get(served).network();
        return new SearchResult(front, served, racers.get(served).name(), network, standings.get(served).snap(), step,
                memberSteps, cancelled, stoppedEarlyAt, round + 1, history);
    }

    private interface Predictor {
        double apply(double[] row);
    }

    private static double mse(Predictor p, TrainingData.EvalSet set) {
        int n = set.x().length / Math.max(1, set.rows());
        double[] row = new double[n];
        double s = 0;
        for (int r = 0; r < set.rows(); r++) {
            System.arraycopy(set.x(), r * n, row, 0, n);
            double e = p.apply(row) - set.y()[r];
            s += e * e;
        }
        double m = s / set.rows();
        return Double.isNaN(m) ? Double.POSITIVE_INFINITY : m;
    }

    /** The whole search state: the step, the round, who races, and every candidate's trainer. */
    public byte[] checkpoint() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(CHECKPOINT_VERSION);
            out.writeUTF(String.join(" | ", racers.stream().map(SearchPlan.Candidate::name).toList()));
            out.writeLong(step);
            out.writeInt(round);
            out.writeLong(memberSteps);
            out.writeInt(racers.size());
            for (int i = 0; i < racers.size(); i++) {
                out.writeBoolean(alive[i]);
                byte[] b = trainers[i].checkpoint();
                out.writeInt(b.length);
                out.write(b);
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void load(byte[] checkpoint) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(checkpoint))) {
            int version = in.readInt();
            if (version != CHECKPOINT_VERSION) {
                throw new IllegalArgumentException("unsupported search checkpoint version " + version);
            }
            String names = in.readUTF();
            String expected = String.join(" | ", racers.stream().map(SearchPlan.Candidate::name).toList());
            if (!names.equals(expected)) {
                throw new IllegalArgumentException("checkpoint is for the candidates " + names + ", not " + expected);
            }
            step = in.readLong();
            round = in.readInt();
            memberSteps = in.readLong();
            int n = in.readInt();
            if (n != racers.size()) {
                throw new IllegalArgumentException("checkpoint has " + n + " candidates, expected " + racers.size());
            }
            for (int i = 0; i < n; i++) {
                alive[i] = in.readBoolean();
                byte[] b = new byte[in.readInt()];
                in.readFully(b);
                trainers[i] = Trainer.restore(racers.get(i).spec(), data, candidateConfig(i), b);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
