package dev.nalu.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.annotations.media.Schema;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import dev.nalu.api.ApiException;
import dev.nalu.api.Problems;
import dev.nalu.config.LimitsProperties;
import dev.nalu.task.Expr;
import dev.nalu.task.ExpressionException;
import dev.nalu.task.ExpressionLimits;
import dev.nalu.task.ExpressionTask;

/**
 * Evaluates an expression with learned models standing in for its operators: {@code a + b} is
 * computed by the model labelled {@code op:add}, {@code a × b} by {@code op:mul}, and so on (an
 * alias first, else the newest model with that tag). Numbers, variables and negation are exact.
 * The answer comes with the exact float64 value and the error.
 */
@Service
public class ExpressionEvaluator {
    /** Operator → the label that selects its model, and the inputs that model takes. */
    enum Operator {
        ADD("op:add", 2, "+"), SUB("op:sub", 2, "−"), MUL("op:mul", 2, "×"), DIV("op:div", 2, "÷"),
        SQUARE("op:square", 1, "x²"), SQRT("op:sqrt", 1, "√"), POW("op:pow", 2, "^");

        final String label;
        final int inputs;
        final String symbol;

        Operator(String label, int inputs, String symbol) {
            this.label = label;
            this.inputs = inputs;
            this.symbol = symbol;
        }
    }

    @Schema(name = "ExpressionRequest", example = "{\"expression\": \"1234.5 * 678 - 90\"}")
    public record Request(
            @Schema(example = "1234.5 * 678 - 90", requiredMode = Schema.RequiredMode.REQUIRED) String expression,
            @Schema(description = "Values of the variables the expression uses (numbers)", example = "{\"x\": 2.5}",
                    additionalPropertiesSchema = Double.class)
            Map<String, JsonNode> variables) {
    }

    /** Which model answered for an operator. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(requiredProperties = {"operator", "label", "modelId", "name", "version", "answeredBy"})
    public record OperatorModel(String operator, String label, long modelId, String name, int version,
                                String formula, String answeredBy) {
    }

    /**
     * The learned value and the exact one are finite numbers (else the request is a 400); an error too
     * large for float64 is null.
     */
    @Schema(name = "ExpressionResponse", requiredProperties = {"expression", "value", "exact", "absoluteError", "relativeError", "operators"})
    public record Response(String expression, double value, double exact,
                           @Schema(types = {"number", "null"}, description = "|value − exact|; null when beyond float64") Double absoluteError,
                           @Schema(types = {"number", "null"}, description = "absoluteError / max(|exact|, 1e-12); null when beyond float64")
                           Double relativeError,
                           List<OperatorModel> operators) {
    }

    private final ModelService models;
    private final LimitsProperties limits;

    public ExpressionEvaluator(ModelService models, LimitsProperties limits) {
        this.models = models;
        this.limits = limits;
    }

    public Response evaluate(Request request) {
        if (request == null || request.expression() == null || request.expression().isBlank()) {
            throw ApiException.invalid("expression", "expression is required, e.g. \"1234.5 * 678 - 90\"");
        }
        if (request.expression().length() > limits.maxExpressionLength()) {
            throw ApiException.overLimit("expression", limits.maxExpressionLength(), "expression has "
                    + request.expression().length() + " characters, at most " + limits.maxExpressionLength()
                    + " are allowed");
        }
        Map<String, JsonNode> vars = request.variables() == null ? Map.of() : request.variables();
        List<String> names = new ArrayList<>(vars.keySet());
        double[] values = new double[names.size()];
        for (int i = 0; i < names.size(); i++) {
            values[i] = Ranges.number(vars.get(names.get(i)), "variables." + names.get(i), limits);
        }
        Expr expr;
        try {
            expr = ExpressionTask.compile(request.expression(), names,
                    new ExpressionLimits(limits.maxExpressionLength(), limits.maxExpressionDepth()));
        } catch (ExpressionException e) {
            throw ApiException.invalid("expression", "expression: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid("variables", "variables: " + e.getMessage());
        }
        double exact = expr.evaluate(values, 0);
        if (!Double.isFinite(exact)) {
            throw ApiException.invalid("expression", "the exact value of " + request.expression() + " is not a finite number"
                    + " for these values (" + (Double.isNaN(exact) ? "it is undefined: ÷ 0 or √ of a negative"
                    : "it overflows float64, beyond ±1.8e308") + "), so no model is asked");
        }
        Map<Operator, ModelService.Loaded> used = new LinkedHashMap<>();
        collect(expr, used);
        double learned = eval(expr, values, used);
        double error = Math.abs(learned - exact);
        double relative = error / Math.max(Math.abs(exact), 1e-12);
        List<OperatorModel> operators = new ArrayList<>();
        used.forEach((op, m) -> operators.add(new OperatorModel(op.name().toLowerCase(), op.label,
                m.document().id(), m.document().name(), m.document().version(), m.document().formula().text(),
                m.answeredBy())));
        return new Response(request.expression(), learned, exact, Double.isFinite(error) ? error : null,
                Double.isFinite(relative) ? relative : null, operators);
    }

    /** Resolves the model of every operator the expression uses, before computing anything. */
    private void collect(Expr e, Map<Operator, ModelService.Loaded> used) {
        Operator op = operator(e);
        if (op != null && !used.containsKey(op)) {
            long id = models.resolve(op.label).orElseThrow(() -> new ApiException(HttpStatus.UNPROCESSABLE_ENTITY,
                    Problems.MISSING_OPERATOR_MODEL, "No model for an operator",
                    "no model serves the operator " + op.name().toLowerCase() + " (" + op.symbol + "): give a model the alias or tag \""
                            + op.label + "\" (PATCH /api/v1/models/{id} {\"aliases\": [\"" + op.label + "\"]})",
                    Map.of("operator", op.name().toLowerCase(), "label", op.label)));
            ModelService.Loaded m = models.load(id);
            if (m.inputs() != op.inputs) {
                throw new ApiException(HttpStatus.UNPROCESSABLE_ENTITY, Problems.MISSING_OPERATOR_MODEL,
                        "Model does not fit the operator", "model " + id + " labelled \"" + op.label + "\" takes "
                        + m.inputs() + " inputs, the operator " + op.name().toLowerCase() + " needs " + op.inputs,
                        Map.of("operator", op.name().toLowerCase(), "label", op.label, "modelId", id));
            }
            used.put(op, m);
        }
        for (Expr child : children(e)) {
            collect(child, used);
        }
    }

    private static Operator operator(Expr e) {
        if (e instanceof Expr.Add) {
            return Operator.ADD;
        } else if (e instanceof Expr.Sub) {
            return Operator.SUB;
        } else if (e instanceof Expr.Mul) {
            return Operator.MUL;
        } else if (e instanceof Expr.Div) {
            return Operator.DIV;
        } else if (e instanceof Expr.Sqrt) {
            return Operator.SQRT;
        } else if (e instanceof Expr.Pow p) {
            return p.exponent() instanceof Expr.Const c && c.value() == 2 ? Operator.SQUARE : Operator.POW;
        }
        return null;
    }

    private static List<Expr> children(Expr e) {
        if (e instanceof Expr.Add a) {
            return List.of(a.left(), a.right());
        } else if (e instanceof Expr.Sub s) {
            return List.of(s.left(), s.right());
        } else if (e instanceof Expr.Mul m) {
            return List.of(m.left(), m.right());
        } else if (e instanceof Expr.Div d) {
            return List.of(d.left(), d.right());
        } else if (e instanceof Expr.Pow p) {
            return p.exponent() instanceof Expr.Const c && c.value() == 2 ? List.of(p.base()) : List.of(p.base(), p.exponent());
        } else if (e instanceof Expr.Sqrt s) {
            return List.of(s.operand());
        } else if (e instanceof Expr.Neg n) {
            return List.of(n.operand());
        }
        return List.of();
    }

    private static double eval(Expr e, double[] x, Map<Operator, ModelService.Loaded> used) {
        if (e instanceof Expr.Const || e instanceof Expr.Var) {
            return e.evaluate(x, 0);
        }
        if (e instanceof Expr.Neg n) {
            return -eval(n.operand(), x, used);
        }
        List<Expr> children = children(e);
        double[] args = new double[children.size()];
        for (int i = 0; i < args.length; i++) {
            args[i] = eval(children.get(i), x, used);
        }
        Operator op = operator(e);
        ModelService.Loaded model = used.get(op);
        double value = model.predict(args);
        if (!Double.isFinite(value)) {
            throw new ApiException(HttpStatus.BAD_REQUEST, Problems.INVALID_FIELD, "Invalid field",
                    "the model labelled \"" + op.label + "\" (model " + model.document().id() + ") computes no finite number for "
                            + e + " here: its output " + (Double.isNaN(value) ? "is undefined" : "overflows float64")
                            + " on the inputs " + java.util.Arrays.toString(args),
                    Map.of("field", "expression", "operator", op.name().toLowerCase(), "label", op.label,
                            "modelId", model.document().id()));
        }
        return value;
    }
}
