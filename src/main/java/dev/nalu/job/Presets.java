package dev.nalu.job;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.nalu.api.ApiException;
import dev.nalu.compute.Activation;
import dev.nalu.compute.LayerSpec;
import dev.nalu.compute.Unit;
import dev.nalu.model.LayerDefinition;
import dev.nalu.model.Range;
import dev.nalu.model.RangeList;
import dev.nalu.task.SequenceAutoModel;
import dev.nalu.task.Domain;
import dev.nalu.task.Interval;

/**
 * The experiments of the papers in docs/papers.md as ready-made jobs: {@code "task": {"preset": "madsen-mul"}}.
 * A preset fixes the task and its ranges, and gives the model and the training their defaults as the
 * paper's protocol says; the request's own {@code model} and {@code training} fields override those
 * (seed, population, a shorter budget, another module). {@code dev.nalu.bench.PaperBenchmarks} runs
 * the same presets, so an experiment in docs/results is one preset job, or a population of them.
 *
 * <ul>
 *   <li>{@code identity-<activation>}, {@code identity-nac}: Trask et al. 2018, Fig. 1. y = x, trained on
 *       [-5, 5], tested on [-20, 20]; an MLP of 3 hidden layers of 8 units, or one NAC.</li>
 *   <li>{@code trask-<op>}: Trask et al. 2018, Table 1 (static task), on the reconstruction of
 *       docs/papers.md §1; "auto", with ReLU6 MLP, linear, NAC and NALU as the compared modules.</li>
 *   <li>{@code madsen-<op>}: Madsen &amp; Johansen 2020, the arithmetic task (docs/papers.md §1).</li>
 *   <li>{@code primer-<op>-<range>}: Mistry et al. 2022, y = a ∘ b on one of nine ranges (docs/papers.md §2).</li>
 *   <li>{@code recurrent-<op>}: Madsen &amp; Johansen's recurrent arithmetic (their reference code, docs/papers.md
 *       §6): a sequence job, 10 values a step from U[1, 2], trained on length 10, tested on length 1000.</li>
 *   <li>{@code running-sum}, {@code running-product}: Trask et al.'s running totals over scalar sequences, with the
 *       lengths and regulariser schedule of Madsen &amp; Johansen's sequential MNIST (docs/papers.md §6).</li>
 *   <li>{@code counting}: Trask et al.'s counting of symbols (docs/papers.md §3).</li>
 *   <li>{@code number-words}: Trask et al.'s number words to values (Table 3) on Madsen &amp; Johansen's split
 *       (docs/papers.md §7), with NumberWordsBenchmark's settings.</li>
 * </ul>
 *
 * Ops are add, sub, mul, div, square, sqrt (the Primer: add, sub, mul, div).
 */
public final class Presets {

    /** One paper experiment as a job. */
    @io.swagger.v3.oas.annotations.media.Schema(requiredProperties = {"name", "protocol", "title", "source", "request", "modules"})
    public record Preset(String name, String protocol, String title, String source, JobRequest request,
                         Map<String, List<LayerDefinition>> modules) {
    }

    /** A train → test range pair of the Primer (docs/papers.md §2). */
    public record PrimerRange(String id, Domain train, Domain test) {
    }

    public static final String IDENTITY = "identity";
    public static final String TRASK = "trask";
    public static final String MADSEN = "madsen";
    public static final String PRIMER = "primer";
    public static final String RECURRENT = "recurrent";
    public static final String RUNNING = "running";
    public static final String COUNTING = "counting";
    public static final String NUMBER_WORDS = "number-words";

    public static final String TRASK_SOURCE = "Trask et al., \"Neural Arithmetic Logic Units\", NeurIPS 2018";
    public static final String MADSEN_SOURCE = "Madsen & Johansen, \"Neural Arithmetic Units\", ICLR 2020";
    public static final String PRIMER_SOURCE = "Mistry, Farrahi & Hare, \"A Primer for Neural Arithmetic Logic Modules\", JMLR 2022";

    /**
     * The recurrent budget of Madsen &amp; Johansen's reference script (docs/papers.md §6): up to 100,000 steps,
     * batches of 128, Adam at 1e-3, validation and test batches of 2048 sequences.
     */
    public static final long RECURRENT_STEPS = 100_000;
    public static final int RECURRENT_ROWS = 2048;
    /** The counting budget measured in docs/results/counting.md (Trask et al. state none). */
    public static final long COUNTING_STEPS = 6000;

    /** Activations of Trask et al.'s Fig. 1. */
    public static final List<String> IDENTITY_ACTIVATIONS =
            List.of("none", "relu", "relu6", "tanh", "sigmoid", "elu", "leaky-relu", "softplus");
    public static final Domain IDENTITY_TRAIN = Domain.of(-5, 5);
    public static final Domain IDENTITY_TEST = Domain.of(-20, 20);
    /** Trask et al. give no budget for Fig. 1; this one fits [-5, 5] closely with every activation. */
    public static final long IDENTITY_STEPS = 10_000;

    /** The ops of the static arithmetic task: a + b, a − b, a × b, a ÷ b, a², √a. */
    public static final List<String> ARITHMETIC_OPS = List.of("add", "sub", "mul", "div", "square", "sqrt");
    /**
     * Madsen &amp; Johansen train up to 5·10⁶ steps, more than a job may; the preset takes the issue's
     * budget for "auto" (100,000), a job of a few minutes.
     */
    public static final long MADSEN_STEPS = 100_000;
    /** Trask et al. do not state their budget; the same as the arithmetic task's. */
    public static final long TRASK_STEPS = 100_000;

    /** The Primer's ops, as expressions. */
    public static final Map<String, String> PRIMER_OPS = Map.of("add", "a + b", "sub", "a - b", "mul", "a * b", "div", "a / b");
    public static final List<String> PRIMER_OP_NAMES = List.of("add", "sub", "mul", "div");
    public static final long PRIMER_STEPS = 50_000;
    /** The nine ranges of Mistry et al. 2022, docs/papers.md §2, in its order. */
    public static final List<PrimerRange> PRIMER_RANGES = List.of(
            new PrimerRange("neg20-neg10", Domain.of(-20, -10), Domain.of(-40, -20)),
            new PrimerRange("neg2-neg1", Domain.of(-2, -1), Domain.of(-6, -2)),
            new PrimerRange("neg1.2-neg1.1", Domain.of(-1.2, -1.1), Domain.of(-6.1, -1.2)),
            new PrimerRange("neg0.2-neg0.1", Domain.of(-0.2, -0.1), Domain.of(-2, -0.2)),
            new PrimerRange("neg2-2", Domain.of(-2, 2), Domain.union(new Interval(-6, -2), new Interval(2, 6))),
            new PrimerRange("0.1-0.2", Domain.of(0.1, 0.2), Domain.of(0.2, 2)),
            new PrimerRange("1-2", Domain.of(1, 2), Domain.of(2, 6)),
            new PrimerRange("1.1-1.2", Domain.of(1.1, 1.2), Domain.of(1.2, 6)),
            new PrimerRange("10-20", Domain.of(10, 20), Domain.of(20, 40)));

    private static final Map<String, Preset> ALL = build();

    private Presets() {
    }

    /** Every preset, by protocol, in a stable order. */
    public static List<Preset> all() {
        return List.copyOf(ALL.values());
    }

    public static Optional<Preset> find(String name) {
        return Optional.ofNullable(name == null ? null : ALL.get(name.trim()));
    }

    /** The preset's name for a Primer experiment. */
    public static String primerName(String op, PrimerRange range) {
        return PRIMER + "-" + op + "-" + range.id();
    }

    /**
     * Whether the Primer's op is defined on the range: a ÷ b is not when b's training range holds 0
     * (U[-2, 2]), and the service refuses such a task, so it has no preset.
     */
    public static boolean primerDefined(String op, PrimerRange range) {
        return !(op.equals("div") && (range.train().containsZero() || range.test().containsZero()));
    }

    /**
     * The request the preset stands for, with the caller's name, model and training fields over the
     * preset's. The task must name the preset alone.
     */
    static JobRequest expand(JobRequest request) {
        JobRequest.TaskRequest t = request.task();
        String name = t.preset().trim();
        forbid(t.kind(), "task.kind");
        forbid(t.expression(), "task.expression");
        forbid(t.variables(), "task.variables");
        forbid(t.extrapolation(), "task.extrapolation");
        forbid(t.op(), "task.op");
        forbid(t.inputSize(), "task.inputSize");
        forbid(t.subsetRatio(), "task.subsetRatio");
        forbid(t.overlapRatio(), "task.overlapRatio");
        forbid(t.train(), "task.train");
        forbid(t.dataset(), "task.dataset");
        forbid(t.target(), "task.target");
        forbid(t.inputs(), "task.inputs");
        forbid(t.validationFraction(), "task.validationFraction");
        forbid(t.extrapolationDataset(), "task.extrapolationDataset");
        forbid(t.trainLength(), "task.trainLength");
        forbid(t.testLengths(), "task.testLengths");
        forbid(t.testRanges(), "task.testRanges");
        Preset preset = find(name).orElseThrow(() -> ApiException.invalid("task.preset",
                "unknown preset \"" + t.preset() + "\"; GET /api/v1/presets lists them (e.g. " + examples() + ")"));
        JobRequest p = preset.request();
        JobRequest.TrainingRequest training = request.training() == null ? p.training() : request.training().over(p.training());
        return new JobRequest(request.name() != null ? request.name() : p.name(), p.task(),
                request.model() != null ? request.model() : p.model(), training);
    }

    private static String examples() {
        return String.join(", ", List.of("identity-relu", "trask-add", "madsen-mul", "primer-mul-1-2"));
    }

    /** A field the preset fixes must be left out; an empty map is taken as left out (clients send {} by default). */
    private static void forbid(Object value, String field) {
        if (value != null && !(value instanceof Map<?, ?> m && m.isEmpty())
                && !(value instanceof java.util.Collection<?> c && c.isEmpty())) {
            throw ApiException.invalid(field, field + " cannot be given with task.preset: the preset fixes the task");
        }
    }

    private static Map<String, Preset> build() {
        Map<String, Preset> all = new LinkedHashMap<>();
        for (String act : IDENTITY_ACTIVATIONS) {
            add(all, identity(act, mlp(Activation.parse(act))));
        }
        add(all, identity("nac", List.of(LayerSpec.of(Unit.NAC_ADD, 1))));
        for (String op : ARITHMETIC_OPS) {
            add(all, arithmetic(TRASK, op, TRASK_STEPS, TRASK_SOURCE + ", Table 1 (static task), on the task of docs/papers.md §1",
                    traskModules()));
        }
        for (String op : ARITHMETIC_OPS) {
            add(all, arithmetic(MADSEN, op, MADSEN_STEPS, MADSEN_SOURCE + ", the arithmetic task (docs/papers.md §1)",
                    madsenModules()));
        }
        for (String op : PRIMER_OP_NAMES) {
            for (PrimerRange r : PRIMER_RANGES) {
                if (primerDefined(op, r)) {
                    add(all, primer(op, r));
                }
            }
        }
        for (String op : ARITHMETIC_OPS) {
            add(all, recurrent(op));
        }
        add(all, running("sum"));
        add(all, running("product"));
        add(all, counting());
        add(all, numberWords());
        return all;
    }

    private static void add(Map<String, Preset> all, Preset p) {
        if (all.put(p.name(), p) != null) {
            throw new IllegalStateException("preset " + p.name() + " defined twice");
        }
    }

    /** Trask et al.'s Fig. 1 MLP: 3 hidden layers of 8 units with the activation, and a linear output. */
    public static List<LayerSpec> mlp(Activation act) {
        return List.of(LayerSpec.dense(8, act), LayerSpec.dense(8, act), LayerSpec.dense(8, act),
                LayerSpec.dense(1, Activation.NONE));
    }

    private static Preset identity(String label, List<LayerSpec> layers) {
        String name = IDENTITY + "-" + label;
        JobRequest.TaskRequest task = JobRequest.TaskRequest.expression("x", variables(IDENTITY_TRAIN, "x"),
                RangeList.of(IDENTITY_TEST));
        JobRequest request = new JobRequest(name, task, model(layers),
                training(IDENTITY_STEPS, 8, 0.01, 64));
        String what = label.equals("nac") ? "one NAC" : "an MLP of 3 hidden layers of 8 " + label + " units";
        return new Preset(name, IDENTITY, "y = x with " + what + ", trained on [-5, 5], tested on [-20, 20]",
                TRASK_SOURCE + ", Fig. 1", request, Map.of(label, layers.stream().map(LayerDefinition::of).toList()));
    }

    private static Preset arithmetic(String protocol, String op, long steps, String source, Map<String, List<LayerSpec>> modules) {
        String name = protocol + "-" + op;
        JobRequest.TaskRequest task = new JobRequest.TaskRequest("arithmetic", null, null,
                Extrapolation.of(RangeList.of(Domain.of(2, 6))), op, 100, 0.25, 0.5, Range.of(Domain.of(1, 2)), null,
                null, null, null, null, null, null, null, null, null);
        JobRequest request = new JobRequest(name, task, JobRequest.Auto.AUTO, training(steps, 16, 1e-3, 128));
        return new Preset(name, protocol, "arithmetic " + op + " on subset sums of 100 inputs, train U[1,2], test U[2,6]",
                source, request, definitions(modules));
    }

    private static Preset primer(String op, PrimerRange r) {
        String name = primerName(op, r);
        JobRequest.TaskRequest task = JobRequest.TaskRequest.expression(PRIMER_OPS.get(op), variables(r.train(), "a", "b"),
                RangeList.of(r.test()));
        JobRequest request = new JobRequest(name, task, JobRequest.Auto.AUTO,
                training(PRIMER_STEPS, 16, 1e-3, 128));
        return new Preset(name, PRIMER, PRIMER_OPS.get(op) + ", train U" + r.train() + ", test U" + r.test(),
                PRIMER_SOURCE + ", single-module benchmark (docs/papers.md §2)", request, definitions(primerModules()));
    }

    /**
     * Madsen &amp; Johansen's recurrent arithmetic as their reference script runs it: length 10, tested on 1000; the
     * exponential regulariser λ(t) = 0.1 · (1 − e^(−10⁻⁵ t)); "auto" picks the cell and head.
     */
    private static Preset recurrent(String op) {
        String name = RECURRENT + "-" + op;
        JobRequest.TaskRequest task = JobRequest.TaskRequest.sequence(op, 10, List.of(1000));
        JobRequest request = new JobRequest(name, task, JobRequest.Auto.AUTO, new JobRequest.TrainingRequest(
                RECURRENT_STEPS, 16, null, 1e-3, 128, null, null, null, RECURRENT_ROWS, null, null, null, null, null, false,
                null, "exponential", null));
        return new Preset(name, RECURRENT, "recurrent " + op + " over sums of two subsets of 10 values a step, U[1,2], "
                + "trained on length 10, tested on length 1000", MADSEN_SOURCE + ", the reference code's recurrent "
                + "arithmetic task (docs/papers.md §6)", request, Map.of());
    }

    /**
     * Running totals over scalar sequences (Trask et al.'s running sums and products) with the lengths and the
     * regulariser of Madsen &amp; Johansen's sequential MNIST: trained on length 10, tested on 100 and 1000, λ̂ = 10
     * linear from step 10,000 to 100,000.
     */
    private static Preset running(String op) {
        String name = RUNNING + "-" + op;
        JobRequest.TaskRequest task = JobRequest.TaskRequest.sequence(op, 10, List.of(100, 1000));
        JobRequest request = new JobRequest(name, task, JobRequest.Auto.AUTO, new JobRequest.TrainingRequest(
                RECURRENT_STEPS, 16, null, 1e-3, 128, null, null, null, RECURRENT_ROWS, 0.1, 1.0, null, null, null, false,
                null, "linear", 10.0));
        String values = op.equals("sum") ? "U[1,2]" : "U[0.8,1.25]";
        return new Preset(name, RUNNING, "running " + op + " of " + values + " values, trained on length 10, tested on "
                + "100 and 1000", TRASK_SOURCE + " (running totals), with " + MADSEN_SOURCE
                + "'s sequential-MNIST lengths and regulariser (docs/papers.md §6)", request, Map.of());
    }

    /**
     * Trask et al.'s counting (their MNIST counting without the images, docs/papers.md §3): the ten symbols one-hot,
     * trained on length 10, tested on 100 and 1000. Trask et al. give no budget for it; the training is the one
     * docs/results/counting.md measured (6000 steps, batch 64, Adam 1e-2, λ̂ = 1 linear from 1/3 to 2/3 of the steps),
     * with 16 members and 2048 evaluation sequences.
     */
    private static Preset counting() {
        JobRequest.TaskRequest task = JobRequest.TaskRequest.counting(10, 10, List.of(100, 1000));
        JobRequest request = new JobRequest(COUNTING, task, JobRequest.Auto.AUTO, new JobRequest.TrainingRequest(
                COUNTING_STEPS, 16, null, 1e-2, 64, null, null, null, RECURRENT_ROWS, 1.0 / 3, 2.0 / 3, null, null, null,
                false, null, "linear", 1.0));
        return new Preset(COUNTING, COUNTING, "the count of each of 10 symbols (one-hot), trained on length 10, tested "
                + "on 100 and 1000", TRASK_SOURCE + " (MNIST counting, without the images; docs/papers.md §3), with the "
                + "training of docs/results/counting.md", request, Map.of());
    }

    /**
     * Trask et al.'s number words to values (Table 3) on Madsen &amp; Johansen's reconstruction of the split (169 / 200
     * / 630, docs/papers.md §7): Trask et al.'s model (an embedding of 16, an LSTM of 10, a NALU head) with the training of
     * docs/results/number-words.md ({@link JobSpecs#NUMBER_WORDS_TRAINING}: 2000 steps of 8 members, batch 64, Adam
     * 0.1, the reference script's regulariser). Trask et al. trained longer, with an embedding of about 256.
     */
    private static Preset numberWords() {
        JobRequest request = new JobRequest(NUMBER_WORDS, JobRequest.TaskRequest.numberWords(),
                new JobRequest.ModelCell("LSTM", SequenceAutoModel.WORDS_HIDDEN, "NALU", SequenceAutoModel.WORDS_EMBEDDING),
                JobSpecs.NUMBER_WORDS_TRAINING);
        return new Preset(NUMBER_WORDS, NUMBER_WORDS, "numbers 1 to 999 in words (29 tokens) to their values, split 169 "
                + "/ 200 / 630", TRASK_SOURCE + ", Table 3, on " + MADSEN_SOURCE + "'s reconstruction of the split "
                + "(docs/papers.md §7), with the training of docs/results/number-words.md", request, Map.of());
    }

    /** Trask et al.'s Table 1 models on the two-layer task (hidden size 2). */
    public static Map<String, List<LayerSpec>> traskModules() {
        Map<String, List<LayerSpec>> m = new LinkedHashMap<>();
        m.put("ReLU6 MLP", List.of(LayerSpec.dense(2, Activation.RELU6), LayerSpec.dense(1, Activation.NONE)));
        m.put("Linear", List.of(LayerSpec.dense(2, Activation.NONE), LayerSpec.dense(1, Activation.NONE)));
        m.put("NAC", List.of(LayerSpec.of(Unit.NAC_ADD, 2), LayerSpec.of(Unit.NAC_ADD, 1)));
        m.put("NALU", List.of(LayerSpec.of(Unit.NALU, 2), LayerSpec.of(Unit.NALU, 1)));
        return m;
    }

    /**
     * Madsen &amp; Johansen's two-layer models (hidden size 2): the unit in both layers, except that
     * NMU, NAC• and RealNPU take a summing first layer (NAU, NAC+, NAU), as in the paper for NMU and NAC•.
     */
    public static Map<String, List<LayerSpec>> madsenModules() {
        Map<String, List<LayerSpec>> m = new LinkedHashMap<>();
        m.put("NAU", List.of(LayerSpec.of(Unit.NAU, 2), LayerSpec.of(Unit.NAU, 1)));
        m.put("NMU", List.of(LayerSpec.of(Unit.NAU, 2), LayerSpec.of(Unit.NMU, 1)));
        m.put("NAC+", List.of(LayerSpec.of(Unit.NAC_ADD, 2), LayerSpec.of(Unit.NAC_ADD, 1)));
        m.put("NAC•", List.of(LayerSpec.of(Unit.NAC_ADD, 2), LayerSpec.of(Unit.NAC_MUL, 1)));
        m.put("NALU", List.of(LayerSpec.of(Unit.NALU, 2), LayerSpec.of(Unit.NALU, 1)));
        m.put("iNALU", List.of(LayerSpec.of(Unit.INALU, 2), LayerSpec.of(Unit.INALU, 1)));
        m.put("RealNPU", List.of(LayerSpec.of(Unit.NAU, 2), LayerSpec.of(Unit.REAL_NPU, 1)));
        m.put("Linear", List.of(LayerSpec.dense(2, Activation.NONE), LayerSpec.dense(1, Activation.NONE)));
        m.put("ReLU", List.of(LayerSpec.dense(2, Activation.RELU), LayerSpec.dense(1, Activation.RELU)));
        return m;
    }

    /** The Primer compares single modules: one layer 2 → 1 of each unit (Linear and ReLU: one dense unit). */
    public static Map<String, List<LayerSpec>> primerModules() {
        Map<String, List<LayerSpec>> m = new LinkedHashMap<>();
        for (Map.Entry<String, List<LayerSpec>> e : madsenModules().entrySet()) {
            m.put(e.getKey(), List.of(e.getValue().get(e.getValue().size() - 1)));
        }
        return m;
    }

    private static Map<String, List<LayerDefinition>> definitions(Map<String, List<LayerSpec>> modules) {
        Map<String, List<LayerDefinition>> out = new LinkedHashMap<>();
        modules.forEach((k, v) -> out.put(k, v.stream().map(LayerDefinition::of).toList()));
        return out;
    }

    /** The protocols train to their budget: early stop off (the request may turn it on). */
    private static JobRequest.TrainingRequest training(long steps, int population, double lr, int batch) {
        return new JobRequest.TrainingRequest(steps, population, null, lr, batch, null, null, null, null, null, null,
                null, null, null, false, null, null, null);
    }

    /** {"layers": [...]} for explicit layers: the {@code model} of a request. */
    public static JobRequest.ModelLayers model(List<LayerSpec> layers) {
        return new JobRequest.ModelLayers(layers.stream().map(l -> new JobRequest.ModelLayers.Layer(l.unit().name(),
                l.out(), l.unit() == Unit.DENSE ? l.activation().label() : null, l.constant() ? true : null)).toList());
    }

    /** Each named variable trained on the domain. */
    private static Map<String, JobRequest.VariableRequest> variables(Domain train, String... names) {
        Map<String, JobRequest.VariableRequest> v = new LinkedHashMap<>();
        for (String n : names) {
            v.put(n, new JobRequest.VariableRequest(Range.of(train)));
        }
        return v;
    }

    /** The modules of a preset's protocol as compute specs, for the benchmark runner. */
    public static Map<String, List<LayerSpec>> modules(Preset p) {
        Map<String, List<LayerSpec>> out = new LinkedHashMap<>();
        p.modules().forEach((k, v) -> out.put(k, new ArrayList<>(v.stream().map(LayerDefinition::toSpec).toList())));
        return out;
    }
}
