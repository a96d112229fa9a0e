package dev.nalu.compute;

/**
 * Adam for a first-layer NAU in a basis split along the mean of its inputs.
 *
 * <p>Why: when every input is far from zero (the arithmetic task trains on U[1,2]), the inputs'
 * second moment E[xxᵀ] = Σ + μμᵀ has one eigenvalue |μ|² + σ² along μ and σ² everywhere else:
 * on 100 inputs from U[1,2] that is 225 against 0.083. The batch noise of the gradient then lies
 * mostly along μ, in every coordinate at once, and Adam divides every coordinate's step by it.
 * What the layer must learn, which inputs go to which output, lies orthogonal to μ, and Adam steps
 * there about 1/5 as far as it would without that common noise. On × with NAU(100→2) → NMU, plain
 * Adam leaves every member where both NAU columns hold (a+b)/2 for 100,000 steps; the component
 * that separates them grew from 0.056 to 0.064 in 40,000 steps at lr 1e-2.
 *
 * <p>What: the gradient of each member's weight column g is split into its component along the unit
 * mean direction u = μ/|μ|, c = uᵀg, and the rest g − u c. The rest takes the usual per-element
 * Adam step; c has its own Adam moments and steps the column along u, as far as per-element Adam
 * would have (see {@link #alongScale}). That is Adam in the basis
 * {u, u⊥} (the eigenbasis of E[xxᵀ] when the inputs share one variance), a one-sided form of
 * running Adam in a preconditioner's eigenbasis (Vyas et al. 2024, SOAP). μ comes from training
 * batches only, never from the target: it is a property of the inputs, so the weights stay learned.
 *
 * <p>Storage: the first layer's weights are [inputs, K, cols] ({@link Param.Layout#MEMBER_MIDDLE}).
 */
final class InputMeanBasis {
    /** Split only when the mean direction's eigenvalue is at least twice the others': |μ|² ≥ mean variance. */
    static final double MIN_MEAN_TO_VARIANCE = 1;
    /**
     * Split only a layer of at least this many inputs. On a few inputs the split gains nothing (a ∘ b
     * finds its exact formula on 10 of 10 seeds in 20,000 steps without it) and costs: (a + b) × c
     * on U[1,2] (NAU(3→2) → NMU) left 10 of 16 members in a linear fit, 0.58a + 0.32b + c, that
     * plain Adam escapes with all 16.
     */
    static final int MIN_INPUTS = 10;

    private final double[] u;
    private final int from;
    private final int members;
    private final int cols;
    /** The weights' clamp bounds. */
    private final double lo;
    private final double hi;
    /**
     * Σ|uᵢ|, the factor on the step along u (√n when every input has the same mean). Per-element
     * Adam moves a column whose gradient lies along u by α·sign(uᵢ) in every coordinate, which is
     * α·Σ|uᵢ| along u; a single Adam coordinate along u would move it by α only. With this factor the
     * split keeps plain Adam's speed along the mean and changes only the other directions. Without it
     * the mean direction moved √100 = 10 times slower than under plain Adam, which cost the units that
     * need a column's scale to move: √a with NAU(100→1) → RealNPU met the ε-criterion with 1 of 16
     * members on seed 2, against 11 with plain Adam and 10 with the factor (the RealNPU meanwhile
     * absorbs a wrong scale c into a wrong exponent, (c·a)^0.65 for √a).
     */
    private final double alongScale;
    /** Adam's first and second moments of c, per member and column. */
    private final double[] m;
    private final double[] v;
    /** Scratch per member and column: the component along u, then its step. */
    private final double[] along;

    InputMeanBasis(double[] unitMean, int from, int members, int cols, double lo, double hi) {
        this.lo = lo;
        this.hi = hi;
        this.u = unitMean.clone();
        double l1 = 0;
        for (double ui : u) {
            l1 += Math.abs(ui);
        }
        this.alongScale = l1;
        this.from = from;
        this.members = members;
        this.cols = cols;
        this.m = new double[members * cols];
        this.v = new double[members * cols];
        this.along = new double[members * cols];
    }

    /**
     * The unit direction of the inputs' mean, or null when the inputs do not sit far enough from
     * zero for the split to matter (|μ|² below the mean variance) or there are fewer than
     * {@value #MIN_INPUTS} of them.
     *
     * @param x rows×inputs samples of the training inputs, row-major
     */
    static double[] direction(double[] x, int rows, int inputs) {
        if (inputs < MIN_INPUTS || rows < 2) {
            return null;
        }
        double[] mean = new double[inputs];
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < inputs; i++) {
                mean[i] += x[r * inputs + i];
            }
        }
        double norm2 = 0;
        for (int i = 0; i < inputs; i++) {
            mean[i] /= rows;
            norm2 += mean[i] * mean[i];
        }
        double variance = 0;
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < inputs; i++) {
                double d = x[r * inputs + i] - mean[i];
                variance += d * d;
            }
        }
        variance /= (double) (rows - 1) * inputs;
        if (!(norm2 >= MIN_MEAN_TO_VARIANCE * variance) || norm2 == 0) {
            return null;
        }
        double norm = Math.sqrt(norm2);
        for (int i = 0; i < inputs; i++) {
            mean[i] /= norm;
        }
        return mean;
    }

    /**
     * Takes each column's component along u out of the gradient g and updates its Adam moments. A
     * weight held at a bound of its clamp [lo, hi] by a gradient pushing it outward takes no step of
     * its own (its rest is zeroed): otherwise the rest, −u·c there, would pull it off the bound by
     * a whole Adam step each time the step along u pushed it back: while the split still applied to
     * two inputs, a + b on U[1,2] ended 2 of 10 seeds with one weight at 1 − 5e-5, missing the
     * ε-criterion.
     */
    void split(double[] g, double[] p) {
        // rows outermost: each input's [K, cols] block is contiguous, so every loop runs along memory
        int n = u.length;
        int stride = members * cols;
        java.util.Arrays.fill(along, 0);
        for (int i = 0; i < n; i++) {
            int row = from + i * stride;
            double ui = u[i];
            for (int j = 0; j < stride; j++) {
                along[j] += ui * g[row + j];
            }
        }
        for (int i = 0; i < n; i++) {
            int row = from + i * stride;
            double ui = u[i];
            for (int j = 0; j < stride; j++) {
                int idx = row + j;
                boolean held = (p[idx] >= hi && g[idx] < 0) || (p[idx] <= lo && g[idx] > 0);
                g[idx] = held ? 0 : g[idx] - ui * along[j];
            }
        }
        double b1 = Optimizer.BETA1;
        double b2 = Optimizer.BETA2;
        for (int j = 0; j < stride; j++) {
            m[j] = b1 * m[j] + (1 - b1) * along[j];
            v[j] = b2 * v[j] + (1 - b2) * along[j] * along[j];
        }
    }

    /**
     * Steps each column along u by Adam's step for its component times Σ|uᵢ|, member k with step size
     * stepSize[k].
     */
    void step(double[] p, double[] stepSize) {
        int n = u.length;
        int stride = members * cols;
        for (int j = 0; j < stride; j++) {
            along[j] = alongScale * stepSize[j / cols] * m[j] / (Math.sqrt(v[j]) + Optimizer.ADAM_EPSILON);
        }
        for (int i = 0; i < n; i++) {
            int row = from + i * stride;
            double ui = u[i];
            for (int j = 0; j < stride; j++) {
                p[row + j] -= along[j] * ui;
            }
        }
    }

    /** Forgets member k's moments (it was re-initialised). */
    void resetMember(int k) {
        for (int col = 0; col < cols; col++) {
            m[k * cols + col] = 0;
            v[k * cols + col] = 0;
        }
    }

    /** The moments, for checkpoints: read and written in place. */
    double[][] state() {
        return new double[][] {m, v};
    }
}
