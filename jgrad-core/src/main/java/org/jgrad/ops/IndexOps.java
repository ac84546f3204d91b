package org.jgrad.ops;

import org.jgrad.autograd.Autograd;
import org.jgrad.autograd.NoGrad;
import org.jgrad.backend.Backends;
import org.jgrad.backend.IndexBackend;
import org.jgrad.backend.Storage;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.DType;
import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;

/** Indexing ops: gather/scatter, index_select, concatenation, one-hot. */
public final class IndexOps {
    private IndexOps() {}

    private static void requireIndex(String op, Tensor index) {
        if (index.dtype() != DType.INT64)
            throw new IllegalArgumentException(op + ": index must be an int64 tensor, got " + index.dtype().pyName()
                    + " of shape " + Shape.str(index.shape()));
    }

    /** See {@link Tensor#gather}: out[..i..] = x[..index[..i..] at dim..]. */
    public static Tensor gather(Tensor x, int dim, Tensor index) {
        ElementwiseOps.requireFloat("gather", x);
        requireIndex("gather", index);
        int[] xs = x.shape(), is = index.shape();
        int d = Shape.normalizeDim("gather", dim, xs.length);
        if (is.length != xs.length)
            throw new IllegalArgumentException("gather: index " + Shape.str(is) + " and input " + Shape.str(xs)
                    + " must have the same number of dimensions");
        for (int i = 0; i < xs.length; i++)
            if (i != d && is[i] > xs[i])
                throw new IllegalArgumentException("gather: index size " + is[i] + " exceeds input size " + xs[i]
                        + " at dimension " + i + " (index " + Shape.str(is) + ", input " + Shape.str(xs) + ")");
        Tensor xc = x.contiguous();
        long[] id = index.toLongArray();
        checkGatherIndices("gather", xs, d, id);
        Tensor res = TensorData.wrap(backend().gather(TensorData.storage(xc), xc.offset(), xs, d, storageOf(id), 0, is), is);
        if (!Autograd.needsGraph(x)) return res;
        // The index is recorded too (it gets no gradient) so that a graph walk, an export, sees it.
        return Autograd.record(res, "gather", new IndexAttributes.Gather(d),
                g -> new Tensor[] {scatterAdd(xs, d, index, g), null}, x, index);
    }

    private static IndexBackend backend() {
        return Backends.current().indexing();
    }

    /** A storage over indices already read out (no copy). */
    private static Storage storageOf(long[] id) {
        return TensorData.storage(TensorData.wrapLongs(id, id.length));
    }

    /** Each index must address an element of dim d: in [−size, size). */
    private static void checkGatherIndices(String op, int[] xs, int d, long[] id) {
        for (long v : id)
            if (v < -xs[d] || v >= xs[d])
                throw new IndexOutOfBoundsException(op + ": index " + v + " is out of bounds for dimension " + d
                        + " with size " + xs[d]);
    }

    /** Zeros of {@code shape} with {@code src} added at the positions {@code index} names along {@code dim}. */
    public static Tensor scatterAdd(int[] shape, int dim, Tensor index, Tensor src) {
        Shape.numel(shape);
        Tensor sc = src.contiguous();
        long[] id = index.toLongArray();
        checkGatherIndices("scatter_add", shape, dim, id);
        return TensorData.wrap(backend().scatterAdd(shape, dim, storageOf(id), 0, index.shape(), TensorData.storage(sc),
                sc.offset()), shape);
    }

    /** Backward helper of max/min along a dim: the gradient placed at the arg-extreme positions. */
    static Tensor scatterIntoZeros(int[] shape, int dim, Tensor index, Tensor g) {
        return scatterAdd(shape, dim, index, g);
    }

    /** See {@link Tensor#indexSelect}. */
    public static Tensor indexSelect(Tensor x, int dim, Tensor index) {
        requireIndex("indexSelect", index);
        if (index.dim() > 1)
            throw new IllegalArgumentException("indexSelect: index must be 1-D, got shape " + Shape.str(index.shape()));
        int[] xs = x.shape();
        int d = Shape.normalizeDim("indexSelect", dim, xs.length);
        long[] id = index.toLongArray();
        final int outer = prod(xs, 0, d), inner = prod(xs, d + 1, xs.length);
        final int size = xs.length == 0 ? 1 : xs[d];
        for (long v : id)
            if (v < -size || v >= size)
                throw new IndexOutOfBoundsException("indexSelect: index " + v + " is out of range for dimension " + d
                        + " with size " + size + " (shape " + Shape.str(xs) + ")");
        int[] os = xs.clone();
        if (os.length > 0) os[d] = id.length;
        Shape.numel(os);
        // Read the contiguous storage in place: a batch of labels must not copy the whole label column.
        Tensor xc = x.contiguous();
        Storage ids = storageOf(id);
        if (xc.numel() == 0) xc = x.dtype() == DType.INT64 ? Tensor.zerosLong(0) : Tensor.zeros(0);
        Tensor res = TensorData.wrap(backend().indexSelect(TensorData.storage(xc), xc.offset(), outer, size, inner, ids, 0,
                id.length), os);
        if (x.dtype() == DType.INT64 || !Autograd.needsGraph(x)) return res;
        return Autograd.record(res, "index_select", new IndexAttributes.IndexSelect(d), g -> {
            Tensor gc = g.contiguous();
            return new Tensor[] {TensorData.wrap(backend().indexSelectBackward(TensorData.storage(gc), gc.offset(), outer, size,
                    inner, ids, 0, id.length), xs), null};
        }, x, index);
    }

    private static int prod(int[] s, int from, int to) {
        int p = 1;
        for (int i = from; i < to; i++) p *= s[i];
        return p;
    }

    /** See {@link Tensor#cat}. */
    public static Tensor cat(int dim, Tensor... ts) {
        if (ts.length == 0) throw new IllegalArgumentException("cat: expected a non-empty list of tensors");
        int[] first = ts[0].shape();
        int d = Shape.normalizeDim("cat", dim, first.length);
        int total = 0;
        for (int t = 0; t < ts.length; t++) {
            int[] s = ts[t].shape();
            if (s.length != first.length || ts[t].dtype() != ts[0].dtype())
                throw new IllegalArgumentException("cat: tensor " + t + " has shape " + Shape.str(s) + " (" + ts[t].dtype().pyName()
                        + "), expected rank " + first.length + " like tensor 0 " + Shape.str(first));
            for (int i = 0; i < s.length; i++)
                if (i != d && s[i] != first[i])
                    throw new IllegalArgumentException("cat: sizes must match except in dimension " + d + "; tensor " + t
                            + " has shape " + Shape.str(s) + ", tensor 0 has " + Shape.str(first));
            total += s[d];
        }
        int[] os = first.clone();
        os[d] = total;
        // Each input is `outer` blocks of s[d]·inner contiguous elements, and lands as the same blocks
        // `total·inner` apart in the output: one block copy per row (DenseNet concatenates every layer).
        int outer = 1, inner = 1;
        for (int i = 0; i < d; i++) outer *= first[i];
        for (int i = d + 1; i < first.length; i++) inner *= first[i];
        Tensor out = ts[0].dtype() == DType.INT64 ? Tensor.zerosLong(os) : Tensor.zeros(os);
        Storage od = TensorData.storage(out);
        int[] starts = new int[ts.length];
        try (NoGrad ng = NoGrad.enter()) {
            int pos = 0;
            for (int t = 0; t < ts.length; t++) {
                int len = ts[t].shape()[d];
                starts[t] = pos;
                if (ts[t].numel() > 0) {
                    Tensor tc = ts[t].contiguous();
                    backend().copyRows(TensorData.storage(tc), tc.offset(), len * inner, od, pos * inner, total * inner, outer,
                            len * inner);
                }
                pos += len;
            }
        }
        if (ts[0].dtype() == DType.INT64 || !Autograd.needsGraph(ts)) return out;
        int rows = outer, block = inner, width = total;
        return Autograd.record(out, "cat", new IndexAttributes.Cat(d), g -> {
            // contiguous pieces rather than views of g: their consumers add them up and read them densely
            Tensor gc = g.contiguous();
            Storage gs = TensorData.storage(gc);
            Tensor[] grads = new Tensor[ts.length];
            for (int t = 0; t < ts.length; t++) {
                int len = ts[t].shape()[d];
                grads[t] = Tensor.zeros(ts[t].shape());
                if (grads[t].numel() > 0)
                    backend().copyRows(gs, gc.offset() + starts[t] * block, width * block, TensorData.storage(grads[t]), 0,
                            len * block, rows, len * block);
            }
            return grads;
        }, ts);
    }

    /** See {@link Tensor#stack}. */
    public static Tensor stack(int dim, Tensor... ts) {
        if (ts.length == 0) throw new IllegalArgumentException("stack: expected a non-empty list of tensors");
        int r = ts[0].dim();
        int d = dim < 0 ? dim + r + 1 : dim;
        if (d < 0 || d > r)
            throw new IndexOutOfBoundsException("stack: dimension " + dim + " out of range for tensors of rank " + r);
        Tensor[] u = new Tensor[ts.length];
        for (int i = 0; i < ts.length; i++) {
            if (!Shape.same(ts[i].shape(), ts[0].shape()))
                throw new IllegalArgumentException("stack: expects each tensor to be equal size, but got "
                        + Shape.str(ts[0].shape()) + " at entry 0 and " + Shape.str(ts[i].shape()) + " at entry " + i);
            u[i] = ts[i].unsqueeze(d);
        }
        return cat(d, u);
    }

    /** See {@link Tensor#oneHot}. */
    public static Tensor oneHot(Tensor labels, int numClasses) {
        requireIndex("oneHot", labels);
        if (numClasses <= 0) throw new IllegalArgumentException("oneHot: numClasses must be positive, got " + numClasses);
        long[] l = labels.toLongArray();
        int[] s = labels.shape();
        int[] os = java.util.Arrays.copyOf(s, s.length + 1);
        os[s.length] = numClasses;
        Shape.numel(os);
        for (int i = 0; i < l.length; i++)
            if (l[i] < 0 || l[i] >= numClasses)
                throw new IndexOutOfBoundsException("oneHot: class value " + l[i] + " at position " + i
                        + " is outside [0, " + numClasses + ")");
        return TensorData.wrap(backend().oneHot(storageOf(l), 0, l.length, numClasses), os);
    }
}
