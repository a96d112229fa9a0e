package dev.nalu.inference;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

import com.fasterxml.jackson.databind.JsonNode;

import dev.nalu.api.ApiException;
import dev.nalu.api.Problems;
import dev.nalu.config.LimitsProperties;
import dev.nalu.inference.InferenceMessages.InferenceInputTensor;
import dev.nalu.inference.InferenceMessages.InferenceOutputTensor;
import dev.nalu.inference.InferenceMessages.InferenceRequest;
import dev.nalu.inference.InferenceMessages.InferenceRequestedOutput;
import dev.nalu.inference.InferenceMessages.InferenceResponse;
import dev.nalu.inference.InferenceMessages.ModelMetadata;
import dev.nalu.inference.InferenceMessages.TensorMetadata;
import dev.nalu.model.ModelService;
import dev.nalu.model.ModelService.Loaded;
import dev.nalu.model.ModelStore;

/**
 * Models as the Open Inference Protocol sees them: a model is addressed by its name (the newest version, else
 * the model an alias of that name points at) and optionally a version of that name; it has one FP64 input per
 * variable, of shape [n] (or [n, 1]) for n rows, and one FP64 output y of the same shape. Inference is
 * /api/v1 predict's computation with its limits and budget ({@link ModelService#checkPredict}).
 */
@Service
public class InferenceService {
    /** Platform names read "<project>_<format>" in the protocol: nalu's models, stored as JSON (nalu-model/1). */
    static final String PLATFORM = "nalu_json";
    private static final long[] ANY_ROWS = {-1};

    private final ModelService models;
    private final ModelStore store;
    private final LimitsProperties limits;

    public InferenceService(ModelService models, ModelStore store, LimitsProperties limits) {
        this.models = models;
        this.store = store;
        this.limits = limits;
    }

    /** The model {@code name} (and {@code version}, if not null) addresses; 404 when there is none. */
    Loaded model(String name, String version) {
        Optional<Long> newest = store.newestNamed(name);
        Long id = newest.or(() -> store.byAlias(name)).orElseThrow(() -> notFound("there is no model named "
                + quote(name) + " and no alias of that name"));
        if (version == null) {
            return models.load(id);
        }
        // an alias stands for its model's name, so that the versions its metadata lists can be asked for through it
        String named = newest.isPresent() ? name : models.load(id).document().name();
        int v = parseVersion(version);
        return models.load(store.byVersion(named, v).orElseThrow(() -> notFound("model " + quote(named)
                + " has no version " + quote(version) + "; its versions are listed by GET /v2/models/{name}")));
    }

    private static int parseVersion(String version) {
        if (version.matches("[1-9][0-9]{0,8}")) {
            return Integer.parseInt(version);
        }
        return -1; // no such version: versions are whole numbers from 1
    }

    ModelMetadata metadata(String name, String version) {
        Loaded model = model(name, version);
        String named = model.document().name();
        List<TensorMetadata> inputs = model.task().variables().stream()
                .map(v -> new TensorMetadata(v, InferenceMessages.FP64, ANY_ROWS)).toList();
        List<String> versions = store.versions(named, limits.maxPageSize()).stream().map(String::valueOf).toList();
        return new ModelMetadata(named, versions, PLATFORM, inputs,
                List.of(new TensorMetadata(InferenceMessages.OUTPUT, InferenceMessages.FP64, ANY_ROWS)));
    }

    /**
     * Checks the request's own form first (datatypes, shapes, parameters, outputs asked for), then finds the
     * model, matches the inputs to its variables, checks the row count against the limits and the budget, and
     * only then reads the data into one row-major array and predicts.
     */
    InferenceResponse infer(String name, String version, InferenceRequest request) {
        List<InferenceInputTensor> inputs = request.inputs();
        if (inputs == null || inputs.isEmpty()) {
            throw ApiException.invalid("inputs", "inputs must be a non-empty array of tensors, one per model input");
        }
        checkParameters(request.parameters(), "parameters");
        List<InferenceRequestedOutput> outputs = request.outputs() == null ? List.of() : request.outputs();
        for (int i = 0; i < outputs.size(); i++) {
            String at = "outputs[" + i + "]";
            InferenceRequestedOutput o = outputs.get(i);
            if (o == null || !InferenceMessages.OUTPUT.equals(o.name())) {
                throw ApiException.invalid(at + ".name", at + ".name is " + (o == null ? "missing" : quote(o.name()))
                        + "; a model has one output, " + InferenceMessages.OUTPUT);
            }
            checkParameters(o.parameters(), at + ".parameters");
        }
        long[] shape = null;
        for (int i = 0; i < inputs.size(); i++) {
            long[] s = checkForm(inputs.get(i), "inputs[" + i + "]");
            if (shape == null) {
                shape = s;
            } else if (!Arrays.equals(shape, s)) {
                throw ApiException.invalid("inputs[" + i + "].shape", "inputs[" + i + "].shape is "
                        + Arrays.toString(s) + ", inputs[0].shape " + Arrays.toString(shape)
                        + "; every input holds the same n rows in the same shape");
            }
        }

        Loaded model = model(name, version);
        List<String> variables = model.task().variables();
        int[] columnOf = columns(inputs, variables);
        models.checkPredict(model, shape[0], "inputs[0].shape");
        int rows = (int) shape[0];
        int k = variables.size();
        double[] x = new double[rows * k];
        for (int i = 0; i < inputs.size(); i++) {
            read(inputs.get(i).data(), rows, shape.length, x, columnOf[i], k, "inputs[" + i + "].data");
        }
        double[] y = models.predict(model, x, rows, r -> "row " + r + " (element " + r + " of every input)");

        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("model_id", model.document().id());
        parameters.put("answered_by", model.answeredBy());
        if (model.document().formula().text() != null) {
            parameters.put("formula", model.document().formula().text());
        }
        return new InferenceResponse(model.document().name(), String.valueOf(model.document().version()), request.id(),
                parameters, List.of(new InferenceOutputTensor(InferenceMessages.OUTPUT, shape, InferenceMessages.FP64, y)));
    }

    /** The tensor's name, datatype, parameters and shape ([n] or [n, 1], n ≥ 1), which it returns. */
    private static long[] checkForm(InferenceInputTensor t, String at) {
        if (t == null) {
            throw ApiException.invalid(at, at + " must be a tensor object with name, shape, datatype and data");
        }
        require(t.name(), at + ".name");
        require(t.shape(), at + ".shape");
        require(t.datatype(), at + ".datatype");
        require(t.data(), at + ".data");
        if (!InferenceMessages.FP64.equals(t.datatype())) {
            throw ApiException.invalid(at + ".datatype", at + ".datatype is " + quote(t.datatype())
                    + "; every model input is " + InferenceMessages.FP64 + " (float64), as the model's metadata says");
        }
        checkParameters(t.parameters(), at + ".parameters");
        List<Long> shape = t.shape();
        boolean column = shape.size() == 2 && Long.valueOf(1).equals(shape.get(1));
        if (!(shape.size() == 1 || column) || shape.get(0) == null || shape.get(0) < 1) {
            throw ApiException.invalid(at + ".shape", at + ".shape is " + shape + "; an input is [n] or [n, 1] for "
                    + "n ≥ 1 rows");
        }
        return column ? new long[] {shape.get(0), 1} : new long[] {shape.get(0)};
    }

    private static void require(Object value, String field) {
        if (value == null) {
            throw ApiException.invalid(field, field + " is required");
        }
    }

    /** For each input, the model's input (column) it feeds: every variable exactly once. */
    private static int[] columns(List<InferenceInputTensor> inputs, List<String> variables) {
        Map<String, Integer> column = new HashMap<>();
        for (int c = 0; c < variables.size(); c++) {
            column.put(variables.get(c), c);
        }
        int[] columnOf = new int[inputs.size()];
        boolean[] given = new boolean[variables.size()];
        for (int i = 0; i < inputs.size(); i++) {
            String at = "inputs[" + i + "].name";
            Integer c = column.get(inputs.get(i).name());
            if (c == null) {
                throw ApiException.invalid(at, at + " is " + quote(inputs.get(i).name()) + ", which is not an input "
                        + "of the model; its inputs are " + summary(variables));
            }
            if (given[c]) {
                throw ApiException.invalid(at, at + ": the input " + quote(variables.get(c)) + " is given twice");
            }
            given[c] = true;
            columnOf[i] = c;
        }
        for (int c = 0; c < variables.size(); c++) {
            if (!given[c]) {
                throw ApiException.invalid("inputs", "the model's input " + quote(variables.get(c)) + " is missing; "
                        + "its inputs are " + summary(variables) + ", one tensor each");
            }
        }
        return columnOf;
    }

    /**
     * Reads an input's n values into column {@code column} of x (rows × k, row-major): flat, or for a [n, 1] input
     * also in its natural form, n arrays of one value. Each value a finite JSON number.
     */
    private static void read(JsonNode data, int rows, int rank, double[] x, int column, int k, String at) {
        boolean nested = rank == 2 && data.isArray() && !data.isEmpty() && data.get(0).isArray();
        if (!data.isArray() || data.size() != rows) {
            throw ApiException.invalid(at, at + " has " + (data.isArray() ? data.size() + " values" : "no array")
                    + "; the shape says " + rows + " rows: an array of " + rows + " numbers"
                    + (rank == 2 ? ", or of " + rows + " arrays of one number" : ""));
        }
        for (int r = 0; r < rows; r++) {
            JsonNode v = data.get(r);
            String element = at + "[" + r + "]";
            if (nested) {
                if (!v.isArray() || v.size() != 1) {
                    throw ApiException.invalid(element, element + " must be an array of one number, as " + at
                            + "[0] is (the natural form of a [n, 1] tensor)");
                }
                v = v.get(0);
                element += "[0]";
            }
            if (!v.isNumber() || !Double.isFinite(v.doubleValue())) {
                throw ApiException.invalid(element, element + " must be a finite number, got " + describe(v));
            }
            x[r * k + column] = v.doubleValue();
        }
    }

    /** The protocol's $parameters: an object of string, number or boolean values. */
    private static void checkParameters(Map<String, Object> parameters, String at) {
        if (parameters == null) {
            return;
        }
        for (Map.Entry<String, Object> p : parameters.entrySet()) {
            Object v = p.getValue();
            if (!(v instanceof String || v instanceof Number || v instanceof Boolean)) {
                throw ApiException.invalid(at, at + "." + p.getKey() + " must be a string, a number or a boolean");
            }
        }
    }

    private static String describe(JsonNode v) {
        if (v.isNumber()) {
            return v.toString() + " (beyond float64)";
        }
        return v.isTextual() ? "a string" : v.isBoolean() ? v.toString() : v.isNull() ? "null"
                : v.isArray() ? "an array" : "an object";
    }

    private static String summary(List<String> names) {
        return names.size() <= 8 ? names.toString() : "[" + names.get(0) + " … " + names.get(names.size() - 1) + "] ("
                + names.size() + ")";
    }

    private static String quote(String s) {
        if (s == null) {
            return "missing";
        }
        return "'" + (s.length() > 200 ? s.substring(0, 200) + "…" : s) + "'";
    }

    private static ApiException notFound(String detail) {
        return new ApiException(HttpStatus.NOT_FOUND, Problems.NOT_FOUND, "Not found", detail, Map.of());
    }
}
