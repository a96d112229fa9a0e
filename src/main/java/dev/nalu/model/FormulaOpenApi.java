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
import dev.nalu.evaluation.ExactConstants;

/**
 * The JSON shapes of the model package that Java types cannot say: a formula's tree ({@link FormulaCodec}: a node is
 * an input, a constant, an exact constant, a sum or a product of nodes) and a row of predict inputs (by name or in input order).
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
        List<String> names = List.of("FormulaInput", "FormulaConstant", "FormulaExactConstant", "FormulaSum", "FormulaProduct");
        List<Schema<?>> variants = List.of(
                        only("input", new IntegerSchema().minimum(java.math.BigDecimal.ZERO)
                                .description("An input column, 0-based, in the model's input order")),
                        only("constant", new NumberSchema().format("double")
                                .description("A plain float (text writes a non-integer one as ≈0.4137…)")),
                        only("exactConstant", new ObjectSchema()
                                .addProperty("numerator", new IntegerSchema().format("int64")
                                        .minimum(java.math.BigDecimal.valueOf(-ExactConstants.MAX_NUMERATOR))
                                        .maximum(java.math.BigDecimal.valueOf(ExactConstants.MAX_NUMERATOR)))
                                .addProperty("denominator", new IntegerSchema().format("int64").minimum(java.math.BigDecimal.ONE)
                                        .maximum(java.math.BigDecimal.valueOf(ExactConstants.MAX_DENOMINATOR)))
                                .addProperty("piPower", new IntegerSchema().minimum(java.math.BigDecimal.valueOf(-2))
                                        .maximum(java.math.BigDecimal.valueOf(2)))
                                .addProperty("root", new IntegerSchema()._enum(java.util.stream.Stream.concat(
                                        java.util.stream.Stream.of(1), ExactConstants.ROOTS.stream()).<Number>map(r -> r).toList()))
                                .addProperty("value", new NumberSchema().format("double"))
                                .required(List.of("numerator", "denominator", "piPower", "root", "value"))
                                .description("(numerator/denominator) · π^piPower · √root, in lowest terms: 1/(4π) is "
                                        + "{1, 4, -1, 1}. value is its float64 as Java computes it (1.0 / (4.0 * Math.PI)), "
                                        + "checked to the bit on import")),
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
                .description("A node of a formula: {\"input\": i}, {\"constant\": c}, {\"exactConstant\": …}, {\"sum\": …} "
                        + "or {\"product\": …}"));
    }

    private static Schema<?> only(String name, Schema<?> value) {
        return new ObjectSchema().properties(Map.of(name, value)).required(List.of(name));
    }
}
