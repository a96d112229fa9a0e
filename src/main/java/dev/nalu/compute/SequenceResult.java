package dev.nalu.compute;

import java.util.List;

/**
 * The outcome of a recurrent population run.
 *
 * @param selected          the member with the lowest validation MSE at the training length (tie: lower sparsity error)
 * @param network           its weights in float64 (when {@code snapped}: its snapped network)
 * @param validationMse     per member
 * @param extrapolationMse  per test set (by length), per member: reported, never used to select
 * @param membersSucceeded  members below the threshold on every test set at the end
 * @param firstSuccessStep  per member, the first measured step at which it succeeded, or -1
 * @param reinitialisations members re-initialised because their loss turned non-finite
 * @param steps             steps trained
 * @param cancelled         whether training stopped early on request
 * @param history           every progress report
 * @param members           every member's weights at the end, in float64 (each member is judged on its own in
 *                          success-rate benchmarks)
 * @param snapped           whether the run stopped because the selected member's snapped network was below the
 *                          validation threshold at the training length ({@code run(…, true)}); {@code network} is
 *                          then that snapped network
 */
public record SequenceResult(int selected, SequenceNetwork network, double[] validationMse, double[][] extrapolationMse,
                             int membersSucceeded, long[] firstSuccessStep, int reinitialisations, long steps,
                             boolean cancelled, List<Progress> history,
                             List<SequenceNetwork> members, boolean snapped) {

    /** A result whose network is the selected member as trained. */
    public SequenceResult(int selected, SequenceNetwork network, double[] validationMse, double[][] extrapolationMse,
                          int membersSucceeded, long[] firstSuccessStep, int reinitialisations, long steps,
                          boolean cancelled, List<Progress> history, List<SequenceNetwork> members) {
        this(selected, network, validationMse, extrapolationMse, membersSucceeded, firstSuccessStep, reinitialisations,
                steps, cancelled, history, members, false);
    }
}
