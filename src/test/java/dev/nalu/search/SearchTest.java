package dev.nalu.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.nalu.compute.LayerWeights;
import dev.nalu.compute.TrainingConfig;
import dev.nalu.evaluation.TaskData;
import dev.nalu.task.Domain;
import dev.nalu.task.ExpressionTask;

/**
 * The search: its plan follows the data's shape, successive halving narrows the race and keeps the
 * member-step budget, a checkpointed search resumes to bit-identical results, cancel is honoured at
 * the next progress point, and with a fixed seed a*b*c/d ends with its exact formula.
 */
class SearchTest {

    private static TaskData data(String expression, Domain domain, long seed, String... variables) {
        Map<String, Domain> train = new LinkedHashMap<>();
        for (String v : variables) {
            train.put(v, domain);
        }
        return new TaskData(ExpressionTask.parse(expression, train), List.of(Domain.of(2, 4)), seed, 1000);
    }

    @Test
    void thePlanFollowsTheDataShape() {
        SearchPlan four = SearchPlan.forData(data("a * b * c / d", Domain.of(1, 2), 1, "a", "b", "c", "d"));
        assertThat(four.candidates()).extracting(SearchPlan.Candidate::name).containsExactly(
                "NAU(4+1→1)", "NPU(4→1)·c", "NMU(4→2) → NAU(2+1→1)", "NPU(4→2)·c → NAU(2+1→1)",
                "NAU(4+1→2) → NPU(2→1)·c", "NAU(4+1→2) → NMU(2→1)", "NMU(4→3) → NAU(3+1→1)",
                "NPU(4→3)·c → NAU(3+1→1)", "NAU(4+1→5) → NPU(5→1)·c", "NPU(4→2)·c → NAU(2+1→1) → NPU(1→1)·c",
                "NPU(4→4)·c → NAU(4+1→2) → NPU(2→1)·c");
        assertThat(four.rule()).isEqualTo("many-input");
        assertThat(four.reason()).contains("4 inputs", "positive inputs", "targets positive");

        // positive inputs, a target that changes sign: no lone monomial can fit it
        SearchPlan signs = SearchPlan.forData(data("a - b", Domain.of(1, 2), 1, "a", "b"));
        assertThat(signs.candidates()).extracting(SearchPlan.Candidate::name).doesNotContain("NPU(2→1)·c")
                .contains("NAU(2+1→2) → NPU(2→1)·c").doesNotContain("NMU(2→3) → NAU(3+1→1)");
        assertThat(signs.rule()).isEqualTo("two-input-no-monomial");
        assertThat(signs.reason()).contains("targets of both signs", "no lone monomial");

        // inputs of both signs: the monomial stays (cos restores signs)
        SearchPlan mixed = SearchPlan.forData(data("a * b", Domain.of(-2, 2), 1, "a", "b"));
        assertThat(mixed.candidates()).extracting(SearchPlan.Candidate::name).contains("NPU(2→1)·c");

        SearchPlan one = SearchPlan.forData(data("a^2 / 2", Domain.of(1, 2), 1, "a"));
        assertThat(one.candidates()).extracting(SearchPlan.Candidate::name).containsExactly(
                "NAU(1+1→1)", "NPU(1→1)·c", "NPU(1→2)·c → NAU(2+1→1)", "NAU(1+1→1) → NPU(1→1)·c",
                "NPU(1→2)·c → NAU(2+1→1) → NPU(1→1)·c");
    }

    @Test
    void roundsHalveTheRaceOnABudget() {
        assertThat(Search.boundaries(9, 32_000, 1000)).containsExactly(2000, 4000, 8000, 16_000, 32_000);
        assertThat(Search.boundaries(1, 5000, 1000)).containsExactly(5000);
        assertThat(Search.boundaries(4, 1000, 1000)).containsExactly(1000, 1000, 1000);
    }

    private static TrainingConfig small(long seed) {
        return TrainingConfig.defaults(seed, 2400).withPopulation(12).withEvaluateEvery(300).withLearningRate(0.01);
    }

    private static TrainingConfig shorter(long seed) {
        return small(seed).withSteps(1500);
    }

    @Test
    void racingNarrowsAndTheBudgetHolds() {
        TaskData d = data("a * b + c", Domain.of(1, 2), 3, "a", "b", "c");
        SearchPlan plan = SearchPlan.forData(d);
        List<SearchProgress> reports = new ArrayList<>();
        SearchResult r = new Search(plan, d, d.validationSet(), small(3), false).run(reports::add, () -> false);
        assertThat(reports).extracting(p -> p.progress().step()).containsExactly(300L, 600L, 900L, 1200L, 1500L, 1800L, 2100L, 2400L);
        // 11 candidates: rounds end at 300 (2400/16 → 150, rounded up), 300 (2400/8), 600, 1200 and the budget;
        // racing 11 → 6 → 3 after the first progress point, 2 after 600, 1 after 1200
        assertThat(reports.get(0).racing()).hasSize(3);
        assertThat(reports.get(1).racing()).hasSize(2);
        assertThat(reports.get(reports.size() - 1).racing()).hasSize(1);
        assertThat(r.memberSteps()).isLessThanOrEqualTo(12L * 2400);
        assertThat(r.front()).hasSize(11);
        assertThat(r.front()).allSatisfy(e -> assertThat(e.extrapolationMse()).hasSize(1));
        assertThat(r.steps()).isEqualTo(2400);
    }

    @Test
    void aResumedSearchEndsBitIdentical() {
        TaskData d = data("a * b + c", Domain.of(1, 2), 4, "a", "b", "c");
        SearchPlan plan = SearchPlan.forData(d);
        SearchResult straight = new Search(plan, d, d.validationSet(), shorter(4), false).run(p -> { }, () -> false);

        Search first = new Search(plan, d, d.validationSet(), shorter(4), false);
        AtomicInteger reports = new AtomicInteger();
        SearchResult stopped = first.run(p -> reports.incrementAndGet(), () -> reports.get() >= 3);
        assertThat(stopped.cancelled()).isTrue();
        assertThat(first.step()).isEqualTo(900);
        Search resumed = Search.restore(plan, d, d.validationSet(), shorter(4), false, first.checkpoint());
        assertThat(resumed.step()).isEqualTo(900);
        SearchResult end = resumed.run(p -> { }, () -> false);

        assertThat(end.served()).isEqualTo(straight.served());
        assertThat(end.memberSteps()).isEqualTo(straight.memberSteps());
        for (int i = 0; i < straight.front().size(); i++) {
            FrontEntry a = straight.front().get(i);
            FrontEntry b = end.front().get(i);
            assertThat(b.validationMse()).isEqualTo(a.validationMse());
            assertThat(b.steps()).isEqualTo(a.steps());
            assertThat(String.valueOf(b.formula())).isEqualTo(String.valueOf(a.formula()));
        }
        List<LayerWeights> x = straight.network().layers();
        List<LayerWeights> y = end.network().layers();
        for (int l = 0; l < x.size(); l++) {
            assertThat(y.get(l).tensors()).isEqualTo(x.get(l).tensors());
        }
    }

    @Test
    void cancelIsHonouredAtTheNextProgressPoint() {
        TaskData d = data("a * b", Domain.of(1, 2), 5, "a", "b");
        Search s = new Search(SearchPlan.forData(d), d, d.validationSet(), small(5), false);
        AtomicInteger reports = new AtomicInteger();
        SearchResult r = s.run(p -> reports.incrementAndGet(), () -> reports.get() >= 1);
        assertThat(r.cancelled()).isTrue();
        assertThat(r.steps()).isEqualTo(300);
        assertThat(r.front()).isNotEmpty();
    }

    /** The goal's a·b·c/d, fixed seed, the default learning rate of a search (0.01): exact, and it stops early. */
    @Test
    void findsTheExactFormulaOfAMonomial() {
        TaskData d = data("a * b * c / d", Domain.of(1, 2), 1, "a", "b", "c", "d");
        TrainingConfig config = TrainingConfig.defaults(1, 20_000).withPopulation(64).withLearningRate(0.01);
        SearchResult r = new Search(SearchPlan.forData(d), d, d.validationSet(), config).run(p -> { }, () -> false);
        assertThat(r.snap().text(List.of("a", "b", "c", "d"))).isEqualTo("y = a × b × c ÷ d");
        assertThat(r.snap().reproducesTargets()).isTrue();
        assertThat(r.architecture()).isEqualTo("NPU(4→1)·c");
        assertThat(r.stoppedEarly()).isTrue();
        assertThat(r.servedEntry().extrapolationMse().get(0)).isLessThan(1e-20);
    }
}
