package dev.nalu.task;

import java.util.Objects;

import org.nd4j.linalg.api.buffer.DataType;

import dev.nalu.compute.CellKind;
import dev.nalu.compute.SequenceData;
import dev.nalu.compute.SequenceRegulariser;
import dev.nalu.compute.SequenceResult;
import dev.nalu.compute.SequenceSpec;
import dev.nalu.compute.SequenceTrainer;
import dev.nalu.compute.TrainingConfig;
import dev.nalu.compute.Unit;

/**
 * How the service trains a recurrent model for one op of the recurrent arithmetic task
 * (docs/papers.md §6) when asked for {@code "model": "auto"}: the cell and head, the training
 * settings, the regulariser schedule and whether the run stops once a member's snapped network is
 * exact on the validation set (docs/sequence.md, "The recipe"). The recipe is chosen from the op
 * only; the subsets, signs and weights are learned.
 *
 * @param op          the op it is for
 * @param spec        cell, hidden size and head
 * @param config      population, steps, batch, learning rate and its decay, clipping (seed 1: set your own)
 * @param regulariser the NAU/NMU sparsity regulariser's schedule
 * @param snapStop    stop at the first evaluation where a member's snapped network is below the
 *                    validation threshold ({@link SequenceTrainer#run(java.util.function.Consumer,
 *                    java.util.function.BooleanSupplier, boolean)})
 * @param reason      why, in a sentence a user can read
 */
public record RecurrentRecipe(ArithmeticTask.Op op, SequenceSpec spec, TrainingConfig config,
                              SequenceRegulariser regulariser, boolean snapStop, String reason) {
    /** The step budget: the goal is success within 100,000 steps. */
    public static final long STEPS = 100_000;
    public static final int MEMBERS = 16;
    public static final int BATCH = 64;
    public static final double LEARNING_RATE = 1e-2;
    public static final int EVALUATE_EVERY = 250;

    public RecurrentRecipe {
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(regulariser, "regulariser");
        Objects.requireNonNull(reason, "reason");
    }

    /** The recipe for an op of the recurrent arithmetic task (10 inputs a step). */
    public static RecurrentRecipe forOp(ArithmeticTask.Op op) {
        int n = RecurrentArithmeticTask.DEFAULT_INPUTS;
        TrainingConfig config = TrainingConfig.defaults(1, STEPS).withPopulation(MEMBERS).withBatchSize(BATCH)
                .withLearningRate(LEARNING_RATE).withEvaluateEvery(EVALUATE_EVERY).withDecayStart(1)
                .withSplitInputMean(false).withType(DataType.FLOAT);
        SequenceRegulariser reg = SequenceRegulariser.linear(1, 2_000, 10_000);
        return switch (op) {
            case ADD, SUB -> new RecurrentRecipe(op, SequenceSpec.of(n, CellKind.NAU).withHead(Unit.NAU), config, reg, true,
                    "running sums of the two subsets (NAU cell, hidden 2) then their " + (op == ArithmeticTask.Op.ADD
                            ? "sum" : "difference") + " (NAU head); stops when a member snaps to an exact model");
            case MUL, SQUARE -> new RecurrentRecipe(op, SequenceSpec.of(n, CellKind.NAU).withHead(Unit.NMU), config, reg, true,
                    "running sums of the subsets (NAU cell, hidden 2) then their product (NMU head)"
                            + (op == ArithmeticTask.Op.SQUARE ? "; a² is a · a"
                                    : "; for × most runs end in a saddle, from which the refit and snap after training"
                                            + " finds the exact model (10 of 10 seeds within 10,000 steps,"
                                            + " docs/results/recurrent.md)")
                            + "; stops when a member snaps to an exact model");
            case DIV, SQRT -> {
                // the architecture a job's "auto" trains (SequenceAutoModel); its RealNPU head does not snap, so the
                // snap stop never fires and the run trains to its budget
                SequenceAutoModel.Choice auto = SequenceAutoModel.choose(op == ArithmeticTask.Op.DIV ? "div" : "sqrt", n);
                yield new RecurrentRecipe(op, auto.spec(), config, reg, true, auto.reason()
                        + "; it met the criterion on none of 5 seeds (docs/results/recurrent.md)");
            }
        };
    }

    /** The same recipe with another seed. */
    public RecurrentRecipe withSeed(long seed) {
        return new RecurrentRecipe(op, spec, config.withSeed(seed), regulariser, snapStop, reason);
    }

    /** The same recipe with other training settings. */
    public RecurrentRecipe withConfig(TrainingConfig c) {
        return new RecurrentRecipe(op, spec, c, regulariser, snapStop, reason);
    }

    public RecurrentRecipe withSpec(SequenceSpec s) {
        return new RecurrentRecipe(op, s, config, regulariser, snapStop, reason);
    }

    public RecurrentRecipe withRegulariser(SequenceRegulariser r) {
        return new RecurrentRecipe(op, spec, config, r, snapStop, reason);
    }

    public RecurrentRecipe withSnapStop(boolean on) {
        return new RecurrentRecipe(op, spec, config, regulariser, on, reason);
    }

    /** A trainer for this recipe on the given data. */
    public SequenceTrainer trainer(SequenceData data) {
        return new SequenceTrainer(spec, data, config, regulariser);
    }

    /** Trains to the budget or the snap stop, without progress reports. */
    public SequenceResult train(SequenceData data) {
        return trainer(data).run(p -> { }, () -> false, snapStop);
    }
}
