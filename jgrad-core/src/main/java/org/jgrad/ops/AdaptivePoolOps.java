package org.jgrad.ops;

import java.util.Arrays;
import org.jgrad.autograd.Autograd;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;

/**
 * Adaptive pooling to a fixed output size, and global average pooling, over the last two dims of
 * [N, C, H, W] or [C, H, W], with PyTorch's windows ({@code adaptive_avg_pool2d},
 * {@code adaptive_max_pool2d}), each with its backward. Shares the plane geometry and the
 * plane-parallel loop with {@link PoolOps}.
 */
public final class AdaptivePoolOps {
    private AdaptivePoolOps() {}

    /** PyTorch's adaptive window of output {@code i}: {@code [⌊i·in/out⌋, ⌈(i+1)·in/out⌉)}. */
    private static int adaptiveStart(int i, int in, int out) {
        return (int) Math.floorDiv((long) i * in, out);
    }

    private static int adaptiveEnd(int i, int in, int out) {
        return (int) -Math.floorDiv(-(long) (i + 1) * in, out);
    }

    /**
     * Adaptive average pooling to a fixed {@code outH×outW}, like {@code adaptive_avg_pool2d}: output
     * {@code (i, j)} averages rows {@code [⌊i·H/outH⌋, ⌈(i+1)·H/outH⌉)} and the columns alike.
     */
    public static Tensor adaptiveAvgPool2d(Tensor x, int outH, int outW) {
        PoolOps.Geo g = adaptiveGeometry("adaptive_avg_pool2d", x, outH, outW);
        int h = g.h(), w = g.w();
        int[] r0 = new int[outH], r1 = new int[outH], c0 = new int[outW], c1 = new int[outW];
        windows(h, outH, r0, r1);
        windows(w, outW, c0, c1);
        Tensor xc = x.detach().contiguous();
        float[] xd = TensorData.floats(xc);
        int xo = xc.offset();
        float[] out = new float[g.planes() * outH * outW];
        PoolOps.forPlanes(g.planes(), (long) h * w, p -> {
            int in = xo + p * h * w, op = p * outH * outW;
            for (int i = 0; i < outH; i++)
                for (int j = 0; j < outW; j++) {
                    float s = 0;
                    for (int ih = r0[i]; ih < r1[i]; ih++) {
                        int row = in + ih * w;
                        for (int iw = c0[j]; iw < c1[j]; iw++) s += xd[row + iw];
                    }
                    out[op + i * outW + j] = s / ((r1[i] - r0[i]) * (c1[j] - c0[j]));
                }
        });
        Tensor res = TensorData.wrap(out, g.outShape());
        if (!Autograd.needsGraph(x)) return res;
        return Autograd.record(res, "adaptive_avg_pool2d", new PoolAttributes.Adaptive(outH, outW), gr -> {
            Tensor gc = gr.contiguous();
            float[] gd = TensorData.floats(gc);
            int go = gc.offset();
            float[] dx = new float[g.planes() * h * w];
            PoolOps.forPlanes(g.planes(), (long) h * w, p -> {
                int in = p * h * w, op = go + p * outH * outW;
                for (int i = 0; i < outH; i++)
                    for (int j = 0; j < outW; j++) {
                        float v = gd[op + i * outW + j] / ((r1[i] - r0[i]) * (c1[j] - c0[j]));
                        for (int ih = r0[i]; ih < r1[i]; ih++) {
                            int row = in + ih * w;
                            for (int iw = c0[j]; iw < c1[j]; iw++) dx[row + iw] += v;
                        }
                    }
            });
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
        int h = g.h(), w = g.w();
        int[] r0 = new int[outH], r1 = new int[outH], c0 = new int[outW], c1 = new int[outW];
        windows(h, outH, r0, r1);
        windows(w, outW, c0, c1);
        Tensor xc = x.detach().contiguous();
        float[] xd = TensorData.floats(xc);
        int xo = xc.offset();
        float[] out = new float[g.planes() * outH * outW];
        long[] idx = new long[out.length];
        PoolOps.forPlanes(g.planes(), (long) h * w, p -> {
            int in = xo + p * h * w, op = p * outH * outW;
            for (int i = 0; i < outH; i++)
                for (int j = 0; j < outW; j++) {
                    float best = Float.NEGATIVE_INFINITY;
                    int bi = -1;
                    for (int ih = r0[i]; ih < r1[i]; ih++)
                        for (int iw = c0[j]; iw < c1[j]; iw++) {
                            float val = xd[in + ih * w + iw];
                            if (bi < 0 || val > best || val != val) {
                                best = val;
                                bi = ih * w + iw;
                            }
                        }
                    out[op + i * outW + j] = best;
                    idx[op + i * outW + j] = bi;
                }
        });
        int[] outShape = g.outShape();
        Tensor values = TensorData.wrap(out, outShape);
        if (Autograd.needsGraph(x)) Autograd.record(values, "adaptive_max_pool2d", new PoolAttributes.Adaptive(outH, outW), gr -> new Tensor[] {PoolOps.scatterPlanes(gr, idx, g)}, x);
        return new Tensor.ValuesIndices(values, TensorData.wrapLongs(idx, outShape));
    }

    /** Mean over each plane, kept as [N, C, 1, 1] (or [C, 1, 1]) like {@code adaptive_avg_pool2d(x, 1)}. */
    public static Tensor globalAvgPool2d(Tensor x) {
        return adaptiveAvgPool2d(x, 1, 1);
    }

    private static void windows(int in, int out, int[] start, int[] end) {
        for (int i = 0; i < out; i++) {
            start[i] = adaptiveStart(i, in, out);
            end[i] = adaptiveEnd(i, in, out);
        }
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
