package dev.nalu.compute;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.updaters.AdamUpdater;
import org.nd4j.linalg.api.ops.impl.updaters.RmsPropUpdater;
import org.nd4j.linalg.api.ops.impl.updaters.SgdUpdater;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One fused updater op over the flat gradient of every parameter of every member, then one
 * subtraction: two ND4J ops per step whatever the model or K. State (Adam's m and v, RMSProp's
 * mean square) is flat too, so a member's state is reset with its parameters.
 */
public enum Optimizer {
    ADAM(2), RMSPROP(1), SGD(0);

    /** Adam (Kingma and Ba 2015) defaults. */
    public static final double BETA1 = 0.9;
    public static final double BETA2 = 0.999;
    public static final double ADAM_EPSILON = 1e-8;
    /** RMSProp decay and ε. */
    public static final double RMS_DECAY = 0.95;
    public static final double RMS_EPSILON = 1e-8;

    /** Number of state vectors the size of the parameters. */
    final int stateVectors;

    Optimizer(int stateVectors) {
        this.stateVectors = stateVectors;
    }

    public static Optimizer parse(String text) {
        return valueOf(text.trim().toUpperCase());
    }

    /** Turns {@code grad} into the update in place and subtracts it from {@code params}. */
    void step(INDArray params, INDArray grad, INDArray[] state, double lr, long iteration) {
        switch (this) {
            case ADAM -> Nd4j.getExecutioner().exec(new AdamUpdater(grad, state[0], state[1], grad, state[0], state[1],
                    lr, BETA1, BETA2, ADAM_EPSILON, (int) Math.min(iteration, Integer.MAX_VALUE)));
            case RMSPROP -> Nd4j.getExecutioner().exec(new RmsPropUpdater(grad, state[0], grad, state[0], lr, RMS_DECAY, RMS_EPSILON));
            case SGD -> Nd4j.getExecutioner().exec(new SgdUpdater(grad, grad, lr));
        }
        Nd.sub(params, grad, params);
    }
}
