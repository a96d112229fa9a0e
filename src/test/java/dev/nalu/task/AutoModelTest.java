package dev.nalu.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The architecture "auto" picks for each shape of expression, and for the arithmetic task. */
class AutoModelTest {

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', value = {
            "a + b          | NAU(2→1)                              | sum",
            "a - b + c      | NAU(3→1)                              | sum",
            "-a - b         | NAU(2→1)                              | sum",
            "a * b          | NMU(2→1)                              | product",
            "a * b * c      | NMU(3→1)                              | product",
            "(a + b) * c    | NAU(3→2) → NMU(2→1)                   | product-of-sums",
            "a / b          | REAL_NPU(2→1)                         | power",
            "a ^ 2          | REAL_NPU(1→1)                         | power",
            "sqrt(a)        | REAL_NPU(1→1)                         | power",
            "a * b / c      | REAL_NPU(3→1)                         | power",
            "(a + b) / c    | NAU(3→2) → REAL_NPU(2→1)              | power-of-sums",
            "a * b + c      | NMU(3→2) → NAU(2→1)                   | sum-of-products",
            "a * b - c * a  | NMU(3→2) → NAU(2→1)                   | sum-of-products",
            "a / b + c      | REAL_NPU(3→2) → NAU(2→1)              | sum-of-products",
            "a + 1          | NAU(1→4) → REAL_NPU(4→4) → NAU(4→1)   | general",
    })
    void choosesByShape(String expression, String architecture, String rule) {
        Map<String, Domain> vars = new LinkedHashMap<>();
        for (String v : new String[] {"a", "b", "c"}) {
            if (expression.contains(v)) {
                vars.put(v, Domain.of(1, 2));
            }
        }
        AutoModel.Choice choice = AutoModel.choose(ExpressionTask.parse(expression, vars));
        assertThat(choice.spec().describe()).isEqualTo(architecture);
        assertThat(choice.rule()).isEqualTo(rule);
        assertThat(choice.reason()).isNotBlank();
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', value = {
            "ADD    | NAU(100→2) → NAU(2→1)",
            "SUB    | NAU(100→2) → NAU(2→1)",
            "MUL    | NAU(100→2) → NMU(2→1)",
            "DIV    | NAU(100→2) → REAL_NPU(2→1)",
            "SQUARE | NAU(100→2) → NMU(2→1)",
            "SQRT   | NAU(100→1) → REAL_NPU(1→1)",
    })
    void arithmeticTaskSumsSubsetsFirst(String op, String architecture) {
        ArithmeticTask task = new ArithmeticTask(ArithmeticTask.Op.valueOf(op), 1);
        assertThat(AutoModel.choose(task).spec().describe()).isEqualTo(architecture);
    }
}
