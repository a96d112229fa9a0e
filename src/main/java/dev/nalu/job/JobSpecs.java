package dev.nalu.job;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;

import org.springframework.stereotype.Component;

import dev.nalu.api.ApiException;
import dev.nalu.api.Constraints;
import dev.nalu.compute.Activation;
import dev.nalu.compute.CellKind;
import dev.nalu.compute.LayerSpec;
import dev.nalu.compute.ModelSpec;
import dev.nalu.compute.SequenceSpec;
import dev.nalu.compute.Optimizer;
import dev.nalu.compute.TrainingConfig;
import dev.nalu.compute.Unit;
import dev.nalu.config.LimitsProperties;
import dev.nalu.dataset.DatasetMessages;
import dev.nalu.dataset.DatasetService;
import dev.nalu.model.LayerDefinition;
import dev.nalu.model.RangeList;
import dev.nalu.model.Ranges;
import dev.nalu.model.TaskDefinition;
import dev.nalu.task.ArithmeticTask;
import dev.nalu.task.AutoModel;
import dev.nalu.search.SearchPlan;
import dev.nalu.task.Bounds;
import dev.nalu.task.DataTask;
import dev.nalu.task.Dataset;
import dev.nalu.task.Domain;
import dev.nalu.task.DomainProblem;
import dev.nalu.task.ExpressionException;
import dev.nalu.task.ExpressionLimits;
import dev.nalu.task.ExpressionTask;
import dev.nalu.task.RecurrentArithmeticTask;
import dev.nalu.task.RunningTotalTask;
import dev.nalu.task.CountingTask;
import dev.nalu.task.NumberWords;
import dev.nalu.task.NumberWordsTask;
import dev.nalu.task.RecurrentRecipe;
import dev.nalu.task.SequenceAutoModel;
import dev.nalu.task.SequenceTaskData;
import dev.nalu.task.Task;

/**
 * Turns a {@link JobRequest} into a {@link JobSpec}: checks every field against its domain and
 * the configured limits (naming the field on the first problem), and fills in the defaults. The plain
 * bounds of single fields are the request's Bean Validation constraints, checked here first; the rules
 * that depend on nalu.limits.* or on other fields (the expression on its ranges, the targets' magnitude,
 * the last layer's width, the floor of evaluateEvery) are this class's.
 *
 * <p>Defaults: kind "expression"; extrapolation one range above the training range,
 * [hi, hi + 4·(hi − lo)] ([2, 6] for [1, 2], as in Madsen &amp; Johansen 2020), mirrored below lo
 * when the whole training range is negative; arithmetic n = 100, subset ratio 0.25, overlap 0.5,
 * train [1, 2]; model "auto"; steps 20000, population 16 (64 for "search"), seed 0, learning rate 0.01, batch 64,
 * Adam, float32, a progress report every 1000 steps (or steps / nalu.limits.max-progress-reports
 * when that is more, or steps when fewer), 10000 evaluation rows, regulariser ramp
 * 0.4 → 0.7 of the steps, no gradient clipping, no re-initialisation of stuck members. A sequence task
 * (kind "sequence"): training length 10, test lengths [100, 1000], 2048 evaluation rows (validation and test
 * sequences), the linear regulariser at λ̂ = 1, no input-mean split; model "auto" ({@link SequenceAutoModel}).
 * Number words (kind "number-words"): {@link #NUMBER_WORDS_TRAINING} and {@link SequenceAutoModel#numberWords()}.
 *
 * <p>A task given as {@code {"preset": "…"}} is first expanded into the request the {@link Presets preset}
 * stands for (the request's model and training fields over the preset's), then checked like any other.
 */
@Component
public class JobSpecs {
    static final long DEFAULT_STEPS = 20_000;
    static final int DEFAULT_POPULATION = 16;
    /** A search shares its members out over about ten candidate architectures: a few members each. */
    static final int DEFAULT_SEARCH_POPULATION = 64;
    static final double DEFAULT_LEARNING_RATE = 0.01;
    static final int DEFAULT_BATCH_SIZE = 64;
    static final int DEFAULT_EVALUATE_EVERY = 1000;
    static final int DEFAULT_EVALUATION_ROWS = 10_000;
    private static final int MAX_NAME_LENGTH = 200;
    static final Set<String> PRECISIONS = Set.of("float32", "float64");
    /**
     * The largest |target| of a float32 job: float32 holds values up to 3.4e38, and a job sums up to
     * 2,000 squared errors in it (an evaluation chunk), so errors must stay below about 4e17.
     */
    static final double FLOAT32_MAX_TARGET = 1e15;

    /** The default fraction of a dataset's rows held out for validation. */
    static final double DEFAULT_VALIDATION_FRACTION = 0.2;

    private final LimitsProperties limits;
    private final DatasetService datasets;

    @org.springframework.beans.factory.annotation.Autowired
    public JobSpecs(LimitsProperties limits, DatasetService datasets) {
        this.limits = limits;
        this.datasets = datasets;
    }

    /** Validation without a database (benchmark programs): a dataset task is refused, there being no datasets. */
    public JobSpecs(LimitsProperties limits) {
        this(limits, null);
    }

    public ExpressionLimits expressionLimits() {
        return new ExpressionLimits(limits.maxExpressionLength(), limits.maxExpressionDepth());
    }

    public JobSpec validate(JobRequest request) {
        if (request == null) {
            throw ApiException.invalid("body", "the body must be a job: {\"task\": {…}, \"model\": …, \"training\": {…}}");
        }
        Constraints.check(request);
        boolean preset = request.task() != null && request.task().preset() != null;
        if (preset) {
            request = Presets.expand(request);
        }
        JobRequest.TaskRequest t = request.task();
        if (t == null) {
            throw ApiException.invalid("task", "task is required: {\"expression\": \"a * b\", \"variables\": {…}}");
        }
        String kind = t.kind() != null ? t.kind().trim().toLowerCase(Locale.ROOT)
                : t.dataset() != null ? TaskDefinition.DATASET : TaskDefinition.EXPRESSION;
        // a dataset has no expression whose shape "auto" could read: its default is the search
        JobRequest.Model requested = request.model() != null ? request.model()
                : TaskDefinition.DATASET.equals(kind) ? JobRequest.Search.SEARCH : JobRequest.Auto.AUTO;
        if (TaskDefinition.NUMBER_WORDS.equals(kind)) {
            return numberWords(request, requested);
        }
        boolean sequence = TaskDefinition.SEQUENCE.equals(kind);
        // "auto" on the recurrent arithmetic task trains by the measured recipe where the request is silent (a
        // preset keeps its paper's settings)
        RecurrentRecipe recipe = sequence && !preset && requested == JobRequest.Auto.AUTO ? recipe(t.op()) : null;
        JobSpec.Training training = training(request.training(), requested == JobRequest.Search.SEARCH, sequence,
                recipe);
        if (sequence) {
            return sequence(request.name(), t, requested, training);
        }
        forbid(t.trainLength(), "task.trainLength");
        forbid(t.testLengths(), "task.testLengths");
        forbid(t.symbols(), "task.symbols");
        forbid(t.testRanges(), "task.testRanges");
        if (requested instanceof JobRequest.ModelCell) {
            throw ApiException.invalid("model.cell", "a recurrent model {\"cell\": …} learns a sequence task "
                    + "(task.kind \"sequence\"); this task takes \"auto\", \"search\" or {\"layers\": […]}");
        }
        TaskDefinition definition = switch (kind) {
            case TaskDefinition.EXPRESSION -> expression(t);
            case TaskDefinition.ARITHMETIC -> arithmetic(t, training.seed());
            case TaskDefinition.DATASET -> dataset(t, training);
            default -> throw ApiException.invalid("task.kind", "task.kind must be \"expression\", \"arithmetic\", "
                    + "\"dataset\", \"sequence\" or \"number-words\", got \"" + t.kind() + "\"");
        };
        Task task = definition.toTask(expressionLimits());
        List<Domain> extrapolation = TaskDefinition.DATASET.equals(kind) ? List.of()
                : extrapolation(t.extrapolation(), task);
        targetsWithinPrecision(task, kind, extrapolation, training.precision());
        JobSpec.ModelChoice model = model(requested, task, training.seed());
        String name = name(request.name(), task, definition);
        return new JobSpec(name, definition, extrapolation.stream().map(Ranges::toLists).toList(), model, training);
    }

    /** The default training length of a sequence task (Madsen &amp; Johansen's, and Trask et al.'s). */
    static final int DEFAULT_TRAIN_LENGTH = 10;
    /** The default test lengths of a sequence task (sequential MNIST's extrapolation lengths). */
    static final List<Integer> DEFAULT_TEST_LENGTHS = List.of(100, 1000);

    /**
     * A sequence task (docs/sequence.md): its op, its training and test lengths within nalu.limits.max-sequence-length,
     * for recurrent arithmetic the subsets drawn from the seed (stored, so the task rebuilds exactly), and a recurrent
     * model: "auto" ({@link SequenceAutoModel}) or {"cell": …, "hidden": …, "head": …}.
     */
    private JobSpec sequence(String requestedName, JobRequest.TaskRequest t, JobRequest.Model requested,
                             JobSpec.Training training) {
        forbid(t.expression(), "task.expression");
        forbid(t.variables(), "task.variables");
        forbid(t.extrapolation(), "task.extrapolation");
        forbid(t.inputSize(), "task.inputSize");
        forbid(t.subsetRatio(), "task.subsetRatio");
        forbid(t.overlapRatio(), "task.overlapRatio");
        forbid(t.train(), "task.train");
        forbidDatasetFields(t);
        if (t.op() == null) {
            throw ApiException.invalid("task.op", "task.op is required for a sequence task: one of "
                    + String.join(", ", TaskDefinition.SequenceSource.OPS));
        }
        String op = t.op().trim().toLowerCase(Locale.ROOT);
        if (!TaskDefinition.SequenceSource.OPS.contains(op)) {
            throw ApiException.invalid("task.op", "task.op must be one of " + String.join(", ",
                    TaskDefinition.SequenceSource.OPS) + " for a sequence task, got \"" + t.op() + "\"");
        }
        int max = limits.maxSequenceLength();
        int trainLength = t.trainLength() == null ? DEFAULT_TRAIN_LENGTH : t.trainLength();
        atMost("task.trainLength", trainLength, max);
        List<Integer> testLengths = t.testLengths() == null || t.testLengths().isEmpty() ? DEFAULT_TEST_LENGTHS
                : new ArrayList<>(t.testLengths());
        if (testLengths.size() > limits.maxExtrapolationRanges()) {
            throw ApiException.overLimit("task.testLengths", limits.maxExtrapolationRanges(), "task.testLengths has "
                    + testLengths.size() + " lengths, at most " + limits.maxExtrapolationRanges() + " are allowed");
        }
        for (int i = 0; i < testLengths.size(); i++) {
            if (testLengths.get(i) == null || testLengths.get(i) < 1) {
                throw ApiException.invalid("task.testLengths[" + i + "]", "task.testLengths[" + i + "] must be a length "
                        + "(an integer ≥ 1), got " + testLengths.get(i));
            }
            atMost("task.testLengths[" + i + "]", testLengths.get(i), max);
        }
        testLengths = List.copyOf(testLengths);
        TaskDefinition.SequenceSource source;
        if (!TaskDefinition.SequenceSource.COUNT.equals(op)) {
            forbid(t.symbols(), "task.symbols");
        }
        if (TaskDefinition.SequenceSource.COUNT.equals(op)) {
            int symbols = t.symbols() == null ? CountingTask.DEFAULT_SYMBOLS : t.symbols();
            atMost("task.symbols", symbols, CountingTask.MAX_SYMBOLS);
            CountingTask task = new CountingTask(symbols);
            source = new TaskDefinition.SequenceSource(op, task.inputs(), trainLength, testLengths, null, null, null,
                    Ranges.toLists(task.trainDomain()), symbols);
        } else if (TaskDefinition.SequenceSource.RUNNING_OPS.contains(op)) {
            RunningTotalTask task = new RunningTotalTask(op.equals("sum") ? RunningTotalTask.Kind.SUM
                    : RunningTotalTask.Kind.PRODUCT);
            source = new TaskDefinition.SequenceSource(op, task.inputs(), trainLength, testLengths, null, null, null,
                    Ranges.toLists(task.trainDomain()));
        } else {
            RecurrentArithmeticTask task = new RecurrentArithmeticTask(ArithmeticTask.Op.parse(op), training.seed());
            source = new TaskDefinition.SequenceSource(op, task.inputs(), trainLength, testLengths, training.seed(),
                    List.of(task.aSubset().start(), task.aSubset().length()),
                    List.of(task.bSubset().start(), task.bSubset().length()), Ranges.toLists(task.trainDomain()));
        }
        if (t.testRanges() != null && source.counting()) {
            throw ApiException.invalid("task.testRanges", "task.testRanges does not belong to the count op: its steps "
                    + "are symbols, not values drawn from a range");
        }
        if (t.testRanges() != null) {
            List<Domain> ranges = Ranges.domains(t.testRanges(), "task.testRanges", limits,
                    limits.maxExtrapolationRanges());
            for (int i = 0; i < ranges.size(); i++) {
                String problem = source.undefinedOn(ranges.get(i));
                if (problem != null) {
                    throw ApiException.invalid(t.testRanges().bare() ? "task.testRanges" : "task.testRanges[" + i + "]",
                            problem);
                }
            }
            source = source.withTestRanges(ranges);
        }
        IntFunction<String> rangeField = t.testRanges() != null && t.testRanges().bare() ? i -> "task.testRanges"
                : i -> "task.testRanges[" + i + "]";
        sequenceTargetsWithinPrecision(source, training.precision(), rangeField);
        JobSpec.ModelChoice model = sequenceModel(requested, op, source.inputs(),
                source.counting() ? source.symbols() : 1);
        String name = requestedName == null ? "sequence-" + op : name(requestedName, null, null);
        return new JobSpec(name, TaskDefinition.sequence(source), List.of(), model, training);
    }

    /**
     * The largest |target| at the training length, by the task's worst case (every value at its range's end), within
     * what the precision can square and sum (as {@link #targetsWithinPrecision} for static tasks). Test lengths are
     * measured in the training precision too, and a test set whose errors overflow it is reported with no finite MSE
     * (the model's own float64 evaluation, POST /models/{id}/evaluate, is not bound by it).
     */
    static void sequenceTargetsWithinPrecision(TaskDefinition.SequenceSource s, String precision) {
        sequenceTargetsWithinPrecision(s, precision, i -> "task.testRanges[" + i + "]");
    }

    /**
     * The same, and at the training length over each of the task's other value ranges ({@code task.testRanges}, the
     * field of range i named by {@code rangeField}), which are measured in the training precision too.
     */
    static void sequenceTargetsWithinPrecision(TaskDefinition.SequenceSource s, String precision,
                                               IntFunction<String> rangeField) {
        int length = s.trainLength();
        double bound = s.targetBound(Ranges.fromLists(s.train()), length);
        double max = "float32".equals(precision) ? FLOAT32_MAX_TARGET : Task.MAX_MAGNITUDE;
        if (!(bound <= max)) {
            throw ApiException.invalid("task.trainLength", "the sequence " + s.op() + " can reach " + bound
                    + " at length " + length + ", beyond ±" + (max == FLOAT32_MAX_TARGET ? "1e15, the most a float32 job "
                    + "can square and sum its errors for; train with \"precision\": \"float64\" or on shorter sequences"
                    : "1e150, where squared errors overflow float64; train on shorter sequences"));
        }
        List<Domain> ranges = s.testDomains();
        for (int i = 0; i < ranges.size(); i++) {
            double reach = s.targetBound(ranges.get(i), length);
            if (!(reach <= max)) {
                throw ApiException.invalid(rangeField.apply(i), "the sequence " + s.op() + " can reach " + reach
                        + " at length " + length + " over the test range " + ranges.get(i) + ", beyond ±"
                        + (max == FLOAT32_MAX_TARGET ? "1e15, the most a float32 job can square and sum its errors "
                        + "for; train with \"precision\": \"float64\" or test on a narrower range"
                        : "1e150, where squared errors overflow float64; test on a narrower range"));
            }
        }
    }

    /**
     * The training a number-words job has where the request is silent (docs/api.md, "Number words"):
     * NumberWordsBenchmark's best settings, 2000 steps of K = 8 members, batches of 64, Adam at 0.1 decaying from
     * 70% of the steps, the reference script's regulariser 0.1·(1 − e^(−10⁻⁵ t)) (it touches NAU weights only), a
     * report every 200 steps, no early stop (nothing snaps to stop on). The evaluation sets are the fixed splits:
     * evaluationRows is the test split's size.
     */
    static final JobRequest.TrainingRequest NUMBER_WORDS_TRAINING = new JobRequest.TrainingRequest(2000L, 8, null, 0.1,
            64, null, null, 200, NumberWordsTask.TEST, null, null, null, null, null, false, null,
            JobSpec.Training.EXPONENTIAL, null);

    /**
     * The training defaults of a number-words job whose cell reads the tokens itself (the MAC cell, "auto"): 3000 steps
     * of 16 members, Adam 0.03, a report every 250 steps, then the refit and snap of {@code MacRefit}; exact on 21 of
     * 21 seeds in docs/results/number-words.md.
     */
    static final JobRequest.TrainingRequest NUMBER_WORDS_MAC_TRAINING = new JobRequest.TrainingRequest(3000L, 16, null,
            0.03, 64, null, null, 250, NumberWordsTask.TEST, null, null, null, null, null, false, null,
            JobSpec.Training.EXPONENTIAL, null);

    /**
     * Number words to values (docs/sequence.md, "Number words"): no task field but the kind, the split drawn from
     * training.seed, the training defaults of {@link #NUMBER_WORDS_TRAINING} under the request's, and a model that
     * reads tokens: "auto" ({@link SequenceAutoModel#numberWords()}) or {"cell": …, "hidden": …, "head": …,
     * "embedding": …}.
     */
    private JobSpec numberWords(JobRequest request, JobRequest.Model requested) {
        JobRequest.TaskRequest t = request.task();
        forbid(t.expression(), "task.expression");
        forbid(t.variables(), "task.variables");
        forbid(t.extrapolation(), "task.extrapolation");
        forbid(t.op(), "task.op");
        forbid(t.inputSize(), "task.inputSize");
        forbid(t.subsetRatio(), "task.subsetRatio");
        forbid(t.overlapRatio(), "task.overlapRatio");
        forbid(t.train(), "task.train");
        forbid(t.trainLength(), "task.trainLength");
        forbid(t.testLengths(), "task.testLengths");
        forbid(t.symbols(), "task.symbols");
        forbid(t.testRanges(), "task.testRanges");
        forbidDatasetFields(t);
        JobRequest.TrainingRequest asked = request.training() == null ? JobRequest.TrainingRequest.DEFAULTS
                : request.training();
        if (asked.evaluationRows() != null && asked.evaluationRows() != NumberWordsTask.TEST) {
            throw ApiException.invalid("training.evaluationRows", "a number-words job is measured on its fixed splits ("
                    + NumberWordsTask.VALIDATION + " validation and " + NumberWordsTask.TEST + " test numbers): leave "
                    + "training.evaluationRows out");
        }
        if (Boolean.TRUE.equals(asked.earlyStop())) {
            throw ApiException.invalid("training.earlyStop", "a number-words job trains to its step budget: its model "
                    + "has no exact formula to stop on (the member with the lowest validation MSE is kept)");
        }
        JobSpec.ModelChoice model = recurrentModel(requested, SequenceAutoModel::numberWords, 1, 1, true);
        boolean oneHot = CellKind.parse(model.recurrent().cell()).readsOneHot();
        JobSpec.Training training = training(asked.over(oneHot ? NUMBER_WORDS_MAC_TRAINING : NUMBER_WORDS_TRAINING),
                false, true, null);
        String name = request.name() == null ? TaskDefinition.NUMBER_WORDS : name(request.name(), null, null);
        return new JobSpec(name, TaskDefinition.numberWords(TaskDefinition.NumberWordsSource.of(training.seed())),
                List.of(), model, training);
    }

    private JobSpec.ModelChoice sequenceModel(JobRequest.Model requested, String op, int inputs, int outputs) {
        return recurrentModel(requested, () -> SequenceAutoModel.choose(op, inputs), inputs, outputs, false);
    }

    /**
     * A recurrent model: "auto" (the {@code auto} choice) or {"cell": …}; with {@code tokens} (number words) the
     * cell reads token ids through an embedding of model.embedding values, and its state has 10 values by default
     * (the MAC cell reads the tokens through its own tables, without an embedding, and has one state value).
     */
    private JobSpec.ModelChoice recurrentModel(JobRequest.Model requested,
                                               java.util.function.Supplier<SequenceAutoModel.Choice> auto, int inputs,
                                               int outputs, boolean tokens) {
        if (requested == JobRequest.Search.SEARCH) {
            throw ApiException.invalid("model", "a sequence task takes \"auto\" or a recurrent model {\"cell\": "
                    + "\"NAU\", \"hidden\": 2, \"head\": \"NAU\"}, not \"search\"");
        }
        if (requested instanceof JobRequest.ModelLayers) {
            throw ApiException.invalid("model.layers", "a sequence task takes a recurrent model {\"cell\": \"NAU\", "
                    + "\"hidden\": 2, \"head\": \"NAU\"} (or \"auto\"), not layers");
        }
        if (!(requested instanceof JobRequest.ModelCell m)) {
            SequenceAutoModel.Choice c = auto.get();
            return JobSpec.ModelChoice.sequence("auto", c.spec(), c.rule(), c.reason());
        }
        if (m.cell() == null) {
            throw ApiException.invalid("model.cell", "model.cell is required: one of " + cells());
        }
        CellKind cell;
        try {
            cell = CellKind.parse(m.cell());
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("model.cell", "unknown cell '" + m.cell() + "' in model.cell; one of " + cells());
        }
        if (tokens && !cell.embeds() && !cell.readsOneHot()) {
            throw ApiException.invalid("model.cell", "a " + cell.label() + " cell cannot read number words: its input "
                    + "is not a linear map of the token's embedding (use MAC, NAU, RNN_TANH, RNN_RELU, GRU or LSTM)");
        }
        if (tokens && cell.readsOneHot() && m.embedding() != null) {
            throw ApiException.invalid("model.embedding", "a " + cell.label() + " cell reads each token through its own "
                    + "tables, without an embedding: leave model.embedding out");
        }
        if (!tokens && m.embedding() != null) {
            throw ApiException.invalid("model.embedding", "model.embedding is the token embedding of a number-words "
                    + "model; this task's steps are values, not tokens");
        }
        int hidden = m.hidden() != null ? m.hidden() : !tokens ? SequenceSpec.DEFAULT_HIDDEN
                : cell.readsOneHot() ? SequenceAutoModel.WORDS_MAC_HIDDEN : SequenceAutoModel.WORDS_HIDDEN;
        if (hidden < 1) {
            throw ApiException.invalid("model.hidden", "model.hidden must be at least 1, got " + hidden);
        }
        atMost("model.hidden", hidden, limits.maxLayerWidth());
        Unit head = cell.defaultHead();
        if (m.head() != null) {
            try {
                head = Unit.parse(m.head());
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid("model.head", "unknown unit '" + m.head() + "' in model.head; one of " + units());
            }
        }
        SequenceSpec spec = new SequenceSpec(inputs, cell, hidden, head).withOutputs(outputs);
        if (tokens && cell.readsOneHot()) {
            spec = SequenceSpec.oneHotTokens(NumberWords.VOCABULARY, cell).withHidden(hidden).withHead(head);
        } else if (tokens) {
            int embedding = m.embedding() == null ? SequenceAutoModel.WORDS_EMBEDDING : m.embedding();
            atMost("model.embedding", embedding, SequenceAutoModel.MAX_EMBEDDING);
            spec = SequenceSpec.tokens(NumberWords.VOCABULARY, embedding, cell).withHidden(hidden).withHead(head);
        }
        return JobSpec.ModelChoice.sequence("explicit", spec, "explicit", "the cell and head given in the request");
    }

    private static String cells() {
        return String.join(", ", java.util.Arrays.stream(CellKind.values()).map(Enum::name).toList());
    }

    private String name(String name, Task task, TaskDefinition definition) {
        if (name == null && definition == null) {
            throw new IllegalStateException("no name and no task to name the job after");
        }
        if (name == null) {
            return TaskDefinition.ARITHMETIC.equals(definition.kind()) ? "arithmetic-" + definition.op() : task.describe();
        }
        String n = name.strip();
        if (n.isEmpty() || n.length() > MAX_NAME_LENGTH || n.chars().anyMatch(Character::isISOControl)) {
            throw ApiException.invalid("name", "name must be 1 to " + MAX_NAME_LENGTH
                    + " printable characters, got \"" + name + "\"");
        }
        return n;
    }

    private TaskDefinition expression(JobRequest.TaskRequest t) {
        forbid(t.op(), "task.op");
        forbid(t.inputSize(), "task.inputSize");
        forbid(t.subsetRatio(), "task.subsetRatio");
        forbid(t.overlapRatio(), "task.overlapRatio");
        forbid(t.train(), "task.train");
        forbidDatasetFields(t);
        if (t.expression() == null || t.expression().isBlank()) {
            throw ApiException.invalid("task.expression", "task.expression is required, e.g. \"a * b\"");
        }
        if (t.expression().length() > limits.maxExpressionLength()) {
            throw ApiException.overLimit("task.expression", limits.maxExpressionLength(), "task.expression has "
                    + t.expression().length() + " characters, at most " + limits.maxExpressionLength() + " are allowed");
        }
        if (t.variables() == null || t.variables().isEmpty()) {
            throw ApiException.invalid("task.variables",
                    "task.variables is required: each variable with its training range, e.g. {\"a\": {\"train\": [1, 2]}}");
        }
        if (t.variables().size() > limits.maxInputSize()) {
            throw ApiException.overLimit("task.variables", limits.maxInputSize(), "task.variables declares "
                    + t.variables().size() + " variables, at most " + limits.maxInputSize() + " are allowed");
        }
        Map<String, Domain> domains = new LinkedHashMap<>();
        for (Map.Entry<String, JobRequest.VariableRequest> v : t.variables().entrySet()) {
            String field = "task.variables." + v.getKey();
            if (v.getValue() == null) {
                throw ApiException.invalid(field, field + " must be {\"train\": [lo, hi]}");
            }
            domains.put(v.getKey(), Ranges.domain(v.getValue().train(), field + ".train", limits));
        }
        ExpressionTask task;
        try {
            task = ExpressionTask.parse(t.expression(), domains, expressionLimits());
        } catch (ExpressionException e) {
            ApiException problem = ApiException.invalid("task.expression", "task.expression: " + e.getMessage());
            throw problem;
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("task.variables", "task.variables: " + e.getMessage());
        }
        List<DomainProblem> problems = task.domainProblems();
        if (!problems.isEmpty()) {
            throw ApiException.invalid("task.variables", "the expression " + problems.get(0).verb()
                    + " on the training ranges: " + problems.get(0).message());
        }
        return TaskDefinition.expression(t.expression(), domains);
    }

    private TaskDefinition arithmetic(JobRequest.TaskRequest t, long seed) {
        forbid(t.expression(), "task.expression");
        forbid(t.variables(), "task.variables");
        forbidDatasetFields(t);
        if (t.op() == null) {
            throw ApiException.invalid("task.op", "task.op is required for an arithmetic task: add, sub, mul, div, square or sqrt");
        }
        ArithmeticTask.Op op;
        try {
            op = ArithmeticTask.Op.parse(t.op());
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("task.op", "task.op: " + e.getMessage());
        }
        int n = t.inputSize() == null ? ArithmeticTask.DEFAULT_INPUT_SIZE : t.inputSize();
        atMost("task.inputSize", n, limits.maxInputSize());
        double subset = t.subsetRatio() == null ? ArithmeticTask.DEFAULT_SUBSET_RATIO : t.subsetRatio();
        double overlap = t.overlapRatio() == null ? ArithmeticTask.DEFAULT_OVERLAP_RATIO : t.overlapRatio();
        Domain train = t.train() == null ? ArithmeticTask.DEFAULT_TRAIN_DOMAIN : Ranges.domain(t.train(), "task.train", limits);
        try {
            new ArithmeticTask(op, n, subset, overlap, seed, train);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("task.inputSize", "task: " + e.getMessage());
        }
        TaskDefinition definition = TaskDefinition.arithmetic(op, n, subset, overlap, seed, train);
        if ((op == ArithmeticTask.Op.DIV && train.containsZero()) || (op == ArithmeticTask.Op.SQRT && train.lo() < 0)) {
            throw ApiException.invalid("task.train", "the arithmetic " + definition.op()
                    + " is undefined on the training range " + train);
        }
        return definition;
    }

    private List<Domain> extrapolation(Extrapolation requested, Task task) {
        if (requested != null && requested.dataset() != null) {
            throw ApiException.invalid("task.extrapolation", "a held-out dataset {\"dataset\": …} tests a dataset task; "
                    + "this task is tested on ranges [[[lo, hi]], …]");
        }
        RangeList ranges = requested == null ? null : requested.ranges();
        List<Domain> domains;
        if (ranges == null) {
            domains = List.of(defaultExtrapolation(task));
        } else {
            domains = Ranges.domains(ranges, "task.extrapolation", limits, limits.maxExtrapolationRanges());
        }
        for (int i = 0; i < domains.size(); i++) {
            String field = "task.extrapolation[" + i + "]";
            Domain d = domains.get(i);
            if (task instanceof ExpressionTask e) {
                List<DomainProblem> problems = e.domainProblems(d);
                if (!problems.isEmpty()) {
                    throw ApiException.invalid(field, "the expression " + problems.get(0).verb()
                            + " on the extrapolation range " + d + ": " + problems.get(0).message());
                }
            } else if (task instanceof ArithmeticTask a
                    && ((a.op() == ArithmeticTask.Op.DIV && d.containsZero()) || (a.op() == ArithmeticTask.Op.SQRT && d.lo() < 0))) {
                throw ApiException.invalid(field, "the arithmetic " + a.op().name().toLowerCase()
                        + " is undefined on the extrapolation range " + d);
            }
        }
        return domains;
    }

    private static void forbidDatasetFields(JobRequest.TaskRequest t) {
        forbid(t.dataset(), "task.dataset");
        forbid(t.target(), "task.target");
        forbid(t.inputs(), "task.inputs");
        forbid(t.validationFraction(), "task.validationFraction");
        forbid(t.extrapolationDataset(), "task.extrapolationDataset");
    }

    /**
     * A dataset task: the dataset exists, the target and the inputs are its columns (inputs by default every other
     * column that is not constant), there are rows to train and validate on, the held-out dataset (if any) has those
     * columns too, and the targets fit the precision. The spec records each dataset's content hash and the columns'
     * ranges.
     */
    private TaskDefinition dataset(JobRequest.TaskRequest t, JobSpec.Training training) {
        forbid(t.expression(), "task.expression");
        forbid(t.variables(), "task.variables");
        forbid(t.op(), "task.op");
        forbid(t.inputSize(), "task.inputSize");
        forbid(t.subsetRatio(), "task.subsetRatio");
        forbid(t.overlapRatio(), "task.overlapRatio");
        forbid(t.train(), "task.train");
        if (t.dataset() == null) {
            throw ApiException.invalid("task.dataset", "task.dataset is required: the id of an uploaded dataset "
                    + "(POST /api/v1/datasets)");
        }
        if (datasets == null) {
            throw ApiException.invalid("task.dataset", "dataset tasks run in the service, which stores the datasets");
        }
        DatasetMessages.View data = dataset(t.dataset(), "task.dataset");
        if (data.rows() < 2) {
            throw ApiException.invalid("task.dataset", "dataset " + data.id() + " has " + data.rows()
                    + " row; a job needs at least 2 (one to train on, one to validate on)");
        }
        List<String> names = data.columns().stream().map(DatasetMessages.Column::name).toList();
        if (t.target() == null) {
            throw ApiException.invalid("task.target", "task.target is required: one of the dataset's columns " + names);
        }
        DatasetMessages.Column target = column(data, t.target(), "task.target");
        List<DatasetMessages.Column> inputs = new ArrayList<>();
        if (t.inputs() == null || t.inputs().isEmpty()) { // [] as left out: generated clients send it by default
            for (DatasetMessages.Column c : data.columns()) {
                if (!c.name().equals(target.name()) && c.min() < c.max()) {
                    inputs.add(c);
                }
            }
            if (inputs.isEmpty()) {
                throw ApiException.invalid("task.inputs", "dataset " + data.id() + " has no column besides "
                        + target.name() + " whose values vary: there is nothing to learn " + target.name() + " from");
            }
        } else {
            for (int i = 0; i < t.inputs().size(); i++) {
                String field = "task.inputs[" + i + "]";
                DatasetMessages.Column c = column(data, t.inputs().get(i), field);
                if (c.name().equals(target.name())) {
                    throw ApiException.invalid(field, field + " is the target column " + c.name());
                }
                if (inputs.contains(c)) {
                    throw ApiException.invalid(field, field + " names " + c.name() + " twice");
                }
                if (!(c.min() < c.max())) {
                    throw ApiException.invalid(field, "column " + c.name() + " is constant (every value is "
                            + c.min() + "): leave it out of task.inputs");
                }
                inputs.add(c);
            }
        }
        if (inputs.size() > limits.maxInputSize()) {
            throw ApiException.overLimit("task.inputs", limits.maxInputSize(), "the task has " + inputs.size()
                    + " input columns, at most " + limits.maxInputSize() + " are allowed");
        }
        double fraction = t.validationFraction() == null ? DEFAULT_VALIDATION_FRACTION : t.validationFraction();
        String precision = training.precision();
        targetWithinPrecision(target, precision, "task.target", "dataset " + data.id());
        List<String> inputNames = inputs.stream().map(DatasetMessages.Column::name).toList();
        DatasetMessages.View heldOut = null;
        if (t.extrapolation() != null && t.extrapolation().ranges() != null) {
            throw ApiException.invalid("task.extrapolation", "a dataset task is tested on a held-out dataset, "
                    + "{\"dataset\": \"<id>\"}, not on ranges: off its rows it has no exact target to compare with");
        }
        String heldOutId = t.heldOutDataset();
        if (heldOutId != null) {
            String field = t.extrapolationDataset() != null ? "task.extrapolationDataset" : "task.extrapolation.dataset";
            heldOut = dataset(heldOutId, field);
            for (String column : inputNames) {
                column(heldOut, column, field);
            }
            targetWithinPrecision(column(heldOut, target.name(), field), precision, field, "dataset " + heldOut.id());
        } else if (t.extrapolation() != null) {
            throw ApiException.invalid("task.extrapolation.dataset", "task.extrapolation.dataset is required: the id "
                    + "of an uploaded dataset");
        }
        return TaskDefinition.dataset(new TaskDefinition.DataSource(data.id(), data.name(), data.contentHash(),
                data.rows(), target.name(), inputNames,
                inputs.stream().map(c -> List.of(c.min(), c.max())).toList(), List.of(target.min(), target.max()),
                fraction, heldOut == null ? null : heldOut.id(), heldOut == null ? null : heldOut.contentHash(),
                heldOut == null ? null : heldOut.rows()));
    }

    private DatasetMessages.View dataset(String id, String field) {
        long n;
        try {
            n = Long.parseLong(id.trim());
        } catch (NumberFormatException e) {
            throw ApiException.invalid(field, field + " must be a dataset's id, got \"" + id + "\"");
        }
        return datasets.find(n).orElseThrow(() -> ApiException.invalid(field, "there is no dataset " + n
                + " (GET /api/v1/datasets lists them)"));
    }

    private static DatasetMessages.Column column(DatasetMessages.View data, String name, String field) {
        return data.columns().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> ApiException.invalid(field, "dataset " + data.id() + " has no column \"" + name
                        + "\"; its columns are " + data.columns().stream().map(DatasetMessages.Column::name).toList()));
    }

    /** A target column's values within what the precision can square and sum (see {@link #targetsWithinPrecision}). */
    private static void targetWithinPrecision(DatasetMessages.Column target, String precision, String field,
                                              String where) {
        boolean float32 = "float32".equals(precision);
        double max = float32 ? FLOAT32_MAX_TARGET : Task.MAX_MAGNITUDE;
        if (Math.max(Math.abs(target.min()), Math.abs(target.max())) > max) {
            throw ApiException.invalid(field, "column " + target.name() + " of " + where + " reaches ["
                    + target.min() + ", " + target.max() + "], beyond ±" + (float32 ? "1e15, the most a float32 job "
                    + "can square and sum its errors for; train with \"precision\": \"float64\"" : "1e150, where "
                    + "squared errors overflow float64"));
        }
    }

    /**
     * The targets' bounds, by interval arithmetic on every range of the task (training and
     * extrapolation, never by sampling), within what the job's precision can square and sum:
     * ±{@value Task#MAX_MAGNITUDE} in float64, ±{@value #FLOAT32_MAX_TARGET} in float32.
     */
    static void targetsWithinPrecision(Task task, String kind, List<Domain> extrapolation, String precision) {
        String training = TaskDefinition.ARITHMETIC.equals(kind) ? "task.train" : "task.variables";
        targetWithin(task, task.targetBounds(), precision, training, "the training ranges");
        for (int i = 0; i < extrapolation.size(); i++) {
            targetWithin(task, task.targetBounds(extrapolation.get(i)), precision, "task.extrapolation[" + i + "]",
                    "the extrapolation range " + extrapolation.get(i));
        }
    }

    private static void targetWithin(Task task, Bounds target, String precision, String field, String where) {
        boolean float32 = "float32".equals(precision);
        double max = float32 ? FLOAT32_MAX_TARGET : Task.MAX_MAGNITUDE;
        if (target.lo() >= -max && target.hi() <= max) {
            return;
        }
        throw ApiException.invalid(field, "the target " + task.describe() + " can reach " + target + " on " + where
                + ", beyond ±" + (float32 ? "1e15" : "1e150") + (float32
                ? ", the most a float32 job can square and sum its errors for; train with \"precision\": \"float64\" or on narrower ranges"
                : ", where squared errors overflow float64"));
    }

    /** [hi, hi + 4·(hi − lo)] of the hull of the training ranges, or its mirror below lo when hi ≤ 0. */
    static Domain defaultExtrapolation(Task task) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < task.inputSize(); i++) {
            lo = Math.min(lo, task.trainDomain(i).lo());
            hi = Math.max(hi, task.trainDomain(i).hi());
        }
        double width = 4 * (hi - lo);
        return hi <= 0 ? Domain.of(lo - width, lo) : Domain.of(hi, hi + width);
    }

    private JobSpec.ModelChoice model(JobRequest.Model model, Task task, long seed) {
        int n = task.inputSize();
        if (model == JobRequest.Search.SEARCH) {
            SearchPlan plan = SearchPlan.forShape(n, inputsPositive(task), targetRange(task, seed));
            return new JobSpec.ModelChoice("search", n, List.of(), plan.rule(), plan.reason(), plan.candidates().stream()
                    .map(c -> new JobSpec.Candidate(c.name(), c.spec().layers().stream().map(LayerDefinition::of).toList()))
                    .toList());
        }
        if (!(model instanceof JobRequest.ModelLayers explicit)) { // "auto", or no model: the default
            AutoModel.Choice c = AutoModel.choose(task);
            return new JobSpec.ModelChoice("auto", n, c.spec().layers().stream().map(LayerDefinition::of).toList(),
                    c.rule(), c.reason());
        }
        List<JobRequest.ModelLayers.Layer> layers = explicit.layers();
        if (layers.size() > limits.maxLayers()) {
            throw ApiException.overLimit("model.layers", limits.maxLayers(),
                    "model has " + layers.size() + " layers, at most " + limits.maxLayers() + " are allowed");
        }
        List<LayerSpec> specs = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            specs.add(layer(layers.get(i), "model.layers[" + i + "]", i == layers.size() - 1));
        }
        ModelSpec spec = new ModelSpec(n, specs);
        return new JobSpec.ModelChoice("explicit", n, spec.layers().stream().map(LayerDefinition::of).toList(),
                "explicit", "the layers given in the request");
    }

    /** Whether every input is positive on every training row: each input's training range lies above 0. */
    private static boolean inputsPositive(Task task) {
        for (int i = 0; i < task.inputSize(); i++) {
            if (task.trainDomain(i).lo() <= 0) {
                return false;
            }
        }
        return true;
    }

    /** Rows of an expression or arithmetic task sampled to see the targets' signs, as a dataset would show them. */
    private static final int SHAPE_ROWS = 1000;

    /**
     * The targets' range as data shows it: a dataset's target column, or the targets of {@value #SHAPE_ROWS} rows
     * sampled from the training ranges (samples, never the expression's form).
     */
    private static Bounds targetRange(Task task, long seed) {
        if (task instanceof DataTask d) {
            return d.targetRange();
        }
        Dataset rows = Dataset.interpolation(task, SHAPE_ROWS, seed);
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double y : rows.y()) {
            lo = Math.min(lo, y);
            hi = Math.max(hi, y);
        }
        return new Bounds(lo, hi);
    }

    private LayerSpec layer(JobRequest.ModelLayers.Layer layer, String field, boolean last) {
        if (layer.unit() == null) {
            throw ApiException.invalid(field + ".unit", field + ".unit is required: one of " + units());
        }
        Unit unit;
        try {
            unit = Unit.parse(layer.unit());
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(field + ".unit", "unknown unit '" + layer.unit() + "' in " + field
                    + ".unit; one of " + units());
        }
        int out = layer.out();
        atMost(field + ".out", out, limits.maxLayerWidth());
        if (last && out != 1) {
            throw ApiException.invalid(field + ".out", "the last layer must have out = 1, got " + out);
        }
        Activation activation = Activation.NONE;
        if (layer.activation() != null) {
            if (unit != Unit.DENSE) {
                throw ApiException.invalid(field + ".activation", unit + " takes no activation; only DENSE layers do");
            }
            try {
                activation = Activation.parse(layer.activation());
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid(field + ".activation", "unknown activation '" + layer.activation()
                        + "'; one of relu, relu6, tanh, sigmoid, elu, leaky-relu, softplus, none");
            }
        }
        boolean constant = Boolean.TRUE.equals(layer.constant());
        if (constant && unit != Unit.NAU && unit != Unit.REAL_NPU) {
            throw ApiException.invalid(field + ".constant", unit + " takes no learned constant; only NAU (a constant-1 "
                    + "input) and REAL_NPU (a scale per output) do");
        }
        return new LayerSpec(unit, out, activation, constant);
    }

    private static String units() {
        return String.join(", ", java.util.Arrays.stream(Unit.values()).map(Enum::name).toList());
    }

    /** The recipe of a recurrent arithmetic op (add, sub, mul, div, square, sqrt), or null for any other op. */
    private static RecurrentRecipe recipe(String op) {
        if (op == null) {
            return null;
        }
        ArithmeticTask.Op parsed;
        try {
            parsed = ArithmeticTask.Op.parse(op.trim().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null; // not an arithmetic op: a running total, or a bad op the task's check names
        }
        return RecurrentRecipe.forOp(parsed);
    }

    /**
     * The training settings. With a {@code recipe} (auto on the recurrent arithmetic task) its settings are the
     * defaults: its step budget, evaluation (and snap check) interval, no learning-rate decay, and its regulariser
     * ramp in absolute steps (λ̂ from step 2,000 to 10,000), stored as fractions of the steps.
     */
    private JobSpec.Training training(JobRequest.TrainingRequest t, boolean search, boolean sequence,
                                      RecurrentRecipe recipe) {
        if (t == null) {
            t = JobRequest.TrainingRequest.DEFAULTS;
        }
        String schedule = null;
        if (!sequence) {
            forbid(t.regulariserSchedule(), "training.regulariserSchedule");
            forbid(t.regulariserStrength(), "training.regulariserStrength");
        } else {
            schedule = t.regulariserSchedule() == null ? JobSpec.Training.LINEAR
                    : t.regulariserSchedule().trim().toLowerCase(Locale.ROOT);
            if (!schedule.equals(JobSpec.Training.LINEAR) && !schedule.equals(JobSpec.Training.EXPONENTIAL)) {
                throw ApiException.invalid("training.regulariserSchedule", "training.regulariserSchedule must be linear "
                        + "or exponential, got \"" + t.regulariserSchedule() + "\"");
            }
            if (t.regulariserStrength() != null && !Double.isFinite(t.regulariserStrength())) {
                throw ApiException.invalid("training.regulariserStrength", "training.regulariserStrength must be a "
                        + "finite number ≥ 0");
            }
        }
        long steps = t.steps() != null ? t.steps() : recipe != null ? recipe.config().steps() : DEFAULT_STEPS;
        atMost("training.steps", steps, limits.maxSteps());
        int population = t.population() != null ? t.population() : search ? DEFAULT_SEARCH_POPULATION : DEFAULT_POPULATION;
        atMost("training.population", population, limits.maxPopulation());
        long seed = t.seed() == null ? 0 : t.seed();
        double lr = t.learningRate() == null ? DEFAULT_LEARNING_RATE : t.learningRate();
        int batch = t.batchSize() == null ? DEFAULT_BATCH_SIZE : t.batchSize();
        atMost("training.batchSize", batch, limits.maxBatchSize());
        String optimizer = t.optimizer() == null ? "adam" : t.optimizer().trim().toLowerCase(Locale.ROOT);
        try {
            Optimizer.parse(optimizer);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("training.optimizer", "training.optimizer must be adam, rmsprop or sgd, got \""
                    + t.optimizer() + "\"");
        }
        String precision = t.precision() == null ? "float32" : t.precision().trim().toLowerCase(Locale.ROOT);
        if (!PRECISIONS.contains(precision)) {
            throw ApiException.invalid("training.precision", "training.precision must be float32 or float64, got \""
                    + t.precision() + "\"");
        }
        long leastEvery = leastEvaluateEvery(steps);
        int defaultEvery = recipe != null ? recipe.config().evaluateEvery() : DEFAULT_EVALUATE_EVERY;
        int every = t.evaluateEvery() == null ? (int) Math.min(steps, Math.max(defaultEvery, leastEvery))
                : t.evaluateEvery();
        if (every < leastEvery) {
            throw ApiException.overLimit("training.evaluateEvery", leastEvery, "training.evaluateEvery is " + every
                    + ", at least " + leastEvery + " is allowed: a job of " + steps + " steps reports its progress at most "
                    + limits.maxProgressReports() + " times, and at most every " + limits.minEvaluateEvery() + " steps");
        }
        atMost("training.evaluateEvery", every, steps);
        int defaultRows = sequence ? SequenceTaskData.DEFAULT_VALIDATION_ROWS : DEFAULT_EVALUATION_ROWS;
        int rows = t.evaluationRows() == null ? Math.min(defaultRows, limits.maxEvaluationRows()) : t.evaluationRows();
        atMost("training.evaluationRows", rows, limits.maxEvaluationRows());
        double start = t.regulariserStart() != null ? t.regulariserStart()
                : recipe != null ? Math.min(1, recipe.regulariser().start() / (double) steps) : 0.4;
        double end = t.regulariserEnd() != null ? t.regulariserEnd()
                : recipe != null ? Math.max(start, Math.min(1, recipe.regulariser().end() / (double) steps)) : 0.7;
        if (!(end >= start && end <= 1)) {
            throw ApiException.invalid("training.regulariserEnd",
                    "training.regulariserEnd must be in [regulariserStart, 1], got " + end);
        }
        double decay = t.learningRateDecayStart() != null ? t.learningRateDecayStart()
                : recipe != null ? recipe.config().decayStart() : TrainingConfig.DEFAULT_DECAY_START;
        double clip = t.gradientClip() == null ? 0 : t.gradientClip();
        if (!(clip >= 0 && Double.isFinite(clip))) {
            throw ApiException.invalid("training.gradientClip", "training.gradientClip must be ≥ 0 (0 = off), got " + clip);
        }
        boolean reinit = t.reinitialiseStuck() != null && t.reinitialiseStuck();
        boolean earlyStop = t.earlyStop() == null || t.earlyStop();
        boolean split = !sequence && (t.splitInputMean() == null || t.splitInputMean());
        if (sequence && Boolean.TRUE.equals(t.splitInputMean())) {
            throw ApiException.invalid("training.splitInputMean", "the input-mean split applies to static NAU layers, "
                    + "not to recurrent cells");
        }
        if (sequence && Boolean.TRUE.equals(t.reinitialiseStuck())) {
            throw ApiException.invalid("training.reinitialiseStuck", "a sequence job re-initialises diverged members "
                    + "only (the stuck-member rule does not apply to recurrent cells)");
        }
        return new JobSpec.Training(steps, population, seed, lr, batch, optimizer, precision, every, rows,
                start, end, decay, clip, reinit, earlyStop, split, schedule,
                sequence ? t.regulariserStrength() : null);
    }

    /**
     * The floor of training.evaluateEvery: a job writes at most nalu.limits.max-progress-reports
     * progress events (⌈steps / evaluateEvery⌉, one per report), never more often than every
     * nalu.limits.min-evaluate-every steps, and a job shorter than that reports once, at its end.
     */
    private long leastEvaluateEvery(long steps) {
        long perReports = (steps + limits.maxProgressReports() - 1) / limits.maxProgressReports();
        return Math.min(steps, Math.max(limits.minEvaluateEvery(), perReports));
    }

    /** The upper bound a limit sets; the lower bound is the request's constraint (at least 1). */
    private static void atMost(String field, long value, long max) {
        if (value > max) {
            throw ApiException.overLimit(field, max, field + " is " + value + ", at most " + max + " is allowed");
        }
    }

    /** A field another kind of task takes must be left out; an empty list is taken as left out (generated clients send []). */
    private static void forbid(Object value, String field) {
        if (value != null && !(value instanceof java.util.Collection<?> c && c.isEmpty())) {
            throw ApiException.invalid(field, field + " does not belong to this kind of task");
        }
    }
}
