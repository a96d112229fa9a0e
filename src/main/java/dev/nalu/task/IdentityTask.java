package dev.nalu.task;

import java.util.List;
import java.util.Objects;

/**
 * y = x on one variable "x": Trask et al. (2018), Fig. 1, train an MLP to output its input on
 * [-5, 5] and show that it fails outside that range for every non-linear activation.
 */
public record IdentityTask(Domain trainDomain) implements Task {

    /** The training range of Trask et al. (2018), Fig. 1. */
    public static final Domain TRASK_TRAIN_DOMAIN = Domain.of(-5, 5);

    public IdentityTask {
        Objects.requireNonNull(trainDomain, "trainDomain");
    }

    @Override
    public List<String> variables() {
        return List.of("x");
    }

    @Override
    public Domain trainDomain(int column) {
        Objects.checkIndex(column, 1);
        return trainDomain;
    }

    @Override
    public double target(double[] x, int offset) {
        return x[offset];
    }

    /** The one weight 1 becomes 1 − eps; there are no other inputs to leak in. */
    @Override
    public double perturbedTarget(double[] x, int offset, double eps) {
        return (1 - eps) * x[offset];
    }

    @Override
    public Bounds targetBounds() {
        return targetBounds(trainDomain);
    }

    @Override
    public Bounds targetBounds(Domain everyColumn) {
        return new Bounds(everyColumn.lo(), everyColumn.hi());
    }

    @Override
    public String describe() {
        return "identity y = x";
    }
}
