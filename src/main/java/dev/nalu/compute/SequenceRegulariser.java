package dev.nalu.compute;

/**
 * The strength λ(t) of the NAU/NMU sparsity regulariser on a recurrent model at step t, in one of
 * the two shapes Madsen and Johansen's recurrent experiments use (see docs/sequence.md):
 * linear, λ̂·clamp((t − start)/(end − start), 0, 1) (their sequential MNIST: λ̂ = 10, steps
 * 10,000 → 100,000), or exponential, λ̂·(1 − e^{−rate·t}) (their recurrent arithmetic script:
 * λ̂ = 0.1, rate 10⁻⁵). Steps are absolute, as in the papers, not fractions of the budget.
 *
 * @param lambda the full strength λ̂
 * @param shape  linear ramp or exponential approach
 * @param start  linear: the step where the ramp begins
 * @param end    linear: the step where it reaches λ̂
 * @param rate   exponential: the rate
 */
public record SequenceRegulariser(double lambda, Shape shape, long start, long end, double rate) {
    public enum Shape { LINEAR, EXPONENTIAL }

    public SequenceRegulariser {
        if (!(lambda >= 0) || !Double.isFinite(lambda)) {
            throw new IllegalArgumentException("λ must be a finite number ≥ 0, got " + lambda);
        }
        if (shape == Shape.LINEAR && !(start >= 0 && start <= end)) {
            throw new IllegalArgumentException("the linear ramp needs 0 ≤ start ≤ end");
        }
        if (shape == Shape.EXPONENTIAL && !(rate > 0)) {
            throw new IllegalArgumentException("the exponential schedule needs a positive rate");
        }
    }

    /** Sequential MNIST (Madsen and Johansen 2020): λ̂ = 10, linear from step 10,000 to 100,000. */
    public static SequenceRegulariser sequentialMnist() {
        return linear(10, 10_000, 100_000);
    }

    /** The authors' recurrent arithmetic script: λ(t) = 0.1 · (1 − e^{−10⁻⁵ t}). */
    public static SequenceRegulariser recurrentArithmetic() {
        return new SequenceRegulariser(0.1, Shape.EXPONENTIAL, 0, 0, 1e-5);
    }

    public static SequenceRegulariser linear(double lambda, long start, long end) {
        return new SequenceRegulariser(lambda, Shape.LINEAR, start, end, 0);
    }

    public static SequenceRegulariser none() {
        return linear(0, 0, 0);
    }

    /** λ at step t. */
    public double at(long step) {
        if (lambda == 0) {
            return 0;
        }
        if (shape == Shape.EXPONENTIAL) {
            return lambda * -Math.expm1(-rate * step);
        }
        if (end == start) {
            return step >= start ? lambda : 0;
        }
        return lambda * Math.max(0, Math.min(1, (double) (step - start) / (end - start)));
    }
}
