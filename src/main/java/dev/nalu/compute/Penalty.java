package dev.nalu.compute;

/**
 * A regulariser on one parameter tensor, per member: its value and its gradient per weight, at
 * strength 1 (the trainer scales it by the unit's λ on its ramp). The parameter update adds
 * {@code λ · gradient(w)} to each weight's gradient before the optimiser step.
 */
enum Penalty {
    NONE {
        @Override
        double value(double w) {
            return 0;
        }

        @Override
        double gradient(double w) {
            return 0;
        }
    },
    /**
     * Madsen and Johansen 2020: mean over the tensor of min(|w|, 1 − |w|), pushing each weight to
     * the nearest of {-1, 0, 1} (NMU's W lives in [0, 1], so there the nearest of {0, 1}). The mean
     * divides by the tensor's size per member, see {@link #perWeight}.
     */
    SPARSITY {
        @Override
        double value(double w) {
            return Math.min(Math.abs(w), 1 - Math.abs(w));
        }

        @Override
        double gradient(double w) {
            return sparsityGradient(w);
        }
    },
    /**
     * The distance to the nearest integer, mean over the tensor: |w − rint(w)|, Madsen and Johansen's
     * sparsity regulariser carried from {−1, 0, 1} to every integer, for weights that are not clamped
     * (the MAC cell's tables). Its pull is ±1 whatever the distance, so it snaps a weight near an
     * integer onto it and barely moves one far from every integer relative to a data gradient.
     */
    INTEGER {
        @Override
        double value(double w) {
            return Math.abs(w - Math.rint(w));
        }

        @Override
        double gradient(double w) {
            return integerGradient(w);
        }
    },
    /** Heim et al. 2020 (NPU): Σ |w|. */
    L1 {
        @Override
        double value(double w) {
            return Math.abs(w);
        }

        @Override
        double gradient(double w) {
            return Math.signum(w);
        }
    },
    /**
     * Schlör et al. 2020 (iNALU): (1/t) Σ max(min(−w, w) + t, 0) with t = 20, pushing Ŵ and M̂ out of
     * (−t, t) so tanh and σ saturate at their discrete values.
     */
    INALU {
        @Override
        double value(double w) {
            return Math.max(Math.min(-w, w) + T, 0) / T;
        }

        @Override
        double gradient(double w) {
            return inaluGradient(w);
        }
    };

    /** iNALU's regulariser threshold t. */
    static final double T = 20;

    /** Penalty of one weight at strength 1 (before the mean of {@link #SPARSITY}). */
    abstract double value(double w);

    /** d value / dw. */
    abstract double gradient(double w);

    /** d/dw min(|w|, 1 − |w|) = sign(w)·sign(½ − |w|). */
    static double sparsityGradient(double w) {
        return Math.signum(w) * Math.signum(0.5 - Math.abs(w));
    }

    /** d/dw |w − rint(w)| = sign(w − rint(w)). */
    static double integerGradient(double w) {
        return Math.signum(w - Math.rint(w));
    }

    /** d/dw max(min(−w, w) + t, 0)/t = −sign(w)/t inside (−t, t), else 0. */
    static double inaluGradient(double w) {
        return Math.abs(w) < T ? -Math.signum(w) / T : 0;
    }

    /** Whether the penalty is a mean over the tensor rather than a sum: the weight of one entry. */
    double perWeight(long weightsPerMember) {
        return this == SPARSITY || this == INTEGER ? 1.0 / weightsPerMember : 1.0;
    }
}
