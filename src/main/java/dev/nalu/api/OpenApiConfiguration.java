package dev.nalu.api;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;

/** The title and summary of the OpenAPI description (/v3/api-docs, /swagger-ui.html). */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfiguration {

    @Bean
    OpenAPI naluOpenApi() {
        return new OpenAPI().info(new Info()
                .title("nalu-service")
                .version("v1")
                .description("Trains Neural Arithmetic Logic Units as seeded populations and serves the learned "
                        + "models as exact formulas. Submit a job (POST /api/v1/jobs), watch it "
                        + "(GET /api/v1/jobs/{id}/events), then predict with and evaluate its model on ranges it never "
                        + "saw. Every error is an RFC 9457 problem detail with a stable type, the field and the limit.")
                .license(new License().name("Apache 2.0")));
    }
}
