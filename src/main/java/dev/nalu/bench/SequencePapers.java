package dev.nalu.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import dev.nalu.compute.Nd4jRuntime;
import dev.nalu.task.RecurrentRecipe;

/**
 * The sequence protocols of {@code bench/papers.sh}: Madsen &amp; Johansen's recurrent task
 * ({@link RecurrentBenchmark}), Trask et al.'s number words ({@link NumberWordsBenchmark}), counting and the
 * running totals ({@link CountingBenchmark}), each at the budgets of its docs/results page. Each protocol runs its benchmark
 * mains one after another on one thread (the mains are sequential) and writes their tables, with the commands,
 * to {@code <out>/<protocol>-run.md}; the curated pages (recurrent.md, number-words.md, counting.md) explain
 * them and are not overwritten. {@code --steps}, {@code --seeds} and {@code --rows} cap every run as for the
 * static protocols; {@code --full} gives the recurrent task the recipe's budget ({@link RecurrentRecipe#STEPS}).
 */
final class SequencePapers {
    static final String RECURRENT = "recurrent";
    static final String NUMBER_WORDS = "number-words";
    static final String COUNTING = "counting";
    static final List<String> PROTOCOLS = List.of(RECURRENT, NUMBER_WORDS, COUNTING);

    private SequencePapers() {
    }

    /** One benchmark main and its arguments. */
    private record Run(String main, Consumer<String[]> entry, List<String> args) {
    }

    static void run(PaperBenchmarks.Context ctx, String protocol) {
        PaperBenchmarks.Options o = ctx.options;
        List<Run> runs = switch (protocol) {
            case RECURRENT -> List.of(
                    recurrent(o, "--ops", "add,sub,square", "--seeds", seeds(o, 10), "--steps", recurrentSteps(o, 30_000),
                            "--range", "2:6"),
                    recurrent(o, "--ops", "mul", "--seeds", seeds(o, 10), "--steps", recurrentSteps(o, 10_000), "--range",
                            "2:6"),
                    recurrent(o, "--ops", "add", "--models", "nalu,lstm,gru,rnn-tanh", "--seeds", seeds(o, 2), "--steps",
                            steps(o, 2000)));
            case NUMBER_WORDS -> List.of(
                    new Run("NumberWordsBenchmark", NumberWordsBenchmark::main, List.of("--encoder", "mac", "--heads", "nau",
                            "--hidden", "1", "--members", "16", "--steps", steps(o, 3000), "--lr", "0.03", "--seeds",
                            seeds(o, 21), "--first", "0")),
                    new Run("NumberWordsBenchmark", NumberWordsBenchmark::main, List.of("--encoder", "lstm", "--heads",
                            "dense,nalu", "--members", "8", "--steps", steps(o, 2000), "--lr", "0.1", "--seeds", seeds(o, 3))));
            case COUNTING -> List.of(
                    counting(o, "--models", "nau", "--seeds", seeds(o, 3), "--steps", steps(o, 6000)),
                    counting(o, "--models", "lstm", "--seeds", seeds(o, 1), "--steps", steps(o, 3000)),
                    counting(o, "--task", "sum", "--models", "auto,lstm", "--seeds", seeds(o, 3), "--steps", steps(o, 3000),
                            "--lengths", "100,1000,10000"),
                    counting(o, "--task", "product", "--models", "auto,lstm", "--seeds", seeds(o, 3), "--steps",
                            steps(o, 3000), "--lengths", "100,1000,10000"));
            default -> throw new IllegalArgumentException(protocol);
        };
        // load ND4J before the capture, so that its start-up log goes to the console and not into the tables
        Nd4jRuntime.singleThreadedOnThisThread();
        long start = System.nanoTime();
        double load = ctx.load();
        StringBuilder body = new StringBuilder();
        PrintStream console = System.out;
        for (Run r : runs) {
            String command = "java … dev.nalu.bench." + r.main() + " " + String.join(" ", r.args());
            console.println("  " + command);
            ByteArrayOutputStream captured = new ByteArrayOutputStream();
            System.setOut(new PrintStream(new Tee(console, captured), true, StandardCharsets.UTF_8));
            try {
                r.entry().accept(r.args().toArray(String[]::new));
            } finally {
                System.out.flush();
                System.setOut(console);
            }
            body.append("\n## `").append(command).append("`\n\n").append(captured.toString(StandardCharsets.UTF_8));
        }
        String title = switch (protocol) {
            case RECURRENT -> "Recurrent arithmetic (Madsen & Johansen 2020): the runs of bench/papers.sh";
            case NUMBER_WORDS -> "Number words (Trask et al. 2018, Table 3): the runs of bench/papers.sh";
            default -> "Counting (Trask et al. 2018, without images) and running totals: the runs of bench/papers.sh";
        };
        String budget = "each run's budget is in its command below (the budgets of " + protocol + ".md"
                + (o.full() && protocol.equals(RECURRENT) ? "; with --full the recipe's " + RecurrentRecipe.STEPS
                + " steps for the recurrent task)" : ")");
        ctx.write(protocol + "-run.md", ctx.header(title, (System.nanoTime() - start) / 6e10, load, budget)
                + "\nThe tables as the benchmark mains print them; [" + protocol + ".md](" + protocol + ".md) reads them, "
                + "with the published figures where there are any.\n" + body);
    }

    private static Run recurrent(PaperBenchmarks.Options o, String... args) {
        List<String> a = new ArrayList<>(List.of(args));
        rows(o, a);
        return new Run("RecurrentBenchmark", RecurrentBenchmark::main, a);
    }

    private static Run counting(PaperBenchmarks.Options o, String... args) {
        List<String> a = new ArrayList<>(List.of(args));
        if (!a.contains("--task")) {
            a.addAll(0, List.of("--symbols", "4"));     // counting, with the symbols of counting.md
        }
        a.addAll(List.of("--rows", String.valueOf(o.maxRows() > 0 ? Math.min(o.maxRows(), 256) : 256)));
        return new Run("CountingBenchmark", CountingBenchmark::main, a);
    }

    private static void rows(PaperBenchmarks.Options o, List<String> args) {
        if (o.maxRows() > 0) {
            args.addAll(List.of("--rows", String.valueOf(o.maxRows())));
        }
    }

    private static String seeds(PaperBenchmarks.Options o, int seeds) {
        return String.valueOf(o.maxSeeds() > 0 ? Math.min(seeds, o.maxSeeds()) : seeds);
    }

    /** A run's steps: the docs' budget, under --steps. */
    private static String steps(PaperBenchmarks.Options o, long steps) {
        return String.valueOf(o.maxSteps() > 0 ? Math.min(steps, o.maxSteps()) : steps);
    }

    /** The recurrent task's steps: the docs' cap, or with --full the recipe's budget (the 100,000), under --steps. */
    private static String recurrentSteps(PaperBenchmarks.Options o, long steps) {
        return steps(o, o.full() ? RecurrentRecipe.STEPS : steps);
    }

    /** Writes to both streams. */
    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int v) throws IOException {
            a.write(v);
            b.write(v);
        }

        @Override
        public void write(byte[] bytes, int off, int len) throws IOException {
            a.write(bytes, off, len);
            b.write(bytes, off, len);
        }

        @Override
        public void flush() throws IOException {
            a.flush();
            b.flush();
        }
    }
}
