package org.jgrad.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Single-precision general matrix multiply on row-major arrays:
 * {@code C = alpha * op(A) * op(B) + beta * C}, where op transposes when asked.
 *
 * <p>op(A) is m×k, op(B) is k×n, C is m×n. {@code lda}, {@code ldb}, {@code ldc} are the row strides
 * of A, B, C as stored (before the transpose).
 */
public final class Gemm {
    private Gemm() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff,
            int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        if (m == 0 || n == 0) return;
        // Scale C by beta first; the product is then accumulated into it.
        if (beta != 1f) {
            for (int i = 0; i < m; i++) {
                int row = cOff + i * ldc;
                if (beta == 0f) java.util.Arrays.fill(c, row, row + n, 0f);
                else for (int j = 0; j < n; j++) c[row + j] *= beta;
            }
        }
        if (k == 0 || alpha == 0f) return;
        // Bring B to row-major k×n so that the inner loop streams along contiguous rows of B and C.
        float[] bp = b;
        int bpOff = bOff, ldbp = ldb;
        if (transB) {
            bp = new float[k * n];
            for (int j = 0; j < n; j++) {
                int src = bOff + j * ldb;
                for (int p = 0; p < k; p++) bp[p * n + j] = b[src + p];
            }
            bpOff = 0;
            ldbp = n;
        }
        final float[] B = bp;
        final int bo = bpOff, lb = ldbp;
        long work = (long) m * n * k;
        int grain = work < 32_768 ? m : Math.max(1, (int) (m * 32_768L / work));
        Parallel.forRange(m, grain, (i0, i1) -> {
            for (int i = i0; i < i1; i++) {
                int crow = cOff + i * ldc;
                for (int p = 0; p < k; p++) {
                    float av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    if (av == 0f) continue;
                    av *= alpha;
                    axpy(av, B, bo + p * lb, c, crow, n);
                }
            }
        });
    }

    /** y[yo..yo+n) += alpha * x[xo..xo+n). */
    static void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
        int j = 0, up = S.loopBound(n);
        FloatVector av = FloatVector.broadcast(S, alpha);
        for (; j < up; j += S.length()) {
            FloatVector.fromArray(S, x, xo + j).fma(av, FloatVector.fromArray(S, y, yo + j)).intoArray(y, yo + j);
        }
        for (; j < n; j++) y[yo + j] += alpha * x[xo + j];
    }
}
