package org.jgrad.vision.features;

import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;

/**
 * Mini-batch k-means (Sculley, 2010; scikit-learn's {@code MiniBatchKMeans} without its random
 * reassignment of rarely chosen centres), for sets too large for {@link KMeans}' full passes: k-means++
 * seeding on a random sample of {@code 3 × batchSize} points (at least k), then steps that each draw
 * {@code batchSize} points with replacement, assign them to their nearest centre and move every centre
 * towards the mean of its points with a per-centre rate 1 / (points it has seen so far). It takes
 * {@code epochs × n / batchSize} steps; a final full pass gives the labels and the inertia. Immutable.
 */
public final class MiniBatchKMeans {
    private final int k, batchSize, epochs;
    private final long seed;

    /** k clusters, batches of 1,024 (scikit-learn's default), 10 epochs, seed 0. */
    public MiniBatchKMeans(int k) {
        this(k, 1024, 10, 0L);
    }

    /**
     * @throws IllegalArgumentException if k, batchSize or epochs is below 1
     */
    public MiniBatchKMeans(int k, int batchSize, int epochs, long seed) {
        if (k < 1 || batchSize < 1 || epochs < 1)
            throw new IllegalArgumentException("mini-batch k-means: k, batch size and epochs must be at least 1, got " + k
                    + ", " + batchSize + ", " + epochs);
        this.k = k;
        this.batchSize = batchSize;
        this.epochs = epochs;
        this.seed = seed;
    }

    /**
     * Clusters the rows of {@code x} [N, d].
     *
     * @throws IllegalArgumentException as {@link KMeans#fit}
     */
    public KMeans.Result fit(Tensor x) {
        if (x.dim() != 2)
            throw new IllegalArgumentException("mini-batch k-means: expected points [N, d], got " + Shape.str(x.shape()));
        return fit(x.detach().contiguous().toFloatArray(), x.size(0), x.size(1));
    }

    /** {@link #fit(Tensor)} on the n rows of {@code x} (n × d, row-major). */
    KMeans.Result fit(float[] x, int n, int d) {
        float[] centred = KMeans.checkAndCentre("mini-batch k-means", x, n, d, k);
        float[] mean = KMeans.mean(x, n, d);
        Generator gen = new Generator(seed);
        int initSize = Math.min(n, Math.max(k, 3 * batchSize));
        float[] sample = new float[initSize * d];
        int[] pick = sampleWithoutReplacement(n, initSize, gen);
        for (int i = 0; i < initSize; i++) System.arraycopy(centred, pick[i] * d, sample, i * d, d);
        float[] centres = KMeansPlusPlus.init(sample, initSize, d, k, gen);
        long[] counts = new long[k];
        int m = Math.min(batchSize, n);
        float[] batch = new float[m * d];
        int[] labels = new int[m];
        double[] sums = new double[k * d];
        int[] batchCounts = new int[k];
        long steps = Math.max(1, (long) epochs * n / m);
        for (long s = 0; s < steps; s++) {
            for (int i = 0; i < m; i++) System.arraycopy(centred, gen.nextInt(n) * d, batch, i * d, d);
            Codebook cb = new Codebook(centres, k, d);
            cb.nearest(batch, 0, m, labels, cb.scratch());
            java.util.Arrays.fill(sums, 0);
            java.util.Arrays.fill(batchCounts, 0);
            for (int i = 0; i < m; i++) {
                int j = labels[i];
                batchCounts[j]++;
                for (int p = 0; p < d; p++) sums[j * d + p] += batch[i * d + p];
            }
            for (int j = 0; j < k; j++) {
                if (batchCounts[j] == 0) continue;
                counts[j] += batchCounts[j];
                double rate = 1.0 / counts[j];
                for (int p = 0; p < d; p++) {
                    int q = j * d + p;
                    // c ← c + (Σ batch points − m_j·c) / (points seen): the running mean of everything it was given.
                    centres[q] = (float) (centres[q] + rate * (sums[q] - batchCounts[j] * (double) centres[q]));
                }
            }
        }
        Codebook cb = new Codebook(centres, k, d);
        int[] all = cb.assign(centred, n);
        double inertia = cb.inertia(centred, n, all);
        for (int j = 0; j < k; j++) for (int p = 0; p < d; p++) centres[j * d + p] += mean[p];
        return new KMeans.Result(new Codebook(centres, k, d), all, inertia, (int) Math.min(Integer.MAX_VALUE, steps));
    }

    /** {@code count} distinct indices of [0, n), by a partial Fisher–Yates shuffle. */
    static int[] sampleWithoutReplacement(int n, int count, Generator gen) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        for (int i = 0; i < count; i++) {
            int j = i + gen.nextInt(n - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        return java.util.Arrays.copyOf(idx, count);
    }
}
