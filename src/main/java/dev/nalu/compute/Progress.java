package dev.nalu.compute;

import java.util.List;

/**
 * A progress report during training.
 *
 * @param step                  optimiser steps done
 * @param loss                  training MSE of the member currently best on validation, on this step's batch
 * @param validationMse         interpolation validation MSE of that member
 * @param bestMember            its index
 * @param extrapolationMse      its MSE on each extrapolation set (reported, never used)
 * @param membersSucceeded      members below the success threshold on every extrapolation set
 * @param memberStepsPerSecond  training throughput since the previous report
 * @param reinitialisations     members re-initialised so far (non-finite or stuck)
 */
public record Progress(long step, double loss, double validationMse, int bestMember, List<Double> extrapolationMse,
                       int membersSucceeded, double memberStepsPerSecond, int reinitialisations) {
}
