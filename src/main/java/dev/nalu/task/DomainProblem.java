package dev.nalu.task;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A place where an expression is undefined for some inputs of the domains it was checked over, or
 * takes values too large to compute with, found by interval arithmetic
 * ({@link ExpressionTask#domainProblems()}). The check is
 * conservative: it may report a problem that no actual input reaches (e.g. a / (b − b)), never
 * the reverse, up to floating-point rounding of the interval ends.
 *
 * @param kind          what goes wrong
 * @param subexpression the divisor, square-root argument or power base concerned
 * @param range         the values that subexpression can take, as a union of bounds
 */
public record DomainProblem(Kind kind, Expr subexpression, List<Bounds> range) {

    public enum Kind {
        /** a ÷ whose divisor's range contains 0. */
        DIVISOR_CONTAINS_ZERO("the divisor %s can be 0: its range %s contains 0"),
        /** b^n with n &lt; 0 (a hidden division) whose base's range contains 0. */
        NEGATIVE_POWER_OF_ZERO("the base %s of a negative power can be 0: its range %s contains 0"),
        /** √ of an argument whose range has negative values. */
        SQRT_OF_NEGATIVE("the square root argument %s can be negative: its range is %s"),
        /** b^y with y not a constant integer, whose base's range has negative values. */
        FRACTIONAL_POWER_OF_NEGATIVE("the base %s of a non-integer power can be negative: its range is %s"),
        /** A value whose bounds go beyond ±{@link Task#MAX_MAGNITUDE}: its squared errors would overflow float64. */
        TOO_LARGE("%s takes values too large to compute with: its range %s goes beyond ±1e150, where squared "
                + "errors overflow float64");

        private final String template;

        Kind(String template) {
            this.template = template;
        }
    }

    public DomainProblem {
        range = List.copyOf(range);
    }

    /** "is undefined", or "overflows" for {@link Kind#TOO_LARGE}: what goes wrong with the expression there. */
    public String verb() {
        return kind == Kind.TOO_LARGE ? "overflows" : "is undefined";
    }

    /** E.g. "the divisor b - 1 can be 0: its range [-1, 1] contains 0". */
    public String message() {
        String ranges = range.stream().map(Bounds::toString).collect(Collectors.joining(" ∪ "));
        return String.format(kind.template, subexpression, ranges);
    }
}
