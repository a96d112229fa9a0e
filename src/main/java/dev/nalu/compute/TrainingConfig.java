package dev.nalu.compute;

import org.nd4j.linalg.api.buffer.DataType;

/**
 * How a population trains.
 *
 * @param population       K members, each with its own seed (1..256)
 * @param seed             the run's seed: member seeds, batches and re-initialisations derive from it
 * @param steps            optimiser steps
 * @param batchSize        a fresh batch every step
 * @param learningRate     optimiser step size
 * @param optimizer        Adam (default), RMSProp or SGD
 * @param type             FLOAT or DOUBLE training arithmetic
 * @param evaluateEvery    steps between validation/extrapolation measurements (and progress reports)
 * @param regulariserStart fraction of the budget where regulariser ramps begin (Mistry et al.: 20k of 50k)
 * @param regulariserEnd   fraction of the budget where they reach full strength (35k of 50k)
 * @param decayStart       fraction of the budget from which the learning rate decays linearly to
 *                         {@value #FINAL_LEARNING_RATE_FACTOR} of itself at the last step; 1 = constant
 * @param gradientClip     clip each gradient element to ±this before the update; 0 = off
 * @param reinitialiseStuck re-initialise members whose training loss stopped improving (iNALU's rule)
 * @param splitInputMean   Adam steps a first-layer NAU's weights along the mean of its inputs apart from
 *                         the rest (see {@link InputMeanBasis}); with Adam only
 */
public record TrainingConfig(int population, long seed, long steps, int batchSize, double learningRate,
                             Optimizer optimizer, DataType type, int evaluateEvery,
                             double regulariserStart, double regulariserEnd, double decayStart, double gradientClip,
                             boolean reinitialiseStuck, boolean splitInputMean) {
    public static final int MAX_POPULATION = 256;
    /** The learning rate at the last step, as a fraction of the configured one, when it decays. */
    public static final double FINAL_LEARNING_RATE_FACTOR = 0.01;
    /** Default start of the decay: once the regularisers are at full strength. */
    public static final double DEFAULT_DECAY_START = 0.7;

    public TrainingConfig {
        if (population < 1 || population > MAX_POPULATION) {
            throw new IllegalArgumentException("population must be in 1.." + MAX_POPULATION + ", got " + population);
        }
        if (steps < 1 || batchSize < 1 || evaluateEvery < 1) {
            throw new IllegalArgumentException("steps, batch size and evaluation interval must be positive");
        }
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be a positive number");
        }
        if (!(regulariserStart >= 0 && regulariserStart <= regulariserEnd && regulariserEnd <= 1)) {
            throw new IllegalArgumentException("regulariser ramp must satisfy 0 ≤ start ≤ end ≤ 1");
        }
        if (!(decayStart >= 0 && decayStart <= 1)) {
            throw new IllegalArgumentException("learning-rate decay start must be in [0, 1], got " + decayStart);
        }
    }

    /**
     * The learning rate at a step: constant until decayStart of the budget, then linear down to
     * {@value #FINAL_LEARNING_RATE_FACTOR} of itself at the last step. Without the decay, Adam keeps
     * moving weights that should sit at 0 by about lr per step, which the ε-criterion sees (a − b on
     * the arithmetic task: no member of 16 met it after 30k steps at lr 1e-3 without decay, all 16
     * with it).
     */
    public double learningRateAt(long step) {
        double at = (double) step / steps;
        if (decayStart >= 1 || at <= decayStart) {
            return learningRate;
        }
        double left = 1 - (at - decayStart) / (1 - decayStart);
        return learningRate * Math.max(FINAL_LEARNING_RATE_FACTOR, left);
    }

    /**
     * Defaults: K=16, Adam lr 1e-3, batch 128, float32, measure every 1000 steps, regulariser ramp
     * 40%→70%, learning-rate decay from 70%, the first NAU's input-mean direction stepped apart.
     */
    public static TrainingConfig defaults(long seed, long steps) {
        return new TrainingConfig(16, seed, steps, 128, 1e-3, Optimizer.ADAM, DataType.FLOAT,
                1000, 0.4, 0.7, DEFAULT_DECAY_START, 0, false, true);
    }

    public TrainingConfig withPopulation(int k) {
        return new TrainingConfig(k, seed, steps, batchSize, learningRate, optimizer, type, evaluateEvery,
                regulariserStart, regulariserEnd, decayStart, gradientClip, reinitialiseStuck, splitInputMean);
    }

    public TrainingConfig withLearningRate(double lr) {
        return new TrainingConfig(population, seed, steps, batchSize, lr, optimizer, type, evaluateEvery,
                regulariserStart, regulariserEnd, decayStart, gradientClip, reinitialiseStuck, splitInputMean);
    }

    public TrainingConfig withBatchSize(int b) {
        return new TrainingConfig(population, seed, steps, b, learningRate, optimizer, type, evaluateEvery,
                regulariserStart, regulariserEnd, decayStart, gradientClip, reinitialiseStuck, splitInputMean);
    }

    public TrainingConfig withType(DataType t) {
        return new TrainingConfig(population, seed, steps, batchSize, learningRate, optimizer, t, evaluateEvery,
                regulariserStart, regulariserEnd, decayStart, gradientClip, reinitialiseStuck, splitInputMean);
    }

    public TrainingConfig withEvaluateEvery(int n) {
        return new TrainingConfig(population, seed, steps, batchSize, learningRate, optimizer, type, n,
                regulariserStart, regulariserEnd, decayStart, gradientClip, reinitialiseStuck, splitInputMean);
    }

    public TrainingConfig withSteps(long n) {
        return new TrainingConfig(population, seed, n, batchSize, learningRate, optimizer, type, evaluateEvery,
                regulariserStart, regulariserEnd, decayStart, gradientClip, reinitialiseStuck, splitInputMean);
    }

    public TrainingConfig withSeed(long s) {
        return new TrainingConfig(population, s, steps, batchSize, learningRate, optimizer, type, evaluateEvery,
                regulariserStart, regulariserEnd, decayStart, gradientClip, reinitialiseStuck, splitInputMean);
    }

    public TrainingConfig withOptimizer(Optimizer o) {
        return new TrainingConfig(population, seed, steps, batchSize, learningRate, o, type, evaluateEvery,
                regulariserStart, regulariserEnd, decayStart, gradientClip, reinitialiseStuck, splitInputMean);
    }

    public TrainingConfig withRegulariserRamp(double start, double end) {
        return new TrainingConfig(population, seed, steps, batchSize, learningRate, optimizer, type, evaluateEvery,
                start, end, decayStart, gradientClip, reinitialiseStuck, splitInputMean);
    }

    public TrainingConfig withGradientClip(double clip) {
        return new TrainingConfig(population, seed, steps, batchSize, learningRate, optimizer, type, evaluateEvery,
                regulariserStart, regulariserEnd, decayStart, clip, reinitialiseStuck, splitInputMean);
    }

    public TrainingConfig withReinitialiseStuck(boolean on) {
        return new TrainingConfig(population, seed, steps, batchSize, learningRate, optimizer, type, evaluateEvery,
                regulariserStart, regulariserEnd, decayStart, gradientClip, on, splitInputMean);
    }

    /** Learning-rate decay from this fraction of the budget; 1 = constant learning rate. */
    public TrainingConfig withDecayStart(double start) {
        return new TrainingConfig(population, seed, steps, batchSize, learningRate, optimizer, type, evaluateEvery,
                regulariserStart, regulariserEnd, start, gradientClip, reinitialiseStuck, splitInputMean);
    }

    /** Whether Adam steps a first-layer NAU along its input mean apart from the rest ({@link InputMeanBasis}). */
    public TrainingConfig withSplitInputMean(boolean on) {
        return new TrainingConfig(population, seed, steps, batchSize, learningRate, optimizer, type, evaluateEvery,
                regulariserStart, regulariserEnd, decayStart, gradientClip, reinitialiseStuck, on);
    }
}
