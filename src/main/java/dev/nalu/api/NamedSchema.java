package dev.nalu.api;

import java.util.Iterator;
import java.util.List;
import java.util.function.Function;

import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverter;
import io.swagger.v3.core.converter.ModelConverterContext;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.media.Schema;

import com.fasterxml.jackson.databind.JavaType;

/**
 * How /v3/api-docs describes a request type that its own deserializer reads (a range, a model given as "auto" or
 * layers): wherever {@code type} appears, the document refers to the component {@code name}, defined as
 * {@code schema} builds it (it may resolve other types through the context, e.g. for a oneOf branch). Without it
 * swagger-core would describe the type's Java components, which is not what its JSON looks like.
 *
 * <p>Declare one as a bean next to the type; {@link OpenApiConfiguration} hands them all to swagger-core as one
 * {@link Converter} (springdoc keeps a single converter of each class).
 */
public record NamedSchema(Class<?> type, String name, Function<ModelConverterContext, Schema<?>> schema) {

    /** The component's $ref. */
    public static Schema<?> ref(String name) {
        return new Schema<>().$ref(Components.COMPONENTS_SCHEMAS_REF + name);
    }

    /** Resolves each type of the list to a $ref to its component, defining the component on first use. */
    record Converter(List<NamedSchema> schemas) implements ModelConverter {

        @Override
        public Schema<?> resolve(AnnotatedType annotated, ModelConverterContext context, Iterator<ModelConverter> chain) {
            JavaType t = Json.mapper().constructType(annotated.getType());
            for (NamedSchema s : schemas) {
                if (t != null && t.getRawClass() == s.type()) {
                    if (!context.getDefinedModels().containsKey(s.name())) {
                        context.defineModel(s.name(), s.schema().apply(context));
                    }
                    return ref(s.name());
                }
            }
            return chain.hasNext() ? chain.next().resolve(annotated, context, chain) : null;
        }
    }
}
