package dev.nalu.task;

/**
 * Renders an {@link Expr} as text that {@link ExpressionTask} parses back to the same tree, with
 * parentheses only where precedence or associativity needs them. Precedence, lowest first:
 * + − (left-associative), × ÷ (left-associative), unary − and √, ^ (right-associative), atoms.
 * As in the parser, ^ binds tighter than unary minus: {@code -a^2} is −(a²).
 */
final class ExprFormat {

    private static final int ADDITIVE = 1;
    private static final int MULTIPLICATIVE = 2;
    private static final int UNARY = 3;
    private static final int POWER = 4;
    private static final int ATOM = 5;

    private ExprFormat() {
    }

    static String format(Expr expr) {
        if (expr instanceof Expr.Const c) {
            return Numbers.format(c.value());
        } else if (expr instanceof Expr.Var v) {
            return v.name();
        } else if (expr instanceof Expr.Neg n) {
            return "-" + operand(n.operand(), UNARY, true);
        } else if (expr instanceof Expr.Sqrt s) {
            return "sqrt(" + format(s.operand()) + ")";
        } else if (expr instanceof Expr.Add a) {
            return leftAssociative(a.left(), " + ", a.right(), ADDITIVE);
        } else if (expr instanceof Expr.Sub s) {
            return leftAssociative(s.left(), " - ", s.right(), ADDITIVE);
        } else if (expr instanceof Expr.Mul m) {
            return leftAssociative(m.left(), " * ", m.right(), MULTIPLICATIVE);
        } else if (expr instanceof Expr.Div d) {
            return leftAssociative(d.left(), " / ", d.right(), MULTIPLICATIVE);
        } else if (expr instanceof Expr.Pow p) {
            return operand(p.base(), POWER, true) + "^" + operand(p.exponent(), POWER, false);
        }
        throw new IllegalStateException("unknown node " + expr.getClass());
    }

    private static String leftAssociative(Expr left, String operator, Expr right, int precedence) {
        return operand(left, precedence, false) + operator + operand(right, precedence, true);
    }

    /** Parenthesises a child that binds looser than its parent, or as loose on the side associativity does not group. */
    private static String operand(Expr child, int parentPrecedence, boolean parenthesiseEqual) {
        int precedence = precedence(child);
        boolean parenthesise = precedence < parentPrecedence || (parenthesiseEqual && precedence == parentPrecedence);
        String text = format(child);
        return parenthesise ? "(" + text + ")" : text;
    }

    private static int precedence(Expr expr) {
        if (expr instanceof Expr.Add || expr instanceof Expr.Sub) {
            return ADDITIVE;
        } else if (expr instanceof Expr.Mul || expr instanceof Expr.Div) {
            return MULTIPLICATIVE;
        } else if (expr instanceof Expr.Neg) {
            return UNARY;
        } else if (expr instanceof Expr.Const c && c.value() < 0) {
            return UNARY;
        } else if (expr instanceof Expr.Pow) {
            return POWER;
        }
        return ATOM;
    }
}
