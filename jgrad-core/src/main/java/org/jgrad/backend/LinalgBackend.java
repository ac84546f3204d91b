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

    // ------------------------------------------------------------ recurrent layers (a GEMM per step, fused gates)

    /** A recurrent cell, with PyTorch's equations and gate orders. */
    enum RecurrentCell {
        /** {@code h' = tanh(xp + h·W_hhᵀ + b_hh)}. */ RNN_TANH,
        /** {@code h' = relu(xp + h·W_hhᵀ + b_hh)}. */ RNN_RELU,
        /** Gates i|f|g|o; {@code c' = f·c + i·g}, {@code h' = o·tanh(c')}. */ LSTM,
        /** Gates r|z|n; {@code n = tanh(xp_n + r·(W_hn·h + b_hn))}, {@code h' = (1 − z)·n + z·h}. */ GRU
    }

    /**
     * One direction of one recurrent layer over a whole sequence of T steps for a batch of B and hidden
     * size H (G gates), into the caller's zeroed outputs (all contiguous from 0).
     *
     * @param xp the input projection {@code x·W_ihᵀ + b_ih} [T, B, G·H], contiguous at {@code xpOff}
     * @param whh hidden weights [G·H, H]; {@code bhh} [G·H] or null; {@code h0}, {@code c0} [B, H] (c0: LSTM only)
     * @param lengths valid steps per batch row, or null when every row has T
     * @param y [T + 1 (+1 for LSTM), B, H]: the outputs, then the final hidden (and cell) state
     * @param acts, hPrev, cPrev, hn saved for the backward: the gates after their nonlinearity [T, B, G·H],
     *     the hidden state each step read [T, B, H], the cell state each step read (LSTM, else null), and
     *     {@code W_hn·h + b_hn} of each step (GRU, else null)
     */
    void recurrentForward(RecurrentCell cell, int T, int B, int H, Storage xp, int xpOff, Storage whh, int whhOff, Storage bhh,
            int bhhOff, Storage h0, int h0Off, Storage c0, int c0Off, int[] lengths, boolean reverse, Storage y, Storage acts,
            Storage hPrev, Storage cPrev, Storage hn);

    /**
     * Backpropagation through time of {@link #recurrentForward} from the gradient {@code gy} of its
     * {@code y} (contiguous at {@code gyOff}), into the caller's zeroed gradients: {@code dxp} [T, B, G·H]
     * (always), {@code dh0}, {@code dc0} [B, H], {@code dwhh} [G·H, H], {@code dbhh} [G·H], each null when not wanted.
     */
    void recurrentBackward(RecurrentCell cell, int T, int B, int H, Storage gy, int gyOff, Storage whh, int whhOff,
            int[] lengths, boolean reverse, Storage acts, Storage hPrev, Storage cPrev, Storage hn, Storage dxp, Storage dh0,
            Storage dc0, Storage dwhh, Storage dbhh);

    // ------------------------------------------------------------------ pairwise distances (vision.classic's k-NN)

    /**
     * {@code torch.cdist} with p = 1 between blocks of rows: the L1 distances from rows [q0, q1) of {@code q}
     * to rows [t0, t1) of {@code t} (row-major from index 0, d values per row), written to the caller's
     * {@code out} at {@code (i − q0)·ldo + (j − t0)}; each distance is a float sum, as the data are float.
     */
    void l1Distances(Storage q, int q0, int q1, Storage t, int t0, int t1, int d, Storage out, int ldo);
}
