package dev.nalu.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springdoc.core.customizers.OpenApiCustomizer;

import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.core.converter.ResolvedSchema;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;

/**
 * Puts on every operation of /api/v1 the error responses it really gives, each an RFC 9457 {@link Problem} under
 * {@code application/problem+json}, with the headers that go with them (WWW-Authenticate on 401, Retry-After and
 * RateLimit-* on 429, Retry-After on 503). Every operation can answer 400, 401, 403, 406 and 429 (the rate limit is
 * in front of all of them); one with a path variable 404; one with a body 413 and 415; the rest is per operation, in
 * {@link #EXTRA}. OpenApiFuzzTest fails on an answer whose status its operation does not list.
 */
public final class ErrorResponses implements OpenApiCustomizer {
    public static final String PROBLEM_JSON = "application/problem+json";
    static final String PREFIX = "/api/v1/";

    /** Statuses beyond the common ones, by operationId. */
    static final Map<String, Map<Integer, String>> EXTRA = Map.of(
            "submitJob", Map.of(
                    409, "The Idempotency-Key was used before with another body",
                    422, "Over this replica's budget (budget, needed, limit) or the key's member-steps quota"),
            "deleteJob", Map.of(409, "The job is queued or running: cancel it first"),
            "deleteDataset", Map.of(409, "A queued or running job trains on the dataset (the problem names the jobs)"),
            "streamJobEvents", Map.of(503, "This replica has nalu.jobs.max-streams streams open; retry after Retry-After seconds"),
            "predict", computing(),
            "evaluateModel", computing(),
            "importModel", computing(),
            "uploadDataset", Map.of(503, "This replica is parsing nalu.datasets.max-uploads uploads; retry after Retry-After seconds"),
            "evaluateExpression", Map.of(
                    422, "No model serves an operator (operator, label), or over this replica's budget",
                    503, "This replica is computing as many requests as it may; retry after Retry-After seconds"));

    private static Map<Integer, String> computing() {
        return Map.of(
                422, "Over this replica's budget: the problem names the budget, what is needed and the limit",
                503, "This replica is computing as many requests as it may; retry after Retry-After seconds");
    }

    @Override
    public void customise(OpenAPI openApi) {
        Components components = openApi.getComponents() == null ? new Components() : openApi.getComponents();
        openApi.setComponents(components);
        ResolvedSchema problem = ModelConverters.getInstance(true)
                .readAllAsResolvedSchema(new AnnotatedType(Problem.class).resolveAsRef(false));
        components.addSchemas("Problem", problem.schema);
        problem.referencedSchemas.forEach(components::addSchemas);
        components.addHeaders("Retry-After", header("Seconds to wait before retrying", new IntegerSchema()));
        components.addHeaders("WWW-Authenticate", header("Bearer, with the error when a key was sent but refused",
                new StringSchema()));
        components.addHeaders("RateLimit-Limit", header("Requests per second this key may make on this replica",
                new IntegerSchema()));
        components.addHeaders("RateLimit-Remaining", header("Requests left in the current second", new IntegerSchema()));
        components.addHeaders("RateLimit-Reset", header("Seconds until the allowance is full again", new IntegerSchema()));
        if (openApi.getPaths() == null) {
            return;
        }
        openApi.getPaths().forEach((path, item) -> {
            if (path.startsWith(PREFIX)) {
                item.readOperations().forEach(op -> addErrors(path, op));
            }
        });
    }

    /** The error statuses an operation documents, with their descriptions. */
    static Map<Integer, String> errors(String path, boolean hasBody, String operationId) {
        Map<Integer, String> errors = new LinkedHashMap<>();
        errors.put(400, "A field, parameter or header is invalid or over a limit: the problem names it (field) and the limit");
        errors.put(401, "No live API key or token: missing, unknown, revoked or expired");
        errors.put(403, "The key's role is below the one this operation needs (role), or the resource belongs to another key");
        if (path.contains("{")) {
            errors.put(404, "No such resource");
        }
        errors.put(406, "The Accept header names no media type this operation answers");
        if (hasBody) {
            errors.put(413, "The body is larger than nalu.limits.max-request-size, or for a dataset upload "
                    + "nalu.datasets.max-bytes (limit)");
            errors.put(415, "The body's Content-Type is not one this operation reads");
        }
        errors.put(429, "Over the key's requests per second or its active jobs (quota, limit); retry after Retry-After seconds");
        errors.putAll(EXTRA.getOrDefault(operationId, Map.of()));
        return errors;
    }

    private static void addErrors(String path, Operation op) {
        Map<Integer, String> errors = errors(path, op.getRequestBody() != null, op.getOperationId());
        errors.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            ApiResponse response = new ApiResponse().description(e.getValue()).content(new Content().addMediaType(PROBLEM_JSON,
                    new MediaType().schema(NamedSchema.ref("Problem"))));
            op.getResponses().addApiResponse(Integer.toString(e.getKey()), withHeaders(e.getKey(), response));
        });
    }

    /**
     * The response with the headers that go with its status: WWW-Authenticate on 401, Retry-After and RateLimit-* on
     * 429, Retry-After on 503 (the header components {@link #customise} defines). The Open Inference Protocol's
     * errors under /v2 carry the same.
     */
    public static ApiResponse withHeaders(int status, ApiResponse response) {
        switch (status) {
            case 401 -> response.addHeaderObject("WWW-Authenticate", headerRef("WWW-Authenticate"));
            case 429 -> {
                response.addHeaderObject("Retry-After", headerRef("Retry-After"));
                for (String h : List.of("RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset")) {
                    response.addHeaderObject(h, headerRef(h));
                }
            }
            case 503 -> response.addHeaderObject("Retry-After", headerRef("Retry-After"));
            default -> { }
        }
        return response;
    }

    private static Header header(String description, io.swagger.v3.oas.models.media.Schema<?> schema) {
        return new Header().description(description).schema(schema);
    }

    private static Header headerRef(String name) {
        return new Header().$ref("#/components/headers/" + name);
    }
}
