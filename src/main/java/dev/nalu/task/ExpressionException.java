package dev.nalu.task;

/**
 * A user's expression was rejected: it does not parse, uses something other than + − × ÷ ^ √,
 * numbers and declared variables, or exceeds an {@link ExpressionLimits} limit. The message names
 * the problem and, when there is one, the offending token and its 1-based character position.
 */
public final class ExpressionException extends IllegalArgumentException {

    /** {@link #position()} when the problem concerns the whole expression rather than one token. */
    public static final int NO_POSITION = 0;

    private static final long serialVersionUID = 1L;

    private final String problem;
    private final int position;
    private final String token;

    /**
     * @param problem  what is wrong, e.g. "unknown variable 'c'"
     * @param position 1-based position of the offending token, or {@link #NO_POSITION}
     * @param token    the offending token text, or null
     */
    public ExpressionException(String problem, int position, String token) {
        super(message(problem, position, token));
        this.problem = problem;
        this.position = position;
        this.token = token;
    }

    public ExpressionException(String problem) {
        this(problem, NO_POSITION, null);
    }

    /** What is wrong, without the position. */
    public String problem() {
        return problem;
    }

    /** 1-based character position of the offending token, or {@link #NO_POSITION}. */
    public int position() {
        return position;
    }

    /** The offending token's text, or null. */
    public String token() {
        return token;
    }

    private static String message(String problem, int position, String token) {
        if (position == NO_POSITION) {
            return problem;
        }
        return problem + " at position " + position + (token == null ? "" : " ('" + token + "')");
    }
}
