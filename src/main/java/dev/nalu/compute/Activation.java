package dev.nalu.compute;

/** Activations of the dense baseline (Trask et al. 2018, Fig. 1). */
public enum Activation {
    NONE, RELU, RELU6, TANH, SIGMOID, ELU, LEAKY_RELU, SOFTPLUS;

    /** Slope of leaky ReLU for negative inputs. */
    public static final double LEAKY_SLOPE = 0.01;

    public static Activation parse(String text) {
        String t = text.trim().toUpperCase().replace('-', '_');
        return t.equals("LINEAR") || t.equals("IDENTITY") ? NONE : Activation.valueOf(t);
    }

    /** The activation in float64, for inference. */
    public double apply(double z) {
        return switch (this) {
            case NONE -> z;
            case RELU -> Math.max(z, 0);
            case RELU6 -> Math.min(Math.max(z, 0), 6);
            case TANH -> Math.tanh(z);
            case SIGMOID -> 1 / (1 + Math.exp(-z));
            case ELU -> z > 0 ? z : Math.expm1(z);
            case LEAKY_RELU -> z > 0 ? z : LEAKY_SLOPE * z;
            case SOFTPLUS -> z > 30 ? z : Math.log1p(Math.exp(z));
        };
    }

    public String label() {
        return name().toLowerCase().replace('_', '-');
    }
}
