package dev.nalu.task;

/**
 * Bounds on what a user may submit as an expression, so that parsing, analysis and evaluation stay
 * cheap and shallow.
 *
 * @param maxLength the most characters the expression text may have
 * @param maxDepth  the greatest height of its syntax tree: a variable or number has depth 1,
 *                  {@code a * b} depth 2, {@code -(a * b)} depth 3. A chain of n terms
 *                  {@code x0 + x1 + … } has depth n, since + groups to the left.
 */
public record ExpressionLimits(int maxLength, int maxDepth) {

    public static final ExpressionLimits DEFAULT = new ExpressionLimits(200, 32);

    public ExpressionLimits {
        if (maxLength <= 0 || maxDepth <= 0) {
            throw new IllegalArgumentException(
                    "expression limits must be positive, got maxLength=" + maxLength + ", maxDepth=" + maxDepth);
        }
    }
}
