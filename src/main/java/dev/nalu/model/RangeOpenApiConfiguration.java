package dev.nalu.model;

import java.math.BigDecimal;
import java.util.List;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.ComposedSchema;
import io.swagger.v3.oas.models.media.NumberSchema;
import io.swagger.v3.oas.models.media.Schema;

import dev.nalu.api.NamedSchema;

/**
 * {@link Range} and {@link RangeList} in /v3/api-docs as the JSON they are: {@code Interval} is
 * {@code [lo, hi]}, {@code Range} one interval or a union of them, {@code RangeList} one interval or a list of
 * ranges. The schemas say the shape; lo &lt; hi and the limits are in the descriptions.
 */
@Configuration(proxyBeanMethods = false)
class RangeOpenApiConfiguration {
    static final String INTERVAL = "Interval";

    @Bean
    NamedSchema rangeSchema() {
        return new NamedSchema(Range.class, "Range", context -> {
            context.defineModel(INTERVAL, interval());
            return new ComposedSchema()
                    .oneOf(List.of(NamedSchema.ref(INTERVAL),
                            new ArraySchema().items(NamedSchema.ref(INTERVAL)).minItems(1)
                                    .description("A union of disjoint intervals [[lo, hi], [lo, hi], …]")))
                    .description("A range: one interval [lo, hi], or a union of disjoint intervals [[lo, hi], …]")
                    .example(List.of(List.of(1, 2)));
        });
    }

    @Bean
    NamedSchema rangeListSchema() {
        return new NamedSchema(RangeList.class, "RangeList", context -> {
            context.defineModel(INTERVAL, interval());
            return new ComposedSchema()
                    .oneOf(List.of(NamedSchema.ref(INTERVAL),
                            new ArraySchema().items(context.resolve(new AnnotatedType(Range.class)))
                                    .minItems(1)
                                    .description("Ranges, one each: [[lo, hi], …]; a union is written [[[lo, hi], [lo, hi]]]")))
                    .description("A list of ranges [[lo, hi], …], or one range [lo, hi]")
                    .example(List.of(List.of(2, 6), List.of(10, 100)));
        });
    }

    private static Schema<?> interval() {
        return new ArraySchema().items(new NumberSchema().format("double")).minItems(2).maxItems(2)
                .description("An interval [lo, hi]: two finite numbers with lo < hi, |bound| ≤ nalu.limits.max-range-magnitude "
                        + "(1e12 by default)")
                .example(List.of(BigDecimal.ONE, BigDecimal.valueOf(2)));
    }
}
