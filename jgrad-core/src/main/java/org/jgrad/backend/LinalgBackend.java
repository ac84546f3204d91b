package org.jgrad.backend;

/**
 * Matrix products: GEMM (with transposes and accumulation), batched matmul, matrix-vector products.
 *
 * <p>Methods take whole operations over {@link Storage}s plus their geometry (offsets, sizes, strides
 * or an options record), never loop tiles; the CPU implementation is {@code org.jgrad.backend.cpu.CpuLinalg}.
 */
public interface LinalgBackend {

    /** BLAS's {@code C = alpha·op(A)·op(B) + beta·C} into the caller's storage {@code c}; op(A) is m×k, op(B) k×n. */
    void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, Storage a, int aOff, int lda, Storage b,
            int bOff, int ldb, float beta, Storage c, int cOff, int ldc);

    // ------------------------------------------------------------------ pairwise distances (vision.classic's k-NN)

    /**
     * {@code torch.cdist} with p = 1 between blocks of rows: the L1 distances from rows [q0, q1) of {@code q}
     * to rows [t0, t1) of {@code t} (row-major from index 0, d values per row), written to the caller's
     * {@code out} at {@code (i − q0)·ldo + (j − t0)}; each distance is a float sum, as the data are float.
     */
    void l1Distances(Storage q, int q0, int q1, Storage t, int t0, int t1, int d, Storage out, int ldo);
}
