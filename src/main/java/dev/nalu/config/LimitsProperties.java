package dev.nalu.config;

import jakarta.validation.constraints.Positive;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import dev.nalu.compute.TrainingConfig;

/**
 * What one request may ask for. Every bound is checked before anything is written; a request over
 * a bound is answered 400 with the field and the limit (413 for the body size).
 *
 * @param maxSteps              training steps per job
 * @param maxProgressReports    progress reports (events) per job: a job's evaluateEvery is at least
 *                              steps / this, and GET /jobs/{id}/metrics returns at most this many
 * @param minEvaluateEvery      the fewest steps between two progress reports (fewer when a job has
 *                              fewer steps), so that a short job does not write a report every step
 * @param maxPopulation         members per job (at most {@value TrainingConfig#MAX_POPULATION})
 * @param maxBatchSize          rows per training batch
 * @param maxInputSize          model inputs (variables, or n of the arithmetic task)
 * @param maxLayers             layers of an explicit model
 * @param maxLayerWidth         outputs of one layer
 * @param maxEvaluationRows     rows of the fixed validation and extrapolation sets of a job
 * @param maxExtrapolationRanges extrapolation ranges of a job
 * @param maxIntervals          intervals in one range union
 * @param maxExpressionLength   characters of an expression
 * @param maxExpressionDepth    height of an expression's syntax tree
 * @param maxRangeMagnitude     largest |bound| of any range (training, extrapolation, evaluation)
 * @param maxPredictRows        rows per predict request
 * @param maxEvaluateSamples    samples per range of an evaluate request
 * @param maxEvaluateRanges     ranges per evaluate request
 * @param maxPageSize           items per page of a list
 * @param maxRequestSize        bytes of a request body
 */
@Validated
@ConfigurationProperties("nalu.limits")
public record LimitsProperties(
        @DefaultValue("1000000") @Positive long maxSteps,
        @DefaultValue("1000") @Positive int maxProgressReports,
        @DefaultValue("10") @Positive int minEvaluateEvery,
        @DefaultValue("256") @Positive int maxPopulation,
        @DefaultValue("1024") @Positive int maxBatchSize,
        @DefaultValue("1000") @Positive int maxInputSize,
        @DefaultValue("6") @Positive int maxLayers,
        @DefaultValue("32") @Positive int maxLayerWidth,
        @DefaultValue("10000") @Positive int maxEvaluationRows,
        @DefaultValue("8") @Positive int maxExtrapolationRanges,
        @DefaultValue("8") @Positive int maxIntervals,
        @DefaultValue("200") @Positive int maxExpressionLength,
        @DefaultValue("32") @Positive int maxExpressionDepth,
        @DefaultValue("1e12") @Positive double maxRangeMagnitude,
        @DefaultValue("10000") @Positive int maxPredictRows,
        @DefaultValue("100000") @Positive int maxEvaluateSamples,
        @DefaultValue("16") @Positive int maxEvaluateRanges,
        @DefaultValue("100") @Positive int maxPageSize,
        @DefaultValue("1MB") DataSize maxRequestSize) {

    public LimitsProperties {
        if (maxPopulation > TrainingConfig.MAX_POPULATION) {
            throw new IllegalArgumentException("nalu.limits.max-population can be at most "
                    + TrainingConfig.MAX_POPULATION + ", got " + maxPopulation);
        }
    }
}
