package org.jgrad.backend.cpu;

import org.jgrad.backend.FloatStorage;
import org.jgrad.backend.LinalgBackend;
import org.jgrad.backend.Storage;
import org.jgrad.kernels.Gemm;
import org.jgrad.kernels.PairwiseDistances;

/** {@link LinalgBackend} on the CPU: unwraps heap storages and calls the loops in {@code org.jgrad.kernels}. */
final class CpuLinalg implements LinalgBackend {

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, Storage a, int aOff, int lda,
            Storage b, int bOff, int ldb, float beta, Storage c, int cOff, int ldc) {
        Gemm.sgemm(transA, transB, m, n, k, alpha, floats(a), aOff, lda, floats(b), bOff, ldb, beta, floats(c), cOff, ldc);
    }

    // ------------------------------------------------------------------ pairwise distances (vision.classic's k-NN)

    @Override
    public void l1Distances(Storage q, int q0, int q1, Storage t, int t0, int t1, int d, Storage out, int ldo) {
        PairwiseDistances.l1(floats(q), q0, q1, floats(t), t0, t1, d, floats(out), ldo);
    }

    private static float[] floats(Storage s) {
        return ((FloatStorage) s).array();
    }
}
