package dev.nalu.job;

import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.swagger.v3.core.converter.ModelConverters;

/**
 * Describes {@link JobRequest.ModelLayers} in /v3/api-docs. {@code JobRequest.model} is a JsonNode whose
 * {@code @Schema(oneOf = …)} names it, and swagger-core writes the $ref of a oneOf class without describing the
 * class when the property's own type is generic: the description then refers to a schema it does not define,
 * and clients generated from it (or the fuzzer, OpenApiFuzzTest) cannot build that branch.
 */
@Configuration(proxyBeanMethods = false)
class JobOpenApiConfiguration {

    @Bean
    OpenApiCustomizer modelLayersSchema() {
        return openApi -> ModelConverters.getInstance().readAll(JobRequest.ModelLayers.class)
                .forEach(openApi.getComponents()::addSchemas);
    }
}
