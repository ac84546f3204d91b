package org.jgrad.ops;

import java.util.Arrays;
import org.jgrad.autograd.Autograd;
import org.jgrad.backend.Backends;
import org.jgrad.backend.PoolBackend;
import org.jgrad.backend.Storage;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;

/**
 * Adaptive pooling to a fixed output size, and global average pooling, over the last two dims of
 * [N, C, H, W] or [C, H, W], with PyTorch's windows ({@code adaptive_avg_pool2d},
 * {@code adaptive_max_pool2d}), each with its backward. Shares the plane geometry and the
 * gradient scatter of max pooling with {@link PoolOps}.
 */
public final class AdaptivePoolOps {
    private AdaptivePoolOps() {}

    /**
     * Adaptive average pooling to a fixed {@code outH×outW}, like {@code adaptive_avg_pool2d}: output
     * {@code (i, j)} averages rows {@code [⌊i·H/outH⌋, ⌈(i+1)·H/outH⌉)} and the columns alike.
     */
    public static Tensor adaptiveAvgPool2d(Tensor x, int outH, int outW) {
        PoolOps.Geo g = adaptiveGeometry("adaptive_avg_pool2d", x, outH, outW);
        int h = g.h(), w = g.w();
        Tensor xc = x.detach().contiguous();
        Storage out = Backends.current().pooling().adaptiveAvgPool2d(TensorData.storage(xc), xc.offset(), g.planes(), h, w,
                outH, outW);
        Tensor res = TensorData.wrap(out, g.outShape());
        if (!Autograd.needsGraph(x)) return res;
        return Autograd.record(res, "adaptive_avg_pool2d", new PoolAttributes.Adaptive(outH, outW), gr -> {
            Tensor gc = gr.contiguous();
            Storage dx = Backends.current().pooling().adaptiveAvgPool2dBackward(TensorData.storage(gc), gc.offset(),
                    g.planes(), h, w, outH, outW);
            return new Tensor[] {TensorData.wrapGradient(dx, g.inShape())};
        }, x);
    }

    /** Adaptive max pooling to {@code outH×outW} (windows as in {@link #adaptiveAvgPool2d}). */
    public static Tensor adaptiveMaxPool2d(Tensor x, int outH, int outW) {
        return adaptiveMaxPool2dWithIndices(x, outH, outW).values();
    }

    /** Adaptive max pooling with int64 flat plane indices of the maxima, like {@code return_indices=True}. */
    public static Tensor.ValuesIndices adaptiveMaxPool2dWithIndices(Tensor x, int outH, int outW) {
        PoolOps.Geo g = adaptiveGeometry("adaptive_max_pool2d", x, outH, outW);
        Tensor xc = x.detach().contiguous();
        PoolBackend.Pooled r = Backends.current().pooling().adaptiveMaxPool2d(TensorData.storage(xc), xc.offset(),
                g.planes(), g.h(), g.w(), outH, outW);
        int[] outShape = g.outShape();
        Tensor values = TensorData.wrap(r.values(), outShape);
        if (Autograd.needsGraph(x)) Autograd.record(values, "adaptive_max_pool2d", new PoolAttributes.Adaptive(outH, outW),
                gr -> new Tensor[] {PoolOps.scatterPlanes(gr, r.indices(), g)}, x);
        return new Tensor.ValuesIndices(values, TensorData.wrap(r.indices(), outShape));
    }

    /** Mean over each plane, kept as [N, C, 1, 1] (or [C, 1, 1]) like {@code adaptive_avg_pool2d(x, 1)}. */
    public static Tensor globalAvgPool2d(Tensor x) {
        return adaptiveAvgPool2d(x, 1, 1);
    }

    private static PoolOps.Geo adaptiveGeometry(String op, Tensor x, int outH, int outW) {
        ElementwiseOps.requireFloat(op, x);
        int[] s = x.shape();
        if (s.length != 3 && s.length != 4)
            throw new IllegalArgumentException(op + ": expected a 3-D [C, H, W] or 4-D [N, C, H, W] input, got " + Shape.str(s));
        int h = s[s.length - 2], w = s[s.length - 1];
        if (outH < 1 || outW < 1)
            throw new IllegalArgumentException(op + ": output size must be >= 1, got (" + outH + ", " + outW + ")");
        if (h < 1 || w < 1)
            throw new IllegalArgumentException(op + ": input " + Shape.str(s) + " has an empty plane");
        return new PoolOps.Geo(s, Shape.numel(Arrays.copyOf(s, s.length - 2)), h, w, outH, outW);
    }
}
