package dev.nalu.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExpressionTaskTest {

    private static final Map<String, Domain> ABC =
            Map.of("a", Domain.of(1, 2), "b", Domain.of(1, 2), "c", Domain.of(1, 2));

    /** a = 2, b = 3, c = 5 in variable order a, b, c. */
    private static final double[] ROW = {2, 3, 5};

    private static double valueOf(String text) {
        return ExpressionTask.parse(text, ABC).target(ROW, 0);
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', textBlock = """
            a + b          | 5
            a - b          | -1
            a − b          | -1
            a * b          | 6
            a × b          | 6
            a / b          | 0.6666666666666666
            a ÷ b          | 0.6666666666666666
            a^b            | 8
            a ^ 2          | 4
            a^0.5          | 1.4142135623730951
            sqrt(a)        | 1.4142135623730951
            SQRT(b + 1)    | 2
            √a             | 1.4142135623730951
            √(a * 8)       | 4
            √a * b         | 4.242640687119286
            √b^2           | 3
            (a + b) * c    | 25
            a + b * c      | 17
            a * b + c      | 11
            a - b - c      | -6
            a / b / c      | 0.13333333333333333
            2^3^2          | 512
            a^b^0          | 2
            -a^2           | -4
            (-a)^2         | 4
            −a × b         | -6
            a * -b         | -6
            a - -b         | 5
            +a             | 2
            --a            | 2
            a^-1           | 0.5
            a ^ −1 * b     | 1.5
            2 * (a + b)    | 10
            1.5e1 * a      | 30
            .5 * a         | 1
            ((a))          | 2
            """)
    void evaluatesEachAcceptedFormInFloat64(String text, double expected) {
        assertThat(valueOf(text)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            a + b * c
            (a + b) * c
            a - (b - c)
            a / (b / c)
            a - b - c
            -a^2
            (-a)^2
            -(a * b)
            -(-a)
            2^3^2
            (2^3)^2
            a^-1
            sqrt(a + b) / √c
            a * (b + 1.5e-7)
            """)
    void describesTheTreeAsTextThatParsesBackToTheSameTree(String text) {
        ExpressionTask task = ExpressionTask.parse(text, ABC);
        ExpressionTask reparsed = ExpressionTask.parse(task.describe(), ABC);
        assertThat(reparsed.expression()).isEqualTo(task.expression());
    }

    @Test
    void buildsTheSyntaxTreeFromThePapersOperations() {
        Expr tree = ExpressionTask.parse("-a^2 + sqrt(b) / 3", ABC).expression();
        Expr.Var a = new Expr.Var("a", 0);
        Expr.Var b = new Expr.Var("b", 1);
        assertThat(tree).isEqualTo(new Expr.Add(
                new Expr.Neg(new Expr.Pow(a, new Expr.Const(2))),
                new Expr.Div(new Expr.Sqrt(b), new Expr.Const(3))));
        assertThat(tree).hasToString("-a^2 + sqrt(b) / 3");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            exp(a)             | unsupported function 'exp'         | 1
            if(a, b, c)        | unsupported function 'if'          | 1
            a; b               | unsupported operator ';'           | 2
            a > b              | unsupported operator '>'           | 3
            a % b              | unsupported operator '%'           | 3
            a == b             | unsupported operator '='           | 3
            a[1]               | unsupported operator '['           | 2
            a.b                | unsupported operator '.'           | 2
            's'                | unsupported operator '''           | 1
            "str"              | string literals are not allowed    | 1
            a + "s"            | string literals are not allowed    | 5
            a + d              | unknown variable 'd'               | 5
            true               | unknown variable 'true'            | 1
            PI * a             | unknown variable 'PI'              | 1
            A + b              | unknown variable 'A'               | 1
            2a                 | missing operator                   | 2
            a b                | too many operands                  | 1
            (a + b             | closing brace not found            | 1
            a + b)             | unexpected closing brace           | 6
            a +                | missing second operand             | 3
            0x1F               | unsupported number literal         | 1
            1e999 * a          | out of the float64 range           | 1
            sqrt(a, b)         | too many parameters                | 1
            """)
    void rejectsAnythingElseNamingTheProblemAndWhereItIs(String text, String problem, int position) {
        assertThatThrownBy(() -> ExpressionTask.parse(text, ABC))
                .isInstanceOfSatisfying(ExpressionException.class, e -> {
                    assertThat(e.problem()).contains(problem);
                    assertThat(e.position()).isEqualTo(position);
                    assertThat(e.getMessage()).contains("at position " + position);
                });
    }

    @Test
    void rejectsAnEmptyExpression() {
        assertThatThrownBy(() -> ExpressionTask.parse("  ", ABC))
                .isInstanceOf(ExpressionException.class).hasMessage("expression is empty");
    }

    @Test
    void listsTheDeclaredVariablesWhenOneIsUnknown() {
        assertThatThrownBy(() -> ExpressionTask.parse("a * x", ABC))
                .hasMessageContaining("unknown variable 'x'").hasMessageContaining("declared: a, b, c");
    }

    @Test
    void rejectsTooLongAnExpressionNamingTheLimit() {
        String text = "a" + " + a".repeat(50);
        assertThat(text).hasSize(201);
        assertThatThrownBy(() -> ExpressionTask.parse(text, ABC))
                .isInstanceOf(ExpressionException.class)
                .hasMessage("expression is 201 characters long, over the maxLength limit of 200");
        assertThat(ExpressionTask.parse(text, ABC, new ExpressionLimits(201, 64)).target(ROW, 0)).isEqualTo(102);
    }

    @Test
    void rejectsTooDeepAnExpressionNamingTheLimit() {
        assertThat(ExpressionTask.parse("-".repeat(31) + "a", ABC).target(ROW, 0)).isEqualTo(-2);
        assertThatThrownBy(() -> ExpressionTask.parse("-".repeat(32) + "a", ABC))
                .isInstanceOf(ExpressionException.class)
                .hasMessage("expression nests 33 levels deep, over the maxDepth limit of 32");
        assertThatThrownBy(() -> ExpressionTask.parse("a * b * c", ABC, new ExpressionLimits(200, 2)))
                .hasMessageContaining("maxDepth limit of 2");
    }

    @Test
    void ordersVariablesNaturallyAndAllowsUnusedOnes() {
        Map<String, Domain> domains = Map.of("x10", Domain.of(1, 2), "x2", Domain.of(3, 4),
                "b", Domain.of(5, 6), "a", Domain.of(7, 8));
        ExpressionTask task = ExpressionTask.parse("x10 - x2", domains);
        assertThat(task.variables()).containsExactly("a", "b", "x2", "x10");
        assertThat(task.usedVariables()).containsExactly("x2", "x10");
        assertThat(task.trainDomain(2)).isEqualTo(Domain.of(3, 4));
        assertThat(task.target(new double[] {0, 0, 1, 10}, 0)).isEqualTo(9);
        assertThat(task.describe()).isEqualTo("x10 - x2");
        assertThat(task.text()).isEqualTo("x10 - x2");
    }

    @Test
    void rejectsVariableNamesThatAreNotIdentifiers() {
        assertThatThrownBy(() -> ExpressionTask.parse("a", Map.of("a b", Domain.of(1, 2))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'a b' is not an identifier");
        assertThatThrownBy(() -> ExpressionTask.parse("a", Map.of()))
                .hasMessageContaining("at least one variable");
    }

    @Test
    void readsRowsAtAnOffset() {
        ExpressionTask task = ExpressionTask.parse("a / b", Map.of("a", Domain.of(1, 2), "b", Domain.of(1, 2)));
        double[] rows = {1, 2, 3, 4};
        double[] targets = new double[2];
        task.targets(rows, 2, targets);
        assertThat(targets).containsExactly(0.5, 0.75);
    }

    @Test
    void perturbedTargetLeaksEpsilonOfTheOtherVariablesIntoEach() {
        ExpressionTask task = ExpressionTask.parse("a * b", Map.of("a", Domain.of(1, 2), "b", Domain.of(1, 2)));
        double[] row = {2, 3};
        // a' = 0.9·2 + 0.1·3 = 2.1, b' = 0.9·3 + 0.1·2 = 2.9
        assertThat(task.perturbedTarget(row, 0, 0.1)).isCloseTo(2.1 * 2.9, within(1e-12));
        assertThat(task.perturbedTarget(row, 0, 0)).isEqualTo(task.target(row, 0));
    }

    @Test
    void perturbedTargetAtZeroEpsilonIsTheTarget() {
        ExpressionTask task = ExpressionTask.parse("sqrt(a) * b / c - a^b", ABC);
        Dataset data = Dataset.interpolation(task, 100, 3);
        for (int r = 0; r < data.rows(); r++) {
            assertThat(task.perturbedTarget(data.x(), r * 3, 0)).isEqualTo(data.y()[r]);
        }
    }

    @Test
    void findsNoProblemWhereTheExpressionIsDefinedEverywhere() {
        Map<String, Domain> domains = Map.of("a", Domain.of(1, 2),
                "b", Domain.union(new Interval(-2, -1), new Interval(1, 2)));
        assertThat(ExpressionTask.parse("a / b", domains).domainProblems()).isEmpty();
        assertThat(ExpressionTask.parse("a / (a * a - 0.5)", domains).domainProblems()).isEmpty();
        assertThat(ExpressionTask.parse("sqrt(a - 1) + b^-1 + a^b", domains).domainProblems()).isEmpty();
    }

    @Test
    void reportsADivisorWhoseTrainingRangeContainsZero() {
        ExpressionTask task = ExpressionTask.parse("a ÷ (b - 1)", ABC);
        assertThat(task.domainProblems()).singleElement().satisfies(problem -> {
            assertThat(problem.kind()).isEqualTo(DomainProblem.Kind.DIVISOR_CONTAINS_ZERO);
            assertThat(problem.subexpression()).hasToString("b - 1");
            assertThat(problem.range()).containsExactly(new Bounds(0, 1));
            assertThat(problem.message()).isEqualTo("the divisor b - 1 can be 0: its range [0, 1] contains 0");
        });
        Map<String, Domain> symmetric = Map.of("a", Domain.of(1, 2), "b", Domain.of(-1, 1));
        assertThat(ExpressionTask.parse("a / b", symmetric).domainProblems())
                .extracting(DomainProblem::kind).containsExactly(DomainProblem.Kind.DIVISOR_CONTAINS_ZERO);
    }

    @Test
    void reportsSquareRootsAndPowersOutsideTheirDomain() {
        Map<String, Domain> domains = Map.of("a", Domain.of(1, 2), "b", Domain.of(-1, 1));
        assertThat(ExpressionTask.parse("sqrt(a - 1.5)", domains).domainProblems())
                .extracting(DomainProblem::kind).containsExactly(DomainProblem.Kind.SQRT_OF_NEGATIVE);
        assertThat(ExpressionTask.parse("√b", domains).domainProblems().get(0).message())
                .isEqualTo("the square root argument b can be negative: its range is [-1, 1]");
        assertThat(ExpressionTask.parse("b^-2", domains).domainProblems())
                .extracting(DomainProblem::kind).containsExactly(DomainProblem.Kind.NEGATIVE_POWER_OF_ZERO);
        assertThat(ExpressionTask.parse("b^0.5", domains).domainProblems())
                .extracting(DomainProblem::kind).containsExactly(DomainProblem.Kind.FRACTIONAL_POWER_OF_NEGATIVE);
        assertThat(ExpressionTask.parse("b^2 + b^3", domains).domainProblems()).isEmpty();
    }

    @Test
    void checksAnExtrapolationRangeAsWellAsTheTrainingOne() {
        ExpressionTask task = ExpressionTask.parse("a / b", Map.of("a", Domain.of(1, 2), "b", Domain.of(1, 2)));
        assertThat(task.domainProblems(Domain.union(new Interval(-6, -2), new Interval(2, 6)))).isEmpty();
        assertThat(task.domainProblems(Domain.of(-2, 2))).hasSize(1);
    }

    /** Values whose squared errors would overflow float64 are found from the ranges' bounds, innermost first. */
    @Test
    void reportsValuesTooLargeToComputeWith() {
        Map<String, Domain> small = Map.of("a", Domain.of(2, 6), "b", Domain.of(1, 2));
        assertThat(ExpressionTask.parse("a ^ 400", small).domainProblems()).singleElement().satisfies(problem -> {
            assertThat(problem.kind()).isEqualTo(DomainProblem.Kind.TOO_LARGE);
            assertThat(problem.subexpression()).hasToString("a^400");
            assertThat(problem.verb()).isEqualTo("overflows");
            assertThat(problem.message()).startsWith("a^400 takes values too large to compute with: its range [")
                    .contains("∞]");
        });
        assertThat(ExpressionTask.parse("a ^ 400 / a ^ 399", small).domainProblems())
                .extracting(p -> p.subexpression().toString()).containsExactly("a^400", "a^399");
        assertThat(ExpressionTask.parse("2 ^ 1000 * b", small).domainProblems())
                .extracting(DomainProblem::kind).containsExactly(DomainProblem.Kind.TOO_LARGE);
        assertThat(ExpressionTask.parse("a ^ 100", small).domainProblems()).isEmpty(); // 6^100 = 6.5e77
        ExpressionTask task = ExpressionTask.parse("a ^ 400", Map.of("a", Domain.of(1, 2)));
        assertThat(task.domainProblems()).isEmpty(); // 2^400 = 2.6e120
        assertThat(task.domainProblems(Domain.of(2, 6))).extracting(DomainProblem::kind)
                .containsExactly(DomainProblem.Kind.TOO_LARGE);
        Map<String, Domain> huge = Map.of("a", Domain.of(1e11, 1e12), "b", Domain.of(1e11, 1e12));
        assertThat(ExpressionTask.parse("a * b", huge).domainProblems()).isEmpty();
        assertThat(ExpressionTask.parse("a * b", huge).targetBounds()).isEqualTo(new Bounds(1e22, 1e24));
        assertThat(ExpressionTask.parse("(a * b) ^ 7", huge).domainProblems()).extracting(DomainProblem::kind)
                .containsExactly(DomainProblem.Kind.TOO_LARGE);
        // nothing is reported above an undefined spot: its unbounded range is no overflow of its own
        assertThat(ExpressionTask.parse("a / (b - 1) * 2", small).domainProblems()).extracting(DomainProblem::kind)
                .containsExactly(DomainProblem.Kind.DIVISOR_CONTAINS_ZERO);
    }

    @Test
    void isConservativeWhereIntervalArithmeticCannotSeeCancellation() {
        assertThat(ExpressionTask.parse("a / (b - b)", ABC).domainProblems()).hasSize(1);
    }

    @Test
    void compileWithoutDomainsEvaluatesNumbersAndGivenVariables() {
        assertThat(ExpressionTask.compile("1234.5 * 678 - 90", java.util.List.of(), ExpressionLimits.DEFAULT)
                .evaluate(new double[0], 0)).isEqualTo(1234.5 * 678 - 90);
        assertThat(ExpressionTask.compile("y / x", java.util.List.of("y", "x"), ExpressionLimits.DEFAULT)
                .evaluate(new double[] {6, 3}, 0)).isEqualTo(2);
        assertThatThrownBy(() -> ExpressionTask.compile("a + 1", java.util.List.of(), ExpressionLimits.DEFAULT))
                .isInstanceOf(ExpressionException.class).hasMessageContaining("a");
        assertThatThrownBy(() -> ExpressionTask.compile("x", java.util.List.of("x", "x"), ExpressionLimits.DEFAULT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("repeat");
    }
}
