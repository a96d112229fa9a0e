package dev.nalu.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * ExactConstants.candidates: the exact forms of the constants physics formulas use, found from their float values
 * (and from values a little off, within the tolerance), none for values that are no simple constant, simplest first;
 * and Formula.Exact: its value is the float64 of its Java rendering, its renderings.
 */
class ExactConstantsTest {
    private static List<String> texts(double value, double tolerance) {
        return ExactConstants.candidates(value, tolerance).stream().map(c -> c.exact().text()).toList();
    }

    private static String first(double value, double tolerance) {
        List<Formula.Constant> c = ExactConstants.candidates(value, tolerance);
        assertThat(c).as("candidates of %s", value).isNotEmpty();
        return c.get(0).exact().text();
    }

    @Test
    void threeFifths() {
        assertThat(first(0.6, 1e-9)).isEqualTo("3/5");
        assertThat(first(0.6000004, 1e-6)).isEqualTo("3/5");
        Formula.Constant c = ExactConstants.candidates(0.6000004, 1e-6).get(0);
        assertThat(c.value()).isEqualTo(3.0 / 5.0);
        assertThat(c.exact()).isEqualTo(new Formula.Exact(3, 5, 0, 1));
    }

    @Test
    void theConstantsOfTheFeynmanEquationsOfSeriesOne() {
        assertThat(first(0.5, 1e-6)).isEqualTo("1/2");
        assertThat(first(1.5, 1e-6)).isEqualTo("3/2");
        assertThat(first(1 / (4 * Math.PI), 1e-6)).isEqualTo("1/(4π)");
        assertThat(first(1 / (6 * Math.PI), 1e-6)).isEqualTo("1/(6π)");
        assertThat(first(8 * Math.PI / 3, 1e-6)).isEqualTo("8π/3");
        assertThat(first(1 / (2 * Math.PI), 1e-6)).isEqualTo("1/(2π)");
        assertThat(first(4 * Math.PI, 1e-6)).isEqualTo("4π");
        assertThat(first(Math.PI * Math.PI / 6, 1e-6)).isEqualTo("π²/6");
        assertThat(first(Math.sqrt(2), 1e-6)).isEqualTo("√2");
        assertThat(first(Math.sqrt(1.5), 1e-6)).isEqualTo("√6/2");
        assertThat(first(3 * Math.sqrt(3) / 5, 1e-6)).isEqualTo("3√3/5");
    }

    /** Its value is computed as its Java rendering computes it: 1/(4π) is 1.0 / (4.0 * Math.PI), to the bit. */
    @Test
    void theValueIsTheFloatOfTheJavaRendering() {
        Formula.Constant c = ExactConstants.candidates(0.0795775, 1e-5).get(0);
        assertThat(c.exact().java()).isEqualTo("1.0 / (4.0 * Math.PI)");
        assertThat(c.value()).isEqualTo(1.0 / (4.0 * Math.PI));
        assertThat(new Formula.Exact(-8, 3, 1, 1).value()).isEqualTo(-8.0 * Math.PI / 3.0);
        assertThat(new Formula.Exact(3, 5, 0, 2).value()).isEqualTo(3.0 * Math.sqrt(2.0) / 5.0);
        assertThat(new Formula.Exact(1, 1, -2, 1).value()).isEqualTo(1.0 / (Math.PI * Math.PI));
        assertThat(new Formula.Exact(1, 6, 2, 1).value()).isEqualTo(Math.PI * Math.PI / 6.0);
        assertThat(new Formula.Exact(1, 1, 0, 2).value()).isEqualTo(Math.sqrt(2.0));
    }

    @Test
    void theToleranceIsRelativeAndDecides() {
        double off = 0.6 * (1 + 2e-6); // 2e-6 relative away from 3/5
        assertThat(texts(off, 1e-6)).doesNotContain("3/5");
        assertThat(first(off, 3e-6)).isEqualTo("3/5");
        // the same relative offset on a large value
        assertThat(texts(6000 * (1 + 2e-6), 1e-6)).doesNotContain("6000");
        assertThat(first(6000 * (1 + 2e-6), 3e-6)).isEqualTo("6000");
        // tolerance 0: only the exact float
        assertThat(first(0.6, 0)).isEqualTo("3/5");
        assertThat(texts(Math.nextUp(0.6), 0)).doesNotContain("3/5");
        assertThatThrownBy(() -> ExactConstants.candidates(1, -1e-6)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ExactConstants.candidates(1, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ExactConstants.candidates(1, 0.5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void negativeValuesHaveNegativeForms() {
        assertThat(first(-0.6, 1e-9)).isEqualTo("−3/5");
        Formula.Constant c = ExactConstants.candidates(-1 / (4 * Math.PI), 1e-9).get(0);
        assertThat(c.exact()).isEqualTo(new Formula.Exact(-1, 4, -1, 1));
        assertThat(c.value()).isEqualTo(-(1.0 / (4.0 * Math.PI)));
        assertThat(c.exact().java()).isEqualTo("-1.0 / (4.0 * Math.PI)");
        assertThat(first(-Math.sqrt(2), 1e-9)).isEqualTo("−√2");
        assertThat(first(-7, 1e-9)).isEqualTo("−7");
    }

    @Test
    void zeroIsZeroAndNonFiniteHasNoForm() {
        assertThat(ExactConstants.candidates(0, 1e-6)).extracting(Formula.Constant::value).containsExactly(0.0);
        assertThat(first(0, 1e-6)).isEqualTo("0");
        assertThat(ExactConstants.candidates(Double.NaN, 1e-6)).isEmpty();
        assertThat(ExactConstants.candidates(Double.POSITIVE_INFINITY, 1e-6)).isEmpty();
    }

    /** Values that are no simple constant stay floats: no fraction with a meaningful denominator is that close. */
    @Test
    void valuesThatAreNoSimpleConstantStayFloats() {
        assertThat(ExactConstants.candidates(0.41372915, 1e-6)).isEmpty();
        assertThat(ExactConstants.candidates(0.41372915, 1e-8)).isEmpty();
        assertThat(ExactConstants.candidates(2.718281828459045, 1e-9)).isEmpty(); // e is not in the families
        assertThat(ExactConstants.candidates(1.7293118e-3, 1e-7)).isEmpty();
        assertThat(ExactConstants.candidates(1.23456789e-3, 1e-7)).extracting(c -> c.exact().text()).containsExactly("1/810");
        // but a loose tolerance finds something for anything: the caller must validate
        assertThat(ExactConstants.candidates(0.41372915, 1e-2)).isNotEmpty();
    }

    /**
     * Simplest first: 0.5 within 5% is 1/2 before anything with π or a root (π/6 = 0.524, √2/3 = 0.471, 1/(2π)·π...).
     */
    @Test
    void candidatesComeSimplestFirst() {
        List<String> near = texts(0.5, 0.05);
        assertThat(near.get(0)).isEqualTo("1/2");
        assertThat(near).contains("π/6");
        assertThat(near.indexOf("1/2")).isLessThan(near.indexOf("π/6"));
        List<Formula.Constant> all = ExactConstants.candidates(0.5, 0.05);
        for (int i = 1; i < all.size(); i++) {
            assertThat(all.get(i).exact().symbols()).isGreaterThanOrEqualTo(all.get(i - 1).exact().symbols());
        }
        // an integer before a fraction, a fraction before π
        assertThat(texts(3.0, 0.06).get(0)).isEqualTo("3");
        assertThat(texts(3.0, 0.06)).contains("π");
    }

    /** The denominator bound tightens as the tolerance loosens: a loose tolerance cannot make 0.4137 into 12/29. */
    @Test
    void theDenominatorBoundFollowsTheTolerance() {
        assertThat(ExactConstants.denominatorBound(1, 1e-12)).isEqualTo(ExactConstants.MAX_DENOMINATOR);
        assertThat(ExactConstants.denominatorBound(1, 1e-6)).isEqualTo(128);
        assertThat(ExactConstants.denominatorBound(1, 1e-3)).isEqualTo(ExactConstants.MIN_DENOMINATOR);
        assertThat(ExactConstants.simplest(0.59, 0.61, 1000)).containsExactly(3, 5);
        assertThat(ExactConstants.simplest(0.413729, 0.413730, 10)).isNull();
    }

    @Test
    void anExactFormChecksItsParts() {
        assertThatThrownBy(() -> new Formula.Exact(2, 4, 0, 1)).hasMessageContaining("lowest terms");
        assertThatThrownBy(() -> new Formula.Exact(1, 0, 0, 1)).hasMessageContaining("denominator");
        assertThatThrownBy(() -> new Formula.Exact(1, 2, 3, 1)).hasMessageContaining("π");
        assertThatThrownBy(() -> new Formula.Exact(1, 2, 0, 4)).hasMessageContaining("root");
        assertThatThrownBy(() -> new Formula.Exact(0, 1, 1, 1)).hasMessageContaining("0");
    }

    @Test
    void anExactConstantRendersSymbolicallyAndAFloatSaysItIsOne() {
        assertThat(Formula.Constant.of(new Formula.Exact(1, 4, -1, 1)).render(List.of(), false)).isEqualTo("1/(4π)");
        assertThat(Formula.Constant.of(new Formula.Exact(3, 5, 0, 1)).render(List.of(), true)).isEqualTo("(3/5)");
        assertThat(Formula.Constant.of(new Formula.Exact(1, 1, 0, 2)).render(List.of(), true)).isEqualTo("√2");
        assertThat(new Formula.Constant(1).render(List.of(), false)).isEqualTo("1");
        assertThat(new Formula.Constant(0.41372915).render(List.of(), false)).isEqualTo("≈0.41372915");
        assertThat(new Formula.Constant(-0.41372915).render(List.of(), true)).isEqualTo("(≈−0.41372915)");
        assertThat(new Formula.Constant(0.41372915).approximate()).isTrue();
        assertThat(Formula.Constant.of(new Formula.Exact(3, 5, 0, 1)).approximate()).isFalse();
    }
}
