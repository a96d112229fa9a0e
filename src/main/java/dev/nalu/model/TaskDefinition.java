package dev.nalu.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.nalu.task.ArithmeticTask;
import dev.nalu.task.CountingTask;
import dev.nalu.task.NumberWordsTask;
import dev.nalu.task.RecurrentArithmeticTask;
import dev.nalu.task.RunningTotalTask;
import dev.nalu.task.SequenceTask;
import dev.nalu.task.Bounds;
import dev.nalu.task.DataTask;
import dev.nalu.task.Domain;
import dev.nalu.task.ExpressionLimits;
import dev.nalu.task.ExpressionTask;
import dev.nalu.task.Task;

/**
 * What a model learns, in a form that is stored with every job and model and rebuilds the same
 * {@link Task}: either an expression over named variables with their training domains, or the
 * arithmetic task of docs/papers.md §1 (op on subset sums of n inputs, subsets placed by
 * {@code subsetSeed}).
 *
 * @param kind         "expression" or "arithmetic"
 * @param expression   the expression (expression tasks)
 * @param variables    each variable's training domain as [[lo, hi], …] (expression tasks)
 * @param op           add, sub, mul, div, square or sqrt (arithmetic tasks)
 * @param inputSize    n (arithmetic tasks)
 * @param subsetRatio  subset length as a fraction of n (arithmetic tasks)
 * @param overlapRatio overlap as a fraction of the subset length (arithmetic tasks)
 * @param subsetSeed   seed that places the subsets (arithmetic tasks)
 * @param train        every input's training domain (arithmetic tasks)
 * @param data         the dataset, its columns and its split (dataset tasks)
 * @param sequence     the sequence task: its op, lengths and, for recurrent arithmetic, its subsets (sequence tasks)
 * @param words        the seed of the number-words split (number-words tasks)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskDefinition(String kind, String expression, Map<String, List<List<Double>>> variables,
                             String op, Integer inputSize, Double subsetRatio, Double overlapRatio,
                             Long subsetSeed, List<List<Double>> train, DataSource data, SequenceSource sequence,
                             NumberWordsSource words) {

    public static final String EXPRESSION = "expression";
    public static final String ARITHMETIC = "arithmetic";
    public static final String DATASET = "dataset";
    /** Arithmetic over sequences (docs/sequence.md): a recurrent model, not a function of one row. */
    public static final String SEQUENCE = "sequence";
    /** Number words to values (docs/sequence.md, "Number words"): a recurrent model over token ids. */
    public static final String NUMBER_WORDS = "number-words";

    /**
     * A number-words task as a job and a model store it ({@link NumberWordsTask}): the seed its split (and its
     * training batches) are drawn from, and the split's sizes, which are fixed; enough to rebuild the same three
     * splits for evaluation.
     *
     * @param seed       the seed of the split and of the order of the training numbers
     * @param train      the training split's size (169)
     * @param validation the validation split's size (200): it selects the member
     * @param test       the test split's size (630): reported, never used to select or stop
     */
    public record NumberWordsSource(long seed, int train, int validation, int test) {

        public static NumberWordsSource of(long seed) {
            return new NumberWordsSource(seed, NumberWordsTask.TRAIN, NumberWordsTask.VALIDATION, NumberWordsTask.TEST);
        }

        /** The task this source rebuilds; throws IllegalArgumentException if the sizes are not the fixed ones. */
        public NumberWordsTask toTask() {
            if (!equals(of(seed))) {
                throw new IllegalArgumentException("the number-words split is " + NumberWordsTask.TRAIN + " training, "
                        + NumberWordsTask.VALIDATION + " validation and " + NumberWordsTask.TEST + " test numbers");
            }
            return new NumberWordsTask(seed);
        }
    }

    /**
     * A sequence task as a job and a model store it: enough to rebuild the same {@link SequenceTask} without a seed
     * or a drawing rule (the recurrent-arithmetic subsets are stored as drawn at submission), and the lengths it is
     * trained and tested on. A later op adds its own fields here (e.g. an alphabet size for counting) and a later
     * kind its own record beside this one; none of the fields below changes meaning.
     *
     * @param op          add, sub, mul, div, square, sqrt (recurrent arithmetic) or sum, product (running totals)
     * @param inputs      values per time step (10 for recurrent arithmetic, 1 for running totals)
     * @param trainLength the length trained and validated on
     * @param testLengths the lengths tested on (reported, never used to select or stop)
     * @param subsetSeed  the seed the subsets were drawn from (recurrent arithmetic; for the record)
     * @param a           a's subset as [start, size] (recurrent arithmetic)
     * @param b           b's subset as [start, size] (recurrent arithmetic)
     * @param train       the value range of every x_t as [[lo, hi]]
     * @param symbols     the alphabet size k (counting: k one-hot inputs, k counts out); null for other ops
     * @param testRanges  other value ranges tested on at the training length, each [[lo, hi], …] (reported, never used
     *                    to select or stop, nor counted in membersSucceeded); null for none. Not for count, whose
     *                    steps are symbols
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SequenceSource(String op, int inputs, int trainLength, List<Integer> testLengths, Long subsetSeed,
                                 List<Integer> a, List<Integer> b, List<List<Double>> train, Integer symbols,
                                 List<List<List<Double>>> testRanges) {

        /** The running totals' ops; every other op but {@link #COUNT} is recurrent arithmetic. */
        public static final List<String> RUNNING_OPS = List.of("sum", "product");
        /** Counting symbols ({@link CountingTask}): k outputs, the count of each symbol. */
        public static final String COUNT = "count";
        /** Every op a sequence task takes, in the order the docs list them. */
        public static final List<String> OPS = List.of("add", "sub", "mul", "div", "square", "sqrt", "sum", "product",
                COUNT);

        /** A source without other value ranges. */
        public SequenceSource(String op, int inputs, int trainLength, List<Integer> testLengths, Long subsetSeed,
                              List<Integer> a, List<Integer> b, List<List<Double>> train, Integer symbols) {
            this(op, inputs, trainLength, testLengths, subsetSeed, a, b, train, symbols, null);
        }

        /** A source without an alphabet (every op but count) and without other value ranges. */
        public SequenceSource(String op, int inputs, int trainLength, List<Integer> testLengths, Long subsetSeed,
                              List<Integer> a, List<Integer> b, List<List<Double>> train) {
            this(op, inputs, trainLength, testLengths, subsetSeed, a, b, train, null, null);
        }

        /** This source with the other value ranges {@code ranges} (none when empty). */
        public SequenceSource withTestRanges(List<Domain> ranges) {
            return new SequenceSource(op, inputs, trainLength, testLengths, subsetSeed, a, b, train, symbols,
                    ranges.isEmpty() ? null : ranges.stream().map(Ranges::toLists).toList());
        }

        /** The other value ranges tested on at the training length (none when there are none). */
        public List<Domain> testDomains() {
            return testRanges == null ? List.of() : testRanges.stream().map(Ranges::fromLists).toList();
        }

        /**
         * The task over each of {@link #testDomains()}: the same subsets (recurrent arithmetic) or the same running
         * total, its values drawn from that range. Throws IllegalArgumentException if the source is inconsistent.
         */
        public List<SequenceTask> rangeTasks() {
            SequenceTask task = toTask();
            return testDomains().stream().map(d -> overValues(task, d)).toList();
        }

        private static SequenceTask overValues(SequenceTask task, Domain values) {
            if (task instanceof RecurrentArithmeticTask r) {
                return r.withDomain(values);
            }
            if (task instanceof RunningTotalTask r) {
                return r.withDomain(values);
            }
            throw new IllegalArgumentException("a sequence " + task.describe() + " task takes no other value range");
        }

        /**
         * Why this op's target is undefined for some sequence of values from {@code values}, or null when it is defined
         * for all: ÷ divides by b, a sum of values, which can be 0 unless every value has one sign; √a needs a ≥ 0, so
         * no value below 0; counting takes symbols, not values. Every other op is defined everywhere.
         */
        public String undefinedOn(Domain values) {
            if (counting()) {
                return "a counting task's steps are symbols, not values: it has no value range to test on";
            }
            if (op.equals("div") && !(values.lo() > 0 || values.hi() < 0)) {
                return "the recurrent div divides by b, a sum of values from " + values + ", which can be 0: "
                        + "a range for div lies wholly above 0 or wholly below it";
            }
            if (op.equals("sqrt") && values.lo() < 0) {
                return "the recurrent sqrt takes √a of a, a sum of values from " + values + ", which can be negative: "
                        + "a range for sqrt lies at or above 0";
            }
            return null;
        }

        /**
         * The largest |target| at {@code length} steps of values from {@code values} (where {@link #undefinedOn} is
         * null), by the worst case: every value at the range's largest magnitude m, subsets of at most
         * {@value RecurrentArithmeticTask#MAX_SUBSET} values: sum and count T·m, product m^T, add, sub and sqrt 5·T·m,
         * mul and square (5·T·m)², div 5·m / (the smallest magnitude in the range).
         */
        public double targetBound(Domain values, int length) {
            double m = values.maxAbs();
            double a = length * m * RecurrentArithmeticTask.MAX_SUBSET;
            return switch (op) {
                case "sum", COUNT -> length * m;
                case "product" -> Math.pow(m, length);
                case "mul", "square" -> a * a;
                case "div" -> RecurrentArithmeticTask.MAX_SUBSET * m
                        / Math.min(Math.abs(values.lo()), Math.abs(values.hi()));
                default -> a;
            };
        }

        public boolean counting() {
            return COUNT.equals(op);
        }

        public boolean running() {
            return RUNNING_OPS.contains(op);
        }

        /** The task this source rebuilds; throws IllegalArgumentException if it is inconsistent. */
        public SequenceTask toTask() {
            if (op == null || testLengths == null || trainLength < 1) {
                throw new IllegalArgumentException("a sequence task needs op, trainLength and testLengths");
            }
            if (counting() != (symbols != null)) {
                throw new IllegalArgumentException("symbols is the alphabet size of the count op and of no other op");
            }
            if (testRanges != null) {
                if (testRanges.isEmpty()) {
                    throw new IllegalArgumentException("testRanges is left out when there are none, not []");
                }
                for (Domain d : testDomains()) {
                    String problem = undefinedOn(d);
                    if (problem != null) {
                        throw new IllegalArgumentException(problem);
                    }
                }
            }
            if (counting()) {
                if (a != null || b != null || subsetSeed != null) {
                    throw new IllegalArgumentException("a counting task has no subsets");
                }
                CountingTask t = new CountingTask(symbols);
                check(t);
                return t;
            }
            if (running()) {
                RunningTotalTask t = new RunningTotalTask(op.equals("sum") ? RunningTotalTask.Kind.SUM
                        : RunningTotalTask.Kind.PRODUCT);
                check(t);
                return t;
            }
            if (!OPS.contains(op)) {
                throw new IllegalArgumentException("unknown sequence op '" + op + "'; one of " + OPS);
            }
            if (a == null || b == null || a.size() != 2 || b.size() != 2 || train == null) {
                throw new IllegalArgumentException("a recurrent arithmetic task needs its subsets a and b as [start, "
                        + "size] and train");
            }
            Domain domain = Ranges.fromLists(train);
            RecurrentArithmeticTask t = new RecurrentArithmeticTask(ArithmeticTask.Op.parse(op),
                    subset(a, "a"), subset(b, "b"), domain);
            check(t);
            return t;
        }

        private void check(SequenceTask t) {
            if (inputs != t.inputs()) {
                throw new IllegalArgumentException("a sequence " + op + " task has " + t.inputs() + " inputs per step, "
                        + "got " + inputs);
            }
            if (train != null && !Ranges.fromLists(train).equals(t.trainDomain())) {
                throw new IllegalArgumentException("the sequence " + op + " task's values come from " + t.trainDomain());
            }
        }

        private static ArithmeticTask.Subset subset(List<Integer> s, String name) {
            if (s.get(0) == null || s.get(1) == null || s.get(0) < 0 || s.get(1) < 1) {
                throw new IllegalArgumentException("subset " + name + " must be [start ≥ 0, size ≥ 1], got " + s);
            }
            return new ArithmeticTask.Subset(s.get(0), s.get(1));
        }
    }

    /**
     * A dataset task as a job stores it: which dataset (by id and the content hash it had when the job was
     * submitted, so a job never trains on other rows than it was accepted for), which columns, the validation
     * fraction of the seeded split, the held-out extrapolation dataset if any, and the columns' ranges over the
     * rows (so that the task rebuilds without reading the rows).
     *
     * @param dataset              the training dataset's id
     * @param name                 its name
     * @param contentHash          its SHA-256 content hash at submission
     * @param rows                 its rows
     * @param target               the target column
     * @param inputs               the input columns, in input order
     * @param inputRanges          each input's [min, max] over the rows
     * @param targetRange          the target's [min, max] over the rows
     * @param validationFraction   the fraction of rows held out for validation (at most training.evaluationRows)
     * @param extrapolationDataset the held-out dataset's id, or null
     * @param extrapolationHash    its content hash at submission, or null
     * @param extrapolationRows    its rows, or null
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DataSource(long dataset, String name, String contentHash, long rows, String target,
                             List<String> inputs, List<List<Double>> inputRanges, List<Double> targetRange,
                             double validationFraction, Long extrapolationDataset, String extrapolationHash,
                             Long extrapolationRows) {

        /** The float64 values a job holds of these datasets: every row's inputs and target. */
        public long values() {
            long perRow = inputs.size() + 1L;
            return rows * perRow + (extrapolationRows == null ? 0 : extrapolationRows * perRow);
        }
    }

    public static TaskDefinition expression(String expression, Map<String, Domain> variables) {
        Map<String, List<List<Double>>> v = new LinkedHashMap<>();
        variables.forEach((name, domain) -> v.put(name, Ranges.toLists(domain)));
        return new TaskDefinition(EXPRESSION, expression, v, null, null, null, null, null, null, null, null, null);
    }

    public static TaskDefinition arithmetic(ArithmeticTask.Op op, int inputSize, double subsetRatio,
                                            double overlapRatio, long subsetSeed, Domain train) {
        return new TaskDefinition(ARITHMETIC, null, null, op.name().toLowerCase(), inputSize, subsetRatio,
                overlapRatio, subsetSeed, Ranges.toLists(train), null, null, null);
    }

    public static TaskDefinition dataset(DataSource data) {
        return new TaskDefinition(DATASET, null, null, null, null, null, null, null, null, data, null, null);
    }

    public static TaskDefinition sequence(SequenceSource source) {
        return new TaskDefinition(SEQUENCE, null, null, null, null, null, null, null, null, null, source, null);
    }

    public static TaskDefinition numberWords(NumberWordsSource words) {
        return new TaskDefinition(NUMBER_WORDS, null, null, null, null, null, null, null, null, null, null, words);
    }

    /**
     * Whether this task is learned by a recurrent model, not by {@link #toTask}: a sequence task ({@link
     * #toSequenceTask}) or number words ({@link #toNumberWordsTask}).
     */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isSequence() {
        return SEQUENCE.equals(kind) || isNumberWords();
    }

    /** Whether this is the number-words task. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isNumberWords() {
        return NUMBER_WORDS.equals(kind);
    }

    /** The number-words task this defines; throws IllegalArgumentException if the definition is inconsistent. */
    public NumberWordsTask toNumberWordsTask() {
        if (!isNumberWords() || words == null || sequence != null) {
            throw new IllegalArgumentException("a number-words task is kind 'number-words' with its words");
        }
        return words.toTask();
    }

    /** The sequence task this defines; throws IllegalArgumentException if the definition is inconsistent. */
    public SequenceTask toSequenceTask() {
        if (!SEQUENCE.equals(kind) || sequence == null) {
            throw new IllegalArgumentException("a sequence task is kind 'sequence' with its sequence");
        }
        return sequence.toTask();
    }

    /** The task this defines; throws IllegalArgumentException if the definition is inconsistent. */
    public Task toTask(ExpressionLimits limits) {
        if (isSequence()) {
            throw new IllegalArgumentException("a sequence task is learned by a recurrent model, not as a function of one row");
        }
        if (DATASET.equals(kind)) {
            if (data == null || data.target() == null || data.inputs() == null || data.inputRanges() == null
                    || data.targetRange() == null || data.targetRange().size() != 2) {
                throw new IllegalArgumentException("a dataset task needs data with target, inputs and their ranges");
            }
            List<Domain> ranges = data.inputRanges().stream().map(r -> {
                if (r == null || r.size() != 2) {
                    throw new IllegalArgumentException("each input range of a dataset task is [min, max]");
                }
                return Domain.of(r.get(0), r.get(1));
            }).toList();
            return new DataTask(data.inputs(), ranges, data.target(),
                    new Bounds(data.targetRange().get(0), data.targetRange().get(1)),
                    "dataset " + data.dataset() + (data.name() == null ? "" : " \"" + data.name() + "\""));
        }
        if (ARITHMETIC.equals(kind)) {
            if (op == null || inputSize == null || subsetRatio == null || overlapRatio == null || subsetSeed == null
                    || train == null) {
                throw new IllegalArgumentException("an arithmetic task needs op, inputSize, subsetRatio, overlapRatio, "
                        + "subsetSeed and train");
            }
            return new ArithmeticTask(ArithmeticTask.Op.parse(op), inputSize, subsetRatio, overlapRatio, subsetSeed,
                    Ranges.fromLists(train));
        }
        if (!EXPRESSION.equals(kind) || expression == null || variables == null) {
            throw new IllegalArgumentException("a task is kind 'expression' (with expression and variables), "
                    + "'arithmetic' or 'dataset'");
        }
        Map<String, Domain> domains = new LinkedHashMap<>();
        variables.forEach((name, lists) -> domains.put(name, Ranges.fromLists(lists)));
        return ExpressionTask.parse(expression, domains, limits);
    }
}
