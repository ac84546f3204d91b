package org.jgrad.ops;

import java.util.Locale;
import org.jgrad.autograd.Autograd;
import org.jgrad.autograd.OpAttributes;
import org.jgrad.backend.Backends;
import org.jgrad.backend.IndexBackend;
import org.jgrad.backend.Storage;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.DType;
import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;

/** Sums, means and maxima of embedding rows over bags of indices: PyTorch's {@code embedding_bag}. */
public final class EmbeddingBagOps {
    private EmbeddingBagOps() {}

    /** How a bag's rows are reduced. */
    public enum Mode {
        SUM, MEAN, MAX;

        /** The mode PyTorch calls {@code name} ("sum", "mean" or "max"). */
        public static Mode of(String name) {
            for (Mode m : values()) if (m.pyName().equals(name)) return m;
            throw new IllegalArgumentException("embedding_bag: mode must be 'sum', 'mean' or 'max', got '" + name + "'");
        }

        /** PyTorch's name of the mode. */
        public String pyName() {
            return name().toLowerCase(Locale.ROOT);
        }

        IndexBackend.BagMode backendMode() {
            return switch (this) {
                case SUM -> IndexBackend.BagMode.SUM;
                case MEAN -> IndexBackend.BagMode.MEAN;
                case MAX -> IndexBackend.BagMode.MAX;
            };
        }
    }

    /** The attributes recorded with an embedding-bag node. */
    public record EmbeddingBag(String mode, long paddingIdx, boolean includeLastOffset, boolean perSampleWeights)
            implements OpAttributes {}

    /**
     * One row per bag, {@code [bags, dim]}: the {@code mode} reduction of the rows of {@code weight}
     * [num_embeddings, dim] named by the bag's indices. {@code input} is int64: 2-D {@code [bags, n]}, each
     * row a bag ({@code offsets} null), or 1-D with {@code offsets} (int64, 1-D), where bag {@code b} starts
     * at {@code offsets[b]} (the first at 0, non-decreasing) and ends where the next starts, the last at the
     * input's end, or, with {@code includeLastOffset}, the CSR form: one offset more than bags, the last
     * equal to the input's length. {@code perSampleWeights} (SUM only; null for none) has the input's shape
     * and scales each row. Entries equal to {@code paddingIdx} (−1 for none) are left out of the bag: of the
     * sum, the mean's count and the maximum. An empty bag gives zeros. The gradient reaches {@code weight}
     * (densely; for MAX only the winning row of each column, the first on ties) and the per-sample weights.
     */
    public static Tensor embeddingBag(Tensor weight, Tensor input, Tensor offsets, Mode mode, Tensor perSampleWeights,
            boolean includeLastOffset, long paddingIdx) {
        ElementwiseOps.requireFloat("embedding_bag", weight);
        if (weight.dim() != 2)
            throw new IllegalArgumentException("embedding_bag: weight must be 2-D [num_embeddings, embedding_dim], got "
                    + Shape.str(weight.shape()));
        if (mode == null) throw new IllegalArgumentException("embedding_bag: mode is null");
        int rows = weight.size(0), dim = weight.size(1);
        if (paddingIdx < -1 || paddingIdx >= rows)
            throw new IllegalArgumentException("embedding_bag: padding_idx " + paddingIdx + " is outside the table's " + rows + " rows");
        long[] idx = EmbeddingOps.checkedIndices("embedding_bag", input, rows);
        int[] start = bagStarts(input, offsets, includeLastOffset);
        Tensor psw = perSampleWeights == null ? null : checkedWeights(perSampleWeights, input, mode);
        int bags = start.length - 1;
        Tensor wc = weight.contiguous(), out = Tensor.zeros(bags, dim);
        int[] count = new int[bags], argmax = mode == Mode.MAX ? new int[bags * dim] : null;
        IndexBackend backend = Backends.current().indexing();
        Storage ids = TensorData.storage(TensorData.wrapLongs(idx, idx.length)), pws = psw == null ? null : TensorData.storage(psw);
        int pwOff = psw == null ? 0 : psw.offset();
        backend.embeddingBag(TensorData.storage(wc), wc.offset(), dim, ids, 0, idx.length, start, pws, pwOff, mode.backendMode(),
                paddingIdx, TensorData.storage(out), count, argmax);
        if (!Autograd.needsGraph(weight, perSampleWeights)) return out;
        int[] ws = weight.shape(), ps = psw == null ? null : perSampleWeights.shape();
        return Autograd.record(out, "embedding_bag",
                new EmbeddingBag(mode.pyName(), paddingIdx, includeLastOffset, psw != null), g -> {
                    Tensor gc = g.contiguous(), gw = null, gp = null;
                    if (weight.requiresGrad()) {
                        gw = Tensor.zeros(ws);
                        backend.embeddingBagBackwardTable(TensorData.storage(gc), gc.offset(), dim, ids, 0, idx.length, start, pws,
                                pwOff, mode.backendMode(), paddingIdx, count, argmax, TensorData.storage(gw));
                    }
                    if (psw != null && perSampleWeights.requiresGrad()) {
                        gp = Tensor.zeros(ps);
                        backend.embeddingBagBackwardWeights(TensorData.storage(gc), gc.offset(), TensorData.storage(wc), wc.offset(),
                                dim, ids, 0, idx.length, start, paddingIdx, TensorData.storage(gp));
                    }
                    return new Tensor[] {gw, gp};
                }, weight, perSampleWeights);
    }

    /** Where each bag starts in the flattened input, and where the last one ends: bags + 1 positions. */
    private static int[] bagStarts(Tensor input, Tensor offsets, boolean includeLastOffset) {
        int n = input.numel();
        if (input.dim() == 2) {
            if (offsets != null)
                throw new IllegalArgumentException("embedding_bag: a 2-D input " + Shape.str(input.shape())
                        + " is a batch of bags of the same length; offsets must be null, got " + Shape.str(offsets.shape()));
            if (includeLastOffset)
                throw new IllegalArgumentException("embedding_bag: include_last_offset goes with a 1-D input and its offsets,"
                        + " not a 2-D input " + Shape.str(input.shape()));
            int bags = input.size(0), len = input.size(1);
            int[] start = new int[bags + 1];
            for (int b = 0; b <= bags; b++) start[b] = b * len;
            return start;
        }
        if (input.dim() != 1)
            throw new IllegalArgumentException("embedding_bag: input must be 1-D (with offsets) or 2-D [bags, n], got "
                    + Shape.str(input.shape()));
        if (offsets == null)
            throw new IllegalArgumentException("embedding_bag: a 1-D input needs offsets, the position where each bag starts");
        if (offsets.dtype() != DType.INT64 || offsets.dim() != 1)
            throw new IllegalArgumentException("embedding_bag: offsets must be 1-D int64, got " + offsets.dtype() + " of shape "
                    + Shape.str(offsets.shape()));
        long[] off = offsets.toLongArray();
        if (includeLastOffset && off.length == 0)
            throw new IllegalArgumentException("embedding_bag: with include_last_offset, offsets needs at least one entry (the"
                    + " input's length)");
        if (off.length > 0 && off[0] != 0)
            throw new IllegalArgumentException("embedding_bag: offsets[0] must be 0 (the first bag starts the input), got " + off[0]);
        for (int i = 1; i < off.length; i++)
            if (off[i] < off[i - 1])
                throw new IllegalArgumentException("embedding_bag: offsets must not decrease, but offsets[" + i + "] = " + off[i]
                        + " < offsets[" + (i - 1) + "] = " + off[i - 1]);
        if (off.length > 0 && off[off.length - 1] > n)
            throw new IllegalArgumentException("embedding_bag: offsets[" + (off.length - 1) + "] = " + off[off.length - 1]
                    + " is beyond the input's " + n + " indices");
        if (includeLastOffset && off[off.length - 1] != n)
            throw new IllegalArgumentException("embedding_bag: with include_last_offset the last offset is the input's length "
                    + n + ", got " + off[off.length - 1]);
        int bags = includeLastOffset ? off.length - 1 : off.length;
        int[] start = new int[bags + 1];
        for (int b = 0; b < bags; b++) start[b] = (int) off[b];
        start[bags] = n;
        return start;
    }

    private static Tensor checkedWeights(Tensor w, Tensor input, Mode mode) {
        if (mode != Mode.SUM)
            throw new IllegalArgumentException("embedding_bag: per_sample_weights go only with mode 'sum', got '" + mode.pyName() + "'");
        ElementwiseOps.requireFloat("embedding_bag per_sample_weights", w);
        if (!java.util.Arrays.equals(w.shape(), input.shape()))
            throw new IllegalArgumentException("embedding_bag: per_sample_weights " + Shape.str(w.shape())
                    + " must have the input's shape " + Shape.str(input.shape()));
        return w.contiguous();
    }
}
