package org.jgrad.backend;

/**
 * Indexing and data movement: gather/scatter, index_select, embedding rows, cat/stack, narrow copies, one-hot, flips.
 *
 * <p>Methods take whole operations over {@link Storage}s plus their geometry (offsets, sizes, strides
 * or an options record), never loop tiles; the CPU implementation is {@code org.jgrad.backend.cpu.CpuIndex}.
 * Index storages are int64 and contiguous from their offset, and checked by the op beforehand: each
 * index lies in [−size, size) of the dim it addresses (negative ones count from the end).
 */
public interface IndexBackend {

    /**
     * PyTorch's {@code gather}: out[pos] = x[pos with dim replaced by index[pos]] for every position of
     * the index's shape, x contiguous of shape {@code xShape}; a new storage of the index's shape.
     */
    Storage gather(Storage x, int xOff, int[] xShape, int dim, Storage index, int indexOff, int[] indexShape);

    /**
     * Zeros of {@code shape} with {@code src} (contiguous, of the index's shape) added at the positions
     * the index names along {@code dim}; the gradient of {@link #gather}.
     */
    Storage scatterAdd(int[] shape, int dim, Storage index, int indexOff, int[] indexShape, Storage src, int srcOff);

    /**
     * {@code index_select} over a contiguous [outer, size, inner] view of x (float32 or int64): a new
     * [outer, count, inner] storage of x's element type.
     */
    Storage indexSelect(Storage x, int xOff, int outer, int size, int inner, Storage index, int indexOff, int count);

    /** The gradient of {@link #indexSelect}: a new [outer, size, inner] storage, repeated indices summed in order. */
    Storage indexSelectBackward(Storage g, int gOff, int outer, int size, int inner, Storage index, int indexOff, int count);

    /**
     * Copies {@code rows} blocks of {@code len} elements from {@code src} (block r at
     * {@code srcOff + r·srcStride}) into the caller's {@code dst} (at {@code dstOff + r·dstStride}); both of one
     * element type. Concatenation writes each input this way.
     */
    void copyRows(Storage src, int srcOff, int srcStride, Storage dst, int dstOff, int dstStride, int rows, int len);

    /** One-hot rows: a new float32 [n, classes] storage with 1 at each label (labels checked in [0, classes)). */
    Storage oneHot(Storage labels, int labelsOff, int n, int classes);

    // ------------------------------------------------------------ embedding rows

    /**
     * Embedding lookup: row {@code index[i]} of a contiguous [rows, dim] table (at {@code tableOff}) into
     * row i of the caller's {@code out}, for each of {@code n} checked indices.
     */
    void embeddingGather(Storage table, int tableOff, int dim, Storage index, int indexOff, int n, Storage out);

    /**
     * The embedding's weight gradient: row i of {@code g} (contiguous, at {@code gOff}) added into row
     * {@code index[i]} of the caller's zeroed {@code grad}, skipping indices equal to {@code paddingIdx} (−1: none).
     */
    void embeddingScatterAdd(Storage g, int gOff, int dim, Storage index, int indexOff, int n, long paddingIdx, Storage grad);

    /**
     * PyTorch's {@code embedding_renorm_}, in place: every distinct row named in the index whose
     * {@code normType}-norm exceeds {@code maxNorm} is rescaled to that norm.
     */
    void embeddingRenorm(Storage table, int tableOff, int dim, Storage index, int indexOff, int n, double maxNorm,
            double normType);

    // ------------------------------------------------------------ embedding bags

    /** How an embedding bag's rows are reduced. */
    enum BagMode {
        /** The sum (optionally weighted per entry). */ SUM,
        /** The mean over the bag's non-padding entries. */ MEAN,
        /** The maximum per column. */ MAX
    }

    /**
     * PyTorch's {@code embedding_bag} into the caller's zeroed {@code out} [bags, dim]: bag b reduces the
     * table rows named by index entries {@code [bagStarts[b], bagStarts[b + 1])}, leaving out entries equal
     * to {@code paddingIdx} (−1: none); for SUM each row times {@code weights[wOff + i]} when weights is not
     * null. Fills, for the backward, {@code count[b]} (entries reduced) and, for MAX, {@code argmax[b·dim + j]}
     * (the entry that won column j, the first on ties; −1 for an empty bag).
     */
    void embeddingBag(Storage table, int tableOff, int dim, Storage index, int indexOff, int n, int[] bagStarts,
            Storage weights, int wOff, BagMode mode, long paddingIdx, Storage out, int[] count, int[] argmax);

    /** The table's gradient of {@link #embeddingBag}, added into the caller's zeroed {@code grad} [rows, dim]. */
    void embeddingBagBackwardTable(Storage g, int gOff, int dim, Storage index, int indexOff, int n, int[] bagStarts,
            Storage weights, int wOff, BagMode mode, long paddingIdx, int[] count, int[] argmax, Storage grad);

    /**
     * The per-sample weights' gradient of a weighted SUM bag into the caller's zeroed {@code out} [n]:
     * {@code out[i] = g[bag of i] · table[index[i]]}, 0 for padding entries.
     */
    void embeddingBagBackwardWeights(Storage g, int gOff, Storage table, int tableOff, int dim, Storage index, int indexOff,
            int n, int[] bagStarts, long paddingIdx, Storage out);
}
