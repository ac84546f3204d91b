package org.jgrad.vision.features;

import org.jgrad.backend.ThreadPool;
import org.jgrad.tensor.Generator;

/**
 * Greedy k-means++ seeding as scikit-learn's {@code _kmeans_plusplus} does it (Arthur and Vassilvitskii,
 * 2007): the first centre uniformly at random, then for each next centre {@code 2 + ⌊ln k⌋} candidates
 * drawn with probability proportional to their squared distance to the nearest centre so far, keeping
 * the candidate that lowers the total squared distance most.
 */
final class KMeansPlusPlus {
    private KMeansPlusPlus() {}

    /** Rows per fixed block: partial sums are added in block order, so results do not depend on threads. */
    private static final int BLOCK = 2048;

    /** k initial centres (k × d) chosen among the n rows of {@code x}. */
    static float[] init(float[] x, int n, int d, int k, Generator gen) {
        int trials = 2 + (int) Math.log(k);
        float[] centres = new float[k * d];
        int first = gen.nextInt(n);
        System.arraycopy(x, first * d, centres, 0, d);
        double[] closest = new double[n];
        int blocks = (n + BLOCK - 1) / BLOCK;
        double[] blockSums = new double[blocks];
        ThreadPool.forRange(blocks, 1, (b0, b1) -> {
            for (int b = b0; b < b1; b++) {
                double s = 0;
                for (int i = b * BLOCK; i < Math.min(n, (b + 1) * BLOCK); i++) s += closest[i] = sq(x, i, x, first, d);
                blockSums[b] = s;
            }
        });
        double pot = sum(blockSums);
        double[] cumulative = new double[n];
        int[] cand = new int[trials];
        double[] candPot = new double[blocks * trials];
        for (int c = 1; c < k; c++) {
            double run = 0;
            for (int i = 0; i < n; i++) cumulative[i] = run += closest[i];
            for (int t = 0; t < trials; t++) cand[t] = Math.min(n - 1, searchSorted(cumulative, gen.nextDouble() * pot));
            ThreadPool.forRange(blocks, 1, (b0, b1) -> {
                for (int b = b0; b < b1; b++) {
                    for (int t = 0; t < trials; t++) {
                        double s = 0;
                        for (int i = b * BLOCK; i < Math.min(n, (b + 1) * BLOCK); i++)
                            s += Math.min(closest[i], sq(x, i, x, cand[t], d));
                        candPot[b * trials + t] = s;
                    }
                }
            });
            int best = 0;
            double bestPot = Double.POSITIVE_INFINITY;
            for (int t = 0; t < trials; t++) {
                double s = 0;
                for (int b = 0; b < blocks; b++) s += candPot[b * trials + t];
                if (s < bestPot) {
                    bestPot = s;
                    best = t;
                }
            }
            int chosen = cand[best];
            pot = bestPot;
            System.arraycopy(x, chosen * d, centres, c * d, d);
            ThreadPool.forRange(blocks, 1, (b0, b1) -> {
                for (int b = b0; b < b1; b++)
                    for (int i = b * BLOCK; i < Math.min(n, (b + 1) * BLOCK); i++)
                        closest[i] = Math.min(closest[i], sq(x, i, x, chosen, d));
            });
        }
        return centres;
    }

    /** numpy's {@code searchsorted(a, v)} (side 'left'): the first index i with a[i] ≥ v. */
    private static int searchSorted(double[] a, double v) {
        int lo = 0, hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < v) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    static double sq(float[] a, int i, float[] b, int j, int d) {
        double s = 0;
        int ai = i * d, bj = j * d;
        for (int p = 0; p < d; p++) {
            double t = (double) a[ai + p] - b[bj + p];
            s += t * t;
        }
        return s;
    }

    private static double sum(double[] v) {
        double s = 0;
        for (double x : v) s += x;
        return s;
    }
}
