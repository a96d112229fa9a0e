package dev.nalu.search;

import java.util.List;

import dev.nalu.evaluation.Formula;

/**
 * One candidate architecture's outcome in a search's front.
 *
 * @param architecture      its name ("NPU(3→1)·c")
 * @param formula           its selected member snapped to a formula, or null when no formula did as well
 *                          as the trained network
 * @param complexity        nodes of the formula tree ({@link Formula#complexity()}), or -1 without a formula
 * @param validationMse     interpolation validation MSE in float64: of the formula when there is one, else
 *                          of the trained network
 * @param extrapolationMse  the same on each extrapolation set: reported only, never used to choose
 * @param reproducesTargets whether the formula reproduces the validation targets (the early-stop rule)
 * @param steps             the steps this candidate trained before the search ended or eliminated it
 */
public record FrontEntry(String architecture, Formula formula, int complexity, double validationMse,
                         List<Double> extrapolationMse, boolean reproducesTargets, long steps) {
    public FrontEntry {
        extrapolationMse = List.copyOf(extrapolationMse);
    }
}
