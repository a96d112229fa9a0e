package dev.nalu.cost;

import java.util.List;

import org.nd4j.linalg.api.buffer.DataType;

import dev.nalu.compute.Activation;
import dev.nalu.compute.CellKind;
import dev.nalu.compute.LayerSpec;
import dev.nalu.compute.ModelSpec;
import dev.nalu.compute.SequenceSpec;
import dev.nalu.compute.TrainingConfig;
import dev.nalu.compute.Unit;

/**
 * What a job, an evaluation, a prediction or an import will hold in memory (and what a job will
 * train), computed from the request's declared sizes before anything is allocated.
 *
 * <p>The job's figures count what the compute classes really allocate: every {@code Nd4j.create} of
 * {@code PopulationModel} (flat parameters and gradients), of each unit's constructor and of each
 * unit's {@code Pass}, for the training batch and for the evaluation chunk the trainer measures its
 * fixed sets with; then the Java arrays of {@code ParameterUpdate}, the data sets and the
 * checkpoints. {@code CostMeasurementTest} checks the ND4J and heap figures against the buffers a
 * real {@code Trainer} holds, and the whole against the process's resident memory.
 *
 * <p>Arithmetic is in double so a declared size of 2³¹ × 2³¹ cannot overflow; a long cast of
 * anything beyond Long.MAX_VALUE saturates there.
 */
public final class Cost {
    /** Rows per chunk when the trainer measures its validation and extrapolation sets (Trainer.EVAL_CHUNK). */
    static final int EVAL_CHUNK = 2000;
    /** Training rows the trainer samples for the input-mean direction (Trainer.MEAN_SAMPLE_ROWS). */
    static final int MEAN_SAMPLE_ROWS = 4096;
    /** Rows per chunk of SuccessCriterion.threshold. */
    static final int THRESHOLD_CHUNK = 4096;
    /** Copies of a checkpoint on the heap at once: the stream, its growth and toByteArray while one is written, and the one a resumed run was read from. */
    public static final int CHECKPOINT_COPIES = 4;
    /** Heap per value of a parsed predict row: a Jackson number node (16-24 bytes) and its map entry in an object row. */
    static final int PARSED_VALUE_BYTES = 72;
    /** Heap per predicted row besides its values: the row node, the output and its JSON text. */
    static final int PREDICT_ROW_BYTES = 208;
    /** Heap per input of an imported task: an arithmetic task names its inputs "x0" … "x999" (a String each). */
    static final int INPUT_NAME_BYTES = 64;
    /** Heap per imported weight: its copy in the network (8) and its shortest decimal in the stored JSON (up to 24 chars, about 3 bytes each while written). */
    static final int IMPORTED_VALUE_BYTES = 8 + 3 * 25;

    private Cost() {
    }

    /**
     * A training job, in bytes and member-steps.
     *
     * @param trainingBuffers ND4J (off-heap): parameters, gradients and unit buffers of the population, the
     *                        training batch's activations and gradients, and those of the evaluation chunk
     * @param optimiser       heap: ParameterUpdate's float64 copies of parameters and gradients, the optimiser's
     *                        state vectors, member indices and staging arrays
     * @param dataSets        heap: the validation, extrapolation and snapping sets (rows × (inputs + 1) float64
     *                        each) and the batch arrays
     * @param checkpoints     heap: {@value #CHECKPOINT_COPIES} copies of the serialised training state
     * @param scratch         heap: short-lived arrays (the input-mean sample, an evaluation chunk, a threshold chunk)
     * @param memberSteps     steps × population
     */
    public record Job(long trainingBuffers, long optimiser, long dataSets, long checkpoints, long scratch,
                      long memberSteps) {
        /** Everything on the Java heap. */
        public long heap() {
            return (long) ((double) optimiser + dataSets + checkpoints + scratch);
        }

        /** Everything: ND4J's buffers and the heap. */
        public long bytes() {
            return (long) ((double) trainingBuffers + heap());
        }
    }

    /** The job that trains {@code model} with {@code training}, measured on fixed sets of {@code evaluationRows}. */
    public static Job job(ModelSpec model, TrainingConfig training, int evaluationRows, int extrapolationRanges) {
        return job(model, training, evaluationRows, extrapolationRanges, 0);
    }

    /**
     * As {@link #job(ModelSpec, TrainingConfig, int, int)}, for a job that also holds {@code datasetValues} float64
     * of a user's datasets (a dataset task: its rows' inputs and targets, and those of its held-out dataset).
     */
    public static Job job(ModelSpec model, TrainingConfig training, int evaluationRows, int extrapolationRanges,
                          long datasetValues) {
        double w = width(training.type());
        double n = model.inputs();
        double k = training.population();
        double b = training.batchSize();
        double chunk = Math.min(EVAL_CHUNK, evaluationRows);
        double p = k * parametersPerMember(model.inputs(), model.layers());
        boolean float32 = training.type() == DataType.FLOAT;
        double states = stateVectors(training);

        double nd4j = w * (modelElements(model.inputs(), model.layers(), k)
                + batchElements(model.inputs(), model.layers(), k, b)
                + batchElements(model.inputs(), model.layers(), k, chunk));

        // ParameterUpdate: memberOf int[P], p, g and elementStepSize double[P], the state vectors double[P]
        // each, float32 staging float[P] for values and gradients; stepSize double[K]; the trainer's six
        // per-member counters (steps, generation, first success, two loss windows, validation) and array headers
        double optimiser = p * (4 + 8 + 8 + 8 + 8 * states + (float32 ? 8 : 0)) + 8 * k + 48 * k + 2048;
        LayerSpec first = model.layers().get(0);
        boolean meanBasis = training.splitInputMean() && states == 2 && first.unit() == Unit.NAU && n >= 10;
        double basis = meanBasis ? 8 * (2 * n + 3 * k * first.out()) : 0;   // u, the direction; m, v, along per member and column

        // validation, each extrapolation range and the snapping set: rows × inputs and rows targets, float64;
        // the batch's x and y in float64 and, in float32, its load buffers and the evaluation chunk's
        double rowsBytes = 8 * evaluationRows * (n + 1);
        double dataSets = (2 + extrapolationRanges) * rowsBytes + 8 * b * (n + 1) + (float32 ? 4 * (b + chunk) * (n + 1) : 0)
                + 8.0 * datasetValues;

        // one checkpoint: the parameters in the training precision and every state vector in float64,
        // the mean basis' moments, and per member five counters (Trainer.checkpoint)
        double checkpoint = p * (w + 8 * states) + (meanBasis ? 16 * k * first.out() : 0) + 40 * k + 1024;

        double meanSample = training.splitInputMean() ? 8 * (Math.ceil(MEAN_SAMPLE_ROWS / b) * b * n + b * (n + 1)) : 0;
        double scratch = meanSample + 8 * chunk * (n + 1) + 8 * Math.min(evaluationRows, THRESHOLD_CHUNK) * n;

        return new Job((long) nd4j, (long) (optimiser + basis), (long) dataSets, (long) (CHECKPOINT_COPIES * checkpoint),
                (long) scratch, (long) ((double) training.steps() * k));
    }

    /** Values of a test set the sequence trainer makes at once (SequenceTrainer.EVAL_VALUES). */
    static final int SEQUENCE_EVAL_VALUES = 1 << 21;

    /**
     * A sequence job (docs/sequence.md): a recurrent population trained on batches of {@code trainLength} steps and
     * measured, at every progress report and at the end, on {@code rows} sequences at the training length and at
     * each test length. An estimate from the shapes the compute classes allocate, not a measurement:
     * backpropagation through time keeps every state and one step's buffers per time step for the training batch,
     * [B, K, hidden] each, a few per gate (four for the LSTM, three for the GRU and NALU gates, one otherwise) and,
     * for the multiplying cells, their factors [B, K, in + hidden, hidden]; the evaluation batch keeps two states
     * and one step for a chunk of at most 2²¹ values of x. The member-steps count time steps: population ×
     * (steps × trainLength + per measurement, rows × (trainLength + Σ testLengths) / batchSize), so that a test
     * length of 10,000 costs what it computes.
     */
    public static Job sequenceJob(SequenceSpec model, TrainingConfig training, int trainLength, List<Integer> testLengths,
                                  int rows) {
        double w = width(training.type());
        double n = model.inputs();
        double h = model.hidden();
        double k = training.population();
        double b = training.batchSize();
        double gates = switch (model.cell()) {
            case LSTM -> 4;
            case GRU, NALU -> 3;
            default -> 1;
        };
        boolean multiplies = model.cell() == CellKind.NMU || model.cell() == CellKind.NAC_MUL || model.cell() == CellKind.NALU;
        double perStep = h * (2 + 4 * gates) + (multiplies ? 2 * (n + h) * h : 0);
        double params = k * ((n + h + 2) * h * (gates + 2) + 4 * h + 8);
        int longest = trainLength;
        double lengths = trainLength;
        for (int length : testLengths) {
            longest = Math.max(longest, length);
            lengths += length;
        }
        double chunk = Math.max(1, Math.min(rows, Math.floor(SEQUENCE_EVAL_VALUES / (longest * n))));
        double nd4j = w * (3 * params + b * trainLength * n + b * k * trainLength * perStep + b * n * k * h
                + chunk * longest * n + chunk * k * 2 * perStep + chunk * n * k * h);
        double optimiser = params * (4 + 8 + 8 + 8 + 8 * stateVectors(training)) + 64 * k + 2048;
        double dataSets = 8 * (b * trainLength * n + b);
        double checkpoint = params * (w + 8 * stateVectors(training)) + 40 * k + 1024;
        double scratch = 8 * (chunk * longest * n + 2 * chunk * k) + 8 * longest * n;   // x of a chunk, its predictions
        double measurements = Math.ceil((double) training.steps() / training.evaluateEvery()) + 1;
        double memberSteps = k * ((double) training.steps() * trainLength + measurements * rows * lengths / b);
        return new Job((long) nd4j, (long) optimiser, (long) dataSets, (long) (CHECKPOINT_COPIES * checkpoint),
                (long) scratch, (long) memberSteps);
    }

    /**
     * POST /models/{id}/evaluate: the ranges are drawn one after another, so at most one range's rows
     * are held at a time: samples × inputs inputs, the targets and predictions, and a chunk of the
     * success threshold's rows.
     */
    public static long evaluate(int samples, int inputs) {
        double s = samples;
        return (long) (8 * (s * (inputs + 2) + Math.min(s, THRESHOLD_CHUNK) * inputs));
    }

    /** POST /models/{id}/predict: the parsed rows, the outputs and their JSON. */
    public static long predict(int rows, int inputs) {
        return (long) ((double) rows * ((double) PARSED_VALUE_BYTES * inputs + PREDICT_ROW_BYTES));
    }

    /**
     * POST /models: the task's input names, the reference model of the declared architecture (a
     * population of one in float64, whose shapes the document's tensors are checked against) and
     * its weights read back, and the document's weights copied and written as JSON.
     *
     * @param layers the declared layers that are well formed (the import's validation refuses the rest)
     */
    public static long modelImport(long taskInputs, long modelInputs, List<LayerSpec> layers, long weightValues) {
        double reference = 8 * (modelElements(modelInputs, layers, 1) + parametersPerMember(modelInputs, layers));
        return (long) ((double) INPUT_NAME_BYTES * Math.max(0, taskInputs) + reference
                + (double) IMPORTED_VALUE_BYTES * weightValues);
    }

    /** Bytes per element of the training precision. */
    static int width(DataType type) {
        return type == DataType.DOUBLE ? 8 : 4;
    }

    /** Optimiser state vectors the size of the parameters: Adam's m and v, RMSProp's mean square. */
    static int stateVectors(TrainingConfig training) {
        return switch (training.optimizer()) {
            case ADAM -> 2;
            case RMSPROP -> 1;
            case SGD -> 0;
        };
    }

    /** Trainable values of one member (the units' Params). */
    static double parametersPerMember(long inputs, List<LayerSpec> layers) {
        double total = 0;
        for (int i = 0; i < layers.size(); i++) {
            double in = i == 0 ? Math.max(0, inputs) : layers.get(i - 1).out();
            double out = layers.get(i).out();
            total += switch (layers.get(i).unit()) {
                case NAU, NMU -> in * out;                     // W
                case NAC_ADD, NAC_MUL -> 2 * in * out;         // Ŵ, M̂
                case NALU -> 3 * in * out;                     // Ŵ, M̂, G
                case INALU -> 4 * in * out + out;              // Ŵa, M̂a, Ŵm, M̂m, G
                case REAL_NPU -> in * out + in;                // W, g
                case DENSE -> in * out + out;                  // W, b
            };
        }
        return total;
    }

    /**
     * ND4J elements a population of k holds whatever the batch: its flat parameters and gradients
     * (PopulationModel.values, grads) and each unit's own buffers.
     */
    static double modelElements(long inputs, List<LayerSpec> layers, double k) {
        double elements = 2 * k * parametersPerMember(inputs, layers);
        for (int i = 0; i < layers.size(); i++) {
            double in = i == 0 ? Math.max(0, inputs) : layers.get(i - 1).out();
            double out = layers.get(i).out();
            double kio = k * in * out;
            elements += switch (layers.get(i).unit()) {
                case NMU -> kio;                               // 1 − W
                case NAC_ADD, NAC_MUL -> 5 * kio;              // NacWeight: W, dW, tanh Ŵ, σ(M̂), scratch
                case NALU -> 7 * kio;                          // NacWeight, dW of the add and mul paths
                case INALU -> 13 * kio + 2 * k * out;          // two NacWeights, |Wm|, 1 − |Wm|, sign Wm; σ(G), its slope
                default -> 0;
            };
        }
        return elements;
    }

    /**
     * ND4J elements of one batch of {@code rows} (PopulationModel.Batch): x, t, the residual and the
     * per-member loss, and each layer's Pass. A first layer sees the data once for every member
     * ([rows, 1, in], one GEMM); a later one per member ([rows, K, in]), so its Linear keeps a
     * [rows, K, in, out] product and, for the input gradient, another.
     */
    static double batchElements(long inputs, List<LayerSpec> layers, double k, double rows) {
        double elements = rows * inputs + rows + rows * k + k;
        for (int i = 0; i < layers.size(); i++) {
            LayerSpec layer = layers.get(i);
            boolean first = i == 0;
            double in = first ? inputs : layers.get(i - 1).out();
            double out = layer.out();
            double rko = rows * k * out;
            double rki = rows * k * in;
            double rkio = rows * k * in * out;
            double rin = rows * (first ? 1 : k) * in;       // the layer's input shape
            double linear = first ? 0 : 2 * rkio;           // Linear on per-member inputs: product, input gradient
            elements += 2 * rko;                            // output, gradOutput
            elements += switch (layer.unit()) {
                case NAU, NAC_ADD -> linear;
                case NMU -> !first && out == 1
                        ? 3 * rki + rows                    // one output: f, q, scratch over [rows, K·in]; a row of ones
                        : 3 * rkio + rin;                   // f, p, scratch [rows, K, in, out]; x − 1
                case NAC_MUL -> rko + (first ? 2 : 4) * rin + linear;        // dP; log space (+ its gradient, sign)
                case NALU -> 7 * rko + (first ? 2 * rin : 3 * rki + 4 * rin) + 3 * linear;
                case INALU -> 9 * rko + 5 * rin + 4 * rkio + k * in * out + k * out
                        + (first ? 0 : 3 * rki + 2 * rkio);                  // two per-member Linears always
                case REAL_NPU -> 2 * rin + 7 * rki + (first ? 0 : rin) + 6 * rko + k * in * out + 4 * rkio;
                case DENSE -> 2 * rko + (layer.activation() == Activation.NONE ? 0 : rko)
                        + (layer.activation() == Activation.RELU6 ? rko : 0) + linear;
            };
        }
        return elements;
    }
}
