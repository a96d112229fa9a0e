package dev.nalu.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.nd4j.linalg.api.buffer.DataType;

import com.fasterxml.jackson.databind.JsonNode;

import dev.nalu.api.ApiException;
import dev.nalu.compute.CellWeights;
import dev.nalu.compute.LayerWeights;
import dev.nalu.compute.CellKind;
import dev.nalu.compute.SequenceData;
import dev.nalu.compute.SequenceModel;
import dev.nalu.compute.SequenceNetwork;
import dev.nalu.compute.SequenceSpec;
import dev.nalu.compute.Tensor;
import dev.nalu.config.LimitsProperties;
import dev.nalu.cost.Budgets;
import dev.nalu.evaluation.ErrorMetrics;
import dev.nalu.evaluation.SequenceSnap;
import dev.nalu.evaluation.SuccessCriterion;
import dev.nalu.model.ModelDocument.Architecture;
import dev.nalu.model.ModelDocument.FormulaDocument;
import dev.nalu.model.ModelDocument.LayerWeightsDocument;
import dev.nalu.model.ModelMessages.EvaluateRequest;
import dev.nalu.model.ModelMessages.EvaluateResponse;
import dev.nalu.model.ModelMessages.RangeResult;
import dev.nalu.task.CountingTask;
import dev.nalu.task.Domain;
import dev.nalu.task.Task;
import dev.nalu.task.NumberWords;
import dev.nalu.task.NumberWordsTask;
import dev.nalu.task.SequenceAutoModel;
import dev.nalu.task.SequenceTask;
import dev.nalu.task.SequenceTaskData;

/**
 * Sequence models in the registry (docs/sequence.md, "Sequence jobs over HTTP"): a stored document read back and
 * checked into a float64 {@link SequenceNetwork}, predictions over sequences, and evaluation at given lengths
 * against the task's exact value. Every size is checked against nalu.limits.* before anything is allocated.
 */
final class SequenceModels {
    static final int DEFAULT_EVALUATE_SAMPLES = 100;
    /** Rows of the validation set an imported exact formula is checked on. */
    static final int CLAIM_ROWS = 256;

    private final LimitsProperties limits;
    private final Budgets budgets;

    SequenceModels(LimitsProperties limits, Budgets budgets) {
        this.limits = limits;
        this.budgets = budgets;
    }

    /**
     * A sequence model ready to compute: its task (or, for number words, its splits), its network and, when its
     * formula is exact, the snapped network.
     */
    record Loaded(ModelDocument document, SequenceTask task, SequenceNetwork network, SequenceNetwork exact,
                  NumberWordsTask words) {
        String answeredBy() {
            return exact != null ? ModelService.BY_FORMULA : ModelService.BY_NETWORK;
        }

        SequenceNetwork answering() {
            return exact != null ? exact : network;
        }

        int inputs() {
            return network.spec().inputs();
        }

        int outputs() {
            return network.spec().outputs();
        }
    }

    /** The inputs' names, x0 … x(n−1): the formula reads x0[t], h0[t−1], … */
    static List<String> variables(int inputs) {
        List<String> names = new ArrayList<>(inputs);
        for (int i = 0; i < inputs; i++) {
            names.add("x" + i);
        }
        return names;
    }

    // ---------------------------------------------------------------- documents

    /**
     * Checks a sequence model's document and builds the model: its task rebuilds, its lengths are within the limits,
     * its architecture is a recurrent one over the task's inputs, its weights have exactly the names and shapes of
     * that cell and head, and its formula is what the weights snap to; a formula claimed exact is checked on
     * {@value #CLAIM_ROWS} validation sequences at the training length.
     */
    Loaded validate(ModelDocument doc) {
        if (!ModelDocument.FORMAT.equals(doc.format())) {
            throw ModelService.invalidDocument("format", "format must be \"" + ModelDocument.FORMAT + "\"");
        }
        ModelService.name(doc.name());
        TaskDefinition definition = doc.task();
        if (definition.isNumberWords()) {
            return validateNumberWords(doc);
        }
        TaskDefinition.SequenceSource source = definition.sequence();
        SequenceTask task;
        try {
            task = definition.toSequenceTask();
        } catch (IllegalArgumentException e) {
            throw ModelService.invalidDocument("task", "task: " + e.getMessage());
        }
        if (source.trainLength() > limits.maxSequenceLength()) {
            throw ModelService.invalidDocument("task.sequence.trainLength", "the training length is "
                    + source.trainLength() + ", at most " + limits.maxSequenceLength() + " is allowed");
        }
        if (source.testLengths().size() > limits.maxExtrapolationRanges()
                || source.testLengths().stream().anyMatch(l -> l == null || l < 1 || l > limits.maxSequenceLength())) {
            throw ModelService.invalidDocument("task.sequence.testLengths", "the test lengths must be at most "
                    + limits.maxExtrapolationRanges() + " lengths from 1 to " + limits.maxSequenceLength());
        }
        SequenceSpec spec = architecture(doc, task.inputs(), task.outputs());
        if (spec.readsTokens()) {
            throw ModelService.invalidDocument("architecture.vocabulary", "only a number-words model reads tokens: "
                    + "leave architecture.vocabulary and architecture.embedding out");
        }
        SequenceNetwork network = network(spec, doc.weights());
        FormulaDocument f = doc.formula();
        if (f == null) {
            throw ModelService.invalidDocument("formula", "formula is required ({\"exact\": false} when there is none)");
        }
        if (f.tree() != null) {
            throw ModelService.invalidDocument("formula.tree", "a sequence model's formula is its snapped recurrence, "
                    + "formula.text; it has no tree");
        }
        SequenceNetwork snapped = null;
        if (f.text() != null || f.exact()) {
            SequenceData.EvalSet validation = new SequenceTaskData(task, 0, source.trainLength(), List.of(), CLAIM_ROWS,
                    1).validation();
            SequenceSnap snap = SequenceSnap.of(network, validation);
            if (snap.formula() == null || !snap.text().equals(f.text())) {
                throw ModelService.invalidDocument("formula.text", "formula.text must be what the weights snap to, "
                        + (snap.formula() == null ? "nothing (they do not snap)" : "\"" + snap.text() + "\""));
            }
            if (f.exact() && !snap.exact()) {
                throw ModelService.invalidDocument("formula.exact", "the formula is not exact: its MSE on " + CLAIM_ROWS
                        + " validation sequences of length " + source.trainLength() + " is " + snap.validationMse()
                        + ", not below the ε-threshold " + validation.threshold());
            }
            snapped = f.exact() ? snap.snapped() : null;
        }
        checkMetrics(doc);
        return new Loaded(doc, task, network, snapped, null);
    }

    /**
     * A number-words model's document (docs/sequence.md, "Number words"): its split rebuilds, its architecture reads
     * the 29 tokens through an embedding of at most {@value SequenceAutoModel#MAX_EMBEDDING} values (0 for the MAC cell,
     * whose own tables read them), its weights (the embedding E among the cell's) have the names and shapes of that
     * model, and it claims no formula.
     */
    private Loaded validateNumberWords(ModelDocument doc) {
        NumberWordsTask words;
        try {
            words = doc.task().toNumberWordsTask();
        } catch (IllegalArgumentException e) {
            throw ModelService.invalidDocument("task", "task: " + e.getMessage());
        }
        Architecture a = doc.architecture();
        if (a == null || !a.sequence() || a.vocabulary() == null || a.vocabulary() != NumberWords.VOCABULARY
                || a.embedding() == null) {
            throw ModelService.invalidDocument("architecture.vocabulary", "a number-words model reads the "
                    + NumberWords.VOCABULARY + " tokens: architecture.vocabulary must be " + NumberWords.VOCABULARY
                    + ", with architecture.embedding its values per token");
        }
        if (a.embedding() < 0 || a.embedding() > SequenceAutoModel.MAX_EMBEDDING) {
            throw ModelService.invalidDocument("architecture.embedding", "architecture.embedding must be 1 to "
                    + SequenceAutoModel.MAX_EMBEDDING + " (0 for a cell that reads tokens through its own tables, MAC)");
        }
        SequenceSpec spec = architecture(doc, 1, 1);
        SequenceNetwork network = network(spec, doc.weights());
        FormulaDocument f = doc.formula();
        if (f == null || f.tree() != null) {
            throw ModelService.invalidDocument("formula", "a number-words model's formula is its integer tables' "
                    + "recurrence, formula.text, or none: {\"exact\": false}");
        }
        SequenceNetwork exact = null;
        if (f.text() != null || f.exact()) {
            // only a MAC model whose tables are integers has a formula: what its weights snap to, exact on validation
            SequenceSnap snap = spec.cell() == CellKind.MAC ? SequenceSnap.of(network, words.validation())
                    : SequenceSnap.NONE;
            if (snap.formula() == null || !snap.text().equals(f.text())) {
                throw ModelService.invalidDocument("formula", "formula.text must be what the weights snap to, "
                        + (snap.formula() == null ? "nothing (a number-words model without integer tables has no "
                        + "formula: {\"exact\": false})" : "\"" + snap.text() + "\""));
            }
            if (f.exact() && !snap.exact()) {
                throw ModelService.invalidDocument("formula.exact", "the formula is not exact: it does not read every "
                        + "validation number of the split right (MSE " + snap.validationMse() + ")");
            }
            exact = f.exact() ? snap.snapped() : null;
        }
        checkMetrics(doc);
        return new Loaded(doc, null, network, exact, words);
    }

    private static void checkMetrics(ModelDocument doc) {
        if (doc.metrics() != null && !doc.metrics().isObject()) {
            throw ModelService.invalidDocument("metrics", "metrics must be an object");
        }
    }

    /**
     * The recurrent architecture of a document over steps of {@code inputs} values with {@code outputs} outputs:
     * its variables, inputs, outputs, state size, cell and head, and its description.
     */
    private SequenceSpec architecture(ModelDocument doc, int inputs, int outputs) {
        List<String> names = variables(inputs);
        if (doc.variables() != null && !doc.variables().equals(names)) {
            throw ModelService.invalidDocument("variables", "variables must be the task's inputs in order, " + names);
        }
        Architecture a = doc.architecture();
        if (a == null || !a.sequence()) {
            throw ModelService.invalidDocument("architecture", "a sequence task's architecture is a recurrent cell: "
                    + "{\"inputs\": …, \"cell\": …, \"hidden\": …, \"head\": …}");
        }
        if (a.layers() != null && !a.layers().isEmpty()) {
            throw ModelService.invalidDocument("architecture.layers", "a recurrent model has no layers (its head is "
                    + "architecture.head)");
        }
        if (a.inputs() != inputs) {
            throw ModelService.invalidDocument("architecture.inputs", "the architecture has " + a.inputs()
                    + " inputs per step, the task " + inputs);
        }
        int declared = a.outputs() == null ? 1 : a.outputs();
        if (declared != outputs) {
            throw ModelService.invalidDocument("architecture.outputs", "the architecture has " + declared
                    + " output" + (declared == 1 ? "" : "s") + " per sequence, the task " + outputs
                    + (outputs == 1 ? " (leave architecture.outputs out)" : ""));
        }
        if (a.hidden() == null || a.hidden() < 1 || a.hidden() > limits.maxLayerWidth()) {
            throw ModelService.invalidDocument("architecture.hidden", "architecture.hidden must be 1 to "
                    + limits.maxLayerWidth());
        }
        SequenceSpec spec;
        try {
            spec = a.recurrent().toSpec(a.inputs());
        } catch (IllegalArgumentException e) {
            throw ModelService.invalidDocument("architecture", "architecture: " + e.getMessage());
        }
        if (!spec.describe().equals(a.description())) {
            throw ModelService.invalidDocument("architecture.description", "architecture.description must be \""
                    + spec.describe() + "\"");
        }
        return spec;
    }

    /** The document's weights as a network, checked against the names and shapes the cell and head have. */
    private static SequenceNetwork network(SequenceSpec spec, List<LayerWeightsDocument> weights) {
        if (weights == null || weights.size() != 2) {
            throw ModelService.invalidDocument("weights", "weights must be [the cell's, the head's]");
        }
        SequenceNetwork reference = new SequenceModel(spec, 1, DataType.DOUBLE).network(0);
        Map<String, Tensor> cell = tensors(weights.get(0), "weights[0]", spec.cell().name(), spec.inputs(), spec.hidden(),
                reference.cell().tensors());
        Map<String, Tensor> head = tensors(weights.get(1), "weights[1]", spec.head().name(), spec.hidden(), spec.outputs(),
                reference.head().tensors());
        CellWeights c = new CellWeights(reference.cell().kind(), reference.cell().in(), reference.cell().hidden(), cell);
        LayerWeights h = new LayerWeights(reference.head().spec(), reference.head().in(), head);
        return new SequenceNetwork(spec, c, h);
    }

    private static Map<String, Tensor> tensors(LayerWeightsDocument w, String at, String unit, int in, int out,
                                               Map<String, Tensor> expected) {
        if (w == null || !unit.equals(w.unit()) || w.in() != in || w.out() != out) {
            throw ModelService.invalidDocument(at, at + " must be {\"unit\": \"" + unit + "\", \"in\": " + in
                    + ", \"out\": " + out + ", \"tensors\": […]}");
        }
        return ModelService.tensors(w.tensors(), at, unit, expected);
    }

    // ---------------------------------------------------------------- predict

    /**
     * The outputs of each sequence: each input is {"x": [[x_1 …], [x_2 …], …]} (each step as wide as the model's
     * inputs) or, for a model of one input per step, also {"x": [x_1, x_2, …]}; for a counting model also
     * {"symbols": [s_1, s_2, …]} (each s_t a symbol 0 … k−1, read as its one-hot step); 1 to max-sequence-length steps.
     */
    double[][] predict(Loaded model, List<JsonNode> inputs) {
        if (model.words() != null) {
            return predictNumberWords(model, inputs);
        }
        int n = model.inputs();
        boolean counting = model.task() instanceof CountingTask;
        long steps = 0;
        for (int r = 0; r < inputs.size(); r++) {
            steps += length(inputs.get(r), "inputs[" + r + "]", n, counting);
        }
        budgets.checkPredict((int) Math.min(Integer.MAX_VALUE, steps), n);
        double[][] outputs = new double[inputs.size()][];
        for (int r = 0; r < outputs.length; r++) {
            String at = "inputs[" + r + "]";
            double[] values;
            int length;
            if (inputs.get(r).has("symbols")) {
                JsonNode symbols = inputs.get(r).get("symbols");
                length = symbols.size();
                values = new double[length * n];
                for (int t = 0; t < length; t++) {
                    JsonNode s = symbols.get(t);
                    if (!s.canConvertToInt() || !s.isIntegralNumber() || s.asInt() < 0 || s.asInt() >= n) {
                        throw ApiException.invalid(at + ".symbols[" + t + "]", at + ".symbols[" + t + "] must be a "
                                + "symbol, an integer from 0 to " + (n - 1) + ", got " + s);
                    }
                    values[t * n + s.asInt()] = 1;
                }
            } else {
                JsonNode x = inputs.get(r).get("x");
                length = x.size();
                values = new double[length * n];
                for (int t = 0; t < length; t++) {
                    JsonNode step = x.get(t);
                    if (step.isArray()) {
                        for (int i = 0; i < n; i++) {
                            values[t * n + i] = ModelService.value(step.get(i), at + ".x[" + t + "][" + i + "]");
                        }
                    } else {
                        values[t] = ModelService.value(step, at + ".x[" + t + "]");
                    }
                }
            }
            double[] y = model.answering().predictAll(values, 0, length);
            for (double v : y) {
                ModelService.finiteOutput(v, at, "sequence");
            }
            outputs[r] = y;
        }
        return outputs;
    }

    /**
     * The value of each number in words: each input is {"text": "seven hundred and twelve"}, read by {@link
     * NumberWords#input} (any case, words apart by spaces or hyphens, at most max-sequence-length words); a word
     * outside the 29 tokens is a 400 naming it and its place ("word" and "position" in the problem).
     */
    private double[][] predictNumberWords(Loaded model, List<JsonNode> inputs) {
        List<double[]> texts = new ArrayList<>(inputs.size());
        long steps = 0;
        for (int r = 0; r < inputs.size(); r++) {
            String at = "inputs[" + r + "]";
            JsonNode input = inputs.get(r);
            if (input == null || !input.isObject() || input.size() != 1 || !input.has("text")
                    || !input.get("text").isTextual()) {
                throw ApiException.invalid(at, at + " must be {\"text\": \"seven hundred and twelve\"}: model "
                        + model.document().id() + " reads numbers in words");
            }
            try {
                texts.add(NumberWords.input(input.get("text").asText(), limits.maxSequenceLength()));
            } catch (NumberWords.UnknownWordException e) {
                throw new ApiException(org.springframework.http.HttpStatus.BAD_REQUEST, dev.nalu.api.Problems.INVALID_FIELD,
                        "Invalid field", at + ".text: " + e.getMessage(), Map.of("field", at + ".text", "word", e.word(),
                        "position", e.position()));
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid(at + ".text", at + ".text: " + e.getMessage());
            }
            steps += texts.get(r).length;
        }
        budgets.checkPredict((int) Math.min(Integer.MAX_VALUE, steps), 1);
        double[][] outputs = new double[texts.size()][];
        for (int r = 0; r < outputs.length; r++) {
            double[] x = texts.get(r);
            outputs[r] = model.answering().predictAll(x, 0, x.length);
            for (double v : outputs[r]) {
                ModelService.finiteOutput(v, "inputs[" + r + "]", "sequence");
            }
        }
        return outputs;
    }

    /** The steps of one input, checked: its shape, its length and the width of every step. */
    private int length(JsonNode input, String at, int n, boolean counting) {
        String key = counting && input != null && input.isObject() && input.has("symbols") ? "symbols" : "x";
        if (input == null || !input.isObject() || !input.has(key) || input.size() != 1) {
            throw ApiException.invalid(at, at + " must be {\"x\": [[…], …]}" + (counting ? " or {\"symbols\": [0, 3, …]}"
                    : "") + ": a sequence model takes sequences of steps of " + n + " value"
                    + (n == 1 ? " (or {\"x\": [x1, x2, …]})" : "s"));
        }
        JsonNode x = input.get(key);
        if (key.equals("symbols")) {
            if (!x.isArray() || x.isEmpty()) {
                throw ApiException.invalid(at + ".symbols", at + ".symbols must be a non-empty array of symbols");
            }
            if (x.size() > limits.maxSequenceLength()) {
                throw ApiException.overLimit(at + ".symbols", limits.maxSequenceLength(), at + ".symbols has "
                        + x.size() + " steps, at most " + limits.maxSequenceLength() + " are allowed");
            }
            return x.size();
        }
        if (!x.isArray() || x.isEmpty()) {
            throw ApiException.invalid(at + ".x", at + ".x must be a non-empty array of steps");
        }
        if (x.size() > limits.maxSequenceLength()) {
            throw ApiException.overLimit(at + ".x", limits.maxSequenceLength(), at + ".x has " + x.size()
                    + " steps, at most " + limits.maxSequenceLength() + " are allowed");
        }
        for (int t = 0; t < x.size(); t++) {
            JsonNode step = x.get(t);
            if (step.isArray() ? step.size() != n : n != 1) {
                throw ApiException.invalid(at + ".x[" + t + "]", at + ".x[" + t + "] has "
                        + (step.isArray() ? step.size() : 1) + " value" + (step.isArray() && step.size() == 1 ? "" : "s")
                        + ", the model takes " + n + " per step");
            }
        }
        return x.size();
    }

    // ---------------------------------------------------------------- evaluate

    /**
     * Scores the model on {@code samples} fresh sequences at each length against the task's exact value, in float64,
     * with the ε-criterion's threshold over the same sequences (docs/sequence.md).
     */
    EvaluateResponse evaluate(Loaded model, EvaluateRequest request) {
        if (model.words() != null) {
            return evaluateNumberWords(model, request);
        }
        boolean counting = model.task() instanceof CountingTask;
        if ((counting && request.ranges() != null) || request.dataset() != null || request.target() != null) {
            throw ApiException.invalid(request.ranges() != null ? "ranges" : request.dataset() != null ? "dataset"
                    : "target", "model " + model.document().id() + " is a sequence model: it is evaluated on lengths, "
                    + "{\"lengths\": [1000, 10000]}" + (counting ? ", not on ranges (its steps are symbols) or datasets"
                    : " or on value ranges at its training length, {\"ranges\": [[1, 5]]}, not on datasets"));
        }
        if (request.ranges() != null) {
            return evaluateRanges(model, request);
        }
        List<Integer> lengths = request.lengths();
        if (lengths == null || lengths.isEmpty()) {
            throw ApiException.invalid("lengths", "lengths is required for a sequence model: {\"lengths\": [1000, 10000]}");
        }
        if (lengths.size() > limits.maxEvaluateRanges()) {
            throw ApiException.overLimit("lengths", limits.maxEvaluateRanges(), "lengths has " + lengths.size()
                    + " lengths, at most " + limits.maxEvaluateRanges() + " are allowed");
        }
        long total = 0;
        for (int i = 0; i < lengths.size(); i++) {
            if (lengths.get(i) == null || lengths.get(i) < 1) {
                throw ApiException.invalid("lengths[" + i + "]", "lengths[" + i + "] must be a length (an integer ≥ 1)");
            }
            if (lengths.get(i) > limits.maxSequenceLength()) {
                throw ApiException.overLimit("lengths[" + i + "]", limits.maxSequenceLength(), "lengths[" + i + "] is "
                        + lengths.get(i) + ", at most " + limits.maxSequenceLength() + " is allowed");
            }
            total += lengths.get(i);
        }
        int samples = request.samples() == null ? DEFAULT_EVALUATE_SAMPLES : request.samples();
        if (samples > limits.maxEvaluateSamples()) {
            throw ApiException.overLimit("samples", limits.maxEvaluateSamples(), "samples is " + samples
                    + ", at most " + limits.maxEvaluateSamples() + " are allowed");
        }
        if ((double) samples * total > limits.maxSequenceEvaluateSteps()) {
            throw ApiException.overLimit("samples", limits.maxSequenceEvaluateSteps(), "samples × the lengths is "
                    + String.format(java.util.Locale.ROOT, "%,.0f", (double) samples * total) + " time steps, at most "
                    + limits.maxSequenceEvaluateSteps() + " are allowed per request (nalu.limits.max-sequence-evaluate-steps)");
        }
        budgets.checkEvaluate(samples, 2);
        long seed = request.seed() == null ? 0 : request.seed();
        SequenceTaskData data = new SequenceTaskData(model.task(), seed, 1, lengths, 1, samples);
        return scored(model, data, samples);
    }

    /**
     * Scores a value-input sequence model on {@code samples} fresh sequences at its training length over each range
     * (its values drawn from the range, the task's subsets as trained), as the job's test ranges are: against the
     * task's exact value, in float64, with the ε-threshold over the same sequences. A range where the task's target
     * is undefined (div over values of both signs, sqrt below 0) or can pass ±1e150 is a 400 naming it.
     */
    private EvaluateResponse evaluateRanges(Loaded model, EvaluateRequest request) {
        if (request.lengths() != null && !request.lengths().isEmpty()) {
            throw ApiException.invalid("lengths", "give lengths or ranges, not both: ranges are tested at the model's "
                    + "training length");
        }
        TaskDefinition.SequenceSource source = model.document().task().sequence();
        List<Domain> ranges = Ranges.domains(request.ranges(), "ranges", limits, limits.maxEvaluateRanges());
        int length = source.trainLength();
        for (int i = 0; i < ranges.size(); i++) {
            String field = request.ranges().bare() ? "ranges" : "ranges[" + i + "]";
            String problem = source.undefinedOn(ranges.get(i));
            if (problem != null) {
                throw ApiException.invalid(field, problem);
            }
            double reach = source.targetBound(ranges.get(i), length);
            if (!(reach <= Task.MAX_MAGNITUDE)) {
                throw ApiException.invalid(field, "the sequence " + source.op() + " can reach " + reach + " at length "
                        + length + " over " + ranges.get(i) + ", beyond ±1e150, where squared errors overflow float64");
            }
        }
        int samples = request.samples() == null ? DEFAULT_EVALUATE_SAMPLES : request.samples();
        if (samples > limits.maxEvaluateSamples()) {
            throw ApiException.overLimit("samples", limits.maxEvaluateSamples(), "samples is " + samples
                    + ", at most " + limits.maxEvaluateSamples() + " are allowed");
        }
        if ((double) samples * length * ranges.size() > limits.maxSequenceEvaluateSteps()) {
            throw ApiException.overLimit("samples", limits.maxSequenceEvaluateSteps(), "samples × the training length "
                    + "× the ranges is " + String.format(java.util.Locale.ROOT, "%,.0f",
                    (double) samples * length * ranges.size()) + " time steps, at most "
                    + limits.maxSequenceEvaluateSteps() + " are allowed per request (nalu.limits.max-sequence-evaluate-steps)");
        }
        budgets.checkEvaluate(samples, 2);
        long seed = request.seed() == null ? 0 : request.seed();
        SequenceTaskData data = new SequenceTaskData(model.task(), seed, length, List.of(), 1, samples,
                source.withTestRanges(ranges).rangeTasks());
        return scored(model, data, samples);
    }

    /** Each test set of {@code data} scored: its length and, for a range set, its range. */
    private EvaluateResponse scored(Loaded model, SequenceTaskData data, int samples) {
        List<RangeResult> results = new ArrayList<>();
        int outputs = model.outputs();
        for (int i = 0; i < data.extrapolation().size(); i++) {
            SequenceData.EvalSet set = data.extrapolation().get(i);
            double[][] scored = predictions(model.answering(), set);
            double[] predicted = scored[0];
            double[] exact = scored[1];
            ErrorMetrics m = ErrorMetrics.of(predicted, exact);
            double threshold = set.threshold();
            CountingTask.Accuracy accuracy = model.task() instanceof CountingTask
                    ? CountingTask.accuracy(predicted, exact, outputs) : null;
            Domain range = data.range(i);
            results.add(new RangeResult(range == null ? null : Ranges.toLists(range), null, samples,
                    ModelService.finite(m.mse()),
                    ModelService.finite(m.meanRelativeError()), ModelService.finite(m.maxRelativeError()),
                    ModelService.finite(threshold), SuccessCriterion.succeeded(m.mse(), threshold),
                    ModelService.unmeasured(m, predicted, threshold), set.length(),
                    accuracy == null ? null : accuracy.sequences(), accuracy == null ? null : accuracy.counts(), null, null));
        }
        return new EvaluateResponse(model.document().id(), model.answeredBy(), results);
    }


    /** Every prediction of a network on a set and the set's targets: {predicted, exact}, row by row. */
    private static double[][] predictions(SequenceNetwork network, SequenceData.EvalSet set) {
        int outputs = network.spec().outputs();
        double[] predicted = new double[set.rows() * outputs];
        double[] exact = new double[set.rows() * outputs];
        int[] at = {0};
        network.predictSet(set, (rows, p, y) -> {
            System.arraycopy(p, 0, predicted, at[0], rows * outputs);
            System.arraycopy(y, 0, exact, at[0], rows * outputs);
            at[0] += rows * outputs;
        });
        return new double[][] {predicted, exact};
    }

    /**
     * A number-words model scored on its own three splits (the model's task's seed draws them), in float64: per
     * split its mean absolute error, MSE, relative errors and the fraction of numbers read right when rounded. The
     * body takes no field: the splits are fixed.
     */
    private EvaluateResponse evaluateNumberWords(Loaded model, EvaluateRequest request) {
        String given = request.ranges() != null ? "ranges" : request.dataset() != null ? "dataset"
                : request.target() != null ? "target" : request.lengths() != null && !request.lengths().isEmpty()
                ? "lengths" : request.samples() != null ? "samples" : request.seed() != null ? "seed" : null;
        if (given != null) {
            throw ApiException.invalid(given, "model " + model.document().id() + " reads number words: it is evaluated "
                    + "on its task's training, validation and test splits, with an empty body {}");
        }
        NumberWordsTask words = model.words();
        budgets.checkEvaluate(NumberWordsTask.TEST, NumberWords.MAX_TOKENS);
        List<RangeResult> results = new ArrayList<>();
        for (SequenceData.EvalSet set : List.of(words.trainSet(), words.validation(), words.extrapolation().get(0))) {
            double[][] scored = predictions(model.answering(), set);
            ErrorMetrics m = ErrorMetrics.of(scored[0], scored[1]);
            double absolute = 0;
            int right = 0;
            for (int r = 0; r < set.rows(); r++) {
                absolute += Math.abs(scored[0][r] - scored[1][r]);
                right += Math.rint(scored[0][r]) == scored[1][r] ? 1 : 0;
            }
            results.add(new RangeResult(null, null, set.rows(), ModelService.finite(m.mse()),
                    ModelService.finite(m.meanRelativeError()), ModelService.finite(m.maxRelativeError()), null,
                    right == set.rows(), ModelService.unmeasured(m, scored[0], 0), set.length(),
                    (double) right / set.rows(), null, set.name(), ModelService.finite(absolute / set.rows())));
        }
        return new EvaluateResponse(model.document().id(), model.answeredBy(), results);
    }
}
