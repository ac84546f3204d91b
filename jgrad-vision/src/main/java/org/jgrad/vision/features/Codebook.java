package org.jgrad.vision.features;

import org.jgrad.backend.Backends;
import org.jgrad.backend.FloatStorage;
import org.jgrad.backend.LinalgBackend;
import org.jgrad.backend.Storage;
import org.jgrad.backend.ThreadPool;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;

/**
 * k centroids in d dimensions (a k-means vocabulary of visual words) and nearest-centroid assignment.
 * Distances are {@code ‖x‖² + ‖c‖² − 2x·c} with the dot products as one GEMM per block of rows; the
 * inertia is recomputed exactly, in double, from the chosen centroids. Immutable.
 */
public final class Codebook {
    /** Rows per GEMM block in {@link #assign}. */
    private static final int BLOCK = 256;

    private final int k, d;
    private final float[] centroids, centroidsT, norms;

    /**
     * @param centroids [k, d] float32 (copied)
     * @throws IllegalArgumentException if the tensor is not [k, d] with k, d &gt;= 1
     */
    public Codebook(Tensor centroids) {
        this(checked(centroids).detach().contiguous().toFloatArray(), centroids.size(0), centroids.size(1));
    }

    private static Tensor checked(Tensor centroids) {
        if (centroids.dim() != 2)
            throw new IllegalArgumentException("codebook: expected centroids [k, d], got " + Shape.str(centroids.shape()));
        return centroids;
    }

    /** {@link #Codebook(Tensor)} from k × d row-major values (copied). */
    Codebook(float[] centroids, int k, int d) {
        if (k < 1 || d < 1 || centroids.length != (long) k * d)
            throw new IllegalArgumentException("codebook: expected k x d = " + k + " x " + d + " centroid values, got "
                    + centroids.length);
        this.k = k;
        this.d = d;
        this.centroids = centroids.clone();
        this.centroidsT = new float[d * k];
        this.norms = new float[k];
        for (int j = 0; j < k; j++) {
            double s = 0;
            for (int p = 0; p < d; p++) {
                float v = centroids[j * d + p];
                centroidsT[p * k + j] = v;
                s += (double) v * v;
            }
            norms[j] = (float) s;
        }
    }

    /** Number of centroids k. */
    public int size() {
        return k;
    }

    /** Dimension d. */
    public int dim() {
        return d;
    }

    /** The centroids [k, d] (a copy). */
    public Tensor centroids() {
        return TensorData.wrap(centroids.clone(), k, d);
    }

    /** The centroids, k × d row-major (a copy). */
    float[] centroidArray() {
        return centroids.clone();
    }

    /**
     * Nearest centroid of rows [from, to) of {@code x} (n × d row-major), into {@code labels[from ...]};
     * {@code scratch} holds at least min(to − from, 256) × k values. Single-threaded.
     */
    void nearest(float[] x, int from, int to, int[] labels, float[] scratch) {
        LinalgBackend linalg = Backends.current().linalg();
        Storage xs = FloatStorage.wrap(x), cs = FloatStorage.wrap(centroidsT), out = FloatStorage.wrap(scratch);
        for (int s = from; s < to; s += BLOCK) {
            int m = Math.min(BLOCK, to - s);
            linalg.gemm(false, false, m, k, d, -2f, xs, s * d, d, cs, 0, k, 0f, out, 0, k);
            for (int i = 0; i < m; i++) {
                int best = 0;
                float bestD = Float.POSITIVE_INFINITY;
                int o = i * k;
                // ‖x‖² is the same for every centroid, so it is left out of the comparison.
                for (int j = 0; j < k; j++) {
                    float dist = scratch[o + j] + norms[j];
                    if (dist < bestD) {
                        bestD = dist;
                        best = j;
                    }
                }
                labels[s + i] = best;
            }
        }
    }

    /** A scratch array for {@link #nearest}. */
    float[] scratch() {
        return new float[BLOCK * k];
    }

    /** The index (int64 [N]) of the nearest centroid of each row of {@code x} [N, d], on every core. */
    public Tensor assign(Tensor x) {
        int n = rows(x);
        int[] labels = assign(x.detach().contiguous().toFloatArray(), n);
        long[] out = new long[n];
        for (int i = 0; i < n; i++) out[i] = labels[i];
        return TensorData.wrapLongs(out, n);
    }

    /**
     * Σ‖x_i − c_{labels[i]}‖² in double, over the rows of {@code x} [N, d] and their centroid indices
     * {@code labels} (int64 [N]).
     */
    public double inertia(Tensor x, Tensor labels) {
        int n = rows(x);
        long[] l = labels.contiguous().toLongArray();
        if (labels.dim() != 1 || l.length != n)
            throw new IllegalArgumentException("codebook: expected " + n + " labels [N], got " + Shape.str(labels.shape()));
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            if (l[i] < 0 || l[i] >= k)
                throw new IllegalArgumentException("codebook: label " + l[i] + " of row " + i + " is not in 0.." + (k - 1));
            y[i] = (int) l[i];
        }
        return inertia(x.detach().contiguous().toFloatArray(), n, y);
    }

    private int rows(Tensor x) {
        if (x.dim() != 2 || x.size(1) != d)
            throw new IllegalArgumentException("codebook: expected rows [N, " + d + "], got " + Shape.str(x.shape()));
        return x.size(0);
    }

    /** The nearest centroid of each of the n rows of {@code x} (n × d), on every core. */
    int[] assign(float[] x, int n) {
        if (x.length < (long) n * d)
            throw new IllegalArgumentException("codebook: expected " + n + " x " + d + " values, got " + x.length);
        int[] labels = new int[n];
        ThreadPool.forRange(n, BLOCK, (from, to) -> nearest(x, from, to, labels, scratch()));
        return labels;
    }

    /** The nearest centroid of one vector {@code x[offset .. offset + d)}. */
    int nearest(float[] x, int offset) {
        int best = 0;
        double bestD = Double.POSITIVE_INFINITY;
        for (int j = 0; j < k; j++) {
            double s = 0;
            for (int p = 0; p < d; p++) {
                double t = (double) x[offset + p] - centroids[j * d + p];
                s += t * t;
            }
            if (s < bestD) {
                bestD = s;
                best = j;
            }
        }
        return best;
    }

    /** Σ‖x_i − c_{labels[i]}‖² in double. */
    double inertia(float[] x, int n, int[] labels) {
        double total = 0;
        for (int i = 0; i < n; i++) {
            int j = labels[i];
            double s = 0;
            for (int p = 0; p < d; p++) {
                double t = (double) x[i * d + p] - centroids[j * d + p];
                s += t * t;
            }
            total += s;
        }
        return total;
    }
}
