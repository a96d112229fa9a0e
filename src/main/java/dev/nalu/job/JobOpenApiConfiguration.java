package dev.nalu.job;

import java.util.List;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

import org.springdoc.core.customizers.OpenApiCustomizer;

import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.core.converter.ResolvedSchema;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.media.Discriminator;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.ComposedSchema;
import io.swagger.v3.oas.models.media.StringSchema;

import dev.nalu.api.NamedSchema;
import dev.nalu.compute.Activation;
import dev.nalu.compute.Optimizer;
import dev.nalu.compute.Unit;
import dev.nalu.model.TaskDefinition;
import dev.nalu.task.ArithmeticTask;

/**
 * {@link JobRequest.Model} in /v3/api-docs as the JSON it is: {@code Model} is one of the string "auto" and
 * {@code ModelLayers} ({"layers": [Layer, …]}) or {@code ModelCell} ({"cell": …}, a sequence task's); and
 * the data of each event type of a job's stream
 * ({@link JobEvents}), under the stream's {@code x-events}: OpenAPI has no way to type the events of a
 * text/event-stream, so generated clients read the stream as text and the schemas say what each event's data is.
 */
@Configuration(proxyBeanMethods = false)
class JobOpenApiConfiguration {
    static final String JOB_EVENT = "#/components/schemas/JobEvent";

    @Bean
    NamedSchema modelSchema() {
        return new NamedSchema(JobRequest.Model.class, "Model", context -> new ComposedSchema()
                .oneOf(List.of(new StringSchema()._enum(List.of("auto", "search"))
                                .description("\"auto\": AutoModel chooses the layers from the shape of the task; "
                                        + "\"search\": candidate architectures from the data's shape race by "
                                        + "successive halving (docs/search.md)"),
                        context.resolve(new AnnotatedType(JobRequest.ModelLayers.class).resolveAsRef(true)),
                        context.resolve(new AnnotatedType(JobRequest.ModelCell.class).resolveAsRef(true))))
                .description("\"auto\", \"search\", explicit layers {\"layers\": [{\"unit\": \"NAU\", \"out\": 2}, "
                        + "{\"unit\": \"NMU\", \"out\": 1}]} or, for a sequence task, a recurrent cell {\"cell\": "
                        + "\"NAU\", \"hidden\": 2, \"head\": \"NAU\"}")
                .example("auto"));
    }

    /**
     * The words the job request takes where the server has a fixed set, as enums, from the Java enums that define
     * them (the server also reads other cases and aliases, e.g. "nac+" for NAC_ADD; the document gives the canonical
     * spelling).
     */
    @Bean
    OpenApiCustomizer jobRequestEnums() {
        return openApi -> {
            Map<String, Schema> schemas = openApi.getComponents().getSchemas();
            enumOf(schemas, "Layer", "unit", Arrays.stream(Unit.values()).map(Enum::name).toList());
            enumOf(schemas, "Layer", "activation", Arrays.stream(Activation.values()).map(Activation::label).toList());
            enumOf(schemas, "TaskRequest", "kind", List.of(TaskDefinition.EXPRESSION, TaskDefinition.ARITHMETIC,
                    TaskDefinition.DATASET));
            enumOf(schemas, "TaskRequest", "op", Arrays.stream(ArithmeticTask.Op.values())
                    .map(o -> o.name().toLowerCase(Locale.ROOT)).toList());
            enumOf(schemas, "TrainingRequest", "optimizer", Arrays.stream(Optimizer.values())
                    .map(o -> o.name().toLowerCase(Locale.ROOT)).toList());
            enumOf(schemas, "TrainingRequest", "precision", List.copyOf(new TreeSet<>(JobSpecs.PRECISIONS)));
        };
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static void enumOf(Map<String, Schema> schemas, String schema, String property, List<String> values) {
        Schema p = (Schema) schemas.get(schema).getProperties().get(property);
        p.setEnum(new ArrayList<>(values));
    }

    @Bean
    OpenApiCustomizer jobEventSchemas() {
        return openApi -> {
            Components components = openApi.getComponents();
            Map<String, Object> data = new LinkedHashMap<>();
            List<Schema> envelopes = new ArrayList<>();
            Discriminator discriminator = new Discriminator().propertyName("event");
            for (Map.Entry<String, Class<?>> event : JobEvents.TYPES.entrySet()) {
                ResolvedSchema r = ModelConverters.getInstance(true)
                        .readAllAsResolvedSchema(new AnnotatedType(event.getValue()).resolveAsRef(false));
                r.referencedSchemas.forEach(components::addSchemas);
                components.addSchemas(r.schema.getName(), r.schema);
                String type = event.getKey();
                data.put(type, Map.of("$ref", "#/components/schemas/" + r.schema.getName()));
                String envelope = "Job" + Character.toUpperCase(type.charAt(0)) + type.substring(1) + "Event";
                components.addSchemas(envelope, new ObjectSchema()
                        .addProperty("id", new IntegerSchema().format("int64").description("The event's id (SSE id)"))
                        .addProperty("event", new StringSchema()._enum(List.of(type)).description("The event type"))
                        .addProperty("data", NamedSchema.ref(r.schema.getName()))
                        .required(List.of("id", "event", "data"))
                        .description("A \"" + type + "\" event"));
                envelopes.add(NamedSchema.ref(envelope));
                discriminator.mapping(type, "#/components/schemas/" + envelope);
            }
            components.addSchemas("JobEvent", new ComposedSchema().oneOf(envelopes).discriminator(discriminator)
                    .description("One event of a job: id, type and data, as the stream sends them"));
            io.swagger.v3.oas.models.media.Content content = openApi.getPaths().get("/api/v1/jobs/{id}/events").getGet()
                    .getResponses().get("200").getContent();
            MediaType stream = content.remove(org.springframework.http.MediaType.TEXT_EVENT_STREAM_VALUE);
            content.remove(org.springframework.http.MediaType.ALL_VALUE); // the stream's answer to Accept: */*
            stream.addExtension("x-events", data);
            // JSON first: a generated client takes the first media type's schema as the operation's return type
            content.addMediaType(org.springframework.http.MediaType.TEXT_EVENT_STREAM_VALUE, stream);
        };
    }
}
