package dev.nalu.deploy;

import static dev.nalu.deploy.Manifests.ROOT;
import static dev.nalu.deploy.Manifests.at;
import static dev.nalu.deploy.Manifests.document;
import static dev.nalu.deploy.Manifests.documents;
import static dev.nalu.deploy.Manifests.list;
import static dev.nalu.deploy.Manifests.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

/**
 * The operator-facing YAML (config/, deploy/) parses, and what it says about the application agrees
 * with the application: ports, actuator paths, property and environment variable names, file references.
 * No Docker engine or Kubernetes cluster runs here, so this is what keeps the manifests right.
 */
class DeployManifestsTest {
    static final String LIVENESS = "/actuator/health/liveness";
    static final String READINESS = "/actuator/health/readiness";
    static final String PROMETHEUS = "/actuator/prometheus";

    private final int port = Manifests.serverPort();
    private final int management = Manifests.managementPort();

    @Test
    void everyYamlFileUnderConfigAndDeployParses() {
        List<Path> files = Manifests.yamlFiles("config", "deploy");
        assertThat(files).extracting(p -> ROOT.relativize(p).toString().replace('\\', '/')).contains(
                "config/application.yml", "deploy/docker-compose.yml",
                "deploy/prometheus.yml", "deploy/k8s/kustomization.yaml", "deploy/k8s/deployment.yaml");
        for (Path file : files) {
            // config/ holds operator overrides only, so it may be all comments; a manifest never is
            if (!file.startsWith(ROOT.resolve("config"))) {
                assertThat(documents(file)).as(file.toString()).isNotEmpty();
            }
        }
        assertThat(Manifests.yamlFiles("src/main/resources")).as("the jar carries its defaults")
                .contains(ROOT.resolve("src/main/resources/application.yml"),
                        ROOT.resolve("src/main/resources/application-postgres.yml"));
    }

    @Test
    void theApplicationServesTheProbesAndTheScrapeTheManifestsUse() {
        Map<String, Object> app = document("src/main/resources/application.yml");
        assertThat(at(app, "management.endpoint.health.probes.enabled")).isEqualTo(true);
        assertThat(at(app, "management.endpoints.web.base-path")).as("the actuator stays at /actuator").isNull();
        assertThat(String.valueOf(at(app, "management.endpoints.web.exposure.include")).split(",\\s*"))
                .contains("health", "prometheus");
        assertThat(at(app, "management.server.port")).as("actuator on its own port").isNotNull()
                .isNotEqualTo(at(app, "server.port"));
    }

    @Test
    void thePostgresProfileTakesItsConnectionFromTheEnvironment() {
        Map<String, Object> pg = document("src/main/resources/application-postgres.yml");
        assertThat(String.valueOf(at(pg, "spring.datasource.url"))).startsWith("${SPRING_DATASOURCE_URL:jdbc:postgresql://");
        assertThat(at(pg, "spring.datasource.username")).asString().startsWith("${SPRING_DATASOURCE_USERNAME");
        assertThat(at(pg, "spring.datasource.password")).asString().startsWith("${SPRING_DATASOURCE_PASSWORD");
    }

    @Test
    void composeRunsTwoReplicasOnOnePostgresAndPrometheusScrapesBoth() {
        Map<String, Object> compose = document("deploy/docker-compose.yml");
        Map<String, Object> services = map(compose.get("services"));
        Map<String, Object> postgres = map(services.get("postgres"));
        String database = String.valueOf(at(postgres, "environment.POSTGRES_DB"));

        List<String> replicas = new ArrayList<>();
        Set<String> hostPorts = new TreeSet<>();
        services.forEach((name, value) -> {
            Map<String, Object> service = map(value);
            if (!"nalu-service:latest".equals(service.get("image"))) {
                return;
            }
            replicas.add(name);
            assertThat(at(service, "build.context")).as(name).isEqualTo("..");
            assertThat(Files.exists(ROOT.resolve("deploy").resolve(String.valueOf(at(service, "build.context")))
                    .resolve(String.valueOf(at(service, "build.dockerfile"))))).as(name + " Dockerfile").isTrue();
            Map<String, Object> env = map(service.get("environment"));
            assertThat(env.keySet()).as(name + " environment").isSubsetOf(Manifests.serviceEnvironment());
            assertThat(env).as(name).containsEntry("SPRING_PROFILES_ACTIVE", "postgres");
            assertThat(String.valueOf(env.get("NALU_SECURITY_BOOTSTRAPADMINKEY"))).as(name + ": the admin key, required")
                    .startsWith("${NALU_ADMIN_KEY:?");
            assertThat(String.valueOf(env.get("SPRING_DATASOURCE_URL")))
                    .isEqualTo("jdbc:postgresql://postgres:5432/" + database);
            assertThat(env.get("SPRING_DATASOURCE_USERNAME")).isEqualTo(at(postgres, "environment.POSTGRES_USER"));
            assertThat(env.get("SPRING_DATASOURCE_PASSWORD")).isEqualTo(at(postgres, "environment.POSTGRES_PASSWORD"));
            assertThat(at(service, "depends_on.postgres.condition")).isEqualTo("service_healthy");
            for (Object mapping : list(service.get("ports"))) {
                String[] parts = String.valueOf(mapping).split(":");
                assertThat(Integer.parseInt(parts[parts.length - 1])).as(name + " container port").isEqualTo(port);
                assertThat(hostPorts.add(parts[0])).as(name + " host port " + parts[0] + " unique").isTrue();
            }
        });
        assertThat(replicas).as("replicas of the service").hasSize(2);

        Map<String, Object> prometheus = map(services.get("prometheus"));
        assertThat(list(prometheus.get("volumes"))).anyMatch(
                v -> String.valueOf(v).startsWith("./prometheus.yml:/etc/prometheus/prometheus.yml"));
        Map<String, Object> scrape = document("deploy/prometheus.yml");
        List<String> targets = new ArrayList<>();
        for (Object job : list(scrape.get("scrape_configs"))) {
            assertThat(at(map(job), "metrics_path")).isEqualTo(PROMETHEUS);
            for (Object config : list(map(job).get("static_configs"))) {
                list(map(config).get("targets")).forEach(t -> targets.add(String.valueOf(t)));
            }
        }
        assertThat(targets).containsExactlyInAnyOrderElementsOf(replicas.stream().map(r -> r + ":" + management).toList());
    }

    /** The kustomize base, by kind. */
    private Map<String, Map<String, Object>> kubernetes() {
        Map<String, Object> kustomization = document("deploy/k8s/kustomization.yaml");
        Map<String, Map<String, Object>> byKind = new HashMap<>();
        for (Object resource : list(kustomization.get("resources"))) {
            Path file = ROOT.resolve("deploy/k8s").resolve(String.valueOf(resource));
            assertThat(file).as("kustomization resource").exists();
            for (Map<String, Object> doc : documents(file)) {
                assertThat(byKind.put(String.valueOf(doc.get("kind")), doc)).as("one " + doc.get("kind")).isNull();
            }
        }
        return byKind;
    }

    @Test
    void theKustomizeBaseHoldsTheParts() {
        assertThat(kubernetes()).containsOnlyKeys("Deployment", "Service", "HorizontalPodAutoscaler",
                "PodDisruptionBudget");
        Map<String, Object> secret = document("deploy/k8s/secret.template.yaml");
        assertThat(secret.get("kind")).isEqualTo("Secret");
    }

    @Test
    void theDeploymentProbesTheActuatorGroupsOnTheManagementPortAndRequestsResources() {
        Map<String, Map<String, Object>> k8s = kubernetes();
        Map<String, Object> deployment = k8s.get("Deployment");
        Map<String, Object> pod = map(at(deployment, "spec.template.spec"));
        List<Object> containers = list(pod.get("containers"));
        assertThat(containers).hasSize(1);
        Map<String, Object> container = map(containers.get(0));

        Map<String, Integer> ports = new HashMap<>();
        for (Object p : list(container.get("ports"))) {
            ports.put(String.valueOf(map(p).get("name")), (Integer) map(p).get("containerPort"));
        }
        assertThat(ports).containsEntry("http", port).containsEntry("management", management);
        assertThat(at(container, "livenessProbe.httpGet.path")).isEqualTo(LIVENESS);
        assertThat(at(container, "readinessProbe.httpGet.path")).isEqualTo(READINESS);
        assertThat(at(container, "startupProbe.httpGet.path")).isEqualTo(LIVENESS);
        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
            Object probePort = at(container, probe + ".httpGet.port");
            assertThat(probePort instanceof Integer i ? i : ports.get(String.valueOf(probePort))).as(probe).isEqualTo(management);
        }
        assertThat(at(container, "resources.requests.cpu")).isNotNull();
        // one training job per requested core
        assertThat(list(container.get("env"))).anySatisfy(e -> assertThat(map(e)).containsEntry("name", "NALU_JOBS_WORKERS")
                .containsEntry("value", String.valueOf(at(container, "resources.requests.cpu"))));
        assertThat(at(container, "resources.requests.memory")).isNotNull();
        Map<String, Object> annotations = map(at(deployment, "spec.template.metadata.annotations"));
        assertThat(annotations).containsEntry("prometheus.io/path", PROMETHEUS)
                .containsEntry("prometheus.io/port", String.valueOf(management));

        assertThat(list(container.get("env"))).as("the admin key comes from the Secret").anySatisfy(e -> assertThat(
                at(map(e), "valueFrom.secretKeyRef.key")).isEqualTo("admin-key"));
        // environment: only names the service reads; database settings from the Secret template's keys
        Set<String> secretKeys = map(document("deploy/k8s/secret.template.yaml").get("stringData")).keySet();
        for (Object e : list(container.get("env"))) {
            Map<String, Object> env = map(e);
            assertThat(String.valueOf(env.get("name"))).isIn(Manifests.serviceEnvironment());
            Object ref = at(env, "valueFrom.secretKeyRef");
            if (ref != null) {
                assertThat(map(ref).get("name")).isEqualTo(at(document("deploy/k8s/secret.template.yaml"), "metadata.name"));
                assertThat(String.valueOf(map(ref).get("key"))).isIn(secretKeys);
            }
        }
        assertThat(list(container.get("env"))).extracting(e -> map(e).get("name"))
                .contains("SPRING_PROFILES_ACTIVE", "SPRING_DATASOURCE_URL", "SPRING_DATASOURCE_USERNAME",
                        "SPRING_DATASOURCE_PASSWORD");

        // the non-root user of the image
        assertThat(at(pod, "securityContext.runAsNonRoot")).isEqualTo(true);
        assertThat(String.valueOf(at(pod, "securityContext.runAsUser"))).isEqualTo(DockerfileTest.user().split(":")[0]);
        // a grace period longer than the service's own shutdown waits
        assertThat((Integer) pod.get("terminationGracePeriodSeconds")).isGreaterThan(30);
    }

    @Test
    void theConfigMapIsBuiltFromConfigAndMountedWhereSpringBootReadsIt() {
        Map<String, Object> kustomization = document("deploy/k8s/kustomization.yaml");
        Map<String, Object> generator = map(list(kustomization.get("configMapGenerator")).get(0));
        Set<String> keys = new TreeSet<>();
        for (Object f : list(generator.get("files"))) {
            String[] parts = String.valueOf(f).split("=", 2);
            Path source = ROOT.resolve("deploy/k8s").resolve(parts[1]).normalize();
            assertThat(source).as("ConfigMap source").exists();
            assertThat(source.getParent()).isEqualTo(ROOT.resolve("config"));
            assertThat(parts[0]).isEqualTo(source.getFileName().toString());
            keys.add(parts[0]);
        }
        assertThat(keys).containsExactlyInAnyOrder(Manifests.yamlFiles("config").stream()
                .map(p -> p.getFileName().toString()).toArray(String[]::new));

        Map<String, Object> pod = map(at(kubernetes().get("Deployment"), "spec.template.spec"));
        String volume = null;
        for (Object v : list(pod.get("volumes"))) {
            if (generator.get("name").equals(at(map(v), "configMap.name"))) {
                volume = String.valueOf(map(v).get("name"));
            }
        }
        assertThat(volume).as("a volume of the generated ConfigMap").isNotNull();
        String mountPath = null;
        for (Object m : list(map(list(pod.get("containers")).get(0)).get("volumeMounts"))) {
            if (volume.equals(map(m).get("name"))) {
                mountPath = String.valueOf(map(m).get("mountPath"));
            }
        }
        assertThat(mountPath).isEqualTo(DockerfileTest.workdir() + "/config");
    }

    @Test
    void theServiceHpaAndPdbPointAtTheDeployment() {
        Map<String, Map<String, Object>> k8s = kubernetes();
        Map<String, Object> deployment = k8s.get("Deployment");
        Map<String, Object> podLabels = map(at(deployment, "spec.template.metadata.labels"));
        assertThat(podLabels).containsAllEntriesOf(map(at(deployment, "spec.selector.matchLabels")));

        Map<String, Object> service = k8s.get("Service");
        assertThat(podLabels).containsAllEntriesOf(map(at(service, "spec.selector")));
        Map<String, Object> servicePort = map(list(at(service, "spec.ports")).get(0));
        assertThat(servicePort.get("targetPort")).isIn("http", port);

        Map<String, Object> hpa = k8s.get("HorizontalPodAutoscaler");
        assertThat(at(hpa, "spec.scaleTargetRef.kind")).isEqualTo("Deployment");
        assertThat(at(hpa, "spec.scaleTargetRef.name")).isEqualTo(at(deployment, "metadata.name"));
        assertThat((Integer) at(hpa, "spec.minReplicas")).isGreaterThanOrEqualTo(2);

        Map<String, Object> pdb = k8s.get("PodDisruptionBudget");
        assertThat(podLabels).containsAllEntriesOf(map(at(pdb, "spec.selector.matchLabels")));
        assertThat((Integer) at(pdb, "spec.minAvailable")).isLessThan((Integer) at(hpa, "spec.minReplicas"));
    }
}
