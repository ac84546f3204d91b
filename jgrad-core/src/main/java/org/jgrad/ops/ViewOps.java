package org.jgrad.ops;

import java.util.function.IntConsumer;
import org.jgrad.autograd.Autograd;
import org.jgrad.autograd.NoGrad;
import org.jgrad.backend.Backends;
import org.jgrad.backend.Storage;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.DType;
import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;

/** Shape-changing ops: views that share storage, with backward functions that route gradients back. */
public final class ViewOps {
    private ViewOps() {}

    /** Calls {@code f} with the storage offset of every element of {@code t}, in row-major order. */
    public static void forEachOffset(Tensor t, IntConsumer f) {
        int[] shape = t.shape(), strides = t.strides();
        int n = t.numel();
        if (n == 0) return;
        int rank = shape.length;
        if (rank == 0) {
            f.accept(t.offset());
            return;
        }
        int[] idx = new int[rank];
        int p = t.offset();
        int last = rank - 1, lastSize = shape[last], lastStride = strides[last];
        for (int done = 0; done < n; done += lastSize) {
            for (int j = 0, q = p; j < lastSize; j++, q += lastStride) f.accept(q);
            // advance the outer index like an odometer
            for (int d = last - 1; d >= 0; d--) {
                idx[d]++;
                p += strides[d];
                if (idx[d] < shape[d]) break;
                p -= strides[d] * shape[d];
                idx[d] = 0;
            }
        }
    }

    /** Copies {@code t} into a new contiguous tensor; differentiable (gradient passes through unchanged). */
    public static Tensor contiguousCopy(Tensor t) {
        Storage copy = Backends.current().elementwise().contiguousCopy(TensorData.storage(t), t.offset(), t.shape(), t.strides());
        Tensor out = TensorData.wrap(copy, t.shape());
        if (t.dtype() == DType.INT64) return out;
        return Autograd.record(out, "clone", g -> new Tensor[] {g}, t);
    }

    private static int[] inferShape(String op, Tensor t, int[] newShape) {
        int[] s = newShape.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1) {
                if (infer >= 0) throw new IllegalArgumentException(op + ": only one dimension can be -1, got " + Shape.str(newShape));
                infer = i;
            } else if (s[i] < 0) {
                throw new IllegalArgumentException(op + ": invalid size " + s[i] + " in " + Shape.str(newShape));
            } else known *= s[i];
        }
        int n = t.numel();
        if (infer >= 0) {
            if (known == 0 || n % known != 0)
                throw new IllegalArgumentException(op + ": shape " + Shape.str(newShape) + " is invalid for input of size "
                        + n + " (shape " + Shape.str(t.shape()) + ")");
            s[infer] = (int) (n / known);
        } else if (known != n) {
            throw new IllegalArgumentException(op + ": shape " + Shape.str(newShape) + " is invalid for input of size "
                    + n + " (shape " + Shape.str(t.shape()) + ")");
        }
        return s;
    }

    /** Strides for viewing {@code t} as {@code newShape} without a copy, or null when impossible. */
    private static int[] viewStrides(Tensor t, int[] newShape) {
        if (t.isContiguous()) return Shape.contiguousStrides(newShape);
        // General case (as in PyTorch's computeStride): match chunks of old dims that are contiguous among themselves.
        int[] oldShape = t.shape(), oldStrides = t.strides();
        int[] ns = new int[newShape.length];
        int viewD = newShape.length - 1;
        long chunkBase = oldStrides.length == 0 ? 1 : oldStrides[oldStrides.length - 1];
        long tensorNumel = 1, viewNumel = 1;
        for (int td = oldShape.length - 1; td >= 0; td--) {
            tensorNumel *= oldShape[td];
            if (td == 0 || (oldShape[td - 1] != 1 && oldStrides[td - 1] != tensorNumel * chunkBase)) {
                while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] == 1)) {
                    ns[viewD] = (int) (viewNumel * chunkBase);
                    viewNumel *= newShape[viewD];
                    viewD--;
                }
                if (viewNumel != tensorNumel) return null;
                if (td > 0) {
                    chunkBase = oldStrides[td - 1];
                    tensorNumel = 1;
                    viewNumel = 1;
                }
            }
        }
        if (viewD != -1) return null;
        return ns;
    }

    /** See {@link Tensor#view}. */
    public static Tensor view(Tensor t, int[] newShape) {
        int[] s = inferShape("view", t, newShape);
        int[] st = viewStrides(t, s);
        if (st == null)
            throw new IllegalArgumentException("view: shape " + Shape.str(s) + " is not compatible with the input's size "
                    + Shape.str(t.shape()) + " and strides " + Shape.str(t.strides()) + "; use reshape() (it copies)");
        return reshapeView(t, s, st);
    }

    private static Tensor reshapeView(Tensor t, int[] s, int[] st) {
        int[] in = t.shape();
        Tensor out = t.detachedView(s, st, t.offset());
        if (!Autograd.needsGraph(t)) return out;
        return Autograd.record(out, "view", new ViewAttributes.View(IntLists.of(s)), g -> new Tensor[] {g.reshape(in)}, t);
    }

    /** See {@link Tensor#reshape}. */
    public static Tensor reshape(Tensor t, int[] newShape) {
        int[] s = inferShape("reshape", t, newShape);
        int[] st = viewStrides(t, s);
        if (st != null) return reshapeView(t, s, st);
        return reshapeView(t.contiguous(), s, Shape.contiguousStrides(s));
    }

    /** See {@link Tensor#transpose}. */
    public static Tensor transpose(Tensor t, int d0, int d1) {
        int r = t.dim();
        int a = Shape.normalizeDim("transpose", d0, r), b = Shape.normalizeDim("transpose", d1, r);
        if (r == 0) return t;
        int[] perm = new int[r];
        for (int i = 0; i < r; i++) perm[i] = i;
        perm[a] = b;
        perm[b] = a;
        return permute(t, perm, "transpose");
    }

    /** See {@link Tensor#permute}. */
    public static Tensor permute(Tensor t, int[] dims) {
        return permute(t, dims, "permute");
    }

    private static Tensor permute(Tensor t, int[] dims, String op) {
        int r = t.dim();
        if (dims.length != r)
            throw new IllegalArgumentException(op + ": number of dims " + dims.length + " does not match tensor rank "
                    + r + " (shape " + Shape.str(t.shape()) + ")");
        int[] shape = t.shape(), strides = t.strides();
        int[] ns = new int[r], nst = new int[r], inverse = new int[r];
        boolean[] used = new boolean[r];
        for (int i = 0; i < r; i++) {
            int d = Shape.normalizeDim(op, dims[i], r);
            if (used[d]) throw new IllegalArgumentException(op + ": repeated dim " + d + " in " + Shape.str(dims));
            used[d] = true;
            ns[i] = shape[d];
            nst[i] = strides[d];
            inverse[d] = i;
        }
        Tensor out = t.detachedView(ns, nst, t.offset());
        if (!Autograd.needsGraph(t)) return out;
        return Autograd.record(out, op, new ViewAttributes.Permute(IntLists.of(invert(inverse))), g -> new Tensor[] {g.permute(inverse)}, t);
    }

    /** The permutation whose inverse is {@code inverse}. */
    private static int[] invert(int[] inverse) {
        int[] p = new int[inverse.length];
        for (int d = 0; d < inverse.length; d++) p[inverse[d]] = d;
        return p;
    }

    /** See {@link Tensor#slice}. */
    public static Tensor slice(Tensor t, int dim, int start, int end, int step, String op) {
        int d = Shape.normalizeDim(op, dim, t.dim());
        int[] shape = t.shape(), strides = t.strides();
        int size = shape[d];
        if (step <= 0) throw new IllegalArgumentException(op + ": step must be positive, got " + step);
        if ("narrow".equals(op)) {
            int len = end - start;
            if (start < -size || start > size || len < 0 || (start < 0 ? start + size : start) + len > size)
                throw new IndexOutOfBoundsException("narrow: start " + start + " + length " + len
                        + " exceeds dimension " + d + " of size " + size + " (shape " + Shape.str(shape) + ")");
            if (start < 0) {
                start += size;
                end = start + len;
            }
        } else {
            if (start < 0) start += size;
            if (end < 0) end += size;
            start = Math.max(0, Math.min(start, size));
            end = Math.max(start, Math.min(end, size));
        }
        int n = (end - start + step - 1) / step;
        int[] ns = shape.clone(), nst = strides.clone();
        ns[d] = n;
        nst[d] = strides[d] * step;
        Tensor out = t.detachedView(ns, nst, t.offset() + start * strides[d]);
        int s0 = start, e0 = end;
        if (!Autograd.needsGraph(t)) return out;
        return Autograd.record(out, "slice", new ViewAttributes.Slice(d, s0, e0, step), g -> {
            Tensor z = Tensor.zeros(shape);
            try (NoGrad ng = NoGrad.enter()) {
                z.slice(d, s0, e0, step).copyInPlace(g);
            }
            return new Tensor[] {z};
        }, t);
    }

    /** See {@link Tensor#select}. */
    public static Tensor select(Tensor t, int dim, int index) {
        int d = Shape.normalizeDim("select", dim, t.dim());
        int size = t.shape()[d];
        if (index < -size || index >= size)
            throw new IndexOutOfBoundsException("select: index " + index + " is out of range for dimension " + d
                    + " with size " + size + " (shape " + Shape.str(t.shape()) + ")");
        int i = index < 0 ? index + size : index;
        return slice(t, d, i, i + 1, 1, "slice").squeeze(d);
    }

    /** See {@link Tensor#expand}. */
    public static Tensor expand(Tensor t, int[] newShape) {
        int[] shape = t.shape(), strides = t.strides();
        int r = newShape.length, off = r - shape.length;
        if (off < 0)
            throw new IllegalArgumentException("expand: the target shape " + Shape.str(newShape)
                    + " has fewer dimensions than the tensor's shape " + Shape.str(shape));
        int[] ns = new int[r], nst = new int[r];
        for (int i = 0; i < r; i++) {
            int want = newShape[i];
            if (i < off) {
                if (want < 0) throw new IllegalArgumentException("expand: -1 is not allowed in a new leading dimension: " + Shape.str(newShape));
                ns[i] = want;
                nst[i] = 0;
            } else {
                int have = shape[i - off];
                if (want < -1)
                    throw new IllegalArgumentException("expand: invalid size " + want + " at dimension " + i + " in "
                            + Shape.str(newShape) + " (shape " + Shape.str(shape) + ")");
                if (want == -1 || want == have) {
                    ns[i] = have;
                    nst[i] = strides[i - off];
                } else if (have == 1) {
                    ns[i] = want;
                    nst[i] = 0;
                } else {
                    throw new IllegalArgumentException("expand: the expanded size " + want + " must match the existing size "
                            + have + " at dimension " + i + " (shape " + Shape.str(shape) + " to " + Shape.str(newShape) + ")");
                }
            }
        }
        if (Shape.same(ns, shape)) return t;
        Tensor out = t.detachedView(ns, nst, t.offset());
        if (!Autograd.needsGraph(t)) return out;
        return Autograd.record(out, "expand", new ViewAttributes.Expand(IntLists.of(ns)), g -> new Tensor[] {ReduceOps.sumToShape(g, shape)}, t);
    }

    /** See {@link Tensor#squeeze}; {@code dim} null squeezes every size-1 dim. */
    public static Tensor squeeze(Tensor t, Integer dim) {
        int[] shape = t.shape(), strides = t.strides();
        int r = shape.length;
        int d = dim == null ? -1 : Shape.normalizeDim("squeeze", dim, r);
        int keep = 0;
        for (int i = 0; i < r; i++) if (!(shape[i] == 1 && (d < 0 || i == d))) keep++;
        if (keep == r) return t;
        int[] ns = new int[keep], nst = new int[keep];
        for (int i = 0, j = 0; i < r; i++) {
            if (shape[i] == 1 && (d < 0 || i == d)) continue;
            ns[j] = shape[i];
            nst[j++] = strides[i];
        }
        Tensor out = t.detachedView(ns, nst, t.offset());
        if (!Autograd.needsGraph(t)) return out;
        return Autograd.record(out, "squeeze", new ViewAttributes.Squeeze(dim == null ? null : d), g -> new Tensor[] {g.reshape(shape)}, t);
    }

    /** See {@link Tensor#unsqueeze}. */
    public static Tensor unsqueeze(Tensor t, int dim) {
        int r = t.dim();
        if (dim < -(r + 1) || dim > r)
            throw new IndexOutOfBoundsException("unsqueeze: dimension " + dim + " out of range for a tensor of rank " + r
                    + " (expected in [" + (-(r + 1)) + ", " + r + "])");
        int d = dim < 0 ? dim + r + 1 : dim;
        int[] shape = t.shape(), strides = t.strides();
        int[] ns = new int[r + 1], nst = new int[r + 1];
        for (int i = 0, j = 0; i <= r; i++) {
            if (i == d) {
                ns[i] = 1;
                nst[i] = d < r ? strides[d] * shape[d] : 1;
            } else {
                ns[i] = shape[j];
                nst[i] = strides[j++];
            }
        }
        Tensor out = t.detachedView(ns, nst, t.offset());
        if (!Autograd.needsGraph(t)) return out;
        return Autograd.record(out, "unsqueeze", new ViewAttributes.Unsqueeze(d), g -> new Tensor[] {g.reshape(shape)}, t);
    }

    /** See {@link Tensor#flatten(int, int)}. */
    public static Tensor flatten(Tensor t, int startDim, int endDim) {
        int r = t.dim();
        if (r == 0) return t.reshape(1);
        int s = Shape.normalizeDim("flatten", startDim, r), e = Shape.normalizeDim("flatten", endDim, r);
        if (s > e) throw new IllegalArgumentException("flatten: start_dim " + startDim + " comes after end_dim " + endDim);
        int[] shape = t.shape();
        int[] ns = new int[r - (e - s)];
        int k = 0;
        for (int i = 0; i < s; i++) ns[k++] = shape[i];
        int m = 1;
        for (int i = s; i <= e; i++) m *= shape[i];
        ns[k++] = m;
        for (int i = e + 1; i < r; i++) ns[k++] = shape[i];
        return t.reshape(ns);
    }
}
