package org.jgrad.vision.classic;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.jgrad.kernels.Gemm;

/**
 * Distance kernels on row-major float matrices (one sample per row of d values): the building
 * blocks of {@link KNearestNeighbors}. Everything accumulates in float, as the data are float.
 */
public final class Distances {
    private Distances() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

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
     * {@code out[(i − q0)·ldo + (j − t0)]}. Four query rows share each load of a training row, which
     * keeps the loop bound by arithmetic rather than by memory.
     */
    public static void l1Block(float[] q, int q0, int q1, float[] t, int t0, int t1, int d, float[] out, int ldo) {
        int i = q0;
        for (; i + 4 <= q1; i += 4) {
            int a0 = i * d, a1 = a0 + d, a2 = a1 + d, a3 = a2 + d;
            for (int j = t0; j < t1; j++) {
                int b = j * d, p = 0, up = S.loopBound(d);
                FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
                for (; p < up; p += S.length()) {
                    FloatVector vb = FloatVector.fromArray(S, t, b + p);
                    s0 = s0.add(FloatVector.fromArray(S, q, a0 + p).sub(vb).abs());
                    s1 = s1.add(FloatVector.fromArray(S, q, a1 + p).sub(vb).abs());
                    s2 = s2.add(FloatVector.fromArray(S, q, a2 + p).sub(vb).abs());
                    s3 = s3.add(FloatVector.fromArray(S, q, a3 + p).sub(vb).abs());
                }
                float r0 = s0.reduceLanes(VectorOperators.ADD), r1 = s1.reduceLanes(VectorOperators.ADD);
                float r2 = s2.reduceLanes(VectorOperators.ADD), r3 = s3.reduceLanes(VectorOperators.ADD);
                for (; p < d; p++) {
                    float vb = t[b + p];
                    r0 += Math.abs(q[a0 + p] - vb);
                    r1 += Math.abs(q[a1 + p] - vb);
                    r2 += Math.abs(q[a2 + p] - vb);
                    r3 += Math.abs(q[a3 + p] - vb);
                }
                int o = (i - q0) * ldo + (j - t0);
                out[o] = r0;
                out[o + ldo] = r1;
                out[o + 2 * ldo] = r2;
                out[o + 3 * ldo] = r3;
            }
        }
        for (; i < q1; i++) {
            int a = i * d;
            for (int j = t0; j < t1; j++) {
                int b = j * d, p = 0, up = S.loopBound(d);
                FloatVector s = FloatVector.zero(S);
                for (; p < up; p += S.length())
                    s = s.add(FloatVector.fromArray(S, q, a + p).sub(FloatVector.fromArray(S, t, b + p)).abs());
                float r = s.reduceLanes(VectorOperators.ADD);
                for (; p < d; p++) r += Math.abs(q[a + p] - t[b + p]);
                out[(i - q0) * ldo + (j - t0)] = r;
            }
        }
    }

    /**
     * Squared L2 distances {@code ‖a‖² + ‖b‖² − 2a·b} from rows [q0, q1) of {@code q} to the
     * {@code nt} training rows packed (transposed) in {@code tT} as d×ldt, with their squared norms in
     * {@code tNorm}; the dot products are one {@link Gemm#sgemm}. Clamped at 0, since rounding can
     * make the expansion slightly negative for near-duplicates.
     */
    public static void l2SquaredBlock(float[] q, int q0, int q1, float[] qNorm, float[] tT, int ldt, int nt,
            float[] tNorm, int tNormOff, int d, float[] out, int ldo) {
        int m = q1 - q0;
        Gemm.sgemm(false, false, m, nt, d, -2f, q, q0 * d, d, tT, 0, ldt, 0f, out, 0, ldo);
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
