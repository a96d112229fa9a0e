package dev.nalu.api;

import java.util.List;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.swagger.v3.core.converter.ModelConverter;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;

/**
 * The title and summary of the OpenAPI description (/v3/api-docs, /swagger-ui.html), and the schemas of the
 * request types read by their own deserializers ({@link NamedSchema}).
 */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfiguration {
    private static final String BEARER = "apiKey";

    @Bean
    ModelConverter namedSchemas(List<NamedSchema> schemas) {
        return new NamedSchema.Converter(schemas);
    }

    @Bean
    ErrorResponses errorResponses() {
        return new ErrorResponses();
    }

    @Bean
    OpenAPI naluOpenApi() {
        return new OpenAPI().info(new Info()
                .title("nalu-service")
                .version("v1")
                .description("Trains Neural Arithmetic Logic Units as seeded populations and serves the learned "
                        + "models as exact formulas. Submit a job (POST /api/v1/jobs), watch it "
                        + "(GET /api/v1/jobs/{id}/events), then predict with and evaluate its model on ranges it never "
                        + "saw. Every error is an RFC 9457 problem detail with a stable type, the field and the limit.")
                .license(new License().name("Apache 2.0").identifier("Apache-2.0")))
                // every operation needs a key; Swagger UI's "Authorize" button takes one
                .components(new Components().addSecuritySchemes(BEARER, new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme("bearer")
                        .description("An API key (nalu_…) from POST /api/v1/keys, or data/admin.key on a first start; "
                                + "or a JWT when the service trusts an OIDC issuer")))
                .addSecurityItem(new SecurityRequirement().addList(BEARER));
    }
}
