package org.jgrad.backend;

/**
 * Matrix products: GEMM (with transposes and accumulation), batched matmul, matrix-vector products.
 *
 * <p>Methods take whole operations over {@link Storage}s plus their geometry (offsets, sizes, strides
 * or an options record), never loop tiles; the CPU implementation is {@code org.jgrad.backend.cpu.CpuLinalg}.
 * Matrices are row-major with a leading dimension: element (i, j) of op(A) is at
 * {@code aOff + i·lda + j}, or at {@code aOff + j·lda + i} when {@code transA}.
 */
public interface LinalgBackend {

    /** BLAS's {@code C = alpha·op(A)·op(B) + beta·C} into the caller's storage {@code c}; op(A) is m×k, op(B) k×n. */
    void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha, Storage a, int aOff, int lda, Storage b,
            int bOff, int ldb, float beta, Storage c, int cOff, int ldc);

    /** {@code op(A)·op(B)} as a new contiguous m×n storage. */
    Storage matmul(boolean transA, boolean transB, int m, int n, int k, Storage a, int aOff, int lda, Storage b, int bOff,
            int ldb);

    /**
     * {@code batches} products {@code op(A_i)·op(B_i)}, A_i at {@code aOffsets[i]} and B_i at {@code bOffsets[i]}
     * (broadcast batches repeat an offset), stacked in a new contiguous [batches, m, n] storage.
     */
    Storage batchedMatmul(boolean transA, boolean transB, int m, int n, int k, Storage a, int[] aOffsets, int lda, Storage b,
            int[] bOffsets, int ldb);

    /**
     * A linear layer's epilogue, in place on the contiguous [rows, n] product {@code out}: adds the bias
     * (n elements at {@code biasOff}, {@code biasStride} apart) to every row, or nothing when
     * {@code bias} is null, then applies max(·, 0) when {@code relu}.
     */
    void biasRelu(Storage out, int rows, int n, Storage bias, int biasOff, int biasStride, boolean relu);
}
