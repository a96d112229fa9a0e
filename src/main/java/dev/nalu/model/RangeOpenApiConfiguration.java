package dev.nalu.model;

import java.math.BigDecimal;
import java.util.List;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.NumberSchema;
import io.swagger.v3.oas.models.media.Schema;

import dev.nalu.api.NamedSchema;

/**
 * {@link Range} and {@link RangeList} in /v3/api-docs: {@code Interval} is {@code [lo, hi]}, {@code Range} a union of
 * intervals {@code [[lo, hi], …]}, {@code RangeList} a list of ranges. The document gives these canonical forms only
 * (what the service writes back, e.g. in a job's spec); the shorthands the service also reads (a bare interval for a
 * range, intervals for a list of ranges) are in the descriptions. A oneOf of the two array shapes would be exact, but
 * OpenAPI Generator's Java clients with Jackson (library "native") do not compile a oneOf of arrays (docs/api.md,
 * "Generated clients"). lo &lt; hi and the limits are in the descriptions.
 */
@Configuration(proxyBeanMethods = false)
class RangeOpenApiConfiguration {
    static final String INTERVAL = "Interval";

    @Bean
    NamedSchema rangeSchema() {
        return new NamedSchema(Range.class, "Range", context -> {
            context.defineModel(INTERVAL, interval());
            return new ArraySchema().items(NamedSchema.ref(INTERVAL)).minItems(1)
                    .description("A range: a union of disjoint intervals [[lo, hi], …], most often one [[lo, hi]]. "
                            + "The service also reads one bare interval [lo, hi] here.")
                    .example(List.of(List.of(1, 2)));
        });
    }

    @Bean
    NamedSchema rangeListSchema() {
        return new NamedSchema(RangeList.class, "RangeList", context -> new ArraySchema()
                .items(context.resolve(new AnnotatedType(Range.class))).minItems(1)
                .description("A list of ranges, each a union of intervals: [[[lo, hi]], [[lo, hi]], …]. The service also "
                        + "reads the shorthands [[lo, hi], …] (one interval per range) and [lo, hi] (one range).")
                .example(List.of(List.of(List.of(2, 6)), List.of(List.of(10, 100)))));
    }

    private static Schema<?> interval() {
        return new ArraySchema().items(new NumberSchema().format("double")).minItems(2).maxItems(2)
                .description("An interval [lo, hi]: two finite numbers with lo < hi, |bound| ≤ nalu.limits.max-range-magnitude "
                        + "(1e12 by default)")
                .example(List.of(BigDecimal.ONE, BigDecimal.valueOf(2)));
    }
}
