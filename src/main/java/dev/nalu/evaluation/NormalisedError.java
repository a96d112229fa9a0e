package dev.nalu.evaluation;

/**
 * The normalised error of Trask et al., "Neural Arithmetic Logic Units" (NeurIPS 2018):
 * 100 × MSE(model) / MSE(randomly initialised model), so a random model scores 100 and a perfect
 * one 0.
 */
public final class NormalisedError {

    private NormalisedError() {
    }

    /**
     * @throws IllegalArgumentException if the baseline MSE is not a positive finite number, for
     *                                  which no normalisation is meaningful
     */
    public static double of(double modelMse, double randomBaselineMse) {
        if (!(randomBaselineMse > 0) || Double.isInfinite(randomBaselineMse)) {
            throw new IllegalArgumentException(
                    "the random baseline's MSE must be positive and finite, got " + randomBaselineMse);
        }
        if (Double.isNaN(modelMse)) {
            return Double.POSITIVE_INFINITY;
        }
        return 100 * modelMse / randomBaselineMse;
    }
}
