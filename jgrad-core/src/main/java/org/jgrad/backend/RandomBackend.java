package org.jgrad.backend;

/**
 * Random fills from a generator's stream (uniform, normal, integers, permutations, Bernoulli masks),
 * reproducible for a given seed and state: each method draws once per element, in element order
 * (twice for the elements of a permutation it swaps), so the numbers do not depend on the backend.
 *
 * <p>Methods take whole operations and return new storages, never loop tiles; the CPU implementation
 * is {@code org.jgrad.backend.cpu.CpuRandom}.
 */
public interface RandomBackend {
    /**
     * {@code length} float32 samples {@code low + (high − low)·u} for uniform u in [0, 1), each kept
     * strictly below {@code high} (rounding may otherwise land on it) unless {@code high == low}.
     */
    Storage uniform(RandomStream gen, int length, float low, float high);

    /** {@code length} float32 samples {@code (float) (mean + std·z)} for standard normal z. */
    Storage normal(RandomStream gen, int length, float mean, float std);

    /**
     * Fills {@code dst[offset .. offset + length − 1]} (float32) in place with {@code (float) v},
     * {@code v = mean + std·z} for standard normal z, drawn again while {@code v < low} or
     * {@code v > high} (infinite bounds: a plain normal fill; finite ones: {@code trunc_normal_} by
     * rejection). Draws happen in element order.
     */
    void normalInto(RandomStream gen, Storage dst, int offset, int length, double mean, double std, double low, double high);

    /** {@code length} int64 samples uniform in [low, high) ({@code low < high}). */
    Storage randint(RandomStream gen, int length, long low, long high);

    /** A random permutation of {@code 0 .. n−1} as int64 (Fisher–Yates from the last element down). */
    Storage randperm(RandomStream gen, int n);

    /**
     * A Bernoulli mask: {@code length} float32 values, each {@code below} where its uniform draw u
     * ({@link RandomStream#nextFloat}) satisfies {@code u < p}, else {@code otherwise}. Dropout masks
     * come out scaled in one pass (p = keep probability, below = 1/keep, otherwise = 0).
     */
    Storage bernoulli(RandomStream gen, int length, float p, float below, float otherwise);
}
