package org.jgrad.vision.features;

import org.jgrad.backend.Backends;
import org.jgrad.backend.FloatStorage;
import org.jgrad.backend.LinalgBackend;
import org.jgrad.backend.Storage;
import org.jgrad.backend.ThreadPool;

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
     * @param centroids k × d, row-major (copied)
     * @throws IllegalArgumentException if the array does not hold k × d values or k, d &lt; 1
     */
    public Codebook(float[] centroids, int k, int d) {
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

    /** The centroids, k × d row-major (a copy). */
    public float[] centroids() {
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

    /** The nearest centroid of each of the n rows of {@code x} (n × d), on every core. */
    public int[] assign(float[] x, int n) {
        if (x.length < (long) n * d)
            throw new IllegalArgumentException("codebook: expected " + n + " x " + d + " values, got " + x.length);
        int[] labels = new int[n];
        ThreadPool.forRange(n, BLOCK, (from, to) -> nearest(x, from, to, labels, scratch()));
        return labels;
    }

    /** The nearest centroid of one vector {@code x[offset .. offset + d)}. */
    public int nearest(float[] x, int offset) {
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
    public double inertia(float[] x, int n, int[] labels) {
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
