package dev.nalu.compute;

import java.util.List;

/**
 * The outcome of a population run.
 *
 * @param selected             the member with the lowest validation MSE (tie: lower sparsity error)
 * @param network              its weights in float64
 * @param validationMse        per member
 * @param extrapolationMse     per extrapolation set, per member (reported, never used to select)
 * @param membersSucceeded     members below the threshold on every extrapolation set at the end
 * @param firstSuccessStep     per member, the first measured step at which it succeeded, or -1
 * @param reinitialisations    members re-initialised (non-finite or stuck)
 * @param steps                steps trained
 * @param cancelled            whether training stopped early on request (or because the service stopped)
 * @param stoppedEarlyAt       the step at which the run's {@link StopRule} held and it ended before its
 *                             budget, or -1; such a run is not cancelled
 * @param history              every progress report
 */
public record TrainingResult(int selected, Network network, double[] validationMse, double[][] extrapolationMse,
                             int membersSucceeded, long[] firstSuccessStep, int reinitialisations, long steps,
                             boolean cancelled, long stoppedEarlyAt, List<Progress> history) {

    /** Whether the stop rule ended the run before its step budget. */
    public boolean stoppedEarly() {
        return stoppedEarlyAt >= 0;
    }

    /** The first step at which any member succeeded, or -1. */
    public long firstSuccess() {
        long best = -1;
        for (long s : firstSuccessStep) {
            if (s >= 0 && (best < 0 || s < best)) {
                best = s;
            }
        }
        return best;
    }
}
