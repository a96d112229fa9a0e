package dev.nalu.job;

import java.util.List;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.oas.models.media.ComposedSchema;
import io.swagger.v3.oas.models.media.StringSchema;

import dev.nalu.api.NamedSchema;

/**
 * {@link JobRequest.Model} in /v3/api-docs as the JSON it is: {@code Model} is one of the string "auto" and
 * {@code ModelLayers} ({"layers": [Layer, …]}).
 */
@Configuration(proxyBeanMethods = false)
class JobOpenApiConfiguration {

    @Bean
    NamedSchema modelSchema() {
        return new NamedSchema(JobRequest.Model.class, "Model", context -> new ComposedSchema()
                .oneOf(List.of(new StringSchema()._enum(List.of("auto"))
                                .description("AutoModel chooses the layers from the shape of the task"),
                        context.resolve(new AnnotatedType(JobRequest.ModelLayers.class).resolveAsRef(true))))
                .description("\"auto\" or explicit layers {\"layers\": [{\"unit\": \"NAU\", \"out\": 2}, "
                        + "{\"unit\": \"NMU\", \"out\": 1}]}")
                .example("auto"));
    }
}
