package dev.nalu.task;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.nalu.compute.SequenceData;
import dev.nalu.compute.SequenceNetwork;

/**
 * Number words to values (Trask et al. 2018, Table 3): the numbers 1 … 999 in words
 * ({@link NumberWords}), each a sequence of up to 5 token ids padded with 0 at the end, the target
 * its value. The split is Madsen and Johansen's reconstruction (docs/papers.md §7), drawn from the
 * seed: 1 … 19 go to training; then, in a seeded random order of 20 … 999, a number goes to training
 * if it holds a token training has not seen yet, else to test until it has 630, else to validation
 * until 200, else to training (up to 169). Every token therefore appears in training.
 *
 * <p>As {@link SequenceData}: one value per step (the token id), length 5; training batches walk
 * through the 169 training numbers in a seeded shuffled order, epoch after epoch, so a batch is a
 * function of (seed, step); the validation set (200) selects, the test set (630) is reported. The
 * figure is the mean absolute error ({@link #mae}); the validation set's only threshold is the snap
 * stop's exactness test ({@link #EXACT}), and the test set has none.
 */
public final class NumberWordsTask implements SequenceData {
    public static final int TRAIN = 169;
    public static final int VALIDATION = 200;
    public static final int TEST = 630;
    /**
     * The validation set's threshold is EXACT / 200: an MSE below it means squared errors summing
     * below 1, so a network whose outputs are integers (a snapped one: integer weights, integer
     * state) gets every validation number exactly. It is the snap stop's test
     * ({@code SequenceTrainer.snapCheck}); the training and test sets have none (0).
     */
    public static final double EXACT = 1;
    private static final long SPLIT_STREAM = -3;
    private static final long EPOCH_STREAM = -4;

    private final long seed;
    private final List<Integer> train;
    private final List<Integer> validation;
    private final List<Integer> test;
    private final EvalSet trainSet;
    private final EvalSet validationSet;
    private final EvalSet testSet;

    public NumberWordsTask(long seed) {
        this.seed = seed;
        List<Integer> tr = new ArrayList<>();
        List<Integer> va = new ArrayList<>();
        List<Integer> te = new ArrayList<>();
        Set<Integer> missing = new HashSet<>();
        for (int id = 1; id <= NumberWords.VOCABULARY; id++) {
            missing.add(id);
        }
        for (int n = 1; n < 20; n++) {
            tr.add(n);
            missing.removeAll(ids(n));
        }
        int[] order = new int[NumberWords.MAX - 19];
        for (int i = 0; i < order.length; i++) {
            order[i] = 20 + i;
        }
        Rng rng = Rng.seeded(seed, SPLIT_STREAM);
        shuffle(order, rng);
        for (int n : order) {
            Set<Integer> ids = ids(n);
            if (!Collections.disjoint(missing, ids)) {
                tr.add(n);
                missing.removeAll(ids);
            } else if (te.size() < TEST) {
                te.add(n);
            } else if (va.size() < VALIDATION) {
                va.add(n);
            } else {
                tr.add(n);
            }
        }
        this.train = List.copyOf(tr);
        this.validation = List.copyOf(va);
        this.test = List.copyOf(te);
        this.trainSet = set("training", train, 0);
        this.validationSet = set("validation", validation, EXACT / VALIDATION);
        this.testSet = set("test", test, 0);
    }

    private static Set<Integer> ids(int n) {
        Set<Integer> s = new HashSet<>();
        for (int id : NumberWords.tokens(n)) {
            s.add(id);
        }
        return s;
    }

    private static void shuffle(int[] a, Rng rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /** The numbers of each split, in the order they were drawn. */
    public List<Integer> trainNumbers() {
        return train;
    }

    public List<Integer> validationNumbers() {
        return validation;
    }

    public List<Integer> testNumbers() {
        return test;
    }

    public EvalSet trainSet() {
        return trainSet;
    }

    /** Writes n's token ids, padded with 0 to {@link NumberWords#MAX_TOKENS}, at x[offset …]. */
    public static void encode(int n, double[] x, int offset) {
        int[] ids = NumberWords.tokens(n);
        for (int t = 0; t < NumberWords.MAX_TOKENS; t++) {
            x[offset + t] = t < ids.length ? ids[t] : NumberWords.PADDING;
        }
    }

    private static EvalSet set(String name, List<Integer> numbers, double threshold) {
        return new EvalSet(name, numbers.size(), NumberWords.MAX_TOKENS, threshold, (first, count, x, y) -> {
            for (int r = 0; r < count; r++) {
                int n = numbers.get(first + r);
                encode(n, x, r * NumberWords.MAX_TOKENS);
                y[r] = n;
            }
        });
    }

    @Override
    public int inputs() {
        return 1;
    }

    @Override
    public int trainLength() {
        return NumberWords.MAX_TOKENS;
    }

    /** Row r of step s is the (s·rows + r)-th number of the shuffled epochs of the training split. */
    @Override
    public void batch(long step, double[] x, double[] y, int rows) {
        int size = train.size();
        long epoch = -1;
        int[] order = null;
        for (int r = 0; r < rows; r++) {
            long i = step * rows + r;
            if (i / size != epoch) {
                epoch = i / size;
                order = new int[size];
                for (int j = 0; j < size; j++) {
                    order[j] = train.get(j);
                }
                shuffle(order, Rng.seeded(Rng.seeded(seed, EPOCH_STREAM).nextLong(), epoch));
            }
            int n = order[(int) (i % size)];
            encode(n, x, r * NumberWords.MAX_TOKENS);
            y[r] = n;
        }
    }

    @Override
    public EvalSet validation() {
        return validationSet;
    }

    /** The test split, reported and never used to select or stop. */
    @Override
    public List<EvalSet> extrapolation() {
        return List.of(testSet);
    }

    /** Mean absolute error of one float64 network over a set. */
    public static double mae(SequenceNetwork network, EvalSet set) {
        double[] sum = {0};
        network.predictSet(set, (rows, p, y) -> {
            for (int r = 0; r < rows; r++) {
                sum[0] += Math.abs(p[r] - y[r]);
            }
        });
        return sum[0] / set.rows();
    }
}
