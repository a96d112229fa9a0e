package dev.nalu.task;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.BinaryOperator;
import java.util.function.IntFunction;
import java.util.function.UnaryOperator;

/**
 * Interval arithmetic (Moore 1966) over an {@link Expr}: bounds the value of every node given each
 * variable's domain, and records every division, negative power, square root or fractional power
 * whose operand's bounds leave the operation's domain, and the innermost node whose bounds go beyond
 * ±{@value Task#MAX_MAGNITUDE} (e.g. a ^ 400 on [2, 6]), unless something under it is undefined. A
 * range is a union of {@link Bounds}, so a domain such as [-2, -1] ∪ [1, 2] is not widened to
 * [-2, 2] (which would wrongly contain 0).
 */
final class RangeAnalysis {

    /** Above this many pieces a range is widened to its hull, keeping the analysis linear in practice. */
    private static final int MAX_PIECES = 16;

    private final IntFunction<Domain> domainOfColumn;
    private final List<DomainProblem> problems = new ArrayList<>();

    private RangeAnalysis(IntFunction<Domain> domainOfColumn) {
        this.domainOfColumn = domainOfColumn;
    }

    /** Every problem in the expression, innermost first. */
    static List<DomainProblem> problems(Expr expr, IntFunction<Domain> domainOfColumn) {
        RangeAnalysis analysis = new RangeAnalysis(domainOfColumn);
        analysis.range(expr);
        return List.copyOf(analysis.problems);
    }

    /** Bounds on the expression's value over the domains, as sorted disjoint pieces. */
    static List<Bounds> range(Expr expr, IntFunction<Domain> domainOfColumn) {
        return new RangeAnalysis(domainOfColumn).range(expr);
    }

    private List<Bounds> range(Expr expr) {
        int before = problems.size();
        List<Bounds> range = rangeOf(expr);
        if (problems.size() == before && !within(range, Task.MAX_MAGNITUDE)) {
            problems.add(new DomainProblem(DomainProblem.Kind.TOO_LARGE, expr, range));
        }
        return range;
    }

    /** Whether every piece lies within ±{@code magnitude}. */
    private static boolean within(List<Bounds> pieces, double magnitude) {
        return pieces.stream().allMatch(b -> b.lo() >= -magnitude && b.hi() <= magnitude);
    }

    private List<Bounds> rangeOf(Expr expr) {
        if (expr instanceof Expr.Const c) {
            return List.of(Bounds.point(c.value()));
        } else if (expr instanceof Expr.Var v) {
            return domainOfColumn.apply(v.column()).intervals().stream()
                    .map(i -> new Bounds(i.lo(), i.hi())).toList();
        } else if (expr instanceof Expr.Neg n) {
            return map(range(n.operand()), b -> new Bounds(-b.hi(), -b.lo()));
        } else if (expr instanceof Expr.Add a) {
            return combine(range(a.left()), range(a.right()), (l, r) -> Bounds.hull(l.lo() + r.lo(), l.hi() + r.hi()));
        } else if (expr instanceof Expr.Sub s) {
            return combine(range(s.left()), range(s.right()), (l, r) -> Bounds.hull(l.lo() - r.hi(), l.hi() - r.lo()));
        } else if (expr instanceof Expr.Mul m) {
            return combine(range(m.left()), range(m.right()), RangeAnalysis::times);
        } else if (expr instanceof Expr.Div d) {
            return divide(d);
        } else if (expr instanceof Expr.Sqrt s) {
            return sqrt(s);
        } else if (expr instanceof Expr.Pow p) {
            return power(p);
        }
        throw new IllegalStateException("unknown node " + expr.getClass());
    }

    private List<Bounds> divide(Expr.Div div) {
        List<Bounds> dividend = range(div.left());
        List<Bounds> divisor = range(div.right());
        if (divisor.stream().anyMatch(Bounds::containsZero)) {
            problems.add(new DomainProblem(DomainProblem.Kind.DIVISOR_CONTAINS_ZERO, div.right(), divisor));
        }
        return combine(dividend, divisor, (l, r) -> times(l, reciprocal(r)));
    }

    private List<Bounds> sqrt(Expr.Sqrt sqrt) {
        List<Bounds> argument = range(sqrt.operand());
        if (argument.stream().anyMatch(Bounds::hasNegative)) {
            problems.add(new DomainProblem(DomainProblem.Kind.SQRT_OF_NEGATIVE, sqrt.operand(), argument));
        }
        List<Bounds> defined = argument.stream().filter(b -> b.hi() >= 0)
                .map(b -> new Bounds(Math.sqrt(Math.max(b.lo(), 0)), Math.sqrt(b.hi()))).toList();
        return defined.isEmpty() ? List.of(Bounds.REAL_LINE) : defined;
    }

    private List<Bounds> power(Expr.Pow pow) {
        List<Bounds> base = range(pow.base());
        List<Bounds> exponent = range(pow.exponent());
        boolean baseContainsZero = base.stream().anyMatch(Bounds::containsZero);
        Bounds e = hull(exponent);
        if (e.lo() == e.hi() && e.lo() == Math.rint(e.lo())) {
            double n = e.lo();
            if (n < 0 && baseContainsZero) {
                problems.add(new DomainProblem(DomainProblem.Kind.NEGATIVE_POWER_OF_ZERO, pow.base(), base));
            }
            return map(base, b -> integerPower(b, n));
        }
        if (base.stream().anyMatch(Bounds::hasNegative)) {
            problems.add(new DomainProblem(DomainProblem.Kind.FRACTIONAL_POWER_OF_NEGATIVE, pow.base(), base));
        }
        if (e.lo() < 0 && baseContainsZero) {
            problems.add(new DomainProblem(DomainProblem.Kind.NEGATIVE_POWER_OF_ZERO, pow.base(), base));
        }
        return combine(base, exponent, RangeAnalysis::realPower);
    }

    /** b^n for an integer n: monotone for odd n, folded at 0 for even n, reciprocal for negative n. */
    static Bounds integerPower(Bounds b, double n) {
        if (n == 0) {
            return Bounds.point(1);
        }
        if (n < 0) {
            return reciprocal(integerPower(b, -n));
        }
        double atLo = Math.pow(b.lo(), n);
        double atHi = Math.pow(b.hi(), n);
        boolean even = n % 2 == 0;
        if (even && b.containsZero()) {
            return Bounds.hull(0, atLo, atHi);
        }
        return Bounds.hull(atLo, atHi);
    }

    /**
     * b^y = exp(y ln b) for b ≥ 0 is monotone in b and in y separately, so its extremes over a
     * rectangle are at the corners. The negative part of the base (NaN) is reported, not bounded.
     */
    private static Bounds realPower(Bounds b, Bounds y) {
        if (b.hi() < 0) {
            return Bounds.REAL_LINE;
        }
        double lo = Math.max(b.lo(), 0);
        return Bounds.hull(Math.pow(lo, y.lo()), Math.pow(lo, y.hi()), Math.pow(b.hi(), y.lo()), Math.pow(b.hi(), y.hi()));
    }

    static Bounds times(Bounds l, Bounds r) {
        return Bounds.hull(l.lo() * r.lo(), l.lo() * r.hi(), l.hi() * r.lo(), l.hi() * r.hi());
    }

    static Bounds reciprocal(Bounds b) {
        return b.containsZero() ? Bounds.REAL_LINE : Bounds.hull(1 / b.hi(), 1 / b.lo());
    }

    static Bounds hull(List<Bounds> pieces) {
        return new Bounds(pieces.get(0).lo(), pieces.get(pieces.size() - 1).hi());
    }

    private static List<Bounds> map(List<Bounds> pieces, UnaryOperator<Bounds> op) {
        return normalise(pieces.stream().map(op).toList());
    }

    private static List<Bounds> combine(List<Bounds> left, List<Bounds> right, BinaryOperator<Bounds> op) {
        List<Bounds> pieces = new ArrayList<>(left.size() * right.size());
        for (Bounds l : left) {
            for (Bounds r : right) {
                pieces.add(op.apply(l, r));
            }
        }
        return normalise(pieces);
    }

    /** Sorted, with overlapping pieces merged, and at most {@link #MAX_PIECES} of them. */
    private static List<Bounds> normalise(List<Bounds> pieces) {
        List<Bounds> sorted = new ArrayList<>(pieces);
        sorted.sort(Comparator.comparingDouble(Bounds::lo));
        List<Bounds> merged = new ArrayList<>();
        Bounds current = sorted.get(0);
        for (Bounds next : sorted.subList(1, sorted.size())) {
            if (next.lo() <= current.hi()) {
                current = new Bounds(current.lo(), Math.max(current.hi(), next.hi()));
            } else {
                merged.add(current);
                current = next;
            }
        }
        merged.add(current);
        return merged.size() <= MAX_PIECES ? List.copyOf(merged) : List.of(hull(merged));
    }
}
