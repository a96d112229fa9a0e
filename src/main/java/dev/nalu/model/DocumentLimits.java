package dev.nalu.model;

import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;

import dev.nalu.api.ApiException;
import dev.nalu.api.Problems;
import dev.nalu.config.LimitsProperties;
import dev.nalu.model.ModelDocument.Architecture;
import dev.nalu.model.ModelDocument.LayerWeightsDocument;
import dev.nalu.model.ModelDocument.TensorDocument;

/**
 * The nalu.limits.* an imported model document must keep, checked on the document as it was read,
 * before anything is built from it: the task (inputs, expression length, variables, intervals per
 * range, range bounds), the architecture (inputs, layers, layer width) and every tensor's declared
 * shape against its number of values. A document over a limit is a 400
 * /problems/invalid-model-document naming the field (and the limit); one within them is then checked
 * for consistency by {@link ModelService#validate}, which builds the model.
 */
final class DocumentLimits {
    /**
     * The most tensors a layer or recurrent cell has: the LSTM cell reading tokens, 15 (W_x, W_h and b of its four
     * gates, h0, c0 and the embedding E); a static layer at most 5 (iNALU: Ŵa, M̂a, Ŵm, M̂m, G).
     */
    private static final int MAX_TENSORS = 16;

    private final LimitsProperties limits;

    private DocumentLimits(LimitsProperties limits) {
        this.limits = limits;
    }

    static void check(ModelDocument doc, LimitsProperties limits) {
        DocumentLimits check = new DocumentLimits(limits);
        check.task(doc.task());
        if (doc.variables() != null && doc.variables().size() > limits.maxInputSize()) {
            throw overLimit("variables", limits.maxInputSize(), "variables has " + doc.variables().size()
                    + " names, at most " + limits.maxInputSize() + " inputs are allowed");
        }
        check.architecture(doc.architecture());
        check.weights(doc.weights());
    }

    private void task(TaskDefinition t) {
        if (t == null) {
            return; // ModelService.validate: "task is required"
        }
        if (TaskDefinition.ARITHMETIC.equals(t.kind())) {
            if (t.inputSize() != null) {
                count("task.inputSize", t.inputSize(), limits.maxInputSize());
            }
            if (t.subsetRatio() != null && !(t.subsetRatio() > 0 && t.subsetRatio() <= 1)) {
                throw invalid("task.subsetRatio", "task.subsetRatio must be in (0, 1], got " + t.subsetRatio());
            }
            if (t.overlapRatio() != null && !(t.overlapRatio() >= 0 && t.overlapRatio() <= 1)) {
                throw invalid("task.overlapRatio", "task.overlapRatio must be in [0, 1], got " + t.overlapRatio());
            }
            if (t.train() != null) {
                range(t.train(), "task.train");
            }
            return;
        }
        if (t.sequence() != null && t.sequence().testRanges() != null) {
            List<List<List<Double>>> ranges = t.sequence().testRanges();
            if (ranges.size() > limits.maxExtrapolationRanges()) {
                throw overLimit("task.sequence.testRanges", limits.maxExtrapolationRanges(), "task.sequence.testRanges "
                        + "has " + ranges.size() + " ranges, at most " + limits.maxExtrapolationRanges() + " are allowed");
            }
            for (int i = 0; i < ranges.size(); i++) {
                range(ranges.get(i), "task.sequence.testRanges[" + i + "]");
            }
            return;
        }
        if (t.expression() != null && t.expression().length() > limits.maxExpressionLength()) {
            throw overLimit("task.expression", limits.maxExpressionLength(), "task.expression has "
                    + t.expression().length() + " characters, at most " + limits.maxExpressionLength() + " are allowed");
        }
        if (t.variables() != null) {
            if (t.variables().size() > limits.maxInputSize()) {
                throw overLimit("task.variables", limits.maxInputSize(), "task.variables declares "
                        + t.variables().size() + " variables, at most " + limits.maxInputSize() + " are allowed");
            }
            for (Map.Entry<String, List<List<Double>>> v : t.variables().entrySet()) {
                range(v.getValue(), "task.variables." + v.getKey());
            }
        }
    }

    /** A range as [[lo, hi], …]: at most max-intervals pairs of finite bounds within max-range-magnitude, lo &lt; hi. */
    private void range(List<List<Double>> intervals, String field) {
        if (intervals == null || intervals.isEmpty()) {
            throw invalid(field, field + " must be a range [[lo, hi], …]");
        }
        if (intervals.size() > limits.maxIntervals()) {
            throw overLimit(field, limits.maxIntervals(), field + " has " + intervals.size()
                    + " intervals, at most " + limits.maxIntervals() + " are allowed");
        }
        for (int i = 0; i < intervals.size(); i++) {
            String at = field + "[" + i + "]";
            List<Double> pair = intervals.get(i);
            if (pair == null || pair.size() != 2 || pair.get(0) == null || pair.get(1) == null) {
                throw invalid(at, at + " must be [lo, hi], two numbers, got " + pair);
            }
            for (double bound : pair) {
                if (!Double.isFinite(bound)) {
                    throw invalid(at, at + " must hold finite numbers, got " + pair);
                }
                if (Math.abs(bound) > limits.maxRangeMagnitude()) {
                    throw overLimit(at, limits.maxRangeMagnitude(), at + " has the bound " + bound
                            + ", beyond the largest magnitude allowed, " + Ranges.format(limits.maxRangeMagnitude()));
                }
            }
            if (!(pair.get(0) < pair.get(1))) {
                throw invalid(at, at + " must have lo < hi, got " + pair);
            }
        }
    }

    private void architecture(Architecture a) {
        if (a == null || a.layers() == null) {
            return; // ModelService.validate: "architecture with its layers is required"
        }
        count("architecture.inputs", a.inputs(), limits.maxInputSize());
        if (a.layers().size() > limits.maxLayers()) {
            throw overLimit("architecture.layers", limits.maxLayers(), "architecture has " + a.layers().size()
                    + " layers, at most " + limits.maxLayers() + " are allowed");
        }
        for (int i = 0; i < a.layers().size(); i++) {
            String at = "architecture.layers[" + i + "]";
            LayerDefinition l = a.layers().get(i);
            if (l == null) {
                throw invalid(at, at + " must be a layer {\"unit\": …, \"out\": …}");
            }
            count(at, l.out(), limits.maxLayerWidth());
        }
    }

    private void weights(List<LayerWeightsDocument> weights) {
        if (weights == null) {
            return; // ModelService.validate: "weights must have one entry per layer"
        }
        if (weights.size() > limits.maxLayers()) {
            throw overLimit("weights", limits.maxLayers(), "weights has " + weights.size() + " layers, at most "
                    + limits.maxLayers() + " are allowed");
        }
        int largestDimension = Math.max(limits.maxInputSize(), limits.maxLayerWidth());
        for (int i = 0; i < weights.size(); i++) {
            String at = "weights[" + i + "]";
            LayerWeightsDocument w = weights.get(i);
            if (w == null || w.tensors() == null) {
                continue; // ModelService.validate names what the layer must be
            }
            if (w.tensors().size() > MAX_TENSORS) {
                throw invalid(at + ".tensors", at + " has " + w.tensors().size() + " tensors; no unit has more than "
                        + MAX_TENSORS);
            }
            for (TensorDocument t : w.tensors()) {
                if (t == null || t.shape() == null) {
                    continue; // ModelService.validate: unknown tensor, or its shape
                }
                String field = at + ".tensors." + t.name();
                List<Integer> shape = t.shape();
                if (shape.isEmpty() || shape.size() > 2 || shape.contains(null)) {
                    throw invalid(field, t.name() + " must have a shape [rows, cols] or [cols], got " + shape);
                }
                long size = 1;
                for (int d : shape) {
                    if (d < 1 || d > largestDimension) {
                        throw overLimit(field, largestDimension, t.name() + " has shape " + shape
                                + "; each dimension must be 1 to " + largestDimension + " (the inputs and layer widths allowed)");
                    }
                    size *= d;
                }
                if (t.values() != null && t.values().length != size) {
                    throw invalid(field + ".values", t.name() + " has shape " + shape + ", " + size + " values, but "
                            + t.values().length + " are given");
                }
            }
        }
    }

    private static void count(String field, long value, long max) {
        if (value < 1) {
            throw invalid(field, field + " must be at least 1, got " + value);
        }
        if (value > max) {
            throw overLimit(field, max, field + " is " + value + ", at most " + max + " is allowed");
        }
    }

    static ApiException invalid(String field, String detail) {
        return new ApiException(HttpStatus.BAD_REQUEST, Problems.INVALID_MODEL_DOCUMENT, "Invalid model document",
                detail, Map.of("field", field));
    }

    private static ApiException overLimit(String field, Object limit, String detail) {
        return new ApiException(HttpStatus.BAD_REQUEST, Problems.INVALID_MODEL_DOCUMENT, "Invalid model document",
                detail, Map.of("field", field, "limit", limit));
    }
}
