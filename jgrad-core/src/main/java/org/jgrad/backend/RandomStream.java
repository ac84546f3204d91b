package org.jgrad.backend;

/**
 * The seeded stream a random fill draws from: the tensor layer hands its generator over through this
 * view, and a fill draws in element order, so that a seed gives the same tensor on every backend that
 * draws this way. (A device backend that draws with its own counter-based generator would take the
 * stream's seed words instead.)
 */
public interface RandomStream {
    /** The next 64 random bits. */
    long nextLong();

    /** Uniform in [0, 1) with 24 random bits. */
    float nextFloat();

    /** Uniform in [0, 1) with 53 random bits. */
    double nextDouble();

    /** Uniform integer in [0, bound), unbiased. */
    int nextInt(int bound);

    /** A standard normal sample. */
    double nextGaussian();
}
