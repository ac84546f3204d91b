package org.jgrad.ops;

import org.jgrad.autograd.Autograd;
import org.jgrad.autograd.OpAttributes;
import org.jgrad.backend.Backends;
import org.jgrad.backend.IndexBackend;
import org.jgrad.backend.Storage;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.DType;
import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;

/** Embedding lookups: rows of a table picked by integer indices, PyTorch's {@code embedding}. */
public final class EmbeddingOps {
    private EmbeddingOps() {}

    /**
     * The attributes recorded with an embedding node: the padding row (−1 for none) and, for a lookup
     * that renormalized the rows it read ({@code max_norm}), the limit and the norm's order (null and 2
     * otherwise), so that an export repeats the renormalization on rows the trace did not read.
     */
    public record Embedding(long paddingIdx, Double maxNorm, double normType) implements OpAttributes {
        /** A plain lookup, no renormalization. */
        public Embedding(long paddingIdx) {
            this(paddingIdx, null, 2);
        }
    }

    /**
     * {@code weight[indices]}: the output has the indices' shape plus the table's second dimension.
     * The gradient of row {@code paddingIdx} stays 0 (−1 for none); the weight's gradient is dense.
     */
    public static Tensor embedding(Tensor weight, Tensor indices, long paddingIdx) {
        return embedding(weight, indices, paddingIdx, null, 2);
    }

    /**
     * {@link #embedding(Tensor, Tensor, long)} after {@link #renormRows} (in place, outside the graph)
     * when {@code maxNorm} is not null, like {@code torch.nn.Embedding} with {@code max_norm}.
     */
    public static Tensor embedding(Tensor weight, Tensor indices, long paddingIdx, Double maxNorm, double normType) {
        if (maxNorm != null) renormRows(weight, indices, maxNorm, normType);
        ElementwiseOps.requireFloat("embedding", weight);
        if (weight.dim() != 2)
            throw new IllegalArgumentException("embedding: weight must be 2-D [num_embeddings, embedding_dim], got "
                    + Shape.str(weight.shape()));
        long[] idx = checkedIndices("embedding", indices, weight.size(0));
        int dim = weight.size(1);
        int[] outShape = new int[indices.dim() + 1];
        System.arraycopy(indices.shape(), 0, outShape, 0, indices.dim());
        outShape[indices.dim()] = dim;
        Tensor wc = weight.contiguous(), out = Tensor.zeros(outShape);
        Storage ids = TensorData.storage(TensorData.wrapLongs(idx, idx.length));
        backend().embeddingGather(TensorData.storage(wc), wc.offset(), dim, ids, 0, idx.length, TensorData.storage(out));
        if (!Autograd.needsGraph(weight)) return out;
        int[] ws = weight.shape();
        // The indices are recorded too (they get no gradient) so that a graph walk sees what was looked up.
        return Autograd.record(out, "embedding", new Embedding(paddingIdx, maxNorm, normType), g -> {
            Tensor gc = g.contiguous(), gw = Tensor.zeros(ws);
            backend().embeddingScatterAdd(TensorData.storage(gc), gc.offset(), dim, ids, 0, idx.length, paddingIdx,
                    TensorData.storage(gw));
            return new Tensor[] {gw, null};
        }, weight, indices);
    }

    /**
     * PyTorch's {@code embedding_renorm_} for {@code max_norm}: rescales in place, outside the graph,
     * every row named in {@code indices} whose {@code normType}-norm exceeds {@code maxNorm}.
     */
    public static void renormRows(Tensor weight, Tensor indices, double maxNorm, double normType) {
        if (weight.dim() != 2 || !weight.isContiguous())
            throw new IllegalArgumentException("embedding: max_norm needs a contiguous 2-D weight, got "
                    + Shape.str(weight.shape()));
        if (!(maxNorm > 0)) throw new IllegalArgumentException("embedding: max_norm must be positive, got " + maxNorm);
        if (!(normType > 0)) throw new IllegalArgumentException("embedding: norm_type must be positive, got " + normType);
        long[] idx = checkedIndices("embedding", indices, weight.size(0));
        backend().embeddingRenorm(TensorData.storage(weight), weight.offset(), weight.size(1),
                TensorData.storage(TensorData.wrapLongs(idx, idx.length)), 0, idx.length, maxNorm, normType);
    }

    private static IndexBackend backend() {
        return Backends.current().indexing();
    }

    /** The indices as longs, each checked against the table's rows (negative ones refused, as PyTorch does). */
    static long[] checkedIndices(String op, Tensor indices, int rows) {
        if (indices.dtype() != DType.INT64)
            throw new IllegalArgumentException(op + ": indices must be int64, got " + indices.dtype()
                    + " of shape " + Shape.str(indices.shape()));
        long[] idx = indices.toLongArray();
        for (int i = 0; i < idx.length; i++)
            if (idx[i] < 0 || idx[i] >= rows)
                throw new IndexOutOfBoundsException(op + ": index " + idx[i] + " at position " + i
                        + " is out of range for a table of " + rows + " rows");
        return idx;
    }
}
