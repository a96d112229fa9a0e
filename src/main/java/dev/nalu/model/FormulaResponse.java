package dev.nalu.model;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;

import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;

import dev.nalu.api.ApiException;
import dev.nalu.evaluation.Formula;
import dev.nalu.evaluation.FormulaFormat;

/**
 * A model's formula in one format (GET /api/v1/models/{id}/formula): text, LaTeX, SymPy or Java, with whether it is
 * exact, its complexity and the variables as the format writes them. Built from the stored document's tree, which
 * import checked against its text; a model whose weights snapped to no formula has none (404).
 */
@Schema(name = "FormulaResponse", requiredProperties = {"modelId", "format", "formula", "exact", "complexity",
        "approximateConstants", "variables"})
public record FormulaResponse(
        long modelId,
        @Schema(description = "The format asked for", allowableValues = {"text", "latex", "sympy", "java"}) String format,
        @Schema(description = "The formula: text and latex as an equation (\"y = a × b\", \"y = a \\\\cdot b\"), sympy and "
                + "java as an expression (\"a*b\", \"a * b\")", example = "y = a × b") String formula,
        @Schema(description = "Whether the formula reproduces the task's targets on validation rows (the model's "
                + "formula.exact); predictions come from it then") boolean exact,
        @Schema(description = "Nodes of the formula's tree: inputs, constants and operations", example = "3") int complexity,
        @Schema(description = "Constants that are plain floats with no exact form (text writes them ≈0.4137…)")
        int approximateConstants,
        @Schema(description = "The task's variables in input order, as this format writes them (LaTeX m_{0}, "
                + "SymPy Symbol('lambda'), Java new_ for a reserved word, Math or java)") List<String> variables) {

    static final String FORMATS = "text, latex, sympy or java";

    /** The format named by the query parameter, or a 400 naming {@code format}. */
    static FormulaFormat format(String format) {
        FormulaFormat f = FormulaFormat.of(format);
        if (f == null) {
            throw ApiException.invalid("format", "format must be " + FORMATS + ", got "
                    + (format == null ? "nothing" : "\"" + abbreviate(format) + "\""));
        }
        return f;
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }

    /**
     * Whether the client asks for the formula alone: its Accept header names text/plain (or text/*) and no JSON type
     * (application/json, application/*, a +json type). A wildcard or a client that takes either gets JSON.
     */
    static boolean plainText(String accept) {
        if (accept == null) {
            return false;
        }
        List<MediaType> types;
        try {
            types = MediaType.parseMediaTypes(accept);
        } catch (InvalidMediaTypeException e) {
            return false;
        }
        boolean plain = false;
        for (MediaType t : types) {
            if (t.getQualityValue() == 0) {
                continue;
            }
            if (t.getType().equals("text") && (t.getSubtype().equals("plain") || t.isWildcardSubtype())) {
                plain = true;
            } else if (t.getType().equals("application") && (t.isWildcardSubtype() || t.getSubtype().equals("json")
                    || t.getSubtype().endsWith("+json"))) {
                return false;
            }
        }
        return plain;
    }

    /**
     * A sequence model's formula is its snapped recurrence (docs/sequence.md): in text only, as formula.text writes it;
     * it has no tree, so no LaTeX, SymPy or Java form and no complexity (0).
     */
    private static FormulaResponse sequence(ModelDocument doc, FormulaFormat format) {
        if (!format.id().equals("text")) {
            throw ApiException.invalid("format", "model " + doc.id() + " is a sequence model: its formula is a "
                    + "recurrence, written in text only (format=text)");
        }
        if (doc.formula() == null || doc.formula().text() == null) {
            throw ApiException.notFound("formula of model", doc.id() + ": its weights snap to no recurrence (exact is "
                    + "false; it predicts from its weights)");
        }
        return new FormulaResponse(doc.id(), format.id(), doc.formula().text(), doc.formula().exact(), 0, 0,
                doc.variables());
    }

    static FormulaResponse of(ModelDocument doc, FormulaFormat format) {
        ModelDocument.FormulaDocument f = doc.formula();
        if (doc.task() != null && doc.task().isSequence()) {
            return sequence(doc, format);
        }
        if (f == null || f.tree() == null) {
            throw ApiException.notFound("formula of model", doc.id() + ": its weights snap to no formula that is as "
                    + "good as the trained network (exact is false; it predicts from its weights)");
        }
        List<String> names = doc.variables();
        Formula formula = FormulaCodec.read(f.tree(), names.size());
        return new FormulaResponse(doc.id(), format.id(), format.render(formula, names), f.exact(),
                formula.complexity(), formula.approximateConstants(), format.variables(names));
    }
}
