package org.jgrad.tensor;

/**
 * {@link Tensor}'s own view arithmetic: an explicit-strides view checked against its storage, and the
 * sizes of splits and chunks. The recorded view ops (reshape, transpose, slice, ...) are in
 * {@code org.jgrad.ops.ViewOps}.
 */
final class TensorViews {
    private TensorViews() {}

    static Tensor asStrided(Tensor t, int[] shape, int[] strides, int offset) {
        if (shape.length != strides.length)
            throw new IllegalArgumentException("asStrided: shape " + Shape.str(shape) + " and strides "
                    + Shape.str(strides) + " differ in rank");
        long lo = offset, hi = offset;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] < 0) throw new IllegalArgumentException("asStrided: negative size in " + Shape.str(shape));
            if (shape[i] == 0) { lo = offset; hi = offset - 1; break; }
            long span = (long) (shape[i] - 1) * strides[i];
            if (span < 0) lo += span; else hi += span;
        }
        int cap = t.storage.length();
        if (hi >= lo && (lo < 0 || hi >= cap))
            throw new IndexOutOfBoundsException("asStrided: view shape " + Shape.str(shape) + " strides "
                    + Shape.str(strides) + " offset " + offset + " reaches outside a storage of " + cap + " elements");
        return t.detachedView(shape.clone(), strides.clone(), offset);
    }

    static Tensor[] split(Tensor t, int splitSize, int dim) {
        int[] shape = t.shape;
        int d = Shape.normalizeDim("split", dim, shape.length), size = shape.length == 0 ? 0 : shape[d];
        if (shape.length == 0) throw new IllegalArgumentException("split: expects at least a 1-dimensional tensor");
        if (splitSize <= 0 && !(splitSize == 0 && size == 0))
            throw new IllegalArgumentException("split: split size must be positive, got " + splitSize + " for shape "
                    + Shape.str(shape));
        int n = size == 0 ? 1 : (size + splitSize - 1) / splitSize;
        int[] sizes = new int[n];
        for (int i = 0; i < n; i++) sizes[i] = Math.min(splitSize, size - i * splitSize);
        return split(t, sizes, d);
    }

    static Tensor[] split(Tensor t, int[] sizes, int dim) {
        int[] shape = t.shape;
        if (shape.length == 0) throw new IllegalArgumentException("split: expects at least a 1-dimensional tensor");
        int d = Shape.normalizeDim("split", dim, shape.length);
        long total = 0;
        for (int s : sizes) {
            if (s < 0) throw new IllegalArgumentException("split: negative size in " + Shape.str(sizes));
            total += s;
        }
        if (total != shape[d])
            throw new IllegalArgumentException("split: sizes " + Shape.str(sizes) + " add up to " + total
                    + " but dimension " + d + " of shape " + Shape.str(shape) + " has size " + shape[d]);
        Tensor[] out = new Tensor[sizes.length];
        for (int i = 0, start = 0; i < sizes.length; start += sizes[i], i++) out[i] = t.narrow(d, start, sizes[i]);
        return out;
    }

    static Tensor[] chunk(Tensor t, int chunks, int dim) {
        if (chunks <= 0) throw new IllegalArgumentException("chunk: number of chunks must be positive, got " + chunks);
        if (t.shape.length == 0) throw new IllegalArgumentException("chunk: expects at least a 1-dimensional tensor");
        int size = t.shape[Shape.normalizeDim("chunk", dim, t.shape.length)];
        return split(t, size == 0 ? 0 : (size + chunks - 1) / chunks, dim);
    }
}
