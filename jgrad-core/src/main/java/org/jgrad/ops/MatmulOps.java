package org.jgrad.ops;

import org.jgrad.autograd.Autograd;
import org.jgrad.autograd.Node;
import org.jgrad.backend.Backends;
import org.jgrad.backend.LinalgBackend;
import org.jgrad.backend.Storage;
import org.jgrad.backend.ThreadPool;
import org.jgrad.internal.TensorData;
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
        Shape.numel(outShape);

        Layout la = layout(a), lb = layout(b);
        Tensor ma = la.t, mb = lb.t;
        int[] sa = ElementwiseOps.broadcastStrides(batchView(ma, batchA), batch);
        int[] sb = ElementwiseOps.broadcastStrides(batchView(mb, batchB), batch);
        boolean ta = la.trans, tb = lb.trans;
        int lda = la.ld, ldb = lb.ld;
        int[] idx = new int[batch.length], aOffsets = new int[nb], bOffsets = new int[nb];
        for (int bi = 0; bi < nb; bi++) {
            int pa = ma.offset(), pb = mb.offset();
            for (int d = 0; d < batch.length; d++) {
                pa += idx[d] * sa[d];
                pb += idx[d] * sb[d];
            }
            aOffsets[bi] = pa;
            bOffsets[bi] = pb;
            for (int d = batch.length - 1; d >= 0; d--) {
                if (++idx[d] < batch[d]) break;
                idx[d] = 0;
            }
        }
        Tensor res = TensorData.wrap(backend().batchedMatmul(ta, tb, m, n, k, TensorData.storage(ma), aOffsets, lda,
                TensorData.storage(mb), bOffsets, ldb), outShape);
        return Autograd.record(res, "mm", g -> new Tensor[] {
                a.requiresGrad() ? ReduceOps.sumToShape(g.matmul(b.transpose(-1, -2)), as) : null,
                b.requiresGrad() ? ReduceOps.sumToShape(a.transpose(-1, -2).matmul(g), bs) : null}, a, b);
    }

    /**
     * {@code x @ wᵀ + b} for a 2-D input as one graph node (PyTorch's addmm / mm).
     *
     * <p>Through the general path a Linear layer cost a transpose view, an add node and, worst,
     * a weight gradient computed as (xᵀg)ᵀ: a transposed view that accumulateGrad then copied
     * with a strided gather, the largest single cost of an MLP step. Here the weight gradient is
     * gᵀx, written in the weight's own layout. Results are bitwise those of
     * {@code x.matmul(w.t()).add(b)}: the same GEMM products summed in the same k order (a·b = b·a
     * exactly), the bias added after the product, its gradient summed over rows in double as
     * {@link ReduceOps#sum} does.
     */
    public static Tensor linear(Tensor x, Tensor w, Tensor b) {
        return linear(x, w, b, false);
    }

    /**
     * {@code relu(linear(x, w, b))} with the bias and the ReLU applied in one pass over each output row
     * while it is in cache (a fused bias + activation); the same values and gradients as the two ops.
     */
    public static Tensor linearRelu(Tensor x, Tensor w, Tensor b) {
        return linear(x, w, b, true);
    }

    private static Tensor linear(Tensor x, Tensor w, Tensor b, boolean relu) {
        ElementwiseOps.requireFloat("linear", x, w);
        if (b != null) ElementwiseOps.requireFloat("linear", b);
        if (x.dim() != 2 || w.dim() != 2 || (b != null && (b.dim() != 1 || b.size(0) != w.size(0)))
                || w.size(1) != x.size(1)) {
            Tensor z = b == null ? x.matmul(w.t()) : x.matmul(w.t()).add(b);
            return relu ? z.relu() : z;
        }
        int rows = x.size(0), in = x.size(1), outF = w.size(0);
        Shape.numel("linear", new int[] {rows, outF});
        Layout lx = layout(x), lw = layout(w);
        Storage out = backend().matmul(lx.trans, !lw.trans, rows, outF, in, TensorData.storage(lx.t), lx.t.offset(), lx.ld,
                TensorData.storage(lw.t), lw.t.offset(), lw.ld);
        if (b != null || relu)
            backend().biasRelu(out, rows, outF, b == null ? null : TensorData.storage(b), b == null ? 0 : b.offset(),
                    b == null ? 1 : b.strides()[0], relu);
        Tensor res = TensorData.wrap(out, rows, outF);
        Node.Backward back = g -> {
            Layout lg = layout(g);
            boolean needX = x.requiresGrad(), needW = w.requiresGrad();
            Tensor[] grads = new Tensor[3];
            if (needX && needW && pairBackward((long) rows * in * outF)) {
                // The input and weight gradients are independent products of the same size: on two threads
                // each runs whole on one of them (the worker takes the weight gradient if it comes in time),
                // one hand-off instead of a split of each, and the 2M products of a small layer, which never
                // split, overlap too. Each is the same bits as when run alone.
                ThreadPool.forRange(2, 1, (from, to) -> {
                    for (int i = from; i < to; i++) {
                        if (i == 0) grads[0] = inputGradient(lg, lw, rows, in, outF);
                        else grads[1] = weightGradient(lg, lx, w, rows, in, outF);
                    }
                });
            } else {
                if (needX) grads[0] = inputGradient(lg, lw, rows, in, outF);
                if (needW) grads[1] = weightGradient(lg, lx, w, rows, in, outF);
            }
            if (b != null && b.requiresGrad()) grads[2] = columnSums(g, rows, outF);
            return b == null ? new Tensor[] {grads[0], grads[1]} : grads;
        };
        Tensor z = !Autograd.needsGraph(x, w, b) ? res
                : b == null ? Autograd.record(res, "mm", new MatmulAttributes.Linear(), back, x, w)
                : Autograd.record(res, "addmm", new MatmulAttributes.Linear(), back, x, w, b);
        // The backward above reads x, w and g only, never the output, which now holds relu(z).
        return relu ? ElementwiseOps.reluFusedInto(z) : z;
    }

    /**
     * Whether a Linear backward computes its input and weight gradients side by side on two threads: both
     * products are {@code rows·in·out} multiply-adds. While a worker polls for work they repay the hand-off
     * from 2²⁰ (the 125-wide layer of an MLP at batch 64, whose products are too small to split); a parked
     * worker's wake-up (tens of µs) only from 2²² (the 250-wide layer's 8M). With more than two threads, a
     * product large enough to split over all of them (2²³, the GEMM's own threshold) is left to do so.
     */
    private static boolean pairBackward(long work) {
        int t = ThreadPool.threads();
        return t > 1 && work >= PAIR_AWAKE_MIN_WORK && (t == 2 || work < 1L << 23)
                && (work >= PAIR_PARKED_MIN_WORK || ThreadPool.workersAwake());
    }

    private static final long PAIR_AWAKE_MIN_WORK = 1L << 20, PAIR_PARKED_MIN_WORK = 1L << 22;

    /** g·W, the gradient of a Linear layer's input. */
    private static Tensor inputGradient(Layout lg, Layout lw, int rows, int in, int outF) {
        return TensorData.wrapGradient(backend().matmul(lg.trans, lw.trans, rows, in, outF, TensorData.storage(lg.t),
                lg.t.offset(), lg.ld, TensorData.storage(lw.t), lw.t.offset(), lw.ld), rows, in);
    }

    /** gᵀ·x, the gradient of a Linear layer's weight. */
    private static Tensor weightGradient(Layout lg, Layout lx, Tensor w, int rows, int in, int outF) {
        // Into last step's weight-gradient storage when zeroGrad() kept it (beta 0: the same bits as a
        // new array, without the JVM zeroing 1.5 MB of fresh memory first for a 784×500 weight).
        Storage spare = TensorData.takeSpareGradStorage(w);
        if (spare != null) {
            backend().gemm(!lg.trans, lx.trans, outF, in, rows, 1f, TensorData.storage(lg.t), lg.t.offset(), lg.ld,
                    TensorData.storage(lx.t), lx.t.offset(), lx.ld, 0f, spare, 0, in);
        } else {
            spare = backend().matmul(!lg.trans, lx.trans, outF, in, rows, TensorData.storage(lg.t), lg.t.offset(),
                    lg.ld, TensorData.storage(lx.t), lx.t.offset(), lx.ld);
        }
        return TensorData.wrapGradient(spare, outF, in);
    }

    /** Sum over rows of a [rows, n] gradient, accumulated in double in row order like ReduceOps.sum. */
    private static Tensor columnSums(Tensor g, int rows, int n) {
        Tensor c = g.contiguous();
        return TensorData.wrapGradient(Backends.current().reductions().sumLeading(TensorData.storage(c), c.offset(), rows, n), n);
    }

    private static LinalgBackend backend() {
        return Backends.current().linalg();
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
