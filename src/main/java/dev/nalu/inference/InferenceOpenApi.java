package dev.nalu.inference;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.core.converter.ResolvedSchema;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;

import dev.nalu.api.ErrorResponses;
import dev.nalu.inference.InferenceMessages.InferenceError;

/**
 * The error responses of every /v2 operation in /v3/api-docs: the protocol's {@link InferenceError} as
 * application/json ({@link InferenceErrors} answers nothing else there), with the headers that go with a status
 * ({@link ErrorResponses#withHeaders}, as on /api/v1). A health check that fails is a 503 with its own body.
 * OpenApiFuzzTest fails on an answer whose status its operation does not list.
 */
@Configuration(proxyBeanMethods = false)
class InferenceOpenApi {
    private static final String ERROR = "InferenceError";

    @Bean
    OpenApiCustomizer inferenceErrorResponses() {
        return openApi -> {
            Components components = openApi.getComponents() == null ? new Components() : openApi.getComponents();
            openApi.setComponents(components);
            ResolvedSchema error = ModelConverters.getInstance(true)
                    .readAllAsResolvedSchema(new AnnotatedType(InferenceError.class).resolveAsRef(false));
            components.addSchemas(ERROR, error.schema);
            if (openApi.getPaths() != null) {
                openApi.getPaths().forEach((path, item) -> {
                    if (InferenceErrors.isInference(path)) {
                        item.readOperations().forEach(op -> addErrors(path, op));
                    }
                });
            }
        };
    }

    /** The error statuses of a /v2 operation, with their descriptions. */
    private static Map<Integer, String> errors(String path, boolean hasBody) {
        Map<Integer, String> errors = new LinkedHashMap<>();
        errors.put(400, "A bad request: the error names the field and the limit");
        errors.put(401, "No live API key or token: missing, unknown, revoked or expired");
        if (path.contains("{")) {
            errors.put(404, "No model of that name or alias, or no such version");
        }
        errors.put(406, "The Accept header names no media type this operation answers");
        if (hasBody) {
            errors.put(413, "The body is larger than nalu.limits.max-request-size");
            errors.put(415, "The body's Content-Type is not application/json");
            errors.put(422, "Over this replica's predict budget");
            errors.put(503, "This replica is computing as many requests as it may; retry after Retry-After seconds");
        }
        errors.put(429, "Over the key's requests per second; retry after Retry-After seconds");
        return errors;
    }

    private static void addErrors(String path, Operation op) {
        errors(path, op.getRequestBody() != null).entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            ApiResponse response = new ApiResponse().description(e.getValue()).content(json(ERROR));
            op.getResponses().addApiResponse(Integer.toString(e.getKey()), ErrorResponses.withHeaders(e.getKey(), response));
        });
        if (path.startsWith("/v2/health/")) {
            // not live or not ready: the same object as the 200, with false
            op.getResponses().addApiResponse("503", new ApiResponse().description("Not live, or not ready")
                    .content(op.getResponses().get("200").getContent()));
        }
    }

    private static Content json(String schema) {
        return new Content().addMediaType(org.springframework.http.MediaType.APPLICATION_JSON_VALUE,
                new MediaType().schema(new Schema<>().$ref(Components.COMPONENTS_SCHEMAS_REF + schema)));
    }
}
