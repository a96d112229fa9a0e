package dev.nalu.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.util.FileSystemUtils;

import dev.nalu.ApiTestSupport;
import dev.nalu.TestKeys;

/**
 * What a user of the API does first: generate a client from /v3/api-docs with OpenAPI Generator (the CLI jar from
 * Maven Central, which the build copies to target/tools) and its default options, and use it. The document passes
 * the generator's validation and Redocly's recommended lint rules; the Java clients (okhttp-gson, native) and the
 * TypeScript client (typescript-fetch, checked by tsc) build; the okhttp-gson client runs the README's walk-through
 * against this service (src/test/clients/java/WalkThrough.java). Node.js and npm fetch tsc and Redocly; without npm
 * those two are skipped, except under CI, where they must run.
 */
@Tag("contract")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GeneratedClientsTest extends ApiTestSupport {
    static final Path WORK = Path.of("target", "contract").toAbsolutePath();
    static final Path GENERATOR = Path.of("target", "tools", "openapi-generator-cli.jar").toAbsolutePath();
    static final String TYPESCRIPT = "typescript@5.9.3";
    static final String REDOCLY = "@redocly/cli@2.77.0";
    static final String PACKAGES = "invokerPackage=dev.nalu.client,apiPackage=dev.nalu.client.api,"
            + "modelPackage=dev.nalu.client.model,hideGenerationTimestamp=true";

    private Path spec;

    @BeforeAll
    void writeDocument() throws IOException {
        FileSystemUtils.deleteRecursively(WORK);
        Files.createDirectories(WORK);
        assertThat(GENERATOR).as("the build copies the generator here (maven-dependency-plugin)").exists();
        spec = WORK.resolve("openapi.json");
        Files.writeString(spec, http.getForObject("/v3/api-docs", String.class));
    }

    @Test
    void theDocumentPassesTheGeneratorsValidation() throws Exception {
        String out = run(WORK, 60, "java", "-jar", GENERATOR.toString(), "validate", "-i", spec.toString());
        assertThat(out).contains("No validation issues detected");
    }

    @Test
    void theJavaClientRunsTheWalkThrough() throws Exception {
        Path dir = generate("java", "okhttp-gson");
        Files.copy(Path.of("src/test/clients/java/WalkThrough.java"),
                dir.resolve("src/main/java/dev/nalu/client/WalkThrough.java"));
        String classpath = buildJava(dir);
        String out = run(dir, 240, "java", "-cp", dir.resolve("target/classes") + java.io.File.pathSeparator + classpath,
                "dev.nalu.client.WalkThrough", "http://localhost:" + port, TestKeys.ADMIN);
        assertThat(out).contains("walk-through passed");
    }

    @Test
    void theJavaNativeClientBuilds() throws Exception {
        buildJava(generate("java", "native"));
    }

    @Test
    void theTypeScriptClientCompiles() throws Exception {
        Path dir = generate("typescript-fetch", null);
        Path node = npm();
        run(dir, 120, node.resolve("node_modules/.bin/tsc").toString(), "--noEmit", "--strict", "--target", "es2020",
                "--module", "es2020", "--moduleResolution", "node", "--lib", "es2020,dom", "index.ts");
    }

    @Test
    void theDocumentIsLintCleanOnRedoclysRecommendedRules() throws Exception {
        Path node = npm();
        // one rule off: the document's servers entry is the URL it was fetched from (X-Forwarded-* honoured),
        // which in this test is localhost; a document served behind a proxy names the proxy
        Files.writeString(WORK.resolve("redocly.yaml"), "extends:\n  - recommended\nrules:\n  no-server-example.com: off\n");
        String out = run(WORK, 120, node.resolve("node_modules/.bin/redocly").toString(), "lint", "--format=stylish",
                "--config", WORK.resolve("redocly.yaml").toString(), spec.toString());
        assertThat(out).as("redocly lint").contains("Your API description is valid").doesNotContainPattern("You have \\d+ warning");
    }

    private Path generate(String generator, String library) throws Exception {
        Path dir = WORK.resolve(library == null ? generator : generator + "-" + library);
        List<String> command = new ArrayList<>(List.of("java", "-jar", GENERATOR.toString(), "generate", "-i", spec.toString(),
                "-g", generator, "-o", dir.toString()));
        if (library != null) {
            command.addAll(List.of("--library", library, "--additional-properties=" + PACKAGES));
        }
        run(WORK, 120, command.toArray(String[]::new));
        return dir;
    }

    /** Compiles a generated Java client with the project's Maven wrapper; returns its dependency classpath. */
    private static String buildJava(Path dir) throws Exception {
        Path cp = dir.resolve("classpath.txt");
        run(dir, 300, Path.of("mvnw").toAbsolutePath().toString(), "-B", "-q", "-f", dir.resolve("pom.xml").toString(),
                "-Dmaven.javadoc.skip=true", "compile", "dependency:build-classpath", "-Dmdep.outputFile=" + cp);
        return Files.readString(cp).strip();
    }

    /** TypeScript and Redocly, installed once per build under target/contract/node. */
    private static synchronized Path npm() throws Exception {
        Path node = WORK.resolve("node");
        if (!onPath("npm")) {
            if (System.getenv("CI") != null) {
                fail("npm is not on the PATH: CI must check the TypeScript client and lint the document");
            }
            Assumptions.abort("npm is not on the PATH: the TypeScript client and the lint are not checked");
        }
        if (!Files.exists(node.resolve("node_modules/.bin/redocly"))) {
            Files.createDirectories(node);
            run(node, 300, "npm", "install", "--no-audit", "--no-fund", "--prefix", node.toString(), TYPESCRIPT, REDOCLY);
        }
        return node;
    }

    private static boolean onPath(String program) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, program))) {
                return true;
            }
        }
        return false;
    }

    /** Runs a command; fails the test with its output when it exits non-zero or runs past the timeout. */
    private static String run(Path dir, int seconds, String... command) throws Exception {
        Path log = Files.createTempFile(WORK, "run", ".log");
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        boolean done = p.waitFor(seconds, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        if (!done || p.exitValue() != 0) {
            fail(String.join(" ", command) + (done ? " exited " + p.exitValue() : " ran past " + seconds + " s") + ":\n"
                    + tail(out));
        }
        return out;
    }

    private static String tail(String out) {
        return out.length() <= 6000 ? out : "…" + out.substring(out.length() - 6000);
    }
}
