package dev.nalu.model;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.regex.Pattern;

import org.nd4j.linalg.api.buffer.DataType;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import dev.nalu.api.ApiException;
import dev.nalu.api.Constraints;
import dev.nalu.api.Problems;
import dev.nalu.compute.LayerSpec;
import dev.nalu.compute.LayerWeights;
import dev.nalu.compute.ModelSpec;
import dev.nalu.compute.Network;
import dev.nalu.compute.PopulationModel;
import dev.nalu.compute.SequenceNetwork;
import dev.nalu.compute.SequenceSpec;
import dev.nalu.compute.Tensor;
import dev.nalu.config.LimitsProperties;
import dev.nalu.cost.Budgets;
import dev.nalu.evaluation.ErrorMetrics;
import dev.nalu.evaluation.Formula;
import dev.nalu.evaluation.SequenceSnap;
import dev.nalu.evaluation.Snapper;
import dev.nalu.evaluation.SuccessCriterion;
import dev.nalu.model.ModelDocument.Architecture;
import dev.nalu.model.ModelDocument.FormulaDocument;
import dev.nalu.model.ModelDocument.LayerWeightsDocument;
import dev.nalu.model.ModelDocument.TensorDocument;
import dev.nalu.dataset.DatasetMessages;
import dev.nalu.dataset.DatasetService;
import dev.nalu.model.ModelMessages.EvaluateRequest;
import dev.nalu.model.ModelMessages.EvaluateResponse;
import dev.nalu.model.ModelMessages.ModelPage;
import dev.nalu.model.ModelMessages.ModelSummary;
import dev.nalu.model.ModelMessages.PredictRequest;
import dev.nalu.model.ModelMessages.PredictResponse;
import dev.nalu.model.ModelMessages.RangeResult;
import dev.nalu.task.Bounds;
import dev.nalu.task.DataTask;
import dev.nalu.task.Dataset;
import dev.nalu.task.Domain;
import dev.nalu.task.DomainProblem;
import dev.nalu.task.ExpressionLimits;
import dev.nalu.task.ExpressionTask;
import dev.nalu.task.ArithmeticTask;
import dev.nalu.task.Rng;
import dev.nalu.task.Task;
import dev.nalu.security.Callers;

/**
 * The model registry: stores trained and imported models, and answers predictions and
 * evaluations in float64, from the exact formula when the model has one, else from the weights.
 */
@Service
public class ModelService {
    public static final String BY_FORMULA = "formula";
    public static final String BY_NETWORK = "network";
    static final int DEFAULT_EVALUATE_SAMPLES = 1000;
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9:._/-]{0,99}");
    private static final int MAX_LABELS = 32;
    /** Models kept ready to compute, least recently used dropped first. */
    private static final int CACHED_MODELS = 256;

    private final ModelStore store;
    private final ObjectMapper json;
    private final LimitsProperties limits;
    private final MeterRegistry meters;
    private final Budgets budgets;
    private final DatasetService datasets;
    private final Map<Long, Loaded> cache = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Long, Loaded> eldest) {
                    return size() > CACHED_MODELS;
                }
            });

    private final Map<Long, SequenceModels.Loaded> sequenceCache = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Long, SequenceModels.Loaded> eldest) {
                    return size() > CACHED_MODELS;
                }
            });
    private final SequenceModels sequences;

    public ModelService(ModelStore store, ObjectMapper json, LimitsProperties limits, MeterRegistry meters,
                        Budgets budgets, DatasetService datasets) {
        this.sequences = new SequenceModels(limits, budgets);
        this.datasets = datasets;
        this.store = store;
        this.json = json;
        this.limits = limits;
        this.meters = meters;
        this.budgets = budgets;
    }

    /** A model ready to compute: its task, its weights as a float64 network and its exact formula, if any. */
    public record Loaded(ModelDocument document, Task task, Network network, Formula formula) {
        public String answeredBy() {
            return formula != null ? BY_FORMULA : BY_NETWORK;
        }

        public double predict(double[] row) {
            return formula != null ? formula.evaluate(row) : network.predict(row);
        }

        public int inputs() {
            return network.spec().inputs();
        }
    }

    // ---------------------------------------------------------------- register and import

    /** Stores the selected member of a finished job as version n+1 of {@code name}. */
    public ModelDocument register(String name, long jobId, TaskDefinition definition, Task task, Network network,
                                  Snapper.Snap snap, JsonNode metrics) {
        ModelDocument doc = document(name, jobId, definition, task, network, snap, metrics);
        return save(doc, List.of());
    }

    static ModelDocument document(String name, Long jobId, TaskDefinition definition, Task task, Network network,
                                  Snapper.Snap snap, JsonNode metrics) {
        ModelSpec spec = network.spec();
        Architecture architecture = new Architecture(spec.inputs(),
                spec.layers().stream().map(LayerDefinition::of).toList(), spec.describe());
        List<LayerWeightsDocument> weights = new ArrayList<>();
        for (LayerWeights lw : network.layers()) {
            List<TensorDocument> tensors = new ArrayList<>();
            lw.tensors().forEach((n, t) -> tensors.add(new TensorDocument(n, shape(t), t.data().clone())));
            weights.add(new LayerWeightsDocument(lw.spec().unit().name(), lw.in(), lw.out(), tensors));
        }
        // the formula is kept when it matches the network; it is exact (and predicts) when it reproduces the targets
        FormulaDocument formula = snap.formula() == null ? new FormulaDocument(null, false, null)
                : new FormulaDocument(snap.text(task.variables()), snap.reproducesTargets(), FormulaCodec.write(snap.formula()));
        return new ModelDocument(ModelDocument.FORMAT, null, name, null, jobId, null, definition, task.variables(),
                architecture, weights, formula, metrics, null, null);
    }

    /**
     * Stores the selected member of a finished sequence job: its cell and head weights by name with their shapes,
     * and its snapped recurrence as the formula (exact only when it passed the validation set).
     */
    public ModelDocument registerSequence(String name, long jobId, TaskDefinition definition, SequenceNetwork network,
                                          SequenceSnap snap, JsonNode metrics) {
        return save(sequenceDocument(name, jobId, definition, network, snap, metrics), List.of());
    }

    static ModelDocument sequenceDocument(String name, Long jobId, TaskDefinition definition, SequenceNetwork network,
                                          SequenceSnap snap, JsonNode metrics) {
        SequenceSpec spec = network.spec();
        List<LayerWeightsDocument> weights = new ArrayList<>();
        List<TensorDocument> cell = new ArrayList<>();
        network.cell().tensors().forEach((n, t) -> cell.add(new TensorDocument(n, shape(t), t.data().clone())));
        weights.add(new LayerWeightsDocument(spec.cell().name(), spec.inputs(), spec.hidden(), cell));
        List<TensorDocument> head = new ArrayList<>();
        network.head().tensors().forEach((n, t) -> head.add(new TensorDocument(n, shape(t), t.data().clone())));
        weights.add(new LayerWeightsDocument(spec.head().name(), spec.hidden(), spec.outputs(), head));
        FormulaDocument formula = new FormulaDocument(snap.text(), snap.exact(), null);
        return new ModelDocument(ModelDocument.FORMAT, null, name, null, jobId, null, definition,
                SequenceModels.variables(spec.inputs()), Architecture.of(spec), weights, formula, metrics, null, null);
    }

    static List<Integer> shape(Tensor t) {
        return java.util.Arrays.stream(t.shape()).boxed().toList();
    }

    /**
     * Validates an exported document and stores it as a new version of its name: first its limits,
     * on the document as read ({@link DocumentLimits}), then its consistency, on the model built from
     * it, and last what it claims, recomputed ({@link DocumentClaims}: an exact formula must be what
     * the weights compute and must reproduce the task).
     */
    /**
     * Up to {@value DocumentClaims#ROWS} rows of the dataset a dataset task was learned from, when this service holds
     * it with the content hash the task records; null otherwise (and for any other task).
     */
    private Dataset datasetRows(TaskDefinition task) {
        TaskDefinition.DataSource source = task.data();
        if (!TaskDefinition.DATASET.equals(task.kind()) || source == null) {
            return null;
        }
        try {
            DatasetService.Rows rows = datasets.read(source.dataset(), source.contentHash(), source.inputs(),
                    source.target(), DocumentClaims.ROWS);
            return new Dataset(rows.rows(), source.inputs().size(), rows.x(), rows.y());
        } catch (IllegalStateException e) { // not here, changed, or without those columns
            return null;
        }
    }

    public ModelDocument importDocument(ModelDocument doc) {
        DocumentLimits.check(doc, limits);
        DeclaredSizes.of(doc).check(budgets);
        if (doc.task() != null && doc.task().isSequence()) {
            SequenceModels.Loaded loaded = sequences.validate(doc);
            List<String> tags = doc.tags() == null ? List.of() : labels(doc.tags(), "tags");
            return save(new ModelDocument(ModelDocument.FORMAT, null, name(doc.name()), null, doc.sourceJobId(), null,
                    doc.task(), SequenceModels.variables(loaded.inputs()), doc.architecture(), doc.weights(), doc.formula(),
                    doc.metrics(), null, null), tags);
        }
        Loaded loaded = validate(doc);
        DocumentClaims.verify(loaded, datasetRows(doc.task()));
        List<String> tags = doc.tags() == null ? List.of() : labels(doc.tags(), "tags");
        ModelDocument clean = new ModelDocument(ModelDocument.FORMAT, null, name(doc.name()), null, doc.sourceJobId(),
                null, doc.task(), loaded.task().variables(), doc.architecture(), doc.weights(), doc.formula(),
                doc.metrics(), null, null);
        return save(clean, tags);
    }

    private ModelDocument save(ModelDocument doc, List<String> tags) {
        String text;
        try {
            text = json.writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("model document does not serialise", e);
        }
        ModelStore.Created created = store.insert(doc.name(), doc.sourceJobId(), doc.architecture().description(),
                doc.formula().text(), doc.formula().exact(), text, tags);
        return doc.withIdentity(created.id(), doc.name(), created.version(), created.createdAt(), tags, List.of());
    }

    static String name(String name) {
        if (name == null || name.isBlank() || name.length() > 200 || name.chars().anyMatch(Character::isISOControl)) {
            throw invalidDocument("name", "name must be 1 to 200 printable characters");
        }
        return name.strip();
    }

    /** Checks a document for consistency and builds the model it describes. */
    Loaded validate(ModelDocument doc) {
        if (!ModelDocument.FORMAT.equals(doc.format())) {
            throw invalidDocument("format", "format must be \"" + ModelDocument.FORMAT + "\", got " + quote(doc.format()));
        }
        name(doc.name());
        if (doc.task() == null) {
            throw invalidDocument("task", "task is required");
        }
        if (doc.task().isNumberWords()) {
            throw ApiException.invalid("modelId", "model " + doc.id() + " reads number words (" + doc.architecture()
                    .description() + "): it answers POST /api/v1/models/{id}/predict with texts, "
                    + "{\"inputs\": [{\"text\": \"seven hundred and twelve\"}]}, not rows of variables");
        }
        if (doc.task().isSequence()) {
            throw ApiException.invalid("modelId", "model " + doc.id() + " is a sequence model (" + doc.architecture()
                    .description() + "): it answers POST /api/v1/models/{id}/predict with sequences, "
                    + "{\"inputs\": [{\"x\": [[…], …]}]}, and evaluate with {\"lengths\": […]}, not rows of variables");
        }
        Task task;
        try {
            task = doc.task().toTask(expressionLimits());
        } catch (IllegalArgumentException e) {
            throw invalidDocument("task", "task: " + e.getMessage());
        }
        if (task.inputSize() > limits.maxInputSize()) {
            throw invalidDocument("task", "the task has " + task.inputSize() + " inputs, at most "
                    + limits.maxInputSize() + " are allowed");
        }
        if (doc.variables() != null && !doc.variables().equals(task.variables())) {
            throw invalidDocument("variables", "variables must be the task's inputs in order, " + task.variables());
        }
        Architecture a = doc.architecture();
        if (a == null || a.layers() == null || a.layers().isEmpty()) {
            throw invalidDocument("architecture", "architecture with its layers is required");
        }
        if (a.inputs() != task.inputSize()) {
            throw invalidDocument("architecture.inputs", "the architecture has " + a.inputs() + " inputs, the task "
                    + task.inputSize());
        }
        if (a.layers().size() > limits.maxLayers()) {
            throw invalidDocument("architecture.layers", "at most " + limits.maxLayers() + " layers are allowed");
        }
        List<LayerSpec> layers = new ArrayList<>();
        for (int i = 0; i < a.layers().size(); i++) {
            LayerDefinition l = a.layers().get(i);
            try {
                if (l.out() > limits.maxLayerWidth()) {
                    throw new IllegalArgumentException("out is " + l.out() + ", at most " + limits.maxLayerWidth());
                }
                layers.add(l.toSpec());
            } catch (RuntimeException e) {
                throw invalidDocument("architecture.layers[" + i + "]", "architecture.layers[" + i + "]: " + e.getMessage());
            }
        }
        ModelSpec spec;
        try {
            spec = new ModelSpec(a.inputs(), layers);
        } catch (IllegalArgumentException e) {
            throw invalidDocument("architecture", "architecture: " + e.getMessage());
        }
        Network network = network(spec, doc.weights());
        Formula formula = null;
        FormulaDocument f = doc.formula();
        if (f == null) {
            throw invalidDocument("formula", "formula is required ({\"exact\": false} when there is none)");
        }
        if (f.tree() != null) {
            try {
                formula = FormulaCodec.read(f.tree(), task.inputSize());
            } catch (IllegalArgumentException e) {
                throw invalidDocument("formula.tree", e.getMessage());
            }
            String text = "y = " + formula.render(task.variables(), false);
            if (!text.equals(f.text())) {
                throw invalidDocument("formula.text", "formula.text must be what the tree reads, \"" + text + "\", got "
                        + quote(f.text()));
            }
        } else if (f.exact() || f.text() != null) {
            throw invalidDocument("formula.tree", "a formula text or an exact formula needs its tree");
        }
        if (doc.metrics() != null && !doc.metrics().isObject()) {
            throw invalidDocument("metrics", "metrics must be an object");
        }
        return new Loaded(doc, task, network, f.exact() ? formula : null);
    }

    /** The weights of the document as a network, checked against the names and shapes the units have. */
    private static Network network(ModelSpec spec, List<LayerWeightsDocument> weights) {
        if (weights == null || weights.size() != spec.layers().size()) {
            throw invalidDocument("weights", "weights must have one entry per layer, " + spec.layers().size());
        }
        Network reference = new PopulationModel(spec, 1, DataType.DOUBLE).network(0);
        List<LayerWeights> layers = new ArrayList<>();
        for (int i = 0; i < weights.size(); i++) {
            String at = "weights[" + i + "]";
            LayerWeightsDocument w = weights.get(i);
            LayerWeights expected = reference.layers().get(i);
            if (w == null || !expected.spec().unit().name().equals(w.unit()) || w.in() != expected.in()
                    || w.out() != expected.out()) {
                throw invalidDocument(at, at + " must be a " + expected.spec().unit() + " layer with in = "
                        + expected.in() + " and out = " + expected.out());
            }
            Map<String, Tensor> tensors = tensors(w.tensors(), at, expected.spec().unit().name(), expected.tensors());
            layers.add(new LayerWeights(expected.spec(), expected.in(), tensors));
        }
        return new Network(spec, layers);
    }

    /**
     * A layer's (or a recurrent cell's) tensors from a document, checked against the names and shapes of
     * {@code expected} ({@code unit}'s): every name known and present, every shape and value count right, every
     * value finite; a 400 naming the tensor otherwise.
     */
    static Map<String, Tensor> tensors(List<TensorDocument> given, String at, String unit, Map<String, Tensor> expected) {
        Map<String, Tensor> tensors = new java.util.LinkedHashMap<>();
        for (TensorDocument t : given == null ? List.<TensorDocument>of() : given) {
            Tensor e = t == null ? null : expected.get(t.name());
            if (e == null) {
                throw invalidDocument(at + ".tensors", at + " has no tensor " + (t == null ? "null" : quote(t.name()))
                        + "; " + unit + " has " + expected.keySet());
            }
            if (!shape(e).equals(t.shape())) {
                throw invalidDocument(at + ".tensors." + t.name(), t.name() + " must have shape " + shape(e)
                        + ", got " + t.shape());
            }
            if (t.values() == null || t.values().length != e.data().length) {
                throw invalidDocument(at + ".tensors." + t.name() + ".values", t.name() + " needs "
                        + e.data().length + " values");
            }
            for (double v : t.values()) {
                if (!Double.isFinite(v)) {
                    throw invalidDocument(at + ".tensors." + t.name() + ".values", "weights must be finite numbers");
                }
            }
            tensors.put(t.name(), new Tensor(e.rows(), e.cols(), t.values().clone()));
        }
        if (!tensors.keySet().equals(expected.keySet())) {
            throw invalidDocument(at + ".tensors", at + " must have exactly the tensors " + expected.keySet()
                    + ", got " + tensors.keySet());
        }
        return tensors;
    }

    static ApiException invalidDocument(String field, String detail) {
        return new ApiException(HttpStatus.BAD_REQUEST, Problems.INVALID_MODEL_DOCUMENT, "Invalid model document",
                detail, Map.of("field", field));
    }

    private static String quote(String s) {
        return s == null ? "nothing" : "\"" + s + "\"";
    }

    private ExpressionLimits expressionLimits() {
        return new ExpressionLimits(limits.maxExpressionLength(), limits.maxExpressionDepth());
    }

    // ---------------------------------------------------------------- read, list, label, delete

    public ModelDocument get(long id) {
        ModelStore.Row row = store.find(id).orElseThrow(() -> ApiException.notFound("model", id));
        ModelDocument doc = parse(row);
        return doc.withIdentity(row.id(), row.name(), row.version(), row.createdAt(), store.tags(id), store.aliases(id));
    }

    private ModelDocument parse(ModelStore.Row row) {
        try {
            return json.readValue(row.document(), ModelDocument.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored model " + row.id() + " does not parse", e);
        }
    }

    public ModelPage list(String name, String tag, int page, int size) {
        List<ModelSummary> items = store.list(name, tag, page, size).stream()
                .map(r -> new ModelSummary(r.id(), r.name(), r.version(), r.sourceJobId(), r.architecture(), r.formula(),
                        r.exact(), r.createdAt(), store.tags(r.id()), store.aliases(r.id())))
                .toList();
        return new ModelPage(items, page, size, store.count(name, tag));
    }

    /** Deletes a model: its owner or an admin may. */
    public void delete(long id) {
        if (store.exists(id)) {
            Callers.requireMayChange(store.owner(id).orElse(null), "model " + id, "delete");
        }
        if (!store.delete(id)) {
            throw ApiException.notFound("model", id);
        }
        cache.remove(id);
        sequenceCache.remove(id);
    }

    public ModelDocument label(long id, List<String> tags, List<String> aliases) {
        if (!store.exists(id)) {
            throw ApiException.notFound("model", id);
        }
        List<String> t = tags == null ? null : labels(tags, "tags");
        List<String> a = aliases == null ? null : labels(aliases, "aliases");
        if (t != null) {
            store.setTags(id, t);
        }
        if (a != null) {
            store.setAliases(id, a);
        }
        return get(id);
    }

    private static List<String> labels(List<String> labels, String field) {
        if (labels.size() > MAX_LABELS) {
            throw ApiException.overLimit(field, MAX_LABELS, field + " has " + labels.size() + " entries, at most "
                    + MAX_LABELS + " are allowed");
        }
        Set<String> out = new LinkedHashSet<>();
        for (int i = 0; i < labels.size(); i++) {
            String l = labels.get(i);
            if (l == null || !LABEL.matcher(l).matches()) {
                throw ApiException.invalid(field + "[" + i + "]", field + "[" + i + "] must be 1 to 100 characters of "
                        + "letters, digits and : . _ / -, starting with a letter or digit; got " + quote(l));
            }
            out.add(l);
        }
        return List.copyOf(out);
    }

    /** The model with that id, ready to compute (cached; ids are never reused, deletion is checked). */
    public Loaded load(long id) {
        if (!store.exists(id)) {
            cache.remove(id);
            throw ApiException.notFound("model", id);
        }
        return cache.computeIfAbsent(id, k -> {
            ModelStore.Row row = store.find(k).orElseThrow(() -> ApiException.notFound("model", k));
            return validate(parse(row).withIdentity(row.id(), row.name(), row.version(), row.createdAt(), null, null));
        });
    }

    /** Whether model {@code id} is a sequence model (404 when there is none). */
    private boolean isSequenceModel(long id) {
        if (sequenceCache.containsKey(id)) {
            return store.exists(id) || notFound(id);
        }
        if (cache.containsKey(id)) {
            return !store.exists(id) && notFound(id);
        }
        ModelStore.Row row = store.find(id).orElseThrow(() -> ApiException.notFound("model", id));
        TaskDefinition task = parse(row).task();
        return task != null && task.isSequence();
    }

    private static boolean notFound(long id) {
        throw ApiException.notFound("model", id);
    }

    /** The sequence model with that id, ready to compute (cached like {@link #load}). */
    SequenceModels.Loaded loadSequence(long id) {
        if (!store.exists(id)) {
            sequenceCache.remove(id);
            throw ApiException.notFound("model", id);
        }
        return sequenceCache.computeIfAbsent(id, k -> {
            ModelStore.Row row = store.find(k).orElseThrow(() -> ApiException.notFound("model", k));
            return sequences.validate(parse(row).withIdentity(row.id(), row.name(), row.version(), row.createdAt(),
                    null, null));
        });
    }

    /** The model an alias points at, else the newest model with that tag. */
    public java.util.Optional<Long> resolve(String label) {
        java.util.Optional<Long> byAlias = store.byAlias(label);
        return byAlias.isPresent() ? byAlias : store.newestWithTag(label);
    }

    // ---------------------------------------------------------------- predict and evaluate

    public PredictResponse predict(long id, PredictRequest request) {
        if (request == null || request.inputs() == null || request.inputs().isEmpty()) {
            throw ApiException.invalid("inputs", "inputs must be a non-empty array of rows");
        }
        checkRows(request.inputs().size(), "inputs");
        if (isSequenceModel(id)) {
            SequenceModels.Loaded model = loadSequence(id);
            double[][] vectors = sequences.predict(model, request.inputs());
            count(model.document().name(), vectors.length);
            double[] outputs = java.util.Arrays.stream(vectors).flatMapToDouble(java.util.Arrays::stream).toArray();
            return new PredictResponse(id, outputs, model.answeredBy(), model.document().formula().text(),
                    model.outputs() == 1 ? null : vectors);
        }
        Loaded model = load(id);
        budgets.checkPredict(request.inputs().size(), model.inputs());
        List<String> names = model.task().variables();
        double[] outputs = new double[request.inputs().size()];
        double[] row = new double[names.size()];
        for (int r = 0; r < outputs.length; r++) {
            String at = "inputs[" + r + "]";
            readRow(request.inputs().get(r), names, row, at);
            outputs[r] = output(model, row, at);
        }
        count(model, outputs.length);
        return new PredictResponse(id, outputs, model.answeredBy(), model.document().formula().text());
    }

    /**
     * What predict refuses before it reads a row, for a request of another protocol (the Open Inference
     * Protocol): more than max-predict-rows rows ({@code field} names where the count came from), or more
     * than the predict budget.
     */
    public void checkPredict(Loaded model, long rows, String field) {
        checkRows(rows, field);
        budgets.checkPredict((int) rows, model.inputs());
    }

    private void checkRows(long rows, String field) {
        if (rows > limits.maxPredictRows()) {
            throw ApiException.overLimit(field, limits.maxPredictRows(), field + " has " + rows
                    + " rows, at most " + limits.maxPredictRows() + " are allowed per request");
        }
    }

    /**
     * Predicts {@code rows} rows given row-major in {@code x} (rows × the model's inputs), as predict does: in
     * float64, and refusing the whole request when a row's output is not a finite number ({@code where} names
     * row r). Call {@link #checkPredict} first.
     */
    public double[] predict(Loaded model, double[] x, int rows, IntFunction<String> where) {
        int k = model.task().inputSize();
        double[] outputs = new double[rows];
        double[] row = new double[k];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(x, r * k, row, 0, k);
            outputs[r] = output(model, row, where.apply(r));
        }
        count(model, rows);
        return outputs;
    }

    private static double output(Loaded model, double[] row, String at) {
        return finiteOutput(model.predict(row), at, "row");
    }

    /** y, or a 400 naming {@code at} when it is not a finite number: predict answers all of a request or none of it. */
    static double finiteOutput(double y, String at, String what) {
        if (!Double.isFinite(y)) {
            throw ApiException.invalid(at, at + ": the model's output for this " + what + " is not a finite number ("
                    + (Double.isNaN(y) ? "it is undefined there" : "it overflows float64, beyond ±1.8e308")
                    + "); predict answers finite numbers only, so no " + what + " was answered");
        }
        return y;
    }

    private void count(Loaded model, int rows) {
        count(model.document().name(), rows);
    }

    private void count(String name, int rows) {
        Counter.builder("nalu.predictions").description("Rows predicted, by model name")
                .tag("model", name).register(meters).increment(rows);
    }

    private static void readRow(JsonNode node, List<String> names, double[] row, String at) {
        if (node != null && node.isObject()) {
            Iterator<String> fields = node.fieldNames();
            while (fields.hasNext()) {
                String f = fields.next();
                if (!names.contains(f)) {
                    throw ApiException.invalid(at + "." + f, "unknown variable '" + f + "' in " + at
                            + "; the model's inputs are " + summary(names));
                }
            }
            for (int i = 0; i < names.size(); i++) {
                row[i] = value(node.get(names.get(i)), at + "." + names.get(i));
            }
        } else if (node != null && node.isArray()) {
            if (node.size() != names.size()) {
                throw ApiException.invalid(at, at + " has " + node.size() + " values, the model has " + names.size()
                        + " inputs " + summary(names));
            }
            for (int i = 0; i < names.size(); i++) {
                row[i] = value(node.get(i), at + "[" + i + "]");
            }
        } else {
            throw ApiException.invalid(at, at + " must be an object by variable name or an array of "
                    + names.size() + " numbers");
        }
    }

    private static String summary(List<String> names) {
        return names.size() <= 8 ? names.toString() : "[" + names.get(0) + " … " + names.get(names.size() - 1) + "]";
    }

    static double value(JsonNode v, String at) {
        if (v == null || v.isNull()) {
            throw ApiException.invalid(at, at + " is missing");
        }
        if (!v.isNumber() || !Double.isFinite(v.doubleValue())) {
            throw ApiException.invalid(at, at + " must be a finite number, got " + v);
        }
        return v.doubleValue();
    }

    public EvaluateResponse evaluate(long id, EvaluateRequest request) {
        if (request != null && isSequenceModel(id)) {
            Constraints.check(request);
            return sequences.evaluate(loadSequence(id), request);
        }
        if (request != null && request.lengths() != null && !request.lengths().isEmpty()) { // generated clients send []
            throw ApiException.invalid("lengths", "lengths are the test lengths of a sequence model; model " + id
                    + " is a static model: give ranges or a dataset");
        }
        if (request == null || (request.ranges() == null && request.dataset() == null)) {
            throw ApiException.invalid("ranges", "ranges or dataset is required: {\"ranges\": [[[lo, hi]], …]} or "
                    + "{\"dataset\": \"<id>\"}");
        }
        Constraints.check(request);
        if (request.dataset() != null) {
            return evaluateOnDataset(id, request);
        }
        if (request.target() != null) {
            throw ApiException.invalid("target", "target names a dataset's column: give it with dataset");
        }
        List<Domain> ranges = Ranges.domains(request.ranges(), "ranges", limits, limits.maxEvaluateRanges());
        int samples = request.samples() == null ? DEFAULT_EVALUATE_SAMPLES : request.samples();
        if (samples > limits.maxEvaluateSamples()) {
            throw ApiException.overLimit("samples", limits.maxEvaluateSamples(), "samples is " + samples
                    + ", at most " + limits.maxEvaluateSamples() + " are allowed");
        }
        long seed = request.seed() == null ? 0 : request.seed();
        Loaded model = load(id);
        budgets.checkEvaluate(samples, model.inputs());
        Task task = model.task();
        if (task instanceof DataTask) {
            throw ApiException.invalid("ranges", "model " + id + " was learned from a dataset and has no exact target "
                    + "off its rows to score it against on ranges; evaluate it on a dataset: {\"dataset\": \"<id>\"}");
        }
        for (int i = 0; i < ranges.size(); i++) {
            undefinedOn(task, ranges.get(i), "ranges[" + i + "]");
        }
        List<RangeResult> results = new ArrayList<>();
        for (int i = 0; i < ranges.size(); i++) {
            Domain d = ranges.get(i);
            Dataset data = Dataset.on(task, d, samples, Rng.seeded(seed, -(2L * i + 1)).nextLong());
            double[] predicted = new double[samples];
            double[] row = new double[data.cols()];
            for (int r = 0; r < samples; r++) {
                System.arraycopy(data.x(), r * data.cols(), row, 0, data.cols());
                predicted[r] = model.predict(row);
            }
            ErrorMetrics m = ErrorMetrics.of(predicted, data.y());
            double threshold = SuccessCriterion.threshold(task, d, samples, Rng.seeded(seed, -(2L * i + 2)).nextLong());
            results.add(new RangeResult(Ranges.toLists(d), null, samples, finite(m.mse()), finite(m.meanRelativeError()),
                    finite(m.maxRelativeError()), finite(threshold), SuccessCriterion.succeeded(m.mse(), threshold),
                    unmeasured(m, predicted, threshold), null));
        }
        return new EvaluateResponse(id, model.answeredBy(), results);
    }

    /**
     * Scores the model on every row of a dataset that has its input columns (by name) and the target column: the
     * errors, with no threshold (a dataset has no exact solution to perturb).
     */
    private EvaluateResponse evaluateOnDataset(long id, EvaluateRequest request) {
        if (request.ranges() != null) {
            throw ApiException.invalid("dataset", "give ranges or a dataset, not both");
        }
        if (request.samples() != null || request.seed() != null) {
            throw ApiException.invalid(request.samples() != null ? "samples" : "seed", "a dataset is scored on every "
                    + "row: samples and seed belong to ranges");
        }
        long datasetId;
        try {
            datasetId = Long.parseLong(request.dataset().trim());
        } catch (NumberFormatException e) {
            throw ApiException.invalid("dataset", "dataset must be a dataset's id, got \"" + request.dataset() + "\"");
        }
        Loaded model = load(id);
        DatasetMessages.View view = datasets.find(datasetId).orElseThrow(() -> ApiException.invalid("dataset",
                "there is no dataset " + datasetId + " (GET /api/v1/datasets lists them)"));
        String target = request.target() != null ? request.target()
                : model.task() instanceof DataTask d ? d.target() : null;
        if (target == null) {
            throw ApiException.invalid("target", "target is required: the column of dataset " + datasetId
                    + " to compare the outputs with");
        }
        List<String> names = view.columns().stream().map(DatasetMessages.Column::name).toList();
        for (String column : model.task().variables()) {
            if (!names.contains(column)) {
                throw ApiException.invalid("dataset", "dataset " + datasetId + " has no column " + column
                        + ", an input of model " + id + "; its columns are " + names);
            }
        }
        if (!names.contains(target)) {
            throw ApiException.invalid("target", "dataset " + datasetId + " has no column " + target + "; its columns are "
                    + names);
        }
        if (view.rows() > limits.maxEvaluateSamples()) {
            throw ApiException.overLimit("dataset", limits.maxEvaluateSamples(), "dataset " + datasetId + " has "
                    + view.rows() + " rows, at most " + limits.maxEvaluateSamples() + " are scored in one evaluation");
        }
        int rows = (int) view.rows();
        budgets.checkEvaluate(rows, model.inputs());
        DatasetService.Rows data;
        try {
            data = datasets.read(datasetId, null, model.task().variables(), target);
        } catch (IllegalStateException e) { // deleted since it was found
            throw ApiException.invalid("dataset", e.getMessage());
        }
        int k = model.task().inputSize();
        double[] predicted = new double[rows];
        double[] row = new double[k];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(data.x(), r * k, row, 0, k);
            predicted[r] = model.predict(row);
        }
        ErrorMetrics m = ErrorMetrics.of(predicted, data.y());
        RangeResult result = new RangeResult(null, datasetId, rows, finite(m.mse()), finite(m.meanRelativeError()),
                finite(m.maxRelativeError()), null, false, unmeasured(m, predicted, 0), null);
        return new EvaluateResponse(id, model.answeredBy(), List.of(result));
    }

    static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }

    /** Why an error of the range, or its threshold, has no finite value; null when they all have one. */
    static String unmeasured(ErrorMetrics m, double[] predicted, double threshold) {
        long notFinite = java.util.Arrays.stream(predicted).filter(p -> !Double.isFinite(p)).count();
        if (notFinite > 0) {
            return "the model's output is not a finite number on " + notFinite + " of the " + predicted.length
                    + " samples, so its errors there have no value";
        }
        if (!Double.isFinite(m.mse()) || !Double.isFinite(m.meanRelativeError()) || !Double.isFinite(m.maxRelativeError())) {
            return "the model's errors are too large to measure in float64 (beyond ±1.8e308 once squared or summed)";
        }
        if (!Double.isFinite(threshold)) {
            return "the success threshold has no finite value on this range (the perturbed exact solution is undefined there)";
        }
        return null;
    }

    /**
     * 400 if the task's exact value is undefined somewhere on the range (÷ 0, √ of a negative), or its
     * bounds (by interval arithmetic) go beyond ±{@value Task#MAX_MAGNITUDE}, where squared errors overflow.
     */
    static void undefinedOn(Task task, Domain d, String field) {
        if (task instanceof ExpressionTask e && !e.domainProblems(d).isEmpty()) {
            DomainProblem problem = e.domainProblems(d).get(0);
            throw ApiException.invalid(field, "the model's task " + e.describe() + " " + problem.verb() + " on " + d
                    + ": " + problem.message());
        }
        if (task instanceof ArithmeticTask a && ((a.op() == ArithmeticTask.Op.DIV && d.containsZero())
                || (a.op() == ArithmeticTask.Op.SQRT && d.lo() < 0))) {
            throw ApiException.invalid(field, "the arithmetic " + a.op().name().toLowerCase() + " is undefined on " + d);
        }
        Bounds target = task.targetBounds(d);
        if (target.lo() < -Task.MAX_MAGNITUDE || target.hi() > Task.MAX_MAGNITUDE) {
            throw ApiException.invalid(field, "the model's task " + task.describe() + " can reach " + target + " on " + d
                    + ", beyond ±1e150, where squared errors overflow float64");
        }
    }
}
