package dev.nalu.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.nalu.compute.LayerSpec;
import dev.nalu.compute.ModelSpec;
import dev.nalu.compute.Trainer;
import dev.nalu.compute.TrainingConfig;
import dev.nalu.compute.Unit;
import dev.nalu.evaluation.TaskData;
import dev.nalu.search.Search;
import dev.nalu.search.SearchPlan;
import dev.nalu.search.SearchResult;
import dev.nalu.task.Domain;
import dev.nalu.task.ExpressionTask;

/**
 * Members trained per second in a search against a single-architecture job of the same size, one run
 * each (docs/performance.md): a·b + c·d on U[1,2] (4 inputs, 9 candidates), population K over all
 * candidates, the same steps, no early stop; the single job trains NPU(4→2)·c → NAU(2+1→1) with all K
 * members. Member-steps per second = member-steps done / wall time, progress reports included.
 *
 * <p>Usage: {@code SearchThroughputBenchmark [--steps N] [--population K]}.
 */
public final class SearchThroughputBenchmark {
    private SearchThroughputBenchmark() {
    }

    public static void main(String[] args) {
        long steps = 4000;
        int population = SearchDefaults.POPULATION;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--steps" -> steps = Long.parseLong(args[++i]);
                case "--population" -> population = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        System.out.println(BenchmarkEnvironment.line());
        Map<String, Domain> train = Map.of("a", Domain.of(1, 2), "b", Domain.of(1, 2), "c", Domain.of(1, 2), "d", Domain.of(1, 2));
        TaskData data = new TaskData(ExpressionTask.parse("a * b + c * d", train), List.of(Domain.of(2, 4)), 1, 1000);
        TrainingConfig config = SearchDefaults.config(1, steps, population);

        // warm-up: ND4J loads and JIT compiles
        new Trainer(ModelSpec.of(4, LayerSpec.of(Unit.NAU, 1)), data, config.withSteps(500)).run(p -> { }, () -> false);

        SearchPlan plan = SearchPlan.forData(data);
        long start = System.nanoTime();
        SearchResult r = new Search(plan, data, data.validationSet(), config, false).run(p -> { }, () -> false);
        double searchSeconds = (System.nanoTime() - start) / 1e9;
        double searchRate = r.memberSteps() / searchSeconds;

        ModelSpec single = ModelSpec.of(4, LayerSpec.withConstant(Unit.REAL_NPU, 2), LayerSpec.withConstant(Unit.NAU, 1));
        start = System.nanoTime();
        new Trainer(single, data, config).run(p -> { }, () -> false);
        double singleSeconds = (System.nanoTime() - start) / 1e9;
        double singleRate = (double) population * steps / singleSeconds;

        System.out.printf(Locale.ROOT, "K=%d, %d steps, %d candidates, a*b + c*d%n", population, steps, plan.candidates().size());
        System.out.printf(Locale.ROOT, "| job | member-steps | wall s | member-steps/s |%n|---|---|---|---|%n");
        System.out.printf(Locale.ROOT, "| search (%d candidates, halving) | %d | %.1f | %.0f |%n", plan.candidates().size(),
                r.memberSteps(), searchSeconds, searchRate);
        System.out.printf(Locale.ROOT, "| single %s | %d | %.1f | %.0f |%n", single.describe(), (long) population * steps,
                singleSeconds, singleRate);
        System.out.printf(Locale.ROOT, "search / single: %.2f%n", searchRate / singleRate);
    }
}
