package dev.nalu.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.nalu.compute.TrainingConfig;
import dev.nalu.evaluation.Formula;
import dev.nalu.evaluation.TaskData;
import dev.nalu.search.FrontEntry;
import dev.nalu.search.Search;
import dev.nalu.search.SearchPlan;
import dev.nalu.search.SearchResult;
import dev.nalu.task.Domain;
import dev.nalu.task.ExpressionTask;
import dev.nalu.task.Rng;

/**
 * How often {@code "model": "search"} ends with the exact formula of six compound expressions (issue
 * #14's goals), inputs U[1,2]: per expression and seed, one {@link Search} with the default search
 * budget ({@link SearchDefaults}); the served formula counts as exact when it equals the expression,
 * relative error at most 1e-9, on 1,000 points with every input in [2, 4] (beyond the training range).
 *
 * <p>Usage: {@code SearchBenchmark [--seeds N] [--first-seed S] [--steps N] [--population K] [--only "a * b * c / d,..."] [--verbose]}.
 */
public final class SearchBenchmark {
    static final List<String> EXPRESSIONS = List.of("(a + b) * c - a", "a * b + c * d", "(a + b) / (c + d)",
            "a^2 + b^2", "sqrt(a^2 + b^2)", "a * b * c / d");

    private SearchBenchmark() {
    }

    public static void main(String[] args) {
        int seeds = 10;
        int first = 1;
        long steps = SearchDefaults.STEPS;
        int population = SearchDefaults.POPULATION;
        List<String> only = EXPRESSIONS;
        boolean verbose = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seeds" -> seeds = Integer.parseInt(args[++i]);
                case "--first-seed" -> first = Integer.parseInt(args[++i]);
                case "--steps" -> steps = Long.parseLong(args[++i]);
                case "--population" -> population = Integer.parseInt(args[++i]);
                case "--only" -> only = List.of(args[++i].split(","));
                case "--verbose" -> verbose = true;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        System.out.println(BenchmarkEnvironment.line());
        System.out.printf(Locale.ROOT, "search: population %d over all candidates, %d steps, seeds %d..%d; train U[1,2], exact = rel. error ≤ 1e-9 on U[2,4]%n",
                population, steps, first, first + seeds - 1);
        System.out.println("| expression | exact | seeds | median s | median member-steps | served formulas |");
        System.out.println("|---|---|---|---|---|---|");
        for (String expression : only) {
            int exact = 0;
            List<Double> seconds = new ArrayList<>();
            List<Double> memberSteps = new ArrayList<>();
            Map<String, Integer> formulas = new LinkedHashMap<>();
            for (int seed = first; seed < first + seeds; seed++) {
                Outcome o = run(expression.trim(), seed, steps, population, verbose);
                exact += o.exact ? 1 : 0;
                seconds.add(o.seconds);
                memberSteps.add((double) o.memberSteps);
                formulas.merge(o.formula, 1, Integer::sum);
            }
            System.out.printf(Locale.ROOT, "| `%s` | %d | %d | %.1f | %.0f | %s |%n", expression.trim(), exact, seeds,
                    Stats.median(seconds), Stats.median(memberSteps), formulas);
        }
    }

    record Outcome(boolean exact, String formula, double seconds, long memberSteps) {
    }

    static Outcome run(String expression, long seed, long steps, int population, boolean verbose) {
        Map<String, Domain> train = new LinkedHashMap<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("[A-Za-z_]\\w*").matcher(expression);
        while (m.find()) {
            if (!m.group().equals("sqrt")) {
                train.put(m.group(), Domain.of(1, 2));
            }
        }
        ExpressionTask task = ExpressionTask.parse(expression, train);
        TaskData data = new TaskData(task, List.of(Domain.of(2, 4)), seed, 1000);
        TrainingConfig config = SearchDefaults.config(seed, steps, population);
        long start = System.nanoTime();
        SearchPlan plan = SearchPlan.forData(data);
        SearchResult r = new Search(plan, data, data.validationSet(), config).run(p -> { }, () -> false);
        double seconds = (System.nanoTime() - start) / 1e9;
        FrontEntry served = r.servedEntry();
        Formula f = served.formula();
        boolean exact = f != null && equalsBeyond(f, task, seed);
        String text = f == null ? "(none: " + served.architecture() + ")" : "y = " + f.render(task.variables(), false);
        if (verbose) {
            System.out.printf(Locale.ROOT, "  %s seed %d: %s %s in %.1f s, %d steps%s%n", expression, seed, exact ? "EXACT" : "missed",
                    text, seconds, r.steps(), r.stoppedEarly() ? " (stopped early)" : "");
            for (FrontEntry e : r.front()) {
                System.out.printf(Locale.ROOT, "    %-40s %-40s c=%d val=%.3g steps=%d%n", e.architecture(),
                        e.formula() == null ? "-" : e.formula().render(task.variables(), false), e.complexity(),
                        e.validationMse(), e.steps());
            }
        }
        return new Outcome(exact, text, seconds, r.memberSteps());
    }

    /** Relative error at most 1e-9 on 1,000 points with every input in [2, 4]. */
    static boolean equalsBeyond(Formula f, ExpressionTask task, long seed) {
        var rng = Rng.seeded(seed, 777);
        int n = task.inputSize();
        double[] x = new double[n];
        for (int i = 0; i < 1000; i++) {
            for (int j = 0; j < n; j++) {
                x[j] = 2 + 2 * rng.nextDouble();
            }
            double truth = task.target(x, 0);
            double got = f.evaluate(x);
            if (!(Math.abs(got - truth) <= 1e-9 * Math.max(Math.abs(truth), 1e-300))) {
                return false;
            }
        }
        return true;
    }
}
