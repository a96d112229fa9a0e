package dev.nalu.task;

/** Renders numbers the way a person writes them: {@code 2} rather than {@code 2.0}. */
final class Numbers {

    private Numbers() {
    }

    /** Integers below 1e15 without a decimal point, ±∞ as such; everything else as {@link Double#toString}. */
    static String format(double value) {
        if (Double.isInfinite(value)) {
            return value > 0 ? "∞" : "-∞";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }
}
