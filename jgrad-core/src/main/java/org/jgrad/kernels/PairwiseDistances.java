package org.jgrad.kernels;

/**
 * Pairwise distances between the rows of two row-major float matrices (d values per row), on the
 * kernels {@link Kernels} chose: what k-nearest-neighbour search computes tile by tile.
 */
public final class PairwiseDistances {
    private PairwiseDistances() {}

    /**
     * L1 distances from rows [q0, q1) of {@code q} to rows [t0, t1) of {@code t}, into
     * {@code out[(i − q0)·ldo + (j − t0)]}. Everything accumulates in float, as the data are float.
     */
    public static void l1(float[] q, int q0, int q1, float[] t, int t0, int t1, int d, float[] out, int ldo) {
        Kernels.DEFAULT.l1Distances(q, q0, q1, t, t0, t1, d, out, ldo);
    }
}
