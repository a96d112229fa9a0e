package dev.nalu;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.http.client.ClientHttpRequestFactorySettings.Redirects;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The operator-facing surface of a started service, through real HTTP on a random port. */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureObservability(tracing = false) // tests switch metrics export off unless asked; the scrape is under test
class ApplicationSmokeTest {

    static final Path KEY_FILE = keyFile();

    @Autowired
    TestRestTemplate http;
    @LocalManagementPort
    int managementPort;
    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        String url = TestDatabases.newUrl("smoke");
        registry.add("spring.datasource.url", () -> url);
        // no bootstrap key: a first start makes one admin key and writes it here
        registry.add("nalu.security.admin-key-file", KEY_FILE::toString);
    }

    private static Path keyFile() {
        try {
            return Files.createTempDirectory("nalu-smoke").resolve("data").resolve("admin.key");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The actuator's own port (management.server.port), where probes and the scrape are open. */
    private String actuator(String path) {
        return "http://localhost:" + managementPort + path;
    }

    @Test
    void aFirstStartWritesOneAdminKeyReadableByItsOwnerOnlyAndItWorks() throws IOException {
        assertThat(KEY_FILE).exists();
        assertThat(Files.getPosixFilePermissions(KEY_FILE)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        String key = Files.readString(KEY_FILE).strip();
        assertThat(key).startsWith("nalu_").hasSize(48);

        HttpHeaders headers = new HttpHeaders();
        headers.setBearerAuth(key);
        ResponseEntity<String> keys = http.exchange("/api/v1/keys", HttpMethod.GET, new HttpEntity<>(headers), String.class);
        assertThat(keys.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(keys.getBody()).contains("\"role\":\"admin\"").doesNotContain(key);
        assertThat(http.getForEntity("/api/v1/keys", String.class).getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
    }

    @Test
    void theScrapeIsNotServedOnTheApiPortWithoutAnAdminKey() {
        ResponseEntity<String> scrape = http.getForEntity("/actuator/prometheus", String.class);
        assertThat(scrape.getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(scrape.getBody()).contains("/problems/unauthorized").doesNotContain("jvm_memory");
    }

    @Test
    void healthIsUp() {
        ResponseEntity<Map> health = http.getForEntity(actuator("/actuator/health"), Map.class);

        assertThat(health.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(health.getBody()).containsEntry("status", "UP");
    }

    @Test
    void livenessAndReadinessProbesAnswer() {
        for (String probe : new String[] {"/actuator/health/liveness", "/actuator/health/readiness"}) {
            ResponseEntity<Map> response = http.getForEntity(actuator(probe), Map.class);

            assertThat(response.getStatusCode()).as(probe).isEqualTo(HttpStatus.OK);
            assertThat(response.getBody()).as(probe).containsEntry("status", "UP");
        }
    }

    @Test
    void openApiDescriptionIsServedAsOpenApi3Json() {
        ResponseEntity<Map> docs = http.getForEntity("/v3/api-docs", Map.class);

        assertThat(docs.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(docs.getHeaders().getContentType()).isNotNull()
                .matches(type -> type.isCompatibleWith(MediaType.APPLICATION_JSON));
        assertThat((String) docs.getBody().get("openapi")).startsWith("3.");
    }

    @Test
    void openApiDescribesTheJobAndModelEndpointsWithExampleBodies() {
        ResponseEntity<String> docs = http.getForEntity("/v3/api-docs", String.class);

        assertThat(docs.getBody())
                .contains("\"/api/v1/jobs\"", "\"/api/v1/jobs/{id}/events\"", "\"/api/v1/models/{id}/predict\"",
                        "\"/api/v1/models/{id}/evaluate\"", "\"/api/v1/expressions/evaluate\"")
                .contains("learn-mul", "12345");
    }

    @Test
    void everyRefOfTheOpenApiDescriptionPointsAtASchemaItDefines() throws Exception {
        JsonNode docs = new ObjectMapper().readTree(http.getForEntity("/v3/api-docs", String.class).getBody());
        List<String> refs = new ArrayList<>();
        docs.findValues("$ref").forEach(ref -> refs.add(ref.asText()));

        // JobRequest.model names ModelLayers only in its @Schema(oneOf), which swagger-core does not describe by itself
        assertThat(refs).contains("#/components/schemas/ModelLayers");
        assertThat(refs).allSatisfy(ref -> assertThat(docs.at(ref.substring(1)).isMissingNode()).as(ref).isFalse());
        assertThat(docs.at("/components/schemas/ModelLayers/properties/layers/items/$ref").asText())
                .isEqualTo("#/components/schemas/Layer");
    }

    /** Behind a proxy, the document's servers (and Location headers) name the proxy, from X-Forwarded-*. */
    @Test
    void theDocumentsServersHonourForwardedHeaders() throws Exception {
        HttpHeaders forwarded = new HttpHeaders();
        forwarded.set("X-Forwarded-Proto", "https");
        forwarded.set("X-Forwarded-Host", "nalu.example.org");
        forwarded.set("X-Forwarded-Port", "443");
        forwarded.set("X-Forwarded-Prefix", "/ml");
        ResponseEntity<String> behindProxy = http.exchange("/v3/api-docs", HttpMethod.GET, new HttpEntity<>(forwarded),
                String.class);
        ResponseEntity<String> direct = http.getForEntity("/v3/api-docs", String.class);

        ObjectMapper mapper = new ObjectMapper();
        assertThat(mapper.readTree(behindProxy.getBody()).at("/servers/0/url").asText()).isEqualTo("https://nalu.example.org/ml");
        assertThat(mapper.readTree(direct.getBody()).at("/servers/0/url").asText()).isEqualTo("http://localhost:" + port);
    }

    @Test
    void swaggerUiPathLeadsToTheUi() {
        ResponseEntity<String> redirect = http.withRedirects(Redirects.DONT_FOLLOW)
                .getForEntity("/swagger-ui.html", String.class);

        assertThat(redirect.getStatusCode().is3xxRedirection()).isTrue();
        String location = redirect.getHeaders().getLocation().getPath();
        assertThat(location).endsWith("/swagger-ui/index.html");

        ResponseEntity<String> ui = http.getForEntity(location, String.class);
        assertThat(ui.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(ui.getHeaders().getContentType()).isNotNull()
                .matches(type -> type.isCompatibleWith(MediaType.TEXT_HTML));
        assertThat(ui.getBody()).contains("Swagger UI");
    }

    /** The CycloneDX SBOM the build writes into the jar, on the management port only (the image holds the same). */
    @Test
    void theSbomOfTheServiceIsServedOnTheManagementPort() throws IOException {
        ResponseEntity<String> sbom = http.getForEntity(actuator("/actuator/sbom/application"), String.class);

        assertThat(sbom.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(sbom.getHeaders().getContentType()).hasToString("application/vnd.cyclonedx+json");
        JsonNode bom = new ObjectMapper().readTree(sbom.getBody());
        assertThat(bom.path("bomFormat").asText()).isEqualTo("CycloneDX");
        assertThat(bom.at("/metadata/component/name").asText()).isEqualTo("nalu-service");
        assertThat(bom.path("components").findValuesAsText("name")).contains("nd4j-native", "spring-boot");
        assertThat(http.getForEntity("/actuator/sbom/application", String.class).getStatusCode())
                .isEqualTo(HttpStatus.UNAUTHORIZED);
    }

    @Test
    void prometheusScrapeIsPlainText() {
        ResponseEntity<String> scrape = http.getForEntity(actuator("/actuator/prometheus"), String.class);

        assertThat(scrape.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(scrape.getHeaders().getContentType()).isNotNull()
                .matches(type -> type.isCompatibleWith(MediaType.TEXT_PLAIN));
        assertThat(scrape.getBody())
                .contains("# TYPE jvm_memory_used_bytes gauge")
                .contains("nalu_jobs_queue_depth", "nalu_jobs_submitted_total", "nalu_jobs_training",
                        "nalu_sse_streams_open", "nalu_jobs{")
                .contains("application=\"nalu-service\"");
    }
}
