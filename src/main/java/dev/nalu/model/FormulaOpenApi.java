package dev.nalu.model;

import java.util.List;
import java.util.Map;

import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.BooleanSchema;
import io.swagger.v3.oas.models.media.ComposedSchema;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MapSchema;
import io.swagger.v3.oas.models.media.NumberSchema;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;

import dev.nalu.api.NamedSchema;

/**
 * The JSON shapes of the model package that Java types cannot say: a formula's tree ({@link FormulaCodec}: a node is
 * an input, a constant, a sum or a product of nodes) and a row of predict inputs (by name or in input order).
 */
@Configuration(proxyBeanMethods = false)
class FormulaOpenApi {
    static final String NODE = "#/components/schemas/FormulaNode";
    static final String INPUT_ROW = "#/components/schemas/InputRow";

    @Bean
    OpenApiCustomizer formulaSchemas() {
        return openApi -> {
            Components c = openApi.getComponents();
            formulaSchemas(c);
            // by name only: a oneOf with the positional form [1.5, 2] would not compile in Jackson's Java client
            c.addSchemas("InputRow", new MapSchema().additionalProperties(new NumberSchema().format("double"))
                    .description("One row of inputs by variable name: {\"a\": 1.5, \"b\": 2}. The service also reads a row "
                            + "as an array in the model's input order (its `variables`): [1.5, 2]."));
        };
    }

    private static void formulaSchemas(Components c) {
        Schema<?> node = NamedSchema.ref("FormulaNode");
        List<String> names = List.of("FormulaInput", "FormulaConstant", "FormulaSum", "FormulaProduct");
        List<Schema<?>> variants = List.of(
                        only("input", new IntegerSchema().minimum(java.math.BigDecimal.ZERO)
                                .description("An input column, 0-based, in the model's input order")),
                        only("constant", new NumberSchema().format("double")),
                        only("sum", new ObjectSchema()
                                .addProperty("coefficients", new ArraySchema().items(new IntegerSchema()))
                                .addProperty("terms", new ArraySchema().items(node))
                                .required(List.of("coefficients", "terms"))
                                .description("Σ coefficient × term")),
                        only("product", new ObjectSchema()
                                .addProperty("exponents", new ArraySchema().items(new NumberSchema().format("double")))
                                .addProperty("factors", new ArraySchema().items(node))
                                .addProperty("absolute", new BooleanSchema())
                                .required(List.of("exponents", "factors", "absolute"))
                                .description("∏ factor^exponent, of |factor| when absolute")));
        for (int i = 0; i < names.size(); i++) {
            c.addSchemas(names.get(i), variants.get(i));
        }
        c.addSchemas("FormulaNode", new ComposedSchema().oneOf(names.stream().<Schema>map(NamedSchema::ref).toList())
                .description("A node of a formula: {\"input\": i}, {\"constant\": c}, {\"sum\": …} or {\"product\": …}"));
    }

    private static Schema<?> only(String name, Schema<?> value) {
        return new ObjectSchema().properties(Map.of(name, value)).required(List.of(name));
    }
}
