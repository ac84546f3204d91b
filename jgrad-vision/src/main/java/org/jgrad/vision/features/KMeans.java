package org.jgrad.vision.features;

import java.util.Locale;
import org.jgrad.backend.ThreadPool;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;

/**
 * k-means clustering by Lloyd's algorithm with greedy k-means++ seeding, as scikit-learn's
 * {@code KMeans(init="k-means++", algorithm="lloyd")}: each iteration assigns every point to its
 * nearest centroid (one GEMM per block of rows, on every core) and moves each centroid to the mean
 * of its points; it stops when no assignment changes or when the centroids moved less than
 * {@code tol} × the data's mean per-feature variance (squared shift summed over centroids), or after
 * {@code maxIter} iterations. A centroid left without points moves to the point farthest from its
 * centroid, as scikit-learn relocates empty clusters. {@code nInit} seeded restarts keep the run with
 * the lowest inertia. The data is centred on its mean while clustering (also as scikit-learn does),
 * which keeps the float32 distance expansion accurate. Immutable; the {@code with} methods return
 * copies. For millions of points, {@link MiniBatchKMeans} is faster.
 */
public final class KMeans {
    private final int k, nInit, maxIter;
    private final long seed;
    private final double tol;

    /** k clusters, seed 0, one initialisation, at most 300 iterations, tol 1e-4 (scikit-learn's defaults). */
    public KMeans(int k) {
        this(k, 0L, 1, 300, 1e-4);
    }

    private KMeans(int k, long seed, int nInit, int maxIter, double tol) {
        if (k < 1) throw new IllegalArgumentException("k-means: k must be at least 1, got " + k);
        if (nInit < 1) throw new IllegalArgumentException("k-means: nInit must be at least 1, got " + nInit);
        if (maxIter < 1) throw new IllegalArgumentException("k-means: maxIter must be at least 1, got " + maxIter);
        if (!(tol >= 0)) throw new IllegalArgumentException("k-means: tol must be >= 0, got " + tol);
        this.k = k;
        this.seed = seed;
        this.nInit = nInit;
        this.maxIter = maxIter;
        this.tol = tol;
    }

    /** The same with another seed for the initialisations. */
    public KMeans withSeed(long seed) {
        return new KMeans(k, seed, nInit, maxIter, tol);
    }

    /** The same with {@code nInit} restarts. */
    public KMeans withNInit(int nInit) {
        return new KMeans(k, seed, nInit, maxIter, tol);
    }

    /** The same with at most {@code maxIter} Lloyd iterations per run. */
    public KMeans withMaxIter(int maxIter) {
        return new KMeans(k, seed, nInit, maxIter, tol);
    }

    /** The same with another relative tolerance. */
    public KMeans withTol(double tol) {
        return new KMeans(k, seed, nInit, maxIter, tol);
    }

    /**
     * A clustering.
     *
     * @param codebook the centroids
     * @param labels each point's centroid
     * @param inertia Σ‖x_i − c_{label i}‖², in double
     * @param iterations Lloyd iterations of the kept run
     */
    public record Result(Codebook codebook, int[] labels, double inertia, int iterations) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "k-means: %d clusters, inertia %.6g after %d iterations", codebook.size(),
                    inertia, iterations);
        }
    }

    /**
     * Clusters the rows of {@code x} [N, d].
     *
     * @throws IllegalArgumentException if there are fewer points than clusters, the tensor is not
     *     [N, d], or a value is not finite
     */
    public Result fit(Tensor x) {
        if (x.dim() != 2)
            throw new IllegalArgumentException("k-means: expected points [N, d], got " + Shape.str(x.shape()));
        return fit(x.detach().contiguous().toFloatArray(), x.size(0), x.size(1));
    }

    /** {@link #fit(Tensor)} on the n rows of {@code x} (n × d, row-major). */
    Result fit(float[] x, int n, int d) {
        float[] centred = checkAndCentre("k-means", x, n, d, k);
        float[] mean = mean(x, n, d);
        double tolAbs = tol * meanVariance(centred, n, d);
        Generator gen = new Generator(seed);
        Result best = null;
        for (int run = 0; run < nInit; run++) {
            float[] init = KMeansPlusPlus.init(centred, n, d, k, gen);
            Result r = lloyd(centred, n, d, init, tolAbs);
            if (best == null || r.inertia() < best.inertia()) best = r;
        }
        float[] c = best.codebook().centroidArray();
        for (int j = 0; j < k; j++) for (int p = 0; p < d; p++) c[j * d + p] += mean[p];
        return new Result(new Codebook(c, k, d), best.labels(), best.inertia(), best.iterations());
    }

    private Result lloyd(float[] x, int n, int d, float[] init, double tolAbs) {
        float[] centres = init;
        int[] labels = new int[n], previous = null;
        int iterations = 0;
        boolean strict = false;
        for (int it = 0; it < maxIter; it++) {
            Codebook cb = new Codebook(centres, k, d);
            labels = cb.assign(x, n);
            iterations = it + 1;
            if (previous != null && java.util.Arrays.equals(labels, previous)) {
                strict = true;
                break;
            }
            float[] next = means(x, n, d, labels, centres, cb);
            double shift = 0;
            for (int i = 0; i < next.length; i++) {
                double t = (double) next[i] - centres[i];
                shift += t * t;
            }
            centres = next;
            previous = labels;
            if (shift <= tolAbs) break;
        }
        Codebook cb = new Codebook(centres, k, d);
        // After a stop on the shift the labels belong to the previous centres: assign once more.
        if (!strict) labels = cb.assign(x, n);
        return new Result(cb, labels, cb.inertia(x, n, labels), iterations);
    }

    /** The mean of each cluster; an empty cluster takes the point farthest from its own centroid. */
    static float[] means(float[] x, int n, int d, int[] labels, float[] centres, Codebook cb) {
        int k = centres.length / d;
        double[] sums = new double[k * d];
        int[] counts = new int[k];
        for (int i = 0; i < n; i++) {
            int j = labels[i];
            counts[j]++;
            for (int p = 0; p < d; p++) sums[j * d + p] += x[i * d + p];
        }
        float[] next = new float[k * d];
        boolean[] taken = null;
        for (int j = 0; j < k; j++) {
            if (counts[j] > 0) {
                for (int p = 0; p < d; p++) next[j * d + p] = (float) (sums[j * d + p] / counts[j]);
                continue;
            }
            if (taken == null) taken = new boolean[n];
            int far = -1;
            double farD = -1;
            for (int i = 0; i < n; i++) {
                if (taken[i]) continue;
                double dist = KMeansPlusPlus.sq(x, i, centres, labels[i], d);
                if (dist > farD) {
                    farD = dist;
                    far = i;
                }
            }
            taken[far] = true;
            System.arraycopy(x, far * d, next, j * d, d);
        }
        return next;
    }

    static float[] checkAndCentre(String op, float[] x, int n, int d, int k) {
        if (n < 1 || d < 1) throw new IllegalArgumentException(op + ": no data (" + n + " points of " + d + " values)");
        if (x.length != (long) n * d)
            throw new IllegalArgumentException(op + ": expected n x d = " + n + " x " + d + " values, got " + x.length);
        if (n < k) throw new IllegalArgumentException(op + ": " + n + " points are fewer than the " + k + " clusters");
        for (int i = 0; i < x.length; i++)
            if (!Float.isFinite(x[i]))
                throw new IllegalArgumentException(op + ": value " + x[i] + " at point " + i / d + ", feature " + i % d
                        + " is not finite");
        float[] mean = mean(x, n, d);
        float[] c = new float[x.length];
        ThreadPool.forRange(n, 4096, (from, to) -> {
            for (int i = from; i < to; i++) for (int p = 0; p < d; p++) c[i * d + p] = x[i * d + p] - mean[p];
        });
        return c;
    }

    static float[] mean(float[] x, int n, int d) {
        double[] s = new double[d];
        for (int i = 0; i < n; i++) for (int p = 0; p < d; p++) s[p] += x[i * d + p];
        float[] m = new float[d];
        for (int p = 0; p < d; p++) m[p] = (float) (s[p] / n);
        return m;
    }

    /** Mean over features of each feature's variance (of centred data). */
    private static double meanVariance(float[] centred, int n, int d) {
        double s = 0;
        for (float v : centred) s += (double) v * v;
        return s / n / d;
    }
}
