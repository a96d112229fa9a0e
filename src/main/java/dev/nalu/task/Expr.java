package dev.nalu.task;

import java.util.Objects;

/**
 * The abstract syntax tree of a user's arithmetic expression, compiled from EvalEx's parse tree by
 * {@link ExpressionTask}. Immutable, evaluated in plain float64 arithmetic (no BigDecimal), and
 * closed: these nine node types are all an expression can contain.
 *
 * <p>{@link #toString()} renders the tree as text with the fewest parentheses that parse back to
 * the same tree, using the ASCII operators {@code + - * / ^} and {@code sqrt(…)}.
 */
public sealed interface Expr {

    /** Value of the expression on the row x[offset ..], where {@link Var#column()} indexes the row. */
    double evaluate(double[] x, int offset);

    /** A numeric literal. */
    record Const(double value) implements Expr {
        public Const {
            if (!Double.isFinite(value)) {
                throw new IllegalArgumentException("a constant must be finite, got " + value);
            }
        }

        @Override
        public double evaluate(double[] x, int offset) {
            return value;
        }

        @Override
        public String toString() {
            return ExprFormat.format(this);
        }
    }

    /** An input variable, read from column {@code column} of the row. */
    record Var(String name, int column) implements Expr {
        public Var {
            Objects.requireNonNull(name, "name");
            if (column < 0) {
                throw new IllegalArgumentException("column must be >= 0, got " + column);
            }
        }

        @Override
        public double evaluate(double[] x, int offset) {
            return x[offset + column];
        }

        @Override
        public String toString() {
            return ExprFormat.format(this);
        }
    }

    /** −operand. */
    record Neg(Expr operand) implements Expr {
        public Neg {
            Objects.requireNonNull(operand, "operand");
        }

        @Override
        public double evaluate(double[] x, int offset) {
            return -operand.evaluate(x, offset);
        }

        @Override
        public String toString() {
            return ExprFormat.format(this);
        }
    }

    /** left + right. */
    record Add(Expr left, Expr right) implements Expr {
        public Add {
            Objects.requireNonNull(left, "left");
            Objects.requireNonNull(right, "right");
        }

        @Override
        public double evaluate(double[] x, int offset) {
            return left.evaluate(x, offset) + right.evaluate(x, offset);
        }

        @Override
        public String toString() {
            return ExprFormat.format(this);
        }
    }

    /** left − right. */
    record Sub(Expr left, Expr right) implements Expr {
        public Sub {
            Objects.requireNonNull(left, "left");
            Objects.requireNonNull(right, "right");
        }

        @Override
        public double evaluate(double[] x, int offset) {
            return left.evaluate(x, offset) - right.evaluate(x, offset);
        }

        @Override
        public String toString() {
            return ExprFormat.format(this);
        }
    }

    /** left × right. */
    record Mul(Expr left, Expr right) implements Expr {
        public Mul {
            Objects.requireNonNull(left, "left");
            Objects.requireNonNull(right, "right");
        }

        @Override
        public double evaluate(double[] x, int offset) {
            return left.evaluate(x, offset) * right.evaluate(x, offset);
        }

        @Override
        public String toString() {
            return ExprFormat.format(this);
        }
    }

    /** left ÷ right (IEEE 754: a zero divisor gives ±∞ or NaN). */
    record Div(Expr left, Expr right) implements Expr {
        public Div {
            Objects.requireNonNull(left, "left");
            Objects.requireNonNull(right, "right");
        }

        @Override
        public double evaluate(double[] x, int offset) {
            return left.evaluate(x, offset) / right.evaluate(x, offset);
        }

        @Override
        public String toString() {
            return ExprFormat.format(this);
        }
    }

    /** base ^ exponent, by {@link Math#pow} (NaN for a negative base and a non-integer exponent). */
    record Pow(Expr base, Expr exponent) implements Expr {
        public Pow {
            Objects.requireNonNull(base, "base");
            Objects.requireNonNull(exponent, "exponent");
        }

        @Override
        public double evaluate(double[] x, int offset) {
            return Math.pow(base.evaluate(x, offset), exponent.evaluate(x, offset));
        }

        @Override
        public String toString() {
            return ExprFormat.format(this);
        }
    }

    /** √operand (NaN for a negative operand). */
    record Sqrt(Expr operand) implements Expr {
        public Sqrt {
            Objects.requireNonNull(operand, "operand");
        }

        @Override
        public double evaluate(double[] x, int offset) {
            return Math.sqrt(operand.evaluate(x, offset));
        }

        @Override
        public String toString() {
            return ExprFormat.format(this);
        }
    }
}
