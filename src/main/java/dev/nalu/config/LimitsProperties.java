package dev.nalu.config;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Positive;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import dev.nalu.compute.TrainingConfig;

/**
 * What one request may ask for. Every bound is checked before anything is written; a request over
 * a bound is answered 400 with the field and the limit (413 for the body size). The budgets (the
 * last seven) bound what the fields ask for together, as bytes and member-steps computed by
 * {@code dev.nalu.cost.Cost}; a request over one is answered 422 /problems/over-budget.
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
 * @param jobMemoryFraction     share of the heap (Runtime.maxMemory()) that this replica's running jobs
 *                              may hold together, ND4J's buffers and the heap counted alike, split evenly
 *                              among nalu.jobs.workers; ND4J may allocate about the heap again off-heap
 *                              (the Dockerfile's JAVA_OPTS), so either pool stays within this share
 * @param requestMemoryFraction share of the heap one evaluate, predict or import request may hold
 * @param maxJobBytes           bytes one job may hold; unset: jobMemoryFraction × heap / workers
 * @param maxEvaluateBytes      bytes one evaluate request may hold; unset: requestMemoryFraction × heap
 * @param maxPredictBytes       bytes one predict request may hold; unset: requestMemoryFraction × heap
 * @param maxImportBytes        bytes one model import may hold; unset: requestMemoryFraction × heap
 * @param maxMemberSteps        steps × population of one job (a sequence job: member time-steps, see Cost.sequenceJob)
 * @param maxSequenceLength     steps of one sequence: a sequence job's training and test lengths, a sequence in
 *                              predict, a length in evaluate
 * @param maxSequenceEvaluateSteps time steps one evaluate request of a sequence model computes (samples × the
 *                              lengths), so that no request holds a CPU for long
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
        @DefaultValue("1MB") DataSize maxRequestSize,
        @DefaultValue("0.5") @DecimalMin(value = "0", inclusive = false) @DecimalMax("1") double jobMemoryFraction,
        @DefaultValue("0.125") @DecimalMin(value = "0", inclusive = false) @DecimalMax("1") double requestMemoryFraction,
        DataSize maxJobBytes,
        DataSize maxEvaluateBytes,
        DataSize maxPredictBytes,
        DataSize maxImportBytes,
        @DefaultValue("100000000") @Positive long maxMemberSteps,
        @DefaultValue("10000") @Positive int maxSequenceLength,
        @DefaultValue("10000000") @Positive long maxSequenceEvaluateSteps) {

    public LimitsProperties {
        if (maxPopulation > TrainingConfig.MAX_POPULATION) {
            throw new IllegalArgumentException("nalu.limits.max-population can be at most "
                    + TrainingConfig.MAX_POPULATION + ", got " + maxPopulation);
        }
        for (DataSize budget : new DataSize[] {maxJobBytes, maxEvaluateBytes, maxPredictBytes, maxImportBytes}) {
            if (budget != null && budget.toBytes() <= 0) {
                throw new IllegalArgumentException("a nalu.limits.max-*-bytes budget must be positive (or unset: derived "
                        + "from the heap), got " + budget);
            }
        }
    }
}
