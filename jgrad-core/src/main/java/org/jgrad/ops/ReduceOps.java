package org.jgrad.ops;

import java.util.Arrays;
import org.jgrad.autograd.Autograd;
import org.jgrad.autograd.NoGrad;
import org.jgrad.backend.Backends;
import org.jgrad.backend.ReductionBackend;
import org.jgrad.backend.Storage;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;

/** Reductions over any set of dims, with keepdim, and their backward functions. */
public final class ReduceOps {
    private ReduceOps() {}

    /** Normalized, sorted, duplicate-free dims; null means all dims. */
    static boolean[] reducedMask(String op, int[] dims, int rank) {
        boolean[] m = new boolean[rank];
        if (dims == null) {
            Arrays.fill(m, true);
            return m;
        }
        for (int d : dims) {
            int k = Shape.normalizeDim(op, d, rank);
            if (rank == 0) continue;
            if (m[k]) throw new IllegalArgumentException(op + ": dim " + k + " appears multiple times in " + Shape.str(dims));
            m[k] = true;
        }
        return m;
    }

    static int[] keptShape(int[] shape, boolean[] mask, boolean keepdim) {
        int n = 0;
        for (int i = 0; i < shape.length; i++) if (!mask[i] || keepdim) n++;
        int[] out = new int[n];
        for (int i = 0, j = 0; i < shape.length; i++) {
            if (!mask[i]) out[j++] = shape[i];
            else if (keepdim) out[j++] = 1;
        }
        return out;
    }

    /**
     * The input viewed as [outer, reduced] rows: permuted so that reduced dims come last, then made
     * contiguous. Returns the contiguous tensor; row length is the product of reduced sizes.
     */
    private static Tensor rowsLayout(Tensor x, boolean[] mask) {
        int r = x.dim();
        int[] perm = new int[r];
        int k = 0;
        for (int i = 0; i < r; i++) if (!mask[i]) perm[k++] = i;
        for (int i = 0; i < r; i++) if (mask[i]) perm[k++] = i;
        Tensor p;
        try (NoGrad g = NoGrad.enter()) {
            p = x.detach().permute(perm).contiguous();
        }
        return p;
    }

    private static int reducedCount(int[] shape, boolean[] mask) {
        int n = 1;
        for (int i = 0; i < shape.length; i++) if (mask[i]) n *= shape[i];
        return n;
    }

    /** Sum over dims (null = all). */
    public static Tensor sum(Tensor x, int[] dims, boolean keepdim) {
        ElementwiseOps.requireFloat("sum", x);
        int[] shape = x.shape();
        boolean[] mask = reducedMask("sum", dims, shape.length);
        int[] outShape = keptShape(shape, mask, keepdim);
        int[] keepShape = keptShape(shape, mask, true);
        int rlen = reducedCount(shape, mask);
        int outer = Shape.numel(outShape);
        boolean prefix = isPrefix(mask) && x.isContiguous();
        Storage out;
        if (prefix && outer > 1) {
            // Reduced dims lead (e.g. summing a batch of gradients): add whole rows, no transpose copy.
            out = backend().sumLeading(TensorData.storage(x), x.offset(), rlen, outer);
        } else {
            Tensor rows = rowsLayout(x, mask);
            out = backend().sumRows(TensorData.storage(rows), rows.offset(), outer, rlen);
        }
        Tensor res = TensorData.wrap(out, outShape);
        if (!Autograd.needsGraph(x)) return res;
        return Autograd.record(res, "sum", new ReduceAttributes.Reduce(IntLists.of(dims), keepdim), g -> new Tensor[] {g.reshape(keepShape).expand(shape)}, x);
    }

    private static boolean isPrefix(boolean[] mask) {
        boolean seenKept = false;
        for (boolean m : mask) {
            if (!m) seenKept = true;
            else if (seenKept) return false;
        }
        return true;
    }

    /** Mean over dims (null = all). */
    public static Tensor mean(Tensor x, int[] dims, boolean keepdim) {
        ElementwiseOps.requireFloat("mean", x);
        boolean[] mask = reducedMask("mean", dims, x.dim());
        int n = reducedCount(x.shape(), mask);
        if (n == 0) throw new IllegalArgumentException("mean: cannot take the mean over an empty dimension of shape "
                + Shape.str(x.shape()));
        Tensor s;
        try (NoGrad g = NoGrad.enter()) {
            s = sum(x, dims, keepdim).div((float) n);
        }
        // one MeanBackward0 node, as PyTorch prints it, rather than SumBackward0 + DivBackward0
        int[] shape = x.shape(), keepShape = keptShape(shape, mask, true);
        if (!Autograd.needsGraph(x)) return s;
        return Autograd.record(s, "mean", new ReduceAttributes.Reduce(IntLists.of(dims), keepdim), g -> new Tensor[] {g.div((float) n).reshape(keepShape).expand(shape)}, x);
    }

    /** Variance with the given correction (1 = unbiased) over dims (null = all). */
    public static Tensor var(Tensor x, int[] dims, int correction, boolean keepdim) {
        return varStd("var", x, dims, correction, keepdim);
    }

    /** Standard deviation with the given correction (1 = unbiased) over dims (null = all). */
    public static Tensor std(Tensor x, int[] dims, int correction, boolean keepdim) {
        return varStd("std", x, dims, correction, keepdim);
    }

    /**
     * One graph node per call (VarBackward0 / StdBackward0, as PyTorch prints), with the closed-form
     * backward: d var / dx = 2 (x - mean) / (n - c), d std / dx = (x - mean) / ((n - c) std).
     */
    private static Tensor varStd(String op, Tensor x, int[] dims, int correction, boolean keepdim) {
        ElementwiseOps.requireFloat(op, x);
        int[] shape = x.shape();
        boolean[] mask = reducedMask(op, dims, shape.length);
        int n = reducedCount(shape, mask);
        int[] keepShape = keptShape(shape, mask, true);
        float denom = (float) Math.max(n - correction, 0);
        Tensor v, out;
        try (NoGrad g = NoGrad.enter()) {
            Tensor xd = x.detach();
            Tensor centered = xd.sub(mean(xd, dims, true));
            v = sum(centered.square(), dims, true).div(denom);
            out = op.equals("std") ? v.sqrt() : v;
            out = keepdim ? out : out.reshape(keptShape(shape, mask, false));
        }
        Tensor keptOut = out.reshape(keepShape);
        if (!Autograd.needsGraph(x)) return out;
        return Autograd.record(out, op, new ReduceAttributes.Variance(IntLists.of(dims), correction, keepdim), g -> {
            Tensor centered = x.detach().sub(mean(x.detach(), dims, true));
            Tensor gk = g.reshape(keepShape);
            Tensor scale = op.equals("std") ? gk.div(keptOut.mul(denom)) : gk.mul(2f / denom);
            return new Tensor[] {centered.mul(scale)};
        }, x);
    }

    /**
     * Max (or min) of all elements. The gradient is shared evenly among the elements equal to the
     * result (all NaNs when the result is NaN), as PyTorch's {@code evenly_distribute_backward} does.
     */
    public static Tensor maxAll(Tensor x, boolean isMax) {
        String op = isMax ? "max" : "min";
        ElementwiseOps.requireFloat(op, x);
        if (x.numel() == 0)
            throw new IllegalArgumentException(op + ": operation does not have an identity; the input of shape "
                    + Shape.str(x.shape()) + " is empty");
        ReductionBackend.ValuesIndices vi = extreme(x.detach().flatten(), 0, isMax);
        float best = TensorData.wrap(vi.values()).item();
        Tensor res = Tensor.scalar(best);
        int[] shape = x.shape();
        if (!Autograd.needsGraph(x)) return res;
        return Autograd.record(res, op, new ReduceAttributes.Reduce(IntLists.of(null), false), g -> {
            Tensor xc = x.detach().contiguous();
            return new Tensor[] {TensorData.wrap(backend().shareAmongTies(TensorData.storage(xc), xc.offset(), xc.numel(), best,
                    g.item()), shape)};
        }, x);
    }

    private static ReductionBackend backend() {
        return Backends.current().reductions();
    }

    private static ReductionBackend.ValuesIndices extreme(Tensor x, int dim, boolean isMax) {
        boolean[] mask = new boolean[x.dim()];
        if (x.dim() > 0) mask[dim] = true;
        Tensor rows = rowsLayout(x, mask);
        int rlen = reducedCount(x.shape(), mask);
        int outer = x.numel() / Math.max(rlen, 1);
        return backend().extremeRows(TensorData.storage(rows), rows.offset(), outer, rlen, isMax);
    }

    /** Max (or min) along one dim with int64 indices. */
    public static Tensor.ValuesIndices maxDim(Tensor x, int dim, boolean keepdim, boolean isMax) {
        String op = isMax ? "max" : "min";
        ElementwiseOps.requireFloat(op, x);
        int[] shape = x.shape();
        int d = Shape.normalizeDim(op, dim, shape.length);
        if (shape.length > 0 && shape[d] == 0)
            throw new IllegalArgumentException(op + ": cannot reduce over an empty dimension " + d + " of shape " + Shape.str(shape));
        boolean[] mask = new boolean[shape.length];
        if (shape.length > 0) mask[d] = true;
        int[] outShape = keptShape(shape, mask, keepdim);
        int[] keepShape = keptShape(shape, mask, true);
        ReductionBackend.ValuesIndices vi = extreme(x, d, isMax);
        Tensor values = TensorData.wrap(vi.values(), outShape);
        Tensor indices = TensorData.wrap(vi.indices(), outShape);
        if (Autograd.needsGraph(x)) Autograd.record(values, op, new ReduceAttributes.AlongDim(d, keepdim), g -> {
            if (shape.length == 0) return new Tensor[] {g}; // a 0-d input is its own max
            Tensor gi = g.reshape(keepShape);
            return new Tensor[] {IndexOps.scatterIntoZeros(shape, d, indices.reshape(keepShape), gi)};
        }, x);
        return new Tensor.ValuesIndices(values, indices);
    }

    /** log(sum(exp(x))) over {@code dim}, shifted by the max so that large values do not overflow. */
    public static Tensor logsumexp(Tensor x, int dim, boolean keepdim) {
        ElementwiseOps.requireFloat("logsumexp", x);
        Shape.normalizeDim("logsumexp", dim, x.dim());
        Tensor m;
        try (NoGrad g = NoGrad.enter()) {
            m = x.detach().max(dim, true).values();
            // an infinite max would give NaN from inf - inf; shift such rows by 0 instead, as PyTorch does
            m = Tensor.where(m.abs().eq(Float.POSITIVE_INFINITY), Tensor.zerosLike(m), m);
        }
        Tensor s = x.sub(m).exp().sum(dim, true).log().add(m);
        return keepdim ? s : s.squeeze(dim);
    }

    /** Sums a broadcast gradient back down to {@code shape} (the backward of broadcasting). */
    public static Tensor sumToShape(Tensor g, int[] shape) {
        int[] gs = g.shape();
        if (Shape.same(gs, shape)) return g;
        int lead = gs.length - shape.length;
        if (lead < 0)
            throw new IllegalArgumentException("sumToShape: gradient of shape " + Shape.str(gs)
                    + " has fewer dims than the target " + Shape.str(shape));
        int[] dims = new int[gs.length];
        int k = 0;
        for (int i = 0; i < gs.length; i++) {
            if (i < lead) dims[k++] = i;
            else if (shape[i - lead] == 1 && gs[i] != 1) dims[k++] = i;
        }
        Tensor s = k == 0 ? g : sum(g, Arrays.copyOf(dims, k), true);
        return s.reshape(shape);
    }
}
