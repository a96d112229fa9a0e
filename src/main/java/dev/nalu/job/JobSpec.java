package dev.nalu.job;

import java.util.List;

import org.nd4j.linalg.api.buffer.DataType;

import dev.nalu.compute.ModelSpec;
import dev.nalu.compute.Optimizer;
import dev.nalu.compute.TrainingConfig;
import dev.nalu.model.LayerDefinition;
import dev.nalu.model.Ranges;
import dev.nalu.model.TaskDefinition;
import dev.nalu.task.Domain;

/**
 * A validated job with every default filled in, as stored in the jobs table: running it again
 * from this record trains exactly the same population.
 *
 * @param extrapolation each test range as [[lo, hi], …]
 */
public record JobSpec(String name, TaskDefinition task, List<List<List<Double>>> extrapolation,
                      ModelChoice model, Training training) {

    /**
     * The architecture: chosen by "auto" (with AutoModel's rule and reason) or given explicitly.
     *
     * @param requested "auto" or "explicit"
     * @param inputs    model inputs
     */
    @io.swagger.v3.oas.annotations.media.Schema(name = "JobSpecModel",
            requiredProperties = {"requested", "inputs", "layers", "rule", "reason"})
    public record ModelChoice(String requested, int inputs, List<LayerDefinition> layers, String rule, String reason) {
        public ModelSpec toSpec() {
            return new ModelSpec(inputs, layers.stream().map(LayerDefinition::toSpec).toList());
        }
    }

    /** Training settings, all present. */
    @io.swagger.v3.oas.annotations.media.Schema(name = "JobSpecTraining")
    public record Training(long steps, int population, long seed, double learningRate, int batchSize,
                           String optimizer, String precision, int evaluateEvery, int evaluationRows,
                           double regulariserStart, double regulariserEnd, Double learningRateDecayStart,
                           double gradientClip, boolean reinitialiseStuck, Boolean earlyStop,
                           Boolean splitInputMean) {

        /** A spec stored before early stop existed has none: it resumes as it started, to its budget. */
        public boolean stopsEarly() {
            return earlyStop != null && earlyStop;
        }

        public TrainingConfig toConfig() {
            // a spec stored before the decay existed has none: it resumes as it started
            double decay = learningRateDecayStart == null ? 1 : learningRateDecayStart;
            boolean split = splitInputMean != null && splitInputMean;
            return new TrainingConfig(population, seed, steps, batchSize, learningRate, Optimizer.parse(optimizer),
                    "float64".equals(precision) ? DataType.DOUBLE : DataType.FLOAT, evaluateEvery,
                    regulariserStart, regulariserEnd, decay, gradientClip, reinitialiseStuck, split);
        }
    }

    /** The float64 values of datasets the job holds while it trains (0 unless it is a dataset task). */
    public long datasetValues() {
        return task.data() == null ? 0 : task.data().values();
    }

    public List<Domain> extrapolationDomains() {
        return extrapolation.stream().map(Ranges::fromLists).toList();
    }
}
