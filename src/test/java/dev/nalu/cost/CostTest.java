package dev.nalu.cost;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

import dev.nalu.compute.LayerSpec;
import dev.nalu.compute.ModelSpec;
import dev.nalu.compute.Optimizer;
import dev.nalu.compute.TrainingConfig;
import dev.nalu.compute.Unit;

/** The cost model's arithmetic, counted by hand for small shapes. */
class CostTest {

    private static TrainingConfig training(int population, int batch, DataType type, Optimizer optimizer, boolean split) {
        return TrainingConfig.defaults(0, 10).withPopulation(population).withBatchSize(batch).withType(type)
                .withOptimizer(optimizer).withSplitInputMean(split);
    }

    @Test
    void aOneWeightNauCountsEveryBufferAndArray() {
        // NAU(2→1), K = 1, batch 1, float32, Adam, 1 evaluation row, 1 extrapolation range, 10 steps
        Cost.Job job = Cost.job(ModelSpec.of(2, LayerSpec.of(Unit.NAU, 1)),
                training(1, 1, DataType.FLOAT, Optimizer.ADAM, true), 1, 1);

        // ND4J, 4 bytes each: parameters and gradients 2 + 2; a batch of 1 row: x 2, t 1, residual 1, loss 1,
        // the NAU's output and its gradient 1 + 1 (a first layer is one GEMM, no buffers of its own);
        // the evaluation chunk is min(2000, 1) = 1 row, the same again: 4 × (4 + 7 + 7)
        assertThat(job.trainingBuffers()).isEqualTo(4 * (4 + 7 + 7));
        // ParameterUpdate per parameter: memberOf 4, p 8, g 8, elementStepSize 8, Adam's m and v 16, float32
        // staging 8 = 52 bytes × 2; stepSize 8 per member, the trainer's counters 48 per member, headers 2048
        assertThat(job.optimiser()).isEqualTo(2 * 52 + 8 + 48 + 2048);
        // validation, extrapolation and snapping sets: 3 × 1 row × 3 float64; the batch's x and y 3 float64;
        // float32 load buffers for the batch and the chunk 2 × 3 floats
        assertThat(job.dataSets()).isEqualTo(3 * 8 * 3 + 8 * 3 + 4 * 2 * 3);
        // one checkpoint: 2 parameters × (4 + 2 × 8), 40 bytes per member, 1 KB of header; four copies
        assertThat(job.checkpoints()).isEqualTo(4 * (2 * 20 + 40 + 1024));
        // the input-mean sample: 4096 rows × 2 inputs and one batch; an evaluation chunk; a threshold chunk
        assertThat(job.scratch()).isEqualTo(8 * (4096 * 2 + 3) + 8 * 3 + 8 * 2);
        assertThat(job.memberSteps()).isEqualTo(10);
        assertThat(job.bytes()).isEqualTo(job.trainingBuffers() + job.optimiser() + job.dataSets() + job.checkpoints()
                + job.scratch());
    }

    @Test
    void nmuBuffersFollowTheirPass() {
        // NMU(3→2) → NMU(2→1), K = 2, batch 4, float64, SGD, 10 evaluation rows
        Cost.Job job = Cost.job(ModelSpec.of(3, LayerSpec.of(Unit.NMU, 2), LayerSpec.of(Unit.NMU, 1)),
                training(2, 4, DataType.DOUBLE, Optimizer.SGD, false), 10, 1);

        // model: parameters and gradients 2 × 2 × (6 + 2) = 32, 1 − W per member: 2 × 6 + 2 × 2 = 16
        long model = 32 + 16;
        // a batch of R rows: x 3R, t R, residual 2R, loss 2;
        // first NMU (broadcast pass): output and gradient 2 × 2R·2, f, p, scratch 3 × R·2·3·2, x − 1 3R;
        // second NMU (one output, per-member inputs): output and gradient 2 × 2R, f, q, scratch 3 × R·2·2, ones R
        long batch4 = (12 + 4 + 8 + 2) + (32 + 144 + 12) + (16 + 48 + 4);
        long chunk10 = (30 + 10 + 20 + 2) + (80 + 360 + 30) + (40 + 120 + 10);
        assertThat(batch4).isEqualTo(282);
        assertThat(chunk10).isEqualTo(702);
        assertThat(job.trainingBuffers()).isEqualTo(8 * (model + batch4 + chunk10));
        // SGD keeps no state; float64 needs no staging: 28 bytes per parameter
        assertThat(job.optimiser()).isEqualTo(16 * 28 + 8 * 2 + 48 * 2 + 2048);
        assertThat(job.checkpoints()).isEqualTo(4 * (16 * 8 + 80 + 1024));
    }

    @Test
    void laterLayersPayForPerMemberProducts() {
        // the same NAU as a second layer: its Linear keeps [B, K, in, out] for the product and the input gradient
        ModelSpec first = ModelSpec.of(4, LayerSpec.of(Unit.NAU, 1));
        ModelSpec second = ModelSpec.of(4, LayerSpec.of(Unit.NAU, 4), LayerSpec.of(Unit.NAU, 1));
        TrainingConfig t = training(8, 16, DataType.FLOAT, Optimizer.ADAM, false);
        long a = Cost.job(first, t, 16, 1).trainingBuffers();
        long b = Cost.job(second, t, 16, 1).trainingBuffers();
        // batch and chunk are both 16 rows: the second layer adds 2 × 16·8·4·1 (Linear) + 2 × 16·8·1 (output,
        // gradient) per batch, the first layer's 3 more outputs 2 × 16·8·3, and 2 × 8 × 4 × 4 parameters and gradients
        assertThat(b - a).isEqualTo(4 * (2 * (2 * 16 * 8 * 4 + 2 * 16 * 8 + 2 * 16 * 8 * 3) + 2 * 8 * 4 * 4));
    }

    @Test
    void theIssuesExampleAsksForHundredsOfGigabytes() {
        // NMU(1000→32) in a deeper model, K = 256, batch 1024: the first NMU alone keeps f, p and scratch of
        // [B, K, 1000, 32] floats, 3 × 1024 × 256 × 32,000 × 4 bytes = 100.7 GB per batch, and the evaluation
        // chunk of 2,000 rows twice that
        Cost.Job job = Cost.job(ModelSpec.of(1000, LayerSpec.of(Unit.NMU, 32), LayerSpec.of(Unit.NAU, 1)),
                training(256, 1024, DataType.FLOAT, Optimizer.ADAM, true), 10_000, 1);
        assertThat(job.trainingBuffers()).isGreaterThan(3L * 1024 * 256 * 32_000 * 4 + 3L * 2000 * 256 * 32_000 * 4);
        assertThat(job.heap()).isGreaterThan(256L * 32_032 * 52);   // ParameterUpdate for 8.2 million parameters
    }

    @Test
    void requestsCountWhatTheyHold() {
        // evaluate: per range, 1000 × 2 inputs, targets and predictions, and a threshold chunk of 1000 × 2
        assertThat(Cost.evaluate(1000, 2)).isEqualTo(8 * (1000 * 4 + 1000 * 2));
        // the threshold's chunk stops at 4096 rows
        assertThat(Cost.evaluate(100_000, 1000)).isEqualTo(8L * (100_000L * 1002 + 4096L * 1000));
        // predict: 10 rows of 2 parsed values and the row's own bytes
        assertThat(Cost.predict(10, 2)).isEqualTo(10 * (72 * 2 + 208));
        // import: 2 input names, the reference NMU(2→1) in float64 (2 parameters, 2 gradients, 1 − W 2, its
        // weights read back 2), 2 weight values copied and written as JSON
        assertThat(Cost.modelImport(2, 2, List.of(LayerSpec.of(Unit.NMU, 1)), 2)).isEqualTo(64 * 2 + 8 * 8 + 83 * 2);
    }

    @Test
    void declaredSizesBeyondAnyMemorySaturateInsteadOfOverflowing() {
        long huge = Cost.modelImport(Integer.MAX_VALUE, Integer.MAX_VALUE,
                List.of(LayerSpec.of(Unit.INALU, Integer.MAX_VALUE), LayerSpec.of(Unit.NAU, 1)), Long.MAX_VALUE);
        assertThat(huge).isEqualTo(Long.MAX_VALUE);
        assertThat(Cost.predict(Integer.MAX_VALUE, Integer.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
        assertThat(Cost.modelImport(-5, -5, List.of(), 0)).isZero();
    }
}
