package dev.nalu.search;

import java.util.List;

/**
 * Which entry of a front is served: the simplest formula whose validation error is within
 * {@value #TOLERANCE_FACTOR}× the best validation error of the front, or within float rounding of the
 * targets ({@value #ROUNDING} of their mean square, the rule of {@code Snap#reproducesTargets}). Ties go
 * to the lower validation error, then to the earlier (simpler) candidate. When no formula is within
 * the tolerance, the entry with the lowest validation error is served, formula or not. The
 * extrapolation errors are never read.
 */
public final class Front {
    /** An entry is as good as the best when its validation MSE is at most this multiple of it... */
    public static final double TOLERANCE_FACTOR = 2;
    /** ...or at most this fraction of the targets' mean square (float rounding of an exact formula). */
    public static final double ROUNDING = 1e-12;

    private Front() {
    }

    /** Index of the served entry. */
    public static int choose(List<FrontEntry> front, double targetMeanSquare) {
        if (front.isEmpty()) {
            throw new IllegalArgumentException("an empty front has nothing to serve");
        }
        int best = 0;
        for (int i = 1; i < front.size(); i++) {
            if (lower(front.get(i).validationMse(), front.get(best).validationMse())) {
                best = i;
            }
        }
        double bound = Math.max(TOLERANCE_FACTOR * front.get(best).validationMse(), ROUNDING * targetMeanSquare);
        int served = -1;
        for (int i = 0; i < front.size(); i++) {
            FrontEntry e = front.get(i);
            if (e.formula() == null || !(e.validationMse() <= bound)) {
                continue;
            }
            if (served < 0 || e.complexity() < front.get(served).complexity()
                    || e.complexity() == front.get(served).complexity()
                    && lower(e.validationMse(), front.get(served).validationMse())) {
                served = i;
            }
        }
        return served >= 0 ? served : best;
    }

    /** a < b, with NaN worst. */
    private static boolean lower(double a, double b) {
        return !Double.isNaN(a) && (Double.isNaN(b) || a < b);
    }
}
