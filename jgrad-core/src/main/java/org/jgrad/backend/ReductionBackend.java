package org.jgrad.backend;

/**
 * Reductions: sum, mean, max/min (with indices), norms and variances along dimensions or over everything.
 *
 * <p>Methods take whole operations over {@link Storage}s plus their geometry (offsets, sizes, strides
 * or an options record), never loop tiles; the CPU implementation is {@code org.jgrad.backend.cpu.CpuReduction}.
 * The ops lay their input out as contiguous rows first (reduced dims last, or leading), so these
 * take a row count and a row length.
 */
public interface ReductionBackend {

    /** A float32 storage of values and an int64 storage of their indices. */
    record ValuesIndices(Storage values, Storage indices) {}

    /**
     * Sums away the leading dim of a contiguous [rows, cols] block: out[j] = Σ_i x[i, j], accumulated
     * in double in row order; a new storage of {@code cols} elements.
     */
    Storage sumLeading(Storage x, int xOff, int rows, int cols);

    /** The sum of each row of a contiguous [rows, len] block, accumulated in double; {@code rows} elements. */
    Storage sumRows(Storage x, int xOff, int rows, int len);

    /**
     * The max (min unless {@code isMax}) of each row of a contiguous [rows, len] block, len ≥ 1, and the
     * index of its first occurrence; NaN wins (PyTorch).
     */
    ValuesIndices extremeRows(Storage x, int xOff, int rows, int len, boolean isMax);

    /**
     * The gradient of a whole-tensor max/min {@code best} over {@code n} contiguous elements: {@code g}
     * shared evenly among the elements equal to it (all NaNs when it is NaN), 0 elsewhere.
     */
    Storage shareAmongTies(Storage x, int xOff, int n, float best, float g);
}
