package dev.nalu.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import dev.nalu.compute.TrainingConfig;
import dev.nalu.compute.TrainingData;
import dev.nalu.evaluation.Formula;
import dev.nalu.search.FrontEntry;
import dev.nalu.search.Search;
import dev.nalu.search.SearchPlan;
import dev.nalu.search.SearchResult;
import dev.nalu.task.Dataset;
import dev.nalu.task.Domain;
import dev.nalu.task.ExpressionTask;
import dev.nalu.task.Rng;
import dev.nalu.task.Sampler;

/**
 * The Feynman development benchmark of {@code "model": "search"} (docs/search.md): the 36 equations of
 * series I of Udrescu &amp; Tegmark 2020 in src/main/resources/feynman/series-I.csv. Per equation: its
 * formula becomes an expression ({@code **} → {@code ^}, {@code pi} → 3.141592653589793); 10,000 training
 * rows are drawn from its ranges (seeded), and 1,000 validation rows apart; one {@link Search} runs with
 * the search defaults ({@link SearchDefaults}); the served formula counts as <b>exact</b> when it equals the
 * truth on 1,000 points with every variable drawn from [hi, 2·hi] (beyond the training range):
 * |formula − truth| ≤ 1e-9·|truth| + 1e-15·mean|truth| (the second term only matters where the truth
 * cancels to about 0). Prints a row per equation (wall time, member-steps, the served formula and, for a
 * miss, the front's best formulas) and a summary by class.
 *
 * <p>Usage: {@code FeynmanSearchBenchmark [--only I.12.1,I.14.3] [--steps N] [--population K] [--seed S] [--family "NPU(3→1)·c"]}.
 */
public final class FeynmanSearchBenchmark {
    private static final int TRAIN_ROWS = 10_000;
    private static final int VALIDATION_ROWS = 1_000;
    private static final int FAR_ROWS = 1_000;

    private FeynmanSearchBenchmark() {
    }

    /** One equation of the file. */
    record Equation(String id, String output, String formula, Map<String, Domain> ranges, String kind) {
        String expression() {
            return formula.replace("**", "^").replaceAll("\\bpi\\b", "3.141592653589793");
        }
    }

    public static void main(String[] args) {
        List<String> only = null;
        long steps = SearchDefaults.STEPS;
        int population = SearchDefaults.POPULATION;
        long seed = 1;
        String family = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--only" -> only = List.of(args[++i].split(","));
                case "--steps" -> steps = Long.parseLong(args[++i]);
                case "--population" -> population = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--family" -> family = args[++i];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        System.out.println(BenchmarkEnvironment.line());
        System.out.printf(Locale.ROOT, "Feynman series I; search: population %d over all candidates, %d steps, Adam lr %s, seed %d;"
                + " %d training rows, exact = equal on %d points of [hi, 2·hi]%n", population, steps,
                SearchDefaults.LEARNING_RATE, seed, TRAIN_ROWS, FAR_ROWS);
        System.out.println("| id | class | exact | served formula | architecture | steps | member-steps | s | CPU s |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        Map<String, int[]> byClass = new TreeMap<>();
        List<String> misses = new ArrayList<>();
        int exact = 0;
        int total = 0;
        double seconds = 0;
        for (Equation e : load()) {
            if (only != null && !only.contains(e.id())) {
                continue;
            }
            total++;
            Row r = run(e, seed, steps, population, family);
            seconds += r.seconds;
            exact += r.exact ? 1 : 0;
            int[] c = byClass.computeIfAbsent(e.kind(), k -> new int[2]);
            c[0] += r.exact ? 1 : 0;
            c[1]++;
            System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s | %d | %d | %.0f | %.0f |%n", e.id(), e.kind(),
                    r.exact ? "yes" : "no", r.formula, r.architecture, r.steps, r.memberSteps, r.seconds, r.cpuSeconds);
            if (!r.exact) {
                misses.add("- " + e.id() + " (`" + e.formula() + "`): " + r.instead);
            }
            System.out.flush();
        }
        System.out.println();
        System.out.println("| class | exact | equations |");
        System.out.println("|---|---|---|");
        byClass.forEach((k, c) -> System.out.printf(Locale.ROOT, "| %s | %d | %d |%n", k, c[0], c[1]));
        System.out.printf(Locale.ROOT, "| all | %d | %d |%n", exact, total);
        System.out.printf(Locale.ROOT, "%nwall time %.0f s in all%n%nMissed:%n", seconds);
        misses.forEach(System.out::println);
    }

    /**
     * One equation's outcome; {@code seconds} is wall time, {@code cpuSeconds} the CPU time of the whole process over
     * the same span (every thread: the search's, the JIT's, the collector's), which load on the machine does not
     * inflate: the figure to hold against a job's budget of CPU-minutes.
     */
    record Row(boolean exact, String formula, String architecture, long steps, long memberSteps, double seconds,
               double cpuSeconds, String instead) {
    }

    private static double processCpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
    }

    /** {@code -Dverbose=true}: print who races at each round. */
    private static final boolean VERBOSE = Boolean.getBoolean("verbose");

    static Row run(Equation e, long seed, long steps, int population) {
        return run(e, seed, steps, population, null);
    }

    /**
     * One search on the equation's rows; with {@code family} (a candidate's name as the plan writes it) only that
     * candidate of the plan trains, with the whole population: a diagnostic of one family, not the benchmark.
     */
    static Row run(Equation e, long seed, long steps, int population, String family) {
        ExpressionTask task;
        try {
            task = ExpressionTask.parse(e.expression(), e.ranges());
        } catch (RuntimeException ex) {
            return new Row(false, "(not an expression here: " + ex.getMessage() + ")", "-", 0, 0, 0, 0, "not compiled");
        }
        long start = System.nanoTime();
        double cpuStart = processCpuSeconds();
        RowsData data = new RowsData(task, seed, farDomain(e));
        TrainingConfig config = SearchDefaults.config(seed, steps, population);
        SearchPlan plan = SearchPlan.forData(data);
        if (family != null) {
            List<SearchPlan.Candidate> only = plan.candidates().stream().filter(c -> c.name().equals(family)).toList();
            if (only.isEmpty()) {
                throw new IllegalArgumentException("no candidate " + family + " in " + plan.candidates().stream()
                        .map(SearchPlan.Candidate::name).toList());
            }
            plan = new SearchPlan(only, plan.rule() + "-only", "one family: " + family);
        }
        int[] round = {-1};
        SearchResult r = new Search(plan, data, data.validationSet, config).run(p -> {
            if (VERBOSE && p.round() != round[0]) {
                round[0] = p.round();
                System.out.println("    round " + p.round() + " at step " + p.progress().step() + ": " + p.racing());
            }
        }, () -> false);
        if (family != null) {
            // the diagnostic: the served member's weights, as trained
            r.network().layers().forEach(l -> l.tensors().forEach((k, t) ->
                    System.out.println("    " + l.spec().unit() + " " + k + " " + java.util.Arrays.toString(t.data()))));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuSeconds = processCpuSeconds() - cpuStart;
        FrontEntry served = r.servedEntry();
        List<String> names = task.variables();
        boolean exact = served.formula() != null && equalsTruth(served.formula(), data.far);
        String text = served.formula() == null ? "(none)" : "`y = " + served.formula().render(names, false) + "`";
        StringBuilder instead = new StringBuilder();
        if (!exact) {
            instead.append("served ").append(text).append(" (").append(served.architecture()).append("); the front held ");
            List<String> held = new ArrayList<>();
            for (FrontEntry f : r.front()) {
                if (f.formula() != null) {
                    held.add(String.format(Locale.ROOT, "%s → `%s` (val. MSE %.2g)", f.architecture(),
                            f.formula().render(names, false), f.validationMse()));
                }
            }
            instead.append(held.isEmpty() ? "no formula (" + r.front().size() + " candidates)" : String.join("; ", held));
        }
        return new Row(exact, text, served.architecture(), r.steps(), r.memberSteps(), seconds, cpuSeconds,
                instead.toString());
    }

    /** Every variable from [hi, 2·hi] of its training range. */
    static Map<String, Domain> farDomain(Equation e) {
        Map<String, Domain> far = new LinkedHashMap<>();
        e.ranges().forEach((k, d) -> far.put(k, Domain.of(d.hi(), 2 * d.hi())));
        return far;
    }

    static boolean equalsTruth(Formula f, Dataset far) {
        double mean = 0;
        for (double y : far.y()) {
            mean += Math.abs(y) / far.rows();
        }
        double[] row = new double[far.cols()];
        for (int r = 0; r < far.rows(); r++) {
            System.arraycopy(far.x(), r * far.cols(), row, 0, far.cols());
            double truth = far.y()[r];
            if (!(Math.abs(f.evaluate(row) - truth) <= 1e-9 * Math.abs(truth) + 1e-15 * mean)) {
                return false;
            }
        }
        return true;
    }

    /**
     * A fixed sample of 10,000 training rows: each step's batch draws rows of it (a function of seed and
     * step); 1,000 validation rows drawn apart from the same ranges; the far set as the one
     * extrapolation set (reported, never used by the search).
     */
    static final class RowsData implements TrainingData {
        final Dataset train;
        final Dataset validationSet;
        final Dataset far;
        private final long seed;
        private final EvalSet validation;
        private final List<EvalSet> extrapolation;

        RowsData(ExpressionTask task, long seed, Map<String, Domain> farRanges) {
            this.seed = seed;
            this.train = sample(task, TRAIN_ROWS, Rng.seeded(seed, 1));
            this.validationSet = sample(task, VALIDATION_ROWS, Rng.seeded(seed, 2));
            ExpressionTask farTask = ExpressionTask.parse(task.text(), farRanges);
            this.far = sample(farTask, FAR_ROWS, Rng.seeded(seed, 3));
            this.validation = new EvalSet("interpolation", validationSet.rows(), validationSet.x(), validationSet.y(), 0);
            this.extrapolation = List.of(new EvalSet("[hi, 2·hi]", far.rows(), far.x(), far.y(), 0));
        }

        private static Dataset sample(ExpressionTask task, int rows, Rng rng) {
            double[] x = new double[rows * task.inputSize()];
            double[] y = new double[rows];
            Sampler.sample(task, rng, x, rows);
            task.targets(x, rows, y);
            return new Dataset(rows, task.inputSize(), x, y);
        }

        @Override
        public int inputs() {
            return train.cols();
        }

        @Override
        public void batch(long step, double[] x, double[] y, int rows) {
            Rng rng = Rng.seeded(seed, 1000 + step);
            int n = train.cols();
            for (int r = 0; r < rows; r++) {
                int i = (int) Math.floorMod(rng.nextLong(), (long) train.rows());
                System.arraycopy(train.x(), i * n, x, r * n, n);
                y[r] = train.y()[i];
            }
        }

        @Override
        public EvalSet validation() {
            return validation;
        }

        @Override
        public List<EvalSet> extrapolation() {
            return extrapolation;
        }
    }

    static List<Equation> load() {
        List<Equation> list = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                FeynmanSearchBenchmark.class.getResourceAsStream("/feynman/series-I.csv"), StandardCharsets.UTF_8))) {
            String line;
            boolean header = true;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                if (header) {
                    header = false;
                    continue;
                }
                List<String> cells = cells(line);
                list.add(new Equation(cells.get(0), cells.get(1), cells.get(2), ranges(cells.get(3)), cells.get(4)));
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return list;
    }

    /** CSV cells, double-quoted cells holding commas. */
    static List<String> cells(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (char ch : line.toCharArray()) {
            if (ch == '"') {
                quoted = !quoted;
            } else if (ch == ',' && !quoted) {
                out.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(ch);
            }
        }
        out.add(cell.toString());
        return out;
    }

    /** "x1,x2∈[1,5]; c∈[3,10]" → {x1: [1,5], x2: [1,5], c: [3,10]}, in the order written. */
    static Map<String, Domain> ranges(String text) {
        Map<String, Domain> m = new LinkedHashMap<>();
        for (String part : text.split(";")) {
            String[] kv = part.trim().split("∈");
            String[] bounds = kv[1].trim().replace("[", "").replace("]", "").split(",");
            Domain d = Domain.of(Double.parseDouble(bounds[0].trim()), Double.parseDouble(bounds[1].trim()));
            for (String v : kv[0].split(",")) {
                m.put(v.trim(), d);
            }
        }
        return m;
    }
}
