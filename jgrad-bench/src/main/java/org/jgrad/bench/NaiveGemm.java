package org.jgrad.bench;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.jgrad.kernels.Parallel;

/**
 * The SGEMM jgrad shipped before the packed kernel (commit 7a9a405): row-by-row axpy with the
 * Vector API, B transposed up front when needed, rows split across the pool. Kept only as the
 * baseline that {@link GemmBench} reports the new kernel against.
 */
final class NaiveGemm {
    private NaiveGemm() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
            float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        if (m == 0 || n == 0) return;
        if (beta != 1f) {
            for (int i = 0; i < m; i++) {
                int row = cOff + i * ldc;
                if (beta == 0f) java.util.Arrays.fill(c, row, row + n, 0f);
                else for (int j = 0; j < n; j++) c[row + j] *= beta;
            }
        }
        if (k == 0 || alpha == 0f) return;
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
        final float[] bb = bp;
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
                    axpy(av, bb, bo + p * lb, c, crow, n);
                }
            }
        });
    }

    private static void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
        int j = 0, up = S.loopBound(n);
        FloatVector av = FloatVector.broadcast(S, alpha);
        for (; j < up; j += S.length()) {
            FloatVector.fromArray(S, x, xo + j).fma(av, FloatVector.fromArray(S, y, yo + j)).intoArray(y, yo + j);
        }
        for (; j < n; j++) y[yo + j] += alpha * x[xo + j];
    }
}
