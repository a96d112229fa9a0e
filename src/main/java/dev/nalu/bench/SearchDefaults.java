package dev.nalu.bench;

import dev.nalu.compute.TrainingConfig;

/** The budget the search benchmarks run with: a job's defaults for {@code "model": "search"} (JobSpecs). */
final class SearchDefaults {
    static final long STEPS = 20_000;
    static final int POPULATION = 64;
    static final double LEARNING_RATE = Double.parseDouble(System.getProperty("lr", "0.01"));

    private SearchDefaults() {
    }

    static TrainingConfig config(long seed, long steps, int population) {
        return TrainingConfig.defaults(seed, steps).withPopulation(population).withLearningRate(LEARNING_RATE);
    }
}
