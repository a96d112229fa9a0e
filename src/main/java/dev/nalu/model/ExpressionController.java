package dev.nalu.model;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping(path = "/api/v1/expressions", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "expressions", description = "Arithmetic computed by learned models")
public class ExpressionController {
    private final ExpressionEvaluator evaluator;

    public ExpressionController(ExpressionEvaluator evaluator) {
        this.evaluator = evaluator;
    }

    @PostMapping("/evaluate")
    @Operation(operationId = "evaluateExpression", summary = "Evaluate an expression with learned models standing in for its operators",
            description = "Each operator is computed by the model with alias (else the newest with tag) op:add, "
                    + "op:sub, op:mul, op:div, op:square (x^2), op:sqrt or op:pow; numbers, variables and negation "
                    + "are exact. A missing operator model is a 422 naming the operator and the label.")
    public ExpressionEvaluator.Response evaluate(@RequestBody ExpressionEvaluator.Request request) {
        return evaluator.evaluate(request);
    }
}
