package dev.nalu.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.http.ProblemDetail;
import org.yaml.snakeyaml.Yaml;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.nalu.api.ApiException;
import dev.nalu.compute.LayerSpec;
import dev.nalu.compute.ModelSpec;
import dev.nalu.compute.TrainingConfig;
import dev.nalu.compute.Unit;
import dev.nalu.config.LimitsProperties;
import dev.nalu.job.JobRequest;
import dev.nalu.job.JobSpec;
import dev.nalu.job.JobSpecs;
import dev.nalu.job.Presets;
import dev.nalu.task.NumberWords;

/** The budgets a heap and a number of workers give, and that every job the docs show fits the smallest of them. */
class BudgetsTest {
    private static final long GB = 1L << 30;
    private static final long MB = 1L << 20;

    /** The README's first job, as it is written there. */
    private static final String README_JOB = """
            {"name": "learn-mul",
             "task": {"expression": "a * b",
                      "variables": {"a": {"train": [[1, 2]]}, "b": {"train": [[1, 2]]}},
                      "extrapolation": [[2, 6], [10, 100]]},
             "model": "auto",
             "training": {"steps": 20000, "population": 16, "seed": 42, "learningRate": 0.01, "batchSize": 64}}""";

    static LimitsProperties limits(Map<String, String> settings) {
        return new Binder(new MapConfigurationPropertySource(settings)).bindOrCreate("nalu.limits", LimitsProperties.class);
    }

    @Test
    void theDefaultsDeriveFromTheHeapAndTheWorkers() {
        // 1 GB heap, 2 workers (deploy/k8s): jobs share half of it, 256 MB each; a request may hold an eighth
        Budgets small = new Budgets(limits(Map.of()), 2, GB);
        assertThat(small.job().bytes()).isEqualTo(256 * MB);
        assertThat(small.evaluate().bytes()).isEqualTo(128 * MB);
        assertThat(small.predict().bytes()).isEqualTo(128 * MB);
        assertThat(small.modelImport().bytes()).isEqualTo(128 * MB);
        assertThat(small.memberSteps()).isEqualTo(100_000_000L);
        // 4 GB heap, 2 workers: 1 GB per job, 512 MB per request
        Budgets large = new Budgets(limits(Map.of()), 2, 4 * GB);
        assertThat(large.job().bytes()).isEqualTo(GB);
        assertThat(large.evaluate().bytes()).isEqualTo(512 * MB);
        // one worker per core on a 4 GB heap with 8 cores: 256 MB per job
        assertThat(new Budgets(limits(Map.of()), 8, 4 * GB).job().bytes()).isEqualTo(256 * MB);
    }

    /** Behind the import limits an operator may raise: two billion declared task inputs never get named. */
    @Test
    void anImportOverItsBudgetIs422NamingIt() {
        Budgets b = new Budgets(limits(Map.of()), 2, GB);
        b.checkImport(1000, 1000, List.of(LayerSpec.of(Unit.NAU, 1)), 1000);
        assertThatThrownBy(() -> b.checkImport(2_000_000_000L, 2_000_000_000L, List.of(LayerSpec.of(Unit.NAU, 1)), 2))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    ProblemDetail p = e.toProblem();
                    assertThat(p.getStatus()).isEqualTo(422);
                    assertThat(p.getProperties()).containsEntry("budget", "nalu.limits.max-import-bytes")
                            .containsEntry("limit", 128 * MB);
                    assertThat(p.getDetail()).startsWith("importing this document needs").contains("2,000,000,000 inputs");
                });
    }

    @Test
    void everyBudgetCanBeSetOrRescaled() {
        Budgets b = new Budgets(limits(Map.of("nalu.limits.max-job-bytes", "3GB", "nalu.limits.max-evaluate-bytes", "10MB",
                "nalu.limits.request-memory-fraction", "0.25", "nalu.limits.max-member-steps", "5000")), 2, GB);
        assertThat(b.job().bytes()).isEqualTo(3 * GB);
        assertThat(b.job().origin()).isEmpty();
        assertThat(b.evaluate().bytes()).isEqualTo(10 * MB);
        assertThat(b.predict().bytes()).isEqualTo(256 * MB);
        assertThat(b.predict().origin()).isEqualTo("0.25 × the 1.0 GB heap");
        assertThat(b.memberSteps()).isEqualTo(5000);
        assertThatThrownBy(() -> limits(Map.of("nalu.limits.max-job-bytes", "0B"))).hasStackTraceContaining("must be positive");
    }

    /**
     * The arithmetic, on a 1 GB heap with 2 workers (256 MB per job): the README's a × b job (NMU(2→1),
     * K = 16, batch 64, 10,000 evaluation rows, two extrapolation ranges) needs 2.3 MB: 1.2 MB of ND4J
     * buffers (mostly the 2,000-row evaluation chunk) and four 10,000 × 3 float64 sets. The largest preset is
     * an arithmetic one (trask-div: 100 inputs, NAU(100→2) → REAL_NPU(2→1), K = 16, batch 128): three
     * 10,000 × 101 float64 sets of 8.1 MB each, ND4J buffers of a few MB, 38.5 MB in all, a seventh of the
     * budget. Every preset trains at most 100,000 steps × 16 members = 1.6 million member-steps, 1.6% of
     * the 100 million allowed.
     */
    @Test
    void theReadmeJobAndEveryPresetFitTheDefaultsOfAOneGigabyteHeap() throws IOException {
        Budgets budgets = new Budgets(limits(Map.of()), 2, GB);
        JobSpecs specs = new JobSpecs(limits(Map.of()));

        JobSpec readmeSpec = specs.validate(new ObjectMapper().readValue(README_JOB, JobRequest.class));
        Cost.Job readme = budgets.checkJob(model(readmeSpec), config(readmeSpec), readmeSpec.training().evaluationRows(),
                readmeSpec.extrapolation().size());
        assertThat(readme.bytes()).isBetween(2 * MB, 3 * MB);
        assertThat(readme.memberSteps()).isEqualTo(20_000L * 16);

        long largest = 0;
        String largestName = null;
        for (Presets.Preset p : Presets.all()) {
            JobSpec spec = specs.validate(new JobRequest(null, JobRequest.TaskRequest.preset(p.name()), null, null));
            if (spec.model().sequence()) {
                // a sequence job counts time steps: steps × training length × members, and its measurements
                // (length 10 and 16 members for the recurrent presets; number words: 5 tokens, 8 members)
                Cost.Job sequence = spec.checkBudget(budgets);
                long length = spec.task().isNumberWords() ? NumberWords.MAX_TOKENS : spec.task().sequence().trainLength();
                long least = spec.training().steps() * length * spec.training().population();
                assertThat(sequence.memberSteps()).as(p.name()).isBetween(least, 50_000_000L);
                assertThat(sequence.bytes()).as(p.name()).isLessThan(budgets.job().bytes() / 6);
                continue;
            }
            Cost.Job cost = budgets.checkJob(model(spec), config(spec), spec.training().evaluationRows(),
                    spec.extrapolation().size());
            assertThat(cost.memberSteps()).as(p.name()).isLessThanOrEqualTo(1_600_000L);
            if (cost.bytes() > largest) {
                largest = cost.bytes();
                largestName = p.name();
            }
        }
        System.out.printf("README job %,d bytes; largest preset %s %,d bytes; budget per job %,d bytes%n", readme.bytes(),
                largestName, largest, budgets.job().bytes());
        assertThat(largestName).matches("(madsen|trask)-.*");
        assertThat(largest).isBetween(30 * MB, 40 * MB).isLessThan(budgets.job().bytes() / 6);
    }

    @Test
    void overABudgetIsA422ThatNamesItAndTheFigures() {
        Budgets budgets = new Budgets(limits(Map.of()), 2, GB);
        ModelSpec wide = ModelSpec.of(1000, LayerSpec.of(Unit.NMU, 32), LayerSpec.of(Unit.NAU, 1));
        TrainingConfig big = TrainingConfig.defaults(0, 20_000).withPopulation(256).withBatchSize(1024);

        assertThatThrownBy(() -> budgets.checkJob(wide, big, 10_000, 1)).isInstanceOfSatisfying(ApiException.class, e -> {
            ProblemDetail p = e.toProblem();
            assertThat(p.getStatus()).isEqualTo(422);
            assertThat(p.getType().toString()).isEqualTo("/problems/over-budget");
            assertThat(p.getProperties()).containsEntry("budget", "nalu.limits.max-job-bytes").containsEntry("limit", 256 * MB);
            assertThat((Long) p.getProperties().get("needed")).isGreaterThan(200 * 1024 * MB);
            assertThat(p.getDetail()).startsWith("the job needs 278.7 GB: 277.3 GB of ND4J training buffers (256 members "
                            + "through NMU(1000→32) → NAU(32→1), for a batch of 1024 rows and an evaluation chunk of 2000)")
                    .contains("this replica's budget per job is 256.0 MB (nalu.limits.max-job-bytes, not set: "
                            + "0.5 × the 1.0 GB heap / 2 workers)");
        });

        ModelSpec ab = ModelSpec.of(2, LayerSpec.of(Unit.NMU, 1));
        TrainingConfig long_ = TrainingConfig.defaults(0, 1_000_000).withPopulation(256).withBatchSize(64);
        assertThatThrownBy(() -> budgets.checkJob(ab, long_, 10_000, 1)).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.toProblem().getProperties()).containsEntry("budget", "nalu.limits.max-member-steps")
                    .containsEntry("needed", 256_000_000L).containsEntry("limit", 100_000_000L);
            assertThat(e.getMessage()).isEqualTo("the job trains 256,000,000 member-steps (1,000,000 steps × 256 members); "
                    + "this replica's budget is 100,000,000 per job (nalu.limits.max-member-steps)");
        });

        assertThatThrownBy(() -> budgets.checkEvaluate(100_000, 1000)).hasMessage("evaluating 100,000 samples of the "
                + "model's 1,000 inputs needs 795.7 MB per range; this replica's budget per request is 128.0 MB "
                + "(nalu.limits.max-evaluate-bytes, not set: 0.125 × the 1.0 GB heap). Fewer samples need less");
        budgets.checkEvaluate(10_000, 1000);
    }

    /**
     * deploy/k8s: a 3 GiB memory limit, a heap of 40% of it (JAVA_OPTS), 2 workers. The budgets follow the
     * heap: 1.2 GiB heap, 307 MiB per job; the jobs' ND4J buffers (at most 2 × 307 MiB) and the heap
     * (1.2 GiB) leave over 1 GiB of the limit for the JVM itself. A smaller limit shrinks the budgets with it.
     */
    @Test
    void theKubernetesMemoryLimitAndTheBudgetsAgree() throws IOException {
        Map<String, Object> container = container(Path.of("deploy/k8s/deployment.yaml"));
        long limit = quantity((String) at(container, "resources", "limits", "memory"));
        String javaOpts = env(container, "JAVA_OPTS");
        Matcher percent = Pattern.compile("-XX:MaxRAMPercentage=(\\d+)").matcher(javaOpts);
        assertThat(percent.find()).as(javaOpts).isTrue();
        long heap = limit * Long.parseLong(percent.group(1)) / 100;
        int workers = Integer.parseInt(env(container, "NALU_JOBS_WORKERS"));

        Budgets budgets = new Budgets(limits(Map.of()), workers, heap);
        assertThat(heap + workers * budgets.job().bytes() + 512 * MB).isLessThanOrEqualTo(limit);
        JobSpecs specs = new JobSpecs(limits(Map.of()));
        for (Presets.Preset p : Presets.all()) {
            JobSpec spec = specs.validate(new JobRequest(null, JobRequest.TaskRequest.preset(p.name()), null, null));
            spec.checkBudget(budgets);
        }
    }

    private static ModelSpec model(JobSpec spec) {
        return spec.model().toSpec();
    }

    private static TrainingConfig config(JobSpec spec) {
        TrainingConfig c = spec.training().toConfig();
        assertThat(c.type()).isEqualTo(DataType.FLOAT);
        return c;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> container(Path file) throws IOException {
        Map<String, Object> deployment = new Yaml().load(Files.readString(file));
        List<Map<String, Object>> containers = (List<Map<String, Object>>) at(deployment, "spec", "template", "spec", "containers");
        return containers.get(0);
    }

    @SuppressWarnings("unchecked")
    private static Object at(Map<String, Object> map, String... path) {
        Object o = map;
        for (String key : path) {
            o = ((Map<String, Object>) o).get(key);
        }
        return o;
    }

    @SuppressWarnings("unchecked")
    private static String env(Map<String, Object> container, String name) {
        for (Map<String, Object> e : (List<Map<String, Object>>) container.get("env")) {
            if (name.equals(e.get("name"))) {
                return String.valueOf(e.get("value"));
            }
        }
        throw new AssertionError("no " + name + " in the container's env");
    }

    /** "3Gi", "512Mi". */
    private static long quantity(String q) {
        Matcher m = Pattern.compile("(\\d+)(Gi|Mi)").matcher(q);
        assertThat(m.matches()).as(q).isTrue();
        return Long.parseLong(m.group(1)) * (m.group(2).equals("Gi") ? GB : MB);
    }
}
