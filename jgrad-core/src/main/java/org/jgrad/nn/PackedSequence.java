package org.jgrad.nn;

import java.util.Arrays;
import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;

/**
 * A batch of sequences of different lengths in PyTorch's packed layout
 * ({@code torch.nn.utils.rnn.PackedSequence}): {@link #data()} holds the steps time-major, step t of
 * every sequence that is longer than t, the sequences sorted by decreasing length;
 * {@link #batchSizes()} says how many sequences take part in each step. Build one with
 * {@link #pack} (PyTorch's {@code pack_padded_sequence}), run it through {@link RNNBase#forwardPacked}
 * and turn it back with {@link #pad} ({@code pad_packed_sequence}). Packing and padding are
 * differentiable.
 *
 * <pre>{@code
 * PackedSequence p = PackedSequence.pack(padded, new int[] {5, 3, 4}, false, false);
 * RNNBase.PackedOutputs o = lstm.forwardPacked(p, null, null);
 * PackedSequence.Padded out = o.output().pad(false);      // [5, 3, H] and the lengths 5, 3, 4
 * }</pre>
 */
public final class PackedSequence {
    private final Tensor data;
    private final int[] batchSizes, sortedIndices, lengths;

    private PackedSequence(Tensor data, int[] batchSizes, int[] sortedIndices, int[] lengths) {
        this.data = data;
        this.batchSizes = batchSizes;
        this.sortedIndices = sortedIndices;
        this.lengths = lengths;
    }

    /** A padded batch and the length of each sequence, in the batch's order. */
    public record Padded(Tensor padded, int[] lengths) {}

    /**
     * Packs a padded batch [T, B, *] ([B, T, *] when {@code batchFirst}).
     *
     * @param lengths the length of each sequence, each in 1..T
     * @param enforceSorted when true, the lengths must already be in decreasing order (as PyTorch's
     *     default demands); when false the sequences are sorted here and the order is remembered
     */
    public static PackedSequence pack(Tensor padded, int[] lengths, boolean batchFirst, boolean enforceSorted) {
        if (padded.dim() < 2)
            throw new IllegalArgumentException("pack: a padded batch needs at least 2 dimensions, got "
                    + Shape.str(padded.shape()));
        Tensor x = batchFirst ? padded.transpose(0, 1) : padded;
        int T = x.size(0), B = x.size(1);
        if (lengths == null || lengths.length != B)
            throw new IllegalArgumentException("pack: expected " + B + " lengths (one per sequence), got "
                    + (lengths == null ? "null" : lengths.length));
        for (int b = 0; b < B; b++)
            if (lengths[b] < 1 || lengths[b] > T)
                throw new IllegalArgumentException("pack: length " + lengths[b] + " of sequence " + b
                        + " is outside 1.." + T + " (padded " + Shape.str(padded.shape()) + ")");
        Integer[] order = new Integer[B];
        for (int b = 0; b < B; b++) order[b] = b;
        if (enforceSorted) {
            for (int b = 1; b < B; b++)
                if (lengths[b] > lengths[b - 1])
                    throw new IllegalArgumentException("pack: lengths must be in decreasing order when enforceSorted,"
                            + " got " + Arrays.toString(lengths) + "; pass enforceSorted=false to sort them");
        } else {
            Arrays.sort(order, (a, b) -> Integer.compare(lengths[b], lengths[a]));   // stable, as torch.sort here
        }
        int[] sorted = new int[B];
        for (int b = 0; b < B; b++) sorted[b] = order[b];
        return packSorted(x, lengths.clone(), sorted);
    }

    private static PackedSequence packSorted(Tensor x, int[] lengths, int[] sorted) {
        int T = x.size(0), B = x.size(1), maxLen = lengths[sorted[0]];
        int[] batchSizes = new int[maxLen];
        int total = 0;
        for (int t = 0; t < maxLen; t++) {
            int n = 0;
            while (n < B && lengths[sorted[n]] > t) n++;
            batchSizes[t] = n;
            total += n;
        }
        long[] rows = new long[total];
        int r = 0;
        for (int t = 0; t < maxLen; t++)
            for (int k = 0; k < batchSizes[t]; k++) rows[r++] = (long) t * B + sorted[k];
        int[] rest = Arrays.copyOfRange(x.shape(), 2, x.dim());
        int[] flatShape = new int[rest.length + 1];
        flatShape[0] = T * B;
        System.arraycopy(rest, 0, flatShape, 1, rest.length);
        Tensor data = x.contiguous().reshape(flatShape).indexSelect(0, Tensor.ofLongs(rows));
        return new PackedSequence(data, batchSizes, sorted, lengths);
    }

    /**
     * The padded batch [T, B, *] ([B, T, *] when {@code batchFirst}) with zeros after each sequence's
     * end, T the longest length, and the lengths, in the original batch order.
     */
    public Padded pad(boolean batchFirst) {
        int B = sortedIndices.length, T = batchSizes.length, total = data.size(0);
        long[] rows = new long[T * B];
        Arrays.fill(rows, total);                       // the zero row appended below
        int r = 0;
        for (int t = 0; t < T; t++)
            for (int k = 0; k < batchSizes[t]; k++) rows[t * B + sortedIndices[k]] = r++;
        int[] zeroShape = data.shape().clone();
        zeroShape[0] = 1;
        Tensor withZero = Tensor.cat(0, data, Tensor.zeros(zeroShape));
        Tensor flat = withZero.indexSelect(0, Tensor.ofLongs(rows));
        int[] shape = new int[data.dim() + 1];
        shape[0] = T;
        shape[1] = B;
        System.arraycopy(data.shape(), 1, shape, 2, data.dim() - 1);
        Tensor padded = flat.reshape(shape);
        return new Padded(batchFirst ? padded.transpose(0, 1) : padded, lengths.clone());
    }

    /** A padded time-major output of these sequences, packed in this sequence's order. */
    PackedSequence repack(Tensor paddedTimeMajor) {
        return packSorted(paddedTimeMajor, lengths, sortedIndices);
    }

    /** The packed steps [sum of lengths, *]. */
    public Tensor data() {
        return data;
    }

    /** How many sequences take part in each step (PyTorch's {@code batch_sizes}). */
    public int[] batchSizes() {
        return batchSizes.clone();
    }

    /** The batch order sorted by decreasing length ({@code sorted_indices}). */
    public int[] sortedIndices() {
        return sortedIndices.clone();
    }

    /** The length of each sequence, in the original batch order. */
    public int[] lengths() {
        return lengths.clone();
    }

    @Override
    public String toString() {
        return "PackedSequence(data=" + Shape.str(data.shape()) + ", batch_sizes=" + Arrays.toString(batchSizes) + ")";
    }
}
