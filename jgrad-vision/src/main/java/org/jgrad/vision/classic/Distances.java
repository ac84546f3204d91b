package org.jgrad.vision.classic;

import org.jgrad.backend.Backends;
import org.jgrad.backend.FloatStorage;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;

/**
 * Distances between samples (one sample per row of d values): the building blocks of
 * {@link KNearestNeighbors}. Everything accumulates in float, as the data are float. The block
 * distances are calls on the compute backend ({@code Backends.current()}), which runs them on the
 * Vector API or in plain Java, whichever the JVM offers.
 */
public final class Distances {
    private Distances() {}

    /**
     * The L1 distance of two tensors of the same number of elements (each flattened), e.g. the
     * lectures' 4×4 test and training images (456).
     */
    public static float l1(Tensor a, Tensor b) {
        return l1(values(a), values(b));
    }

    /** The L2 distance of two tensors of the same number of elements (each flattened). */
    public static float l2(Tensor a, Tensor b) {
        return l2(values(a), values(b));
    }

    /**
     * All pairwise distances {@code [Nq, Nt]} from the rows of {@code queries} [Nq, ...] to the rows of
     * {@code train} [Nt, ...] (each sample flattened; true distances, not squared), as
     * {@code torch.cdist(q, t, p)} with p = 1 (L1) or 2 (L2): the straightforward full matrix, for small
     * problems and tests.
     */
    public static Tensor pairwise(Tensor queries, Tensor train, Metric metric) {
        int nq = queries.dim() == 0 ? 0 : queries.size(0), nt = train.dim() == 0 ? 0 : train.size(0);
        int d = nq == 0 ? 0 : queries.numel() / nq;
        if (nq == 0 || nt == 0 || d == 0 || (long) nt * d != train.numel())
            throw new IllegalArgumentException("pairwise: expected queries [Nq, ...] and samples [Nt, ...] with the same "
                    + "number of values per row, got " + Shape.str(queries.shape()) + " and " + Shape.str(train.shape()));
        return TensorData.wrap(pairwise(values(queries), nq, values(train), nt, d, metric), nq, nt);
    }

    /** A copy of the elements of {@code t}, row-major. */
    static float[] values(Tensor t) {
        return t.detach().contiguous().toFloatArray();
    }

    static float l1(float[] a, float[] b) {
        if (a.length != b.length)
            throw new IllegalArgumentException("l1: vectors differ in length: " + a.length + " and " + b.length);
        float s = 0;
        for (int i = 0; i < a.length; i++) s += Math.abs(a[i] - b[i]);
        return s;
    }

    static float l2(float[] a, float[] b) {
        if (a.length != b.length)
            throw new IllegalArgumentException("l2: vectors differ in length: " + a.length + " and " + b.length);
        double s = 0;
        for (int i = 0; i < a.length; i++) s += (double) (a[i] - b[i]) * (a[i] - b[i]);
        return (float) Math.sqrt(s);
    }

    /**
     * L1 distances from rows [q0, q1) of {@code q} to rows [t0, t1) of {@code t}, into
     * {@code out[(i − q0)·ldo + (j − t0)]}: one backend call ({@code torch.cdist} with p = 1 on a block
     * of rows), vectorised where the backend can.
     */
    static void l1Block(float[] q, int q0, int q1, float[] t, int t0, int t1, int d, float[] out, int ldo) {
        Backends.current().linalg().l1Distances(FloatStorage.wrap(q), q0, q1, FloatStorage.wrap(t), t0, t1, d,
                FloatStorage.wrap(out), ldo);
    }

    /**
     * Squared L2 distances {@code ‖a‖² + ‖b‖² − 2a·b} from rows [q0, q1) of {@code q} to the
     * {@code nt} training rows packed (transposed) in {@code tT} as d×ldt, with their squared norms in
     * {@code tNorm}; the dot products are one backend GEMM. Clamped at 0, since rounding can
     * make the expansion slightly negative for near-duplicates.
     */
    static void l2SquaredBlock(float[] q, int q0, int q1, float[] qNorm, float[] tT, int ldt, int nt,
            float[] tNorm, int tNormOff, int d, float[] out, int ldo) {
        int m = q1 - q0;
        Backends.current().linalg().gemm(false, false, m, nt, d, -2f, FloatStorage.wrap(q), q0 * d, d, FloatStorage.wrap(tT),
                0, ldt, 0f, FloatStorage.wrap(out), 0, ldo);
        for (int i = 0; i < m; i++) {
            float qn = qNorm[q0 + i];
            int o = i * ldo;
            for (int j = 0; j < nt; j++) out[o + j] = Math.max(0f, out[o + j] + qn + tNorm[tNormOff + j]);
        }
    }

    /** Squared norm of each of the n rows of x. */
    static float[] squaredNorms(float[] x, int n, int d) {
        float[] r = new float[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int p = 0; p < d; p++) s += (double) x[i * d + p] * x[i * d + p];
            r[i] = (float) s;
        }
        return r;
    }

    /** {@link #pairwise(Tensor, Tensor, Metric)} on row-major arrays of nq and nt rows of d values. */
    static float[] pairwise(float[] q, int nq, float[] t, int nt, int d, Metric metric) {
        float[] out = new float[nq * nt];
        if (metric == Metric.L1) {
            l1Block(q, 0, nq, t, 0, nt, d, out, nt);
            return out;
        }
        float[] tT = new float[d * nt];
        for (int j = 0; j < nt; j++) for (int p = 0; p < d; p++) tT[p * nt + j] = t[j * d + p];
        l2SquaredBlock(q, 0, nq, squaredNorms(q, nq, d), tT, nt, nt, squaredNorms(t, nt, d), 0, d, out, nt);
        for (int i = 0; i < out.length; i++) out[i] = (float) Math.sqrt(out[i]);
        return out;
    }
}
