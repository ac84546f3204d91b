package org.jgrad.ops;

import org.jgrad.autograd.Autograd;
import org.jgrad.kernels.Gemm;
import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;

/** Matrix multiplication with PyTorch's {@code matmul} semantics. */
public final class MatmulOps {
    private MatmulOps() {}

    /** See {@link Tensor#matmul}. */
    public static Tensor matmul(Tensor a, Tensor b) {
        ElementwiseOps.requireFloat("matmul", a, b);
        int ra = a.dim(), rb = b.dim();
        if (ra == 0 || rb == 0)
            throw new IllegalArgumentException("matmul: both arguments need at least 1 dimension, got "
                    + Shape.str(a.shape()) + " @ " + Shape.str(b.shape()));
        if (ra == 1 && rb == 1) {
            if (a.size(0) != b.size(0))
                throw new IllegalArgumentException("matmul: inner dimensions differ: " + Shape.str(a.shape()) + " @ "
                        + Shape.str(b.shape()));
            return batched(a.unsqueeze(0), b.unsqueeze(1), a, b).reshape();
        }
        if (ra == 1) return batched(a.unsqueeze(0), b, a, b).squeeze(-2);
        if (rb == 1) return batched(a, b.unsqueeze(1), a, b).squeeze(-1);
        return batched(a, b, a, b);
    }

    /** a [..., m, k] @ b [..., k, n] with broadcast batch dims; origA/origB are only for messages. */
    private static Tensor batched(Tensor a, Tensor b, Tensor origA, Tensor origB) {
        int[] as = a.shape(), bs = b.shape();
        int m = as[as.length - 2], k = as[as.length - 1], k2 = bs[bs.length - 2], n = bs[bs.length - 1];
        if (k != k2)
            throw new IllegalArgumentException("matmul: inner dimensions differ: " + Shape.str(origA.shape()) + " @ "
                    + Shape.str(origB.shape()));
        int[] batchA = java.util.Arrays.copyOf(as, as.length - 2), batchB = java.util.Arrays.copyOf(bs, bs.length - 2);
        int[] batch = Shape.broadcast("matmul", batchA, batchB);
        int nb = Shape.numel(batch);
        int[] outShape = java.util.Arrays.copyOf(batch, batch.length + 2);
        outShape[batch.length] = m;
        outShape[batch.length + 1] = n;
        float[] out = new float[Shape.numel(outShape)];

        Layout la = layout(a), lb = layout(b);
        Tensor ma = la.t, mb = lb.t;
        int[] sa = ElementwiseOps.broadcastStrides(batchView(ma, batchA), batch);
        int[] sb = ElementwiseOps.broadcastStrides(batchView(mb, batchB), batch);
        boolean ta = la.trans, tb = lb.trans;
        int lda = la.ld, ldb = lb.ld;
        int[] idx = new int[batch.length];
        for (int bi = 0; bi < nb; bi++) {
            int pa = ma.offset(), pb = mb.offset();
            for (int d = 0; d < batch.length; d++) {
                pa += idx[d] * sa[d];
                pb += idx[d] * sb[d];
            }
            Gemm.sgemm(ta, tb, m, n, k, 1f, ma.storage(), pa, lda, mb.storage(), pb, ldb, 0f, out, bi * m * n, n);
            for (int d = batch.length - 1; d >= 0; d--) {
                if (++idx[d] < batch[d]) break;
                idx[d] = 0;
            }
        }
        Tensor res = Tensor.wrap(out, outShape);
        return Autograd.record(res, "mm", g -> new Tensor[] {
                a.requiresGrad() ? ReduceOps.sumToShape(g.matmul(b.transpose(-1, -2)), as) : null,
                b.requiresGrad() ? ReduceOps.sumToShape(a.transpose(-1, -2).matmul(g), bs) : null}, a, b);
    }

    private record Layout(Tensor t, boolean trans, int ld) {}

    /**
     * How a GEMM reads the last two dims: element (i, j) at {@code i*ld + j} (row-major) or at
     * {@code j*ld + i} (transposed). Anything else is copied to contiguous first.
     */
    private static Layout layout(Tensor t) {
        int[] st = t.strides(), sh = t.shape();
        int r = st.length;
        int rows = sh[r - 2], cols = sh[r - 1], sr = st[r - 2], sc = st[r - 1];
        if (sc == 1 || cols == 1) return new Layout(t, false, sr);
        if (sr == 1 || rows == 1) return new Layout(t, true, sc);
        Tensor c = t.detach().contiguous();
        return new Layout(c, false, cols);
    }

    /** The batch part of a [..., m, k] tensor as a view of shape batchShape (for stride reading). */
    private static Tensor batchView(Tensor t, int[] batchShape) {
        int[] st = t.strides();
        return t.detachedView(batchShape, java.util.Arrays.copyOf(st, batchShape.length), t.offset());
    }
}
