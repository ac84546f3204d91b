package org.jgrad.vision.classic;

import org.jgrad.backend.ThreadPool;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;

/**
 * The lectures' k-nearest-neighbour classifier: {@link #fit} memorises the training images,
 * {@link #predict} gives each query the majority label of its k closest training images under L1
 * or L2 distance. A tie in the vote goes to the tied class whose member is nearest.
 *
 * <p>Prediction works on blocks: queries are split into blocks of {@value #QUERY_BLOCK} rows spread
 * over the jgrad thread pool, each block sweeps the training set in tiles of {@value #TRAIN_TILE}
 * rows that stay in cache, and only the k best distances per query are kept, so memory stays
 * O(block × tile) however large the sets are. L2 tiles are one GEMM each (‖a‖² + ‖b‖² − 2a·b on
 * training rows packed transposed at {@link #fit} time); L1 tiles use a vectorised kernel.
 */
public final class KNearestNeighbors {
    static final int QUERY_BLOCK = 64, TRAIN_TILE = 256;

    private final int k;
    private final Metric metric;
    private float[] train;
    private float[][] packed; // L2: per tile, d × TRAIN_TILE, transposed
    private float[] norms;
    private int[] labels;
    private int n, d, classes;

    /**
     * @param k neighbours that vote (≥ 1)
     * @param metric L1 or L2
     */
    public KNearestNeighbors(int k, Metric metric) {
        if (k < 1) throw new IllegalArgumentException("kNN: k must be >= 1, got " + k);
        if (metric == null) throw new IllegalArgumentException("kNN: metric must not be null");
        this.k = k;
        this.metric = metric;
    }

    /** The number of voting neighbours. */
    public int k() {
        return k;
    }

    /** The distance in use. */
    public Metric metric() {
        return metric;
    }

    /**
     * Memorises the training set: inputs [N, ...] (each sample flattened) and int64 labels [N] in 0..C−1.
     *
     * @return this
     */
    public KNearestNeighbors fit(Tensor inputs, Tensor targets) {
        if (inputs.dim() < 1 || targets.dim() != 1 || inputs.size(0) != targets.size(0))
            throw new IllegalArgumentException("kNN fit: expected inputs [N, ...] and labels [N], got "
                    + Shape.str(inputs.shape()) + " and " + Shape.str(targets.shape()));
        int rows = inputs.size(0);
        return fit(inputs.detach().contiguous().toFloatArray(), rows, rows == 0 ? 0 : inputs.numel() / rows,
                toInts(targets));
    }

    /** {@link #fit(Tensor, Tensor)} on a row-major float matrix of n rows of d values (kept, not copied). */
    KNearestNeighbors fit(float[] x, int n, int d, int[] y) {
        if (n < 1 || d < 1 || x.length != n * d || y.length != n)
            throw new IllegalArgumentException("kNN fit: need at least one sample, x of n·d = " + n + "·" + d
                    + " values (got " + x.length + ") and " + n + " labels (got " + y.length + ")");
        int c = 0;
        for (int v : y) {
            if (v < 0) throw new IllegalArgumentException("kNN fit: negative label " + v);
            c = Math.max(c, v + 1);
        }
        this.train = x;
        this.n = n;
        this.d = d;
        this.labels = y.clone();
        this.classes = c;
        if (metric == Metric.L2) pack();
        return this;
    }

    private void pack() {
        int tiles = (n + TRAIN_TILE - 1) / TRAIN_TILE;
        packed = new float[tiles][];
        ThreadPool.forRange(tiles, 1, (t0, t1) -> {
            for (int t = t0; t < t1; t++) {
                int j0 = t * TRAIN_TILE, nt = Math.min(TRAIN_TILE, n - j0);
                float[] p = new float[d * TRAIN_TILE];
                for (int j = 0; j < nt; j++)
                    for (int q = 0; q < d; q++) p[q * TRAIN_TILE + j] = train[(j0 + j) * d + q];
                packed[t] = p;
            }
        });
        norms = Distances.squaredNorms(train, n, d);
    }

    /**
     * The k nearest training samples of each query, nearest first (equal distances: lower training
     * index first), as scikit-learn's {@code kneighbors} returns them.
     *
     * @param indices int64 [M, k] training indices
     * @param distances float32 [M, k] their distances (L1, or L2 — not squared)
     */
    public record Neighbors(Tensor indices, Tensor distances) {
        /** Neighbours per query. */
        public int k() {
            return indices.size(1);
        }
    }

    /** {@link Neighbors} as arrays: [m·k] row-major per query. */
    record Found(int[] indices, float[] distances, int k) {
        Neighbors toTensors() {
            int m = indices.length / k;
            long[] idx = new long[indices.length];
            for (int i = 0; i < idx.length; i++) idx[i] = indices[i];
            return new Neighbors(TensorData.wrapLongs(idx, m, k), TensorData.wrap(distances.clone(), m, k));
        }
    }

    /** The {@code kk} nearest neighbours of each query row of {@code queries} [M, ...]. */
    public Neighbors kneighbors(Tensor queries, int kk) {
        return search(queries, kk).toTensors();
    }

    private Found search(Tensor queries, int kk) {
        requireFitted();
        int m = queries.dim() == 0 ? 0 : queries.size(0);
        if (m == 0 || queries.numel() != (long) m * d)
            throw new IllegalArgumentException("kNN: queries " + Shape.str(queries.shape()) + " do not have " + d
                    + " values per sample like the training data");
        return kneighbors(queries.detach().contiguous().toFloatArray(), m, kk);
    }

    /** {@link #kneighbors(Tensor, int)} on a row-major float matrix of m rows. */
    Found kneighbors(float[] q, int m, int kk) {
        requireFitted();
        if (kk < 1 || kk > n)
            throw new IllegalArgumentException("kNN: k must be in 1.." + n + " (training samples), got " + kk);
        if (q.length != m * d)
            throw new IllegalArgumentException("kNN: " + q.length + " query values are not " + m + " rows of " + d);
        int[] idx = new int[m * kk];
        float[] dist = new float[m * kk];
        float[] qNorm = metric == Metric.L2 ? Distances.squaredNorms(q, m, d) : null;
        int blocks = (m + QUERY_BLOCK - 1) / QUERY_BLOCK;
        ThreadPool.forRange(blocks, 1, (b0, b1) -> {
            float[] tile = new float[QUERY_BLOCK * TRAIN_TILE];
            for (int b = b0; b < b1; b++) {
                int q0 = b * QUERY_BLOCK, q1 = Math.min(m, q0 + QUERY_BLOCK);
                java.util.Arrays.fill(dist, q0 * kk, q1 * kk, Float.POSITIVE_INFINITY);
                java.util.Arrays.fill(idx, q0 * kk, q1 * kk, -1);
                for (int t = 0, j0 = 0; j0 < n; t++, j0 += TRAIN_TILE) {
                    int nt = Math.min(TRAIN_TILE, n - j0);
                    if (metric == Metric.L1) Distances.l1Block(q, q0, q1, train, j0, j0 + nt, d, tile, TRAIN_TILE);
                    else Distances.l2SquaredBlock(q, q0, q1, qNorm, packed[t], TRAIN_TILE, nt, norms, j0, d, tile,
                            TRAIN_TILE);
                    for (int i = q0; i < q1; i++) keepBest(tile, (i - q0) * TRAIN_TILE, nt, j0, dist, idx, i * kk, kk);
                }
            }
        });
        if (metric == Metric.L2) for (int i = 0; i < dist.length; i++) dist[i] = (float) Math.sqrt(dist[i]);
        return new Found(idx, dist, kk);
    }

    /** Inserts the tile's candidates into one query's sorted k-best list. */
    private static void keepBest(float[] tile, int off, int nt, int j0, float[] dist, int[] idx, int base, int kk) {
        float worst = dist[base + kk - 1];
        for (int j = 0; j < nt; j++) {
            float v = tile[off + j];
            if (v >= worst) continue; // strict: an equal distance keeps the earlier (lower) index
            int p = base + kk - 1;
            while (p > base && dist[p - 1] > v) {
                dist[p] = dist[p - 1];
                idx[p] = idx[p - 1];
                p--;
            }
            dist[p] = v;
            idx[p] = j0 + j;
            worst = dist[base + kk - 1];
        }
    }

    /** Predicted int64 labels [M] for queries [M, ...]. */
    public Tensor predict(Tensor queries) {
        requireFitted();
        Found nb = search(queries, Math.min(k, n));
        return labelTensor(vote(nb, nb.k()));
    }

    /**
     * Predicted int64 labels [M]: the majority vote among the first {@code kk} of each query's
     * neighbours (nearest first); a tie goes to the tied class that has the nearest member. Several k
     * can vote from one {@link #kneighbors} search for the largest.
     */
    public Tensor vote(Neighbors nb, int kk) {
        requireFitted();
        long[] idx = nb.indices().contiguous().toLongArray();
        int[] i32 = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            if (idx[i] < 0 || idx[i] >= n)
                throw new IllegalArgumentException("vote: neighbour index " + idx[i] + " is not one of the " + n
                        + " training samples");
            i32[i] = (int) idx[i];
        }
        return labelTensor(vote(new Found(i32, null, nb.k()), kk));
    }

    private static Tensor labelTensor(int[] p) {
        long[] out = new long[p.length];
        for (int i = 0; i < p.length; i++) out[i] = p[i];
        return TensorData.wrapLongs(out, out.length);
    }

    /** {@link #vote(Neighbors, int)} on the arrays of a search. */
    int[] vote(Found nb, int kk) {
        requireFitted();
        if (kk < 1 || kk > nb.k()) throw new IllegalArgumentException("vote: k must be in 1.." + nb.k() + ", got " + kk);
        int m = nb.indices().length / nb.k();
        int[] out = new int[m];
        int[] counts = new int[classes];
        for (int i = 0; i < m; i++) {
            java.util.Arrays.fill(counts, 0);
            int best = 0;
            for (int r = 0; r < kk; r++) best = Math.max(best, ++counts[labels[nb.indices()[i * nb.k() + r]]]);
            for (int r = 0; r < kk; r++) {
                int c = labels[nb.indices()[i * nb.k() + r]];
                if (counts[c] == best) {
                    out[i] = c;
                    break;
                }
            }
        }
        return out;
    }

    private void requireFitted() {
        if (train == null) throw new IllegalStateException("kNN: call fit before predicting");
    }

    static int[] toInts(Tensor labels) {
        long[] l = labels.detach().contiguous().toLongArray();
        int[] y = new int[l.length];
        for (int i = 0; i < l.length; i++) {
            if (l[i] < 0 || l[i] > Integer.MAX_VALUE) throw new IllegalArgumentException("label out of range: " + l[i]);
            y[i] = (int) l[i];
        }
        return y;
    }
}
