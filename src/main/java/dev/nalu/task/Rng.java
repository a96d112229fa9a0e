package dev.nalu.task;

/**
 * SplitMix64 (Steele, Lea &amp; Flood, "Fast splittable pseudorandom number generators", OOPSLA
 * 2014): a 64-bit state advanced by a fixed odd increment and passed through a bijective mixer.
 *
 * <p>Deterministic and cheap to snapshot: the whole generator is its {@link #state()}. For
 * resumable training, {@link #seeded(long, long)} gives each (seed, stream) pair its own
 * generator, so the batch drawn at step t depends only on (seed, t) and not on the steps before.
 * Not thread-safe; not for cryptography.
 */
public final class Rng {

    /** The golden-ratio increment γ = ⌊2⁶⁴/φ⌋ of SplitMix64. */
    private static final long GAMMA = 0x9E3779B97F4A7C15L;
    private static final double DOUBLE_UNIT = 0x1.0p-53;

    private long state;

    private Rng(long state) {
        this.state = state;
    }

    /** Resumes a generator exactly where {@link #state()} was taken. */
    public static Rng fromState(long state) {
        return new Rng(state);
    }

    /**
     * A generator for one stream (e.g. one training step) of one seed. The seed and the stream id
     * are each passed through the SplitMix64 mixer, so that neighbouring seeds and neighbouring
     * steps start far apart in the state space and their outputs are uncorrelated.
     */
    public static Rng seeded(long seed, long stream) {
        return new Rng(mix(mix(seed) + GAMMA * stream));
    }

    public long state() {
        return state;
    }

    public long nextLong() {
        state += GAMMA;
        return mix(state);
    }

    /** Uniform in [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * DOUBLE_UNIT;
    }

    /**
     * Uniform in [0, bound). Uses ⌊u · bound⌋ with a 53-bit u, whose bias (≤ bound · 2⁻⁵³) is far
     * below anything a test could detect.
     */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        return (int) (nextDouble() * bound);
    }

    /** Fills out[from .. from+length) with uniform values in [0, 1); the same values as repeated {@link #nextDouble()}. */
    public void nextDoubles(double[] out, int from, int length) {
        long s = state;
        for (int i = from, end = from + length; i < end; i++) {
            s += GAMMA;
            out[i] = (mix(s) >>> 11) * DOUBLE_UNIT;
        }
        state = s;
    }

    /** The SplitMix64 output function (Stafford's "Mix13" variant of the MurmurHash3 finaliser). */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
