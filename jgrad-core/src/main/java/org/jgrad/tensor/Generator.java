package org.jgrad.tensor;

import org.jgrad.backend.RandomStream;

/**
 * A seeded pseudo-random generator (xoshiro256**), the explicit source of randomness for tensor
 * creation, initializers, dropout and shuffling. Its whole state can be read and restored, so a
 * checkpoint can resume a run bit for bit.
 *
 * <p>Not thread-safe: give each thread its own generator (see {@link #split()}).
 */
public final class Generator {
    private long s0, s1, s2, s3;
    private double spareGaussian;
    private boolean hasSpare;
    /** This generator as the backends' random source: the same draws, in the same order. */
    private final RandomStream stream = new RandomStream() {
        @Override public long nextLong() { return Generator.this.nextLong(); }
        @Override public float nextFloat() { return Generator.this.nextFloat(); }
        @Override public double nextDouble() { return Generator.this.nextDouble(); }
        @Override public int nextInt(int bound) { return Generator.this.nextInt(bound); }
        @Override public double nextGaussian() { return Generator.this.nextGaussian(); }
    };

    /** A generator seeded deterministically from {@code seed}. */
    public Generator(long seed) {
        manualSeed(seed);
    }

    /** Re-seeds the generator (like {@code torch.manual_seed}). */
    public Generator manualSeed(long seed) {
        // splitmix64 expands the seed so that nearby seeds give unrelated streams.
        long x = seed;
        s0 = mix(x += 0x9E3779B97F4A7C15L);
        s1 = mix(x += 0x9E3779B97F4A7C15L);
        s2 = mix(x += 0x9E3779B97F4A7C15L);
        s3 = mix(x + 0x9E3779B97F4A7C15L);
        hasSpare = false;
        return this;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The next 64 random bits. */
    public long nextLong() {
        long result = Long.rotateLeft(s1 * 5, 7) * 9;
        long t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = Long.rotateLeft(s3, 45);
        return result;
    }

    /** Uniform in [0, 1) with 24 random bits, the float32 resolution. */
    public float nextFloat() {
        return (nextLong() >>> 40) * 0x1.0p-24f;
    }

    /** Uniform in [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform integer in [0, bound). */
    public int nextInt(int bound) {
        if (bound <= 0) throw new IllegalArgumentException("nextInt: bound must be positive, got " + bound);
        // Lemire's multiply-shift with rejection: unbiased.
        long m = (nextLong() >>> 32) * bound;
        long low = m & 0xFFFFFFFFL;
        if (low < bound) {
            long threshold = (0x100000000L - bound) % bound;
            while (low < threshold) {
                m = (nextLong() >>> 32) * bound;
                low = m & 0xFFFFFFFFL;
            }
        }
        return (int) (m >>> 32);
    }

    /** Standard normal sample (Marsaglia polar method). */
    public double nextGaussian() {
        if (hasSpare) {
            hasSpare = false;
            return spareGaussian;
        }
        double u, v, s;
        do {
            u = 2 * nextDouble() - 1;
            v = 2 * nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        double f = Math.sqrt(-2 * Math.log(s) / s);
        spareGaussian = v * f;
        hasSpare = true;
        return u * f;
    }

    /** What a random fill of the tensor layer hands to {@code RandomBackend}. */
    RandomStream stream() {
        return stream;
    }

    /** A new generator whose stream is independent of this one's (advances this generator). */
    public Generator split() {
        return new Generator(nextLong());
    }

    /** The full state: four state words, the cached Gaussian flag and value. */
    public long[] getState() {
        return new long[] {s0, s1, s2, s3, hasSpare ? 1 : 0, Double.doubleToRawLongBits(spareGaussian)};
    }

    /** Restores a state read with {@link #getState()}. */
    public void setState(long[] state) {
        if (state == null || state.length != 6)
            throw new IllegalArgumentException("Generator.setState: expected 6 words, got "
                    + (state == null ? "null" : state.length));
        if ((state[0] | state[1] | state[2] | state[3]) == 0)
            throw new IllegalArgumentException("Generator.setState: all-zero state is invalid");
        s0 = state[0];
        s1 = state[1];
        s2 = state[2];
        s3 = state[3];
        hasSpare = state[4] != 0;
        spareGaussian = Double.longBitsToDouble(state[5]);
    }
}
