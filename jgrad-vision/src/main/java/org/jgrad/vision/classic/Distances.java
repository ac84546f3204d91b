package org.jgrad.vision.classic;

import org.jgrad.backend.Backends;
import org.jgrad.backend.FloatStorage;

/**
 * Distances on row-major float matrices (one sample per row of d values): the building blocks of
 * {@link KNearestNeighbors}. Everything accumulates in float, as the data are float. The block
 * distances are calls on the compute backend ({@code Backends.current()}), which runs them on the
 * Vector API or in plain Java, whichever the JVM offers.
 */
public final class Distances {
    private Distances() {}

    /** The L1 distance of two vectors, e.g. the lectures' 4×4 test and training images (456). */
    public static float l1(float[] a, float[] b) {
        if (a.length != b.length)
            throw new IllegalArgumentException("l1: vectors differ in length: " + a.length + " and " + b.length);
        float s = 0;
        for (int i = 0; i < a.length; i++) s += Math.abs(a[i] - b[i]);
        return s;
    }

    /** The L2 distance of two vectors. */
    public static float l2(float[] a, float[] b) {
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
    public static void l1Block(float[] q, int q0, int q1, float[] t, int t0, int t1, int d, float[] out, int ldo) {
        Backends.current().linalg().l1Distances(FloatStorage.wrap(q), q0, q1, FloatStorage.wrap(t), t0, t1, d,
                FloatStorage.wrap(out), ldo);
    }

    /**
     * Squared L2 distances {@code ‖a‖² + ‖b‖² − 2a·b} from rows [q0, q1) of {@code q} to the
     * {@code nt} training rows packed (transposed) in {@code tT} as d×ldt, with their squared norms in
     * {@code tNorm}; the dot products are one backend GEMM. Clamped at 0, since rounding can
     * make the expansion slightly negative for near-duplicates.
     */
    public static void l2SquaredBlock(float[] q, int q0, int q1, float[] qNorm, float[] tT, int ldt, int nt,
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
    public static float[] squaredNorms(float[] x, int n, int d) {
        float[] r = new float[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int p = 0; p < d; p++) s += (double) x[i * d + p] * x[i * d + p];
            r[i] = (float) s;
        }
        return r;
    }

    /**
     * All pairwise distances from the nq rows of {@code q} to the nt rows of {@code t} (nq × nt,
     * true distances, not squared): the straightforward full matrix, for small problems and tests.
     */
    public static float[] pairwise(float[] q, int nq, float[] t, int nt, int d, Metric metric) {
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
