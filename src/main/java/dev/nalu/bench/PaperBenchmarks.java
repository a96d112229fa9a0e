package dev.nalu.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.springframework.util.unit.DataSize;


import dev.nalu.compute.LayerSpec;
import dev.nalu.config.LimitsProperties;
import dev.nalu.job.JobRequest;
import dev.nalu.job.JobSpec;
import dev.nalu.job.JobSpecs;
import dev.nalu.job.Presets;

/**
 * Reproduces the papers of docs/papers.md in one command and writes their tables (Markdown) and plots
 * (PNG) to docs/results: the identity failure and the static Table 1 of Trask et al. (2018), Madsen &amp;
 * Johansen's (2020) success rates on the arithmetic task, and the Primer's (Mistry et al. 2022) nine
 * ranges. Every experiment is a job preset ({@link Presets}), trained by the service's own trainer.
 * Runs are independent and go to {@code --workers} threads (default 2), each single-threaded in ND4J,
 * longest first; every figure is a function of the seeds, so a rerun gives the same tables (bar the
 * times).
 *
 * <p>Usage: {@code PaperBenchmarks [--full] [--only identity,trask,madsen,primer,recurrent,number-words,counting] [--out docs/results]
 * [--workers N] [--steps N] [--seeds N] [--rows N]}. The default budgets finish within an hour on 2
 * cores; {@code --full} uses the papers'. {@code --steps}, {@code --seeds} and {@code --rows} (rows of
 * the validation and test sets) cap every budget further, to try the runner quickly; the tables say so.
 */
public final class PaperBenchmarks {
    static final List<String> PROTOCOLS = java.util.stream.Stream.concat(Stream.of(Presets.IDENTITY, Presets.TRASK,
            Presets.MADSEN, Presets.PRIMER), SequencePapers.PROTOCOLS.stream()).toList();
    /** How the tables write each op of {@link Presets}. */
    static final Map<String, String> OPS = Map.of("add", "a + b", "sub", "a − b", "mul", "a × b", "div", "a ÷ b",
            "square", "a²", "sqrt", "√a");

    private PaperBenchmarks() {
    }

    /**
     * @param maxSteps cap on every run's steps (0 = none)
     * @param maxSeeds cap on seed groups, jobs and members per group (0 = none)
     * @param maxRows  cap on the rows of the validation and test sets (0 = none: 10,000, the papers')
     */
    record Options(boolean full, Set<String> only, Path out, int workers, long maxSteps, int maxSeeds, int maxRows,
                   String command) {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        Options options = parse(args);
        if (!"1".equals(System.getenv("OMP_NUM_THREADS"))) {
            System.err.println("warning: OMP_NUM_THREADS is not 1; ND4J may start several threads per run");
        }
        int failures = run(options);
        System.exit(failures == 0 ? 0 : 1);
    }

    /** Runs the chosen protocols; returns how many failed. */
    static int run(Options options) throws IOException {
        Files.createDirectories(options.out());
        int failures = 0;
        try (Context ctx = new Context(options)) {
            for (String protocol : PROTOCOLS) {
                if (!options.only().contains(protocol)) {
                    continue;
                }
                long start = System.nanoTime();
                double load = ctx.load();
                System.out.printf(Locale.ROOT, "== %s (load %.2f)%n", protocol, load);
                try {
                    switch (protocol) {
                        case Presets.IDENTITY -> new IdentityBenchmark(ctx).run();
                        case Presets.TRASK -> new TraskBenchmark(ctx).run();
                        case Presets.MADSEN -> new MadsenBenchmark(ctx).run();
                        case Presets.PRIMER -> new PrimerBenchmark(ctx).run();
                        default -> SequencePapers.run(ctx, protocol);
                    }
                } catch (RuntimeException e) {
                    failures++;
                    System.err.println(protocol + " failed: " + e);
                    e.printStackTrace();
                }
                System.out.printf(Locale.ROOT, "== %s done in %.1f min%n", protocol, (System.nanoTime() - start) / 6e10);
            }
        }
        return failures;
    }

    /** What every protocol shares: the options, the worker threads, presets turned into runs, the report header. */
    static final class Context implements AutoCloseable {
        final Options options;
        private final ExecutorService pool;
        private final JobSpecs specs;
        private final ZonedDateTime started = ZonedDateTime.now(ZoneOffset.UTC);

        Context(Options options) {
            this.options = options;
            AtomicInteger n = new AtomicInteger();
            this.pool = Executors.newFixedThreadPool(options.workers(), r -> {
                Thread t = new Thread(r, "bench-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            // the service's own validation, with room for the papers' budgets (5e6 steps, a report every 1000)
            this.specs = new JobSpecs(new LimitsProperties(10_000_000, 10_000, 10, 256, 1024, 1000, 6, 32, 10_000, 8, 8, 200,
                    32, 1e12, 10_000, 100_000, 16, 100, DataSize.ofMegabytes(1), 0.5, 0.125, null, null, null, null,
                    100_000_000, 10_000, 10_000_000));
        }

        boolean full() {
            return options.full();
        }

        /** A budget's steps, capped by --steps. */
        long steps(long steps) {
            return options.maxSteps() > 0 ? Math.min(steps, options.maxSteps()) : steps;
        }

        /** A count of seeds (groups, jobs or members), capped by --seeds. */
        int seeds(int seeds) {
            return options.maxSeeds() > 0 ? Math.min(seeds, options.maxSeeds()) : seeds;
        }

        double load() {
            return BenchmarkEnvironment.loadAverage();
        }

        /**
         * The run of a preset: its task, ranges and budget as the API would train them, with the given
         * layers instead of the preset's model (null keeps it), and the seed, population and steps given.
         */
        Experiment experiment(String label, String preset, List<LayerSpec> layers, long seed, int population, long steps,
                              boolean snap, boolean baseline) {
            JobRequest.Model model = layers == null ? null : Presets.model(layers);
            // a module runs as its paper trained it, with plain Adam; "auto" (no layers given) as the service trains it
            Boolean split = layers == null ? null : Boolean.FALSE;
            JobRequest.TrainingRequest training = new JobRequest.TrainingRequest(steps, population, seed, null, null,
                    null, null, (int) Math.min(1000, steps), options.maxRows() > 0 ? options.maxRows() : null, null, null,
                    null, null, null, null, split, null, null);
            JobSpec spec = specs.validate(new JobRequest(null, JobRequest.TaskRequest.preset(preset), model, training));
            return new Experiment(label, spec.task().toTask(specs.expressionLimits()), spec.extrapolationDomains(),
                    spec.model().toSpec(), spec.training().toConfig(), spec.training().evaluationRows(), snap, baseline);
        }

        /** Runs every experiment on the workers, longest first; the outcomes come back in the given order. */
        List<Experiment.Outcome> runAll(List<Experiment> experiments) {
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < experiments.size(); i++) {
                order.add(i);
            }
            order.sort(Comparator.comparingDouble((Integer i) -> -experiments.get(i).cost()));
            List<Future<Experiment.Outcome>> futures = new ArrayList<>(experiments.size());
            for (int i = 0; i < experiments.size(); i++) {
                futures.add(null);
            }
            AtomicInteger done = new AtomicInteger();
            for (int i : order) {
                Experiment e = experiments.get(i);
                futures.set(i, pool.submit(() -> {
                    Experiment.Outcome o = e.run();
                    System.out.printf(Locale.ROOT, "  [%d/%d] %s %s seed %d: %d of %d members met the criterion, %.1f s%n",
                            done.incrementAndGet(), experiments.size(), e.label(), e.task().describe(), e.config().seed(),
                            count(o), o.members(), o.seconds());
                    return o;
                }));
            }
            List<Experiment.Outcome> out = new ArrayList<>();
            for (Future<Experiment.Outcome> f : futures) {
                try {
                    out.add(f.get());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                } catch (ExecutionException e) {
                    futures.forEach(other -> other.cancel(true)); // the protocol has failed: free the workers
                    throw new IllegalStateException(e.getCause());
                }
            }
            return out;
        }

        private static int count(Experiment.Outcome o) {
            int n = 0;
            for (int k = 0; k < o.members(); k++) {
                n += o.succeeded(k) ? 1 : 0;
            }
            return n;
        }

        /**
         * The lines every table file starts with: the command, date, machine and load, the wall time,
         * and the budget against the paper's.
         */
        String header(String title, double minutes, double loadStart, String budget) {
            String caps = options.maxSteps() > 0 || options.maxSeeds() > 0 || options.maxRows() > 0
                    ? " **Capped further by" + (options.maxSteps() > 0 ? " --steps " + options.maxSteps() : "")
                    + (options.maxSeeds() > 0 ? " --seeds " + options.maxSeeds() : "")
                    + (options.maxRows() > 0 ? " --rows " + options.maxRows() : "") + ": a trial run, not a result.**"
                    : "";
            return "# " + title + "\n\n"
                    + "Produced by `" + options.command() + "` on " + started.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm"))
                    + " UTC" + commit() + ", in " + String.format(Locale.ROOT, "%.1f", minutes) + " min on "
                    + Runtime.getRuntime().availableProcessors() + " cores with " + options.workers()
                    + " worker threads (one ND4J thread each); load average " + String.format(Locale.ROOT, "%.2f", loadStart)
                    + " at the start, " + String.format(Locale.ROOT, "%.2f", load()) + " at the end"
                    + " (the benchmark itself accounts for about " + options.workers() + ").\n\n"
                    + "**Budget** (" + (options.full() ? "`--full`: the papers' budgets" : "the default run, cut to fit an hour")
                    + "): " + budget + caps + "\n";
        }

        private static String commit() {
            String c = System.getProperty("nalu.bench.commit");
            return c == null || c.isBlank() ? "" : ", commit " + c;
        }

        void write(String file, String text) {
            try {
                Files.writeString(options.out().resolve(file), text, StandardCharsets.UTF_8);
                System.out.println("wrote " + options.out().resolve(file));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        Path path(String file) {
            return options.out().resolve(file);
        }

        @Override
        public void close() {
            pool.shutdownNow();
        }
    }

    static Options parse(String[] args) {
        boolean full = false;
        Set<String> only = new LinkedHashSet<>(PROTOCOLS);
        Path out = Path.of("docs/results");
        int workers = 2;
        long steps = 0;
        int seeds = 0;
        int rows = 0;
        String command = System.getProperty("nalu.bench.command", "bench/papers.sh" + (args.length == 0 ? "" : " " + String.join(" ", args)));
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--full")) {
                full = true;
                continue;
            }
            String v = i + 1 < args.length ? args[i + 1] : null;
            if (v == null) {
                throw usage(a + " needs a value");
            }
            switch (a) {
                case "--only" -> {
                    only = new LinkedHashSet<>(Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList());
                    for (String p : only) {
                        if (!PROTOCOLS.contains(p)) {
                            throw usage("unknown protocol " + p + "; one of " + PROTOCOLS);
                        }
                    }
                }
                case "--out" -> out = Path.of(v);
                case "--workers" -> workers = Integer.parseInt(v);
                case "--steps" -> steps = Long.parseLong(v);
                case "--seeds" -> seeds = Integer.parseInt(v);
                case "--rows" -> rows = Integer.parseInt(v);
                default -> throw usage("unknown option " + a);
            }
            i++;
        }
        if (workers < 1) {
            throw usage("--workers must be at least 1");
        }
        return new Options(full, only, out, workers, steps, seeds, rows, command);
    }

    private static IllegalArgumentException usage(String problem) {
        return new IllegalArgumentException(problem + "; usage: PaperBenchmarks [--full] [--only identity,trask,madsen,primer,recurrent,number-words,counting] "
                + "[--out docs/results] [--workers N] [--steps N] [--seeds N] [--rows N]");
    }
}
