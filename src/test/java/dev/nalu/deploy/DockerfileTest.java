package dev.nalu.deploy;

import static dev.nalu.deploy.Manifests.ROOT;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Node;

/**
 * What can be checked of the Dockerfile without a Docker engine: the files it copies exist and are not
 * ignored, the jar it picks is the one the pom builds, the port, probe and user agree with the application
 * and the Kubernetes manifests, the base images are build arguments defaulting to the public Temurin images,
 * and the labels carry the pom's version. {@code .ci/container-test.sh} builds and runs the image for real.
 */
class DockerfileTest {

    /** One instruction: keyword and its arguments, continuation lines joined, comments dropped. */
    record Instruction(String keyword, String args) {
    }

    static List<Instruction> instructions() {
        List<Instruction> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Manifests.read(ROOT.resolve("Dockerfile")).split("\n")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.length() == 0)) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            current.append(trimmed);
            String text = current.toString().strip();
            current.setLength(0);
            if (!text.isEmpty()) {
                String[] parts = text.split("\\s+", 2);
                out.add(new Instruction(parts[0].toUpperCase(), parts.length > 1 ? parts[1] : ""));
            }
        }
        return out;
    }

    /** The instructions of the final stage. */
    static List<Instruction> finalStage() {
        List<Instruction> all = instructions();
        int from = 0;
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).keyword().equals("FROM")) {
                from = i;
            }
        }
        return all.subList(from, all.size());
    }

    static String last(String keyword) {
        return finalStage().stream().filter(i -> i.keyword().equals(keyword)).reduce((a, b) -> b)
                .map(Instruction::args).orElseThrow(() -> new AssertionError("no " + keyword + " in the final stage"));
    }

    static String user() {
        return last("USER");
    }

    static String workdir() {
        return last("WORKDIR");
    }

    private static String pom(String element) throws Exception {
        Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(ROOT.resolve("pom.xml").toFile());
        for (Node n = pom.getDocumentElement().getFirstChild(); n != null; n = n.getNextSibling()) {
            if (element.equals(n.getNodeName())) {
                return n.getTextContent().strip();
            }
        }
        return null;
    }

    /** The default of the build argument NAME, declared with ARG (before the first FROM, or in the final stage). */
    static String argDefault(String name) {
        return instructions().stream().filter(i -> i.keyword().equals("ARG") && i.args().startsWith(name + "="))
                .map(i -> i.args().substring(name.length() + 1).replaceAll("^\"(.*)\"$", "$1")).findFirst()
                .orElseThrow(() -> new AssertionError("no ARG " + name + "=… in the Dockerfile"));
    }

    @Test
    void buildsWithTheMavenWrapperOnAJdkAndRunsOnAJava17Jre() {
        List<String> froms = instructions().stream().filter(i -> i.keyword().equals("FROM")).map(Instruction::args).toList();
        assertThat(froms).hasSize(2);
        // the bases are build arguments (CI passes local stand-ins) whose defaults are the public Temurin images
        assertThat(froms.get(0)).isEqualTo("--platform=linux/amd64 ${JDK_IMAGE} AS build");
        assertThat(froms.get(1)).isEqualTo("--platform=linux/amd64 ${JRE_IMAGE}");
        assertThat(argDefault("JDK_IMAGE")).isEqualTo("eclipse-temurin:17-jdk");
        assertThat(argDefault("JRE_IMAGE")).isEqualTo("eclipse-temurin:17-jre");
        assertThat(instructions()).anyMatch(i -> i.keyword().equals("RUN") && i.args().contains("./mvnw -B -DskipTests package"));
        // linux-x86_64 natives only: the wrapper reads .mvn/maven.config, which the build stage copies
        assertThat(Manifests.read(ROOT.resolve(".mvn/maven.config"))).contains("-Djavacpp.platform=linux-x86_64");
    }

    @Test
    void everyPathItCopiesFromTheContextExistsAndIsNotIgnored() {
        List<String> ignored = Arrays.stream(Manifests.read(ROOT.resolve(".dockerignore")).split("\n"))
                .map(String::strip).filter(s -> !s.isEmpty() && !s.startsWith("#")).toList();
        int copies = 0;
        for (Instruction i : instructions()) {
            if (!i.keyword().equals("COPY") || i.args().startsWith("--from")) {
                continue;
            }
            String[] parts = i.args().split("\\s+");
            for (String source : Arrays.copyOf(parts, parts.length - 1)) {
                assertThat(ROOT.resolve(source)).as("COPY " + source).exists();
                assertThat(ignored).as("COPY " + source + " vs .dockerignore").doesNotContain(source.split("/")[0]);
                copies++;
            }
        }
        assertThat(copies).isGreaterThanOrEqualTo(5); // mvnw, pom.xml, .mvn, src, config
    }

    @Test
    void theJarItPicksIsTheOneThePomBuildsAndItIsCopiedLayerByLayer() throws Exception {
        String artifactId = pom("artifactId");
        String version = pom("version");
        String build = instructions().stream().filter(i -> i.keyword().equals("RUN") && i.args().contains("mvnw"))
                .findFirst().orElseThrow().args();
        String glob = build.replaceAll("(?s).*cp (target/\\S+\\.jar).*", "$1");
        assertThat(glob).startsWith("target/" + artifactId + "-");
        // no <finalName> in the pom: the jar is artifactId-version.jar, which the glob matches (and not the .jar.original)
        assertThat(Manifests.read(ROOT.resolve("pom.xml"))).doesNotContain("<finalName>");
        var matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
        assertThat(matcher.matches(Path.of("target/" + artifactId + "-" + version + ".jar"))).isTrue();
        assertThat(matcher.matches(Path.of("target/" + artifactId + "-" + version + ".jar.original"))).isFalse();

        assertThat(build).contains("-Djarmode=tools").contains("extract --layers --launcher");
        List<String> layers = finalStage().stream().filter(i -> i.keyword().equals("COPY") && i.args().startsWith("--from=build"))
                .map(i -> i.args().split("\\s+")[1]).toList();
        // Spring Boot's default layers, in its order (least to most often changed)
        assertThat(layers).containsExactly("/src/extracted/dependencies/", "/src/extracted/spring-boot-loader/",
                "/src/extracted/snapshot-dependencies/", "/src/extracted/application/");
        assertThat(last("ENTRYPOINT")).contains("-cp " + workdir() + " org.springframework.boot.loader.launch.JarLauncher")
                .contains("$JAVA_OPTS").contains("exec java");
    }

    @Test
    void itsLabelsAreTheOciAnnotationsWithThePomsVersionAndItsSbomComesFromThePackagedJar() throws Exception {
        assertThat(argDefault("VERSION")).isEqualTo(pom("version"));
        String labels = last("LABEL");
        for (String key : List.of("title", "version", "revision", "source")) {
            assertThat(labels).contains("org.opencontainers.image." + key + "=");
        }
        assertThat(labels).contains("org.opencontainers.image.version=\"${VERSION}\"")
                .contains("org.opencontainers.image.revision=\"${REVISION}\"").contains("org.opencontainers.image.source=\"${SOURCE}\"");
        // the package phase the image's build runs writes the SBOM into the jar (spring-boot-starter-parent's binding)
        assertThat(Manifests.read(ROOT.resolve("pom.xml"))).contains("<artifactId>cyclonedx-maven-plugin</artifactId>");
        assertThat(Files.exists(ROOT.resolve("target/classes/META-INF/sbom/application.cdx.json")))
                .as("the build wrote the SBOM").isTrue();
    }

    @Test
    void theExposedPortAndTheHealthCheckAreTheApplicationsAndTheUserIsNotRoot() {
        int port = Manifests.serverPort();
        int management = Manifests.managementPort();
        assertThat(last("EXPOSE")).isEqualTo(port + " " + management);
        assertThat(last("HEALTHCHECK")).contains("${MANAGEMENT_SERVER_PORT:-" + management + "}" + DeployManifestsTest.READINESS);

        String user = user();
        assertThat(user.split(":")[0]).isNotIn("root", "0").matches("[0-9]+");
        assertThat(finalStage()).anyMatch(i -> i.keyword().equals("RUN") && i.args().contains("--uid " + user.split(":")[0]));
        assertThat(last("VOLUME")).isEqualTo("/data");
        assertThat(finalStage()).anyMatch(i -> i.keyword().equals("ENV") && i.args().startsWith("OMP_NUM_THREADS="));
        assertThat(finalStage()).anyMatch(i -> i.keyword().equals("ENV") && i.args().startsWith("JAVA_OPTS="));
        assertThat(finalStage()).anyMatch(i -> i.keyword().equals("COPY") && i.args().equals("config " + workdir() + "/config"));
        assertThat(Files.exists(ROOT.resolve("config/application.yml"))).isTrue();
    }
}
