package dev.nalu.job;

import java.util.List;

import org.nd4j.linalg.api.buffer.DataType;

import dev.nalu.compute.ModelSpec;
import dev.nalu.compute.Optimizer;
import dev.nalu.compute.SequenceRegulariser;
import dev.nalu.compute.SequenceSpec;
import dev.nalu.compute.TrainingConfig;
import dev.nalu.cost.Budgets;
import dev.nalu.cost.Cost;
import dev.nalu.search.SearchPlan;
import dev.nalu.model.CellDefinition;
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
     * The architecture: chosen by "auto" (with AutoModel's rule and reason), given explicitly, or, for "search",
     * the candidate architectures the search races (chosen from the data's shape at submission and stored, so a
     * resumed job races the same ones; {@code layers} is then empty).
     *
     * @param requested  "auto", "explicit" or "search"
     * @param inputs     model inputs
     * @param candidates the search's candidates, simplest first; null unless "search"
     * @param recurrent  the recurrent model of a sequence task (then {@code layers} is empty); null otherwise
     */
    @io.swagger.v3.oas.annotations.media.Schema(name = "JobSpecModel",
            requiredProperties = {"requested", "inputs", "layers", "rule", "reason"})
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record ModelChoice(String requested, int inputs, List<LayerDefinition> layers, String rule, String reason,
                              List<Candidate> candidates, CellDefinition recurrent) {

        public ModelChoice(String requested, int inputs, List<LayerDefinition> layers, String rule, String reason) {
            this(requested, inputs, layers, rule, reason, null, null);
        }

        public ModelChoice(String requested, int inputs, List<LayerDefinition> layers, String rule, String reason,
                           List<Candidate> candidates) {
            this(requested, inputs, layers, rule, reason, candidates, null);
        }

        /** The recurrent model of a sequence job: "auto" or explicit, with the rule and reason. */
        public static ModelChoice sequence(String requested, SequenceSpec spec, String rule, String reason) {
            return new ModelChoice(requested, spec.inputs(), List.of(), rule, reason, null, CellDefinition.of(spec));
        }

        /** Whether the job trains a recurrent model (a sequence task). */
        public boolean sequence() {
            return recurrent != null;
        }

        /** The recurrent model of a sequence job. */
        public SequenceSpec sequenceSpec() {
            if (!sequence()) {
                throw new IllegalStateException("not a sequence job");
            }
            return recurrent.toSpec(inputs);
        }

        /** Whether the job is an architecture search. */
        public boolean search() {
            return candidates != null;
        }

        /** The one architecture of a job that is not a search. */
        public ModelSpec toSpec() {
            if (sequence()) {
                throw new IllegalStateException("a sequence job trains " + sequenceSpec().describe() + ", not layers");
            }
            if (search()) {
                throw new IllegalStateException("a search has " + candidates.size() + " architectures, not one");
            }
            return new ModelSpec(inputs, layers.stream().map(LayerDefinition::toSpec).toList());
        }

        /** The search's plan as stored. */
        public SearchPlan plan() {
            return new SearchPlan(candidates.stream().map(c -> new SearchPlan.Candidate(c.name(),
                    new ModelSpec(inputs, c.layers().stream().map(LayerDefinition::toSpec).toList()))).toList(), rule, reason);
        }

        /** Every architecture the job trains: the search's candidates, or the one. */
        public List<ModelSpec> architectures() {
            return search() ? plan().candidates().stream().map(SearchPlan.Candidate::spec).toList() : List.of(toSpec());
        }

        /** "NAU(2→1)", or "search: NAU(2+1→1) | NPU(2→1)·c | …" (the jobs table's architecture). */
        public String describe() {
            return search() ? "search: " + String.join(" | ", candidates.stream().map(Candidate::name).toList())
                    : sequence() ? sequenceSpec().describe() : toSpec().describe();
        }
    }

    /** One candidate of a search: its readable name and its layers. */
    @io.swagger.v3.oas.annotations.media.Schema(name = "SearchCandidate", requiredProperties = {"name", "layers"})
    public record Candidate(String name, List<LayerDefinition> layers) {
    }

    /** Training settings, all present. */
    @io.swagger.v3.oas.annotations.media.Schema(name = "JobSpecTraining")
    public record Training(long steps, int population, long seed, double learningRate, int batchSize,
                           String optimizer, String precision, int evaluateEvery, int evaluationRows,
                           double regulariserStart, double regulariserEnd, Double learningRateDecayStart,
                           double gradientClip, boolean reinitialiseStuck, Boolean earlyStop,
                           Boolean splitInputMean, String regulariserSchedule, Double regulariserStrength) {

        public static final String LINEAR = "linear";
        public static final String EXPONENTIAL = "exponential";

        /**
         * A sequence job's regulariser: linear from regulariserStart to regulariserEnd of the steps up to λ̂ (default
         * 1), or Madsen &amp; Johansen's exponential λ̂ · (1 − e^(−10⁻⁵ t)) (default λ̂ 0.1).
         */
        public SequenceRegulariser sequenceRegulariser() {
            if (EXPONENTIAL.equals(regulariserSchedule)) {
                SequenceRegulariser paper = SequenceRegulariser.recurrentArithmetic();
                return regulariserStrength == null ? paper
                        : new SequenceRegulariser(regulariserStrength, paper.shape(), 0, 0, paper.rate());
            }
            double lambda = regulariserStrength == null ? 1 : regulariserStrength;
            return SequenceRegulariser.linear(lambda, Math.round(regulariserStart * steps), Math.round(regulariserEnd * steps));
        }

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

    /**
     * The job's cost against this replica's budgets (at submission, and again when a worker starts it): a 422 naming
     * the budget it is over.
     */
    public Cost.Job checkBudget(Budgets budgets) {
        TrainingConfig config = training.toConfig();
        if (model.sequence() && task.isNumberWords()) { // sequences of at most 5 tokens; the splits are evaluated whole
            int length = dev.nalu.task.NumberWords.MAX_TOKENS;
            return budgets.checkSequenceJob(model.sequenceSpec(), config, length, List.of(length),
                    training.evaluationRows());
        }
        if (model.sequence()) {
            TaskDefinition.SequenceSource s = task.sequence();
            // a test range is one more set at the training length
            List<Integer> measured = new java.util.ArrayList<>(s.testLengths());
            s.testDomains().forEach(d -> measured.add(s.trainLength()));
            return budgets.checkSequenceJob(model.sequenceSpec(), config, s.trainLength(), measured,
                    training.evaluationRows());
        }
        return budgets.checkJob(model.architectures(), config, training.evaluationRows(), extrapolation.size(),
                datasetValues());
    }

    /** The float64 values of datasets the job holds while it trains (0 unless it is a dataset task). */
    public long datasetValues() {
        return task.data() == null ? 0 : task.data().values();
    }

    public List<Domain> extrapolationDomains() {
        if (task.isSequence()) {
            return List.of();
        }
        return extrapolation.stream().map(Ranges::fromLists).toList();
    }
}
