package dev.nalu.compute;


/**
 * The optimisers a job can choose, applied by {@link ParameterUpdate} over the flat gradient of
 * every parameter of every member. State (Adam's m and v, RMSProp's mean square) is flat too, so a
 * member's state is reset with its parameters.
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
}
