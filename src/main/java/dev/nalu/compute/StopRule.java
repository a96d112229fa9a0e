package dev.nalu.compute;

/**
 * Decides at a progress point whether a run may end before its step budget, for example because
 * the member it would select already snaps to an exact formula. It sees the progress report and
 * the weights of the member the result would select at that point (lowest validation error, ties
 * to the lower sparsity error), nothing else. A rule must be a function of those two, so that a
 * run resumed from a checkpoint makes the same decision at the same step.
 */
@FunctionalInterface
public interface StopRule {
    /** Never stops early: the run trains its whole budget. */
    StopRule NEVER = (progress, selected) -> false;

    boolean stop(Progress progress, Network selected);
}
