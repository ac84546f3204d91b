package org.jgrad.ops;

import java.util.Arrays;
import org.jgrad.autograd.Autograd;
import org.jgrad.internal.TensorData;
import org.jgrad.kernels.Parallel;
import org.jgrad.kernels.Pooling;
import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;

/**
 * Max and average pooling over the last two dims (2-D) or the last dim (1-D), with PyTorch's
 * semantics, each with its backward; adaptive and global pooling are in {@link AdaptivePoolOps}.
 *
 * <p>2-D ops take [N, C, H, W] or unbatched [C, H, W]; every (n, c) plane is pooled on its own and
 * planes are split across the thread pool when there is enough work. 1-D ops take [N, C, L] or
 * [C, L]. Max-pool indices are int64 flat positions within the input plane ({@code h·W + w}), as
 * {@code return_indices=True} gives in PyTorch; the gradient of a max goes to that position.
 */
public final class PoolOps {
    private PoolOps() {}

    // ------------------------------------------------------------------ output size

    /**
     * PyTorch's pooling output size: {@code ⌊(in + 2·pad − dilation·(k−1) − 1 [+ stride−1 if ceil]) / stride⌋ + 1},
     * and with {@code ceilMode} one less when the last window would start inside the trailing padding
     * (it must start inside the input or the leading padding).
     */
    public static int outputSize(int in, int kernel, int stride, int pad, int dilation, boolean ceilMode) {
        if (in < 0 || kernel < 1 || stride < 1 || pad < 0 || dilation < 1)
            throw new IllegalArgumentException("pool outputSize: expected input >= 0, kernel >= 1, stride >= 1, padding >= 0"
                    + " and dilation >= 1, got input " + in + ", kernel " + kernel + ", stride " + stride + ", padding "
                    + pad + ", dilation " + dilation);
        long num = (long) in + 2L * pad - (long) dilation * (kernel - 1) - 1 + (ceilMode ? stride - 1 : 0);
        long out = Math.floorDiv(num, stride) + 1;
        if (ceilMode && (out - 1) * stride >= (long) in + pad) out--;
        return (int) out;
    }

    // ------------------------------------------------------------------ max pooling

    /** {@code k×k} max pooling with stride {@code k}. */
    public static Tensor maxPool2d(Tensor x, int kernel) {
        return maxPool2d(x, Pool2dOptions.of(kernel));
    }

    /** Square max pooling with the given stride and padding. */
    public static Tensor maxPool2d(Tensor x, int kernel, int stride, int padding) {
        return maxPool2d(x, Pool2dOptions.of(kernel).stride(stride).padding(padding));
    }

    /** Max pooling, like {@code torch.nn.functional.max_pool2d}; padding counts as −∞. */
    public static Tensor maxPool2d(Tensor x, Pool2dOptions o) {
        Tensor.ValuesIndices fast = maxPool2x2(x, o, false);
        return fast != null ? fast.values() : maxPool2dWithIndices(x, o).values();
    }

    /**
     * The CNN default, 2×2 windows with stride 2 that all lie inside the input, on the vector
     * kernel; which of its four elements each window chose is kept for the backward, and turned
     * into an int64 indices tensor only when asked for (otherwise the result's indices are null). Null when the options are not
     * that case. Same values and indices as the
     * general loop (first maximum, NaN wins).
     */
    private static Tensor.ValuesIndices maxPool2x2(Tensor x, Pool2dOptions o, boolean withIndices) {
        if (!(o.kernelH() == 2 && o.kernelW() == 2 && o.strideH() == 2 && o.strideW() == 2 && o.dilationH() == 1
                && o.dilationW() == 1 && o.padH() == 0 && o.padW() == 0))
            return null;
        Geo g = geometry("max_pool2d", x, o, true);
        int h = g.h, w = g.w, oh = g.oh, ow = g.ow;
        if (2 * oh > h || 2 * ow > w) return null;
        Tensor xc = x.detach().contiguous();
        float[] xd = TensorData.floats(xc);
        int xo = xc.offset(), plane = h * w, outPlane = oh * ow;
        float[] out = new float[g.planes * outPlane];
        float[] which = new float[out.length];
        int grain = (int) Math.max(1, Math.min(g.planes, (1L << 16) / Math.max(1, 4L * outPlane)));
        Parallel.forRange(g.planes, grain, (p0, p1) -> {
            int rs = Pooling.rowScratch(w);
            float[] best = new float[rs], bestWhich = new float[rs];
            for (int p = p0; p < p1; p++)
                Pooling.maxPool2x2Plane(xd, xo + p * plane, h, w, oh, ow, out, p * outPlane, which, best, bestWhich);
        });
        int[] outShape = g.outShape();
        Tensor values = TensorData.wrap(out, outShape);
        if (Autograd.needsGraph(x)) Autograd.record(values, "max_pool2d_with_indices", o, gr -> {
            Tensor gc = gr.contiguous();
            float[] gd = TensorData.floats(gc);
            int go = gc.offset();
            float[] dx = new float[g.planes * plane];
            forPlanes(g.planes, outPlane, p -> {
                int base = p * plane, ob = p * outPlane;
                for (int i = 0; i < oh; i++)
                    for (int j = 0; j < ow; j++) {
                        int k = ob + i * ow + j;
                        dx[base + 2 * i * w + 2 * j + (int) which[k]] += gd[go + k];
                    }
            });
            return new Tensor[] {TensorData.wrapGradient(dx, g.inShape)};
        }, x);
        Tensor indices = null;
        if (withIndices) {
            long[] idx = new long[out.length];
            for (int i = 0; i < idx.length; i++) {
                int t = i % outPlane;
                idx[i] = 2 * (t / ow) * w + 2 * (t % ow) + (int) which[i];
            }
            indices = TensorData.wrapLongs(idx, outShape);
        }
        return new Tensor.ValuesIndices(values, indices);
    }

    /**
     * Max pooling that also returns, for every output, the int64 flat index {@code h·W + w} of the
     * chosen input element within its plane ({@code return_indices=True}). Ties go to the first
     * element in row-major window order; a NaN wins, as in PyTorch.
     */
    public static Tensor.ValuesIndices maxPool2dWithIndices(Tensor x, Pool2dOptions o) {
        Tensor.ValuesIndices fast = maxPool2x2(x, o, true);
        if (fast != null) return fast;
        Geo g = geometry("max_pool2d", x, o, true);
        int h = g.h, w = g.w, oh = g.oh, ow = g.ow;
        Tensor xc = x.detach().contiguous();
        float[] xd = TensorData.floats(xc);
        int xo = xc.offset();
        float[] out = new float[g.planes * oh * ow];
        long[] idx = new long[out.length];
        int kH = o.kernelH(), kW = o.kernelW(), sH = o.strideH(), sW = o.strideW(), pH = o.padH(), pW = o.padW();
        int dH = o.dilationH(), dW = o.dilationW();
        // Taps of each window that land inside the input, worked out once per output row and column
        // so that the inner loops need no bounds checks.
        int[] u0 = new int[oh], u1 = new int[oh], v0 = new int[ow], v1 = new int[ow];
        tapRange(oh, sH, pH, dH, kH, h, u0, u1);
        tapRange(ow, sW, pW, dW, kW, w, v0, v1);
        // 3×3 windows read a copy of the plane framed by -∞, so that edge windows need no bounds.
        boolean unrolled = kH == 3 && kW == 3 && dH == 1 && dW == 1;
        int hp = Math.max(h + pH, (oh - 1) * sH + 3), wp = Math.max(w + pW, (ow - 1) * sW + 3);
        if (unrolled) Shape.numel("max_pool2d", new int[] {hp, wp}); // the framed plane; checked once, not per plane
        forPlanes(g.planes, (long) oh * ow * kH * kW, p -> {
            int in = xo + p * h * w, op = p * oh * ow;
            float[] framed = null;
            if (unrolled) {
                framed = new float[hp * wp];
                java.util.Arrays.fill(framed, Float.NEGATIVE_INFINITY);
                for (int y = 0; y < h; y++) System.arraycopy(xd, in + y * w, framed, (y + pH) * wp + pW, w);
            }
            for (int i = 0; i < oh; i++) {
                int hs = i * sH - pH;
                for (int j = 0; j < ow; j++) {
                    int ws = j * sW - pW;
                    int t = unrolled ? max3x3(framed, i * sH * wp + j * sW, wp) : -1;
                    if (t >= 0) {
                        int bi = (hs + t / 3) * w + ws + t % 3;
                        out[op + i * ow + j] = xd[in + bi];
                        idx[op + i * ow + j] = bi;
                        continue;
                    }
                    // Pass 1 takes the max without data-dependent branches (Math.max lets NaN win);
                    // pass 2 finds its first position, which is what PyTorch's strict '>' keeps.
                    float best = Float.NEGATIVE_INFINITY;
                    for (int u = u0[i]; u < u1[i]; u++) {
                        int row = in + (hs + u * dH) * w + ws;
                        for (int v = v0[j]; v < v1[j]; v++) best = Math.max(best, xd[row + v * dW]);
                    }
                    int bi = -1;
                    search:
                    for (int u = u0[i]; u < u1[i]; u++) {
                        int row = (hs + u * dH) * w + ws;
                        for (int v = v0[j]; v < v1[j]; v++) {
                            float val = xd[in + row + v * dW];
                            if (val == best || val != val) {
                                bi = row + v * dW;
                                best = val;
                                break search;
                            }
                        }
                    }
                    out[op + i * ow + j] = best;
                    idx[op + i * ow + j] = bi;
                }
            }
        });
        int[] outShape = g.outShape();
        Tensor values = TensorData.wrap(out, outShape);
        Tensor indices = TensorData.wrapLongs(idx, outShape);
        if (Autograd.needsGraph(x)) Autograd.record(values, "max_pool2d_with_indices", o, gr -> new Tensor[] {scatterPlanes(gr, idx, g)}, x);
        return new Tensor.ValuesIndices(values, indices);
    }

    /**
     * Tap (row-major, 0 to 8) of the winner of the 3×3 window at {@code x[r..]} with rows {@code w}
     * apart, or -1 when the window holds a NaN or its maximum is ±0 or -∞, whose first occurrence
     * needs the general search (±0 compare equal, NaN not at all, and -∞ may be the frame).
     * Otherwise the first tap holding the maximum's bits is the first that equals it. All on ints,
     * which compile to conditional moves: the float comparisons of the window loops were branches
     * that random data makes unpredictable (the stem's 3×3/2 pool took 18 ns per output).
     */
    private static int max3x3(float[] x, int r, int w) {
        int p1 = r + w, p2 = p1 + w;
        int b0 = Float.floatToRawIntBits(x[r]), b1 = Float.floatToRawIntBits(x[r + 1]),
                b2 = Float.floatToRawIntBits(x[r + 2]), b3 = Float.floatToRawIntBits(x[p1]),
                b4 = Float.floatToRawIntBits(x[p1 + 1]), b5 = Float.floatToRawIntBits(x[p1 + 2]),
                b6 = Float.floatToRawIntBits(x[p2]), b7 = Float.floatToRawIntBits(x[p2 + 1]),
                b8 = Float.floatToRawIntBits(x[p2 + 2]);
        // A NaN has the largest magnitude bits; it and a zero maximum go to the general search.
        int mag = Math.max(Math.max(Math.max(b0 & 0x7FFFFFFF, b1 & 0x7FFFFFFF), Math.max(b2 & 0x7FFFFFFF,
                b3 & 0x7FFFFFFF)), Math.max(Math.max(Math.max(b4 & 0x7FFFFFFF, b5 & 0x7FFFFFFF),
                Math.max(b6 & 0x7FFFFFFF, b7 & 0x7FFFFFFF)), b8 & 0x7FFFFFFF));
        if (mag > 0x7F800000) return -1;
        int m = Math.max(Math.max(Math.max(key(b0), key(b1)), Math.max(key(b2), key(b3))),
                Math.max(Math.max(Math.max(key(b4), key(b5)), Math.max(key(b6), key(b7))), key(b8)));
        // Key of -∞ and of the zeros: the maximum may be the frame, or a zero of either sign.
        if (m == NEG_INF_KEY || m == 0 || m == -1) return -1;
        int b = key(m);
        // Scanned from the last tap back, so that the first match is the one left standing.
        int t = b8 == b ? 8 : -1;
        t = b7 == b ? 7 : t;
        t = b6 == b ? 6 : t;
        t = b5 == b ? 5 : t;
        t = b4 == b ? 4 : t;
        t = b3 == b ? 3 : t;
        t = b2 == b ? 2 : t;
        t = b1 == b ? 1 : t;
        return b0 == b ? 0 : t;
    }

    /**
     * Float bits mapped to ints that order as the (non-NaN) floats do, -0 just below +0; the map
     * is its own inverse.
     */
    private static int key(int bits) {
        return bits ^ ((bits >> 31) & 0x7FFFFFFF);
    }

    private static final int NEG_INF_KEY = key(Float.floatToRawIntBits(Float.NEGATIVE_INFINITY));

    /**
     * For each output position along one axis, the half-open range of kernel taps {@code [lo, hi)} whose
     * input coordinate {@code pos·stride − pad + tap·dilation} lies in {@code [0, size)}.
     */
    private static void tapRange(int outSize, int stride, int pad, int dilation, int kernel, int size, int[] lo, int[] hi) {
        for (int i = 0; i < outSize; i++) {
            int start = i * stride - pad;
            int a = start >= 0 ? 0 : (-start + dilation - 1) / dilation;
            int b = size - start <= 0 ? 0 : Math.min(kernel, (size - start + dilation - 1) / dilation);
            lo[i] = Math.min(a, kernel);
            hi[i] = Math.max(lo[i], b);
        }
    }

    /** Gradient of an index-selecting pool: each output's gradient added at its input plane index. */
    static Tensor scatterPlanes(Tensor grad, long[] idx, Geo g) {
        Tensor gc = grad.contiguous();
        float[] gd = TensorData.floats(gc);
        int go = gc.offset(), plane = g.h * g.w, outPlane = g.oh * g.ow;
        float[] dx = new float[g.planes * plane];
        forPlanes(g.planes, outPlane, p -> {
            int base = p * plane, ob = p * outPlane;
            for (int k = 0; k < outPlane; k++) {
                long i = idx[ob + k];
                if (i >= 0) dx[base + (int) i] += gd[go + ob + k];
            }
        });
        return TensorData.wrapGradient(dx, g.inShape);
    }

    // ------------------------------------------------------------------ average pooling

    /** {@code k×k} average pooling with stride {@code k}. */
    public static Tensor avgPool2d(Tensor x, int kernel) {
        return avgPool2d(x, Pool2dOptions.of(kernel));
    }

    /** Square average pooling with the given stride and zero padding (counted in the divisor). */
    public static Tensor avgPool2d(Tensor x, int kernel, int stride, int padding) {
        return avgPool2d(x, Pool2dOptions.of(kernel).stride(stride).padding(padding));
    }

    /**
     * Average pooling, like {@code torch.nn.functional.avg_pool2d}. Each window is clipped to the
     * padded input; the divisor is the clipped window's size with {@code countIncludePad}, the number
     * of real input elements without it, or {@code divisorOverride} when set. Dilation is not supported
     * (PyTorch has none for average pooling).
     */
    public static Tensor avgPool2d(Tensor x, Pool2dOptions o) {
        if (o.dilationH() != 1 || o.dilationW() != 1)
            throw new IllegalArgumentException("avg_pool2d: dilation is not supported, got (" + o.dilationH() + ", "
                    + o.dilationW() + ")");
        Geo g = geometry("avg_pool2d", x, o, false);
        int h = g.h, w = g.w, oh = g.oh, ow = g.ow;
        Tensor xc = x.detach().contiguous();
        float[] xd = TensorData.floats(xc);
        int xo = xc.offset();
        float[] out = new float[g.planes * oh * ow];
        AvgWindows win = new AvgWindows(o, h, w, oh, ow);
        forPlanes(g.planes, (long) oh * ow * o.kernelH() * o.kernelW(), p -> {
            int in = xo + p * h * w, op = p * oh * ow;
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++) {
                    int k = i * ow + j;
                    if (win.h0[k] >= win.h1[k] || win.w0[k] >= win.w1[k]) continue;
                    float s = 0;
                    for (int ih = win.h0[k]; ih < win.h1[k]; ih++) {
                        int row = in + ih * w;
                        for (int iw = win.w0[k]; iw < win.w1[k]; iw++) s += xd[row + iw];
                    }
                    out[op + k] = s / win.div[k];
                }
        });
        Tensor res = TensorData.wrap(out, g.outShape());
        if (!Autograd.needsGraph(x)) return res;
        return Autograd.record(res, "avg_pool2d", o, gr -> {
            Tensor gc = gr.contiguous();
            float[] gd = TensorData.floats(gc);
            int go = gc.offset();
            float[] dx = new float[g.planes * h * w];
            forPlanes(g.planes, (long) oh * ow * o.kernelH() * o.kernelW(), p -> {
                int in = p * h * w, op = go + p * oh * ow;
                for (int k = 0; k < oh * ow; k++) {
                    if (win.h0[k] >= win.h1[k] || win.w0[k] >= win.w1[k]) continue;
                    float v = gd[op + k] / win.div[k];
                    for (int ih = win.h0[k]; ih < win.h1[k]; ih++) {
                        int row = in + ih * w;
                        for (int iw = win.w0[k]; iw < win.w1[k]; iw++) dx[row + iw] += v;
                    }
                }
            });
            return new Tensor[] {TensorData.wrapGradient(dx, g.inShape)};
        }, x);
    }

    /** The input rectangle and divisor of every output position of an average pooling (same for all planes). */
    private static final class AvgWindows {
        final int[] h0, h1, w0, w1;
        final float[] div;

        AvgWindows(Pool2dOptions o, int h, int w, int oh, int ow) {
            int n = oh * ow;
            h0 = new int[n];
            h1 = new int[n];
            w0 = new int[n];
            w1 = new int[n];
            div = new float[n];
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++) {
                    int k = i * ow + j;
                    int hs = i * o.strideH() - o.padH(), ws = j * o.strideW() - o.padW();
                    int he = Math.min(hs + o.kernelH(), h + o.padH()), we = Math.min(ws + o.kernelW(), w + o.padW());
                    int poolSize = (he - hs) * (we - ws);
                    hs = Math.max(hs, 0);
                    ws = Math.max(ws, 0);
                    he = Math.min(he, h);
                    we = Math.min(we, w);
                    h0[k] = hs;
                    h1[k] = he;
                    w0[k] = ws;
                    w1[k] = we;
                    div[k] = o.divisorOverride() != 0 ? o.divisorOverride()
                            : o.countIncludePad() ? poolSize : Math.max(0, he - hs) * Math.max(0, we - ws);
                }
        }
    }

    // ------------------------------------------------------------------ 1-D

    /** {@code max_pool1d} with stride = kernel, no padding. */
    public static Tensor maxPool1d(Tensor x, int kernel) {
        return maxPool1d(x, kernel, kernel, 0, 1, false);
    }

    /** Max pooling over the last dim of [N, C, L] or [C, L], like {@code max_pool1d}. */
    public static Tensor maxPool1d(Tensor x, int kernel, int stride, int padding, int dilation, boolean ceilMode) {
        return maxPool1dWithIndices(x, kernel, stride, padding, dilation, ceilMode).values();
    }

    /** {@link #maxPool1d} that also returns the int64 positions of the maxima along L. */
    public static Tensor.ValuesIndices maxPool1dWithIndices(Tensor x, int kernel, int stride, int padding, int dilation,
            boolean ceilMode) {
        check1d("max_pool1d", x);
        Pool2dOptions o = Pool2dOptions.of(1, kernel).stride(1, stride).padding(0, padding).dilation(1, dilation)
                .ceilMode(ceilMode);
        Tensor.ValuesIndices vi = maxPool2dWithIndices(x.unsqueeze(-2), o);
        return new Tensor.ValuesIndices(vi.values().squeeze(-2), vi.indices().squeeze(-2));
    }

    /** {@code avg_pool1d} with stride = kernel, no padding. */
    public static Tensor avgPool1d(Tensor x, int kernel) {
        return avgPool1d(x, kernel, kernel, 0, false, true);
    }

    /** Average pooling over the last dim of [N, C, L] or [C, L], like {@code avg_pool1d}. */
    public static Tensor avgPool1d(Tensor x, int kernel, int stride, int padding, boolean ceilMode, boolean countIncludePad) {
        check1d("avg_pool1d", x);
        Pool2dOptions o = Pool2dOptions.of(1, kernel).stride(1, stride).padding(0, padding).ceilMode(ceilMode)
                .countIncludePad(countIncludePad);
        return avgPool2d(x.unsqueeze(-2), o).squeeze(-2);
    }

    private static void check1d(String op, Tensor x) {
        if (x.dim() != 2 && x.dim() != 3)
            throw new IllegalArgumentException(op + ": expected a 2-D [C, L] or 3-D [N, C, L] input, got "
                    + Shape.str(x.shape()));
    }

    // ------------------------------------------------------------------ shared

    /** Plane count, input and output plane sizes, and the leading dims they sit under. */
    record Geo(int[] inShape, int planes, int h, int w, int oh, int ow) {
        int[] outShape() {
            int[] s = Arrays.copyOf(inShape, inShape.length);
            s[s.length - 2] = oh;
            s[s.length - 1] = ow;
            return s;
        }
    }

    private static Geo geometry(String op, Tensor x, Pool2dOptions o, boolean isMax) {
        ElementwiseOps.requireFloat(op, x);
        if (o == null) throw new IllegalArgumentException(op + ": options must not be null");
        int[] s = x.shape();
        if (s.length != 3 && s.length != 4)
            throw new IllegalArgumentException(op + ": expected a 3-D [C, H, W] or 4-D [N, C, H, W] input, got " + Shape.str(s));
        int h = s[s.length - 2], w = s[s.length - 1];
        // PyTorch bounds the padding by half the kernel (the dilated one for max pooling) so that every
        // window keeps at least one real input element.
        int eH = isMax ? o.dilationH() * (o.kernelH() - 1) + 1 : o.kernelH();
        int eW = isMax ? o.dilationW() * (o.kernelW() - 1) + 1 : o.kernelW();
        if (o.padH() > eH / 2 || o.padW() > eW / 2)
            throw new IllegalArgumentException(op + ": padding (" + o.padH() + ", " + o.padW()
                    + ") should be at most half of the " + (isMax ? "effective " : "") + "kernel size (" + eH + ", " + eW
                    + ")");
        int oh = outputSize(h, o.kernelH(), o.strideH(), o.padH(), o.dilationH(), o.ceilMode());
        int ow = outputSize(w, o.kernelW(), o.strideW(), o.padW(), o.dilationW(), o.ceilMode());
        if (oh < 1 || ow < 1)
            throw new IllegalArgumentException(op + ": input " + Shape.str(s) + " is too small for a " + o.kernelH() + "x"
                    + o.kernelW() + " window (stride " + o.strideH() + "x" + o.strideW() + ", padding " + o.padH() + "x"
                    + o.padW() + ", dilation " + o.dilationH() + "x" + o.dilationW() + "): output would be " + oh + "x" + ow);
        int planes = Shape.numel(Arrays.copyOf(s, s.length - 2));
        return new Geo(s, planes, h, w, oh, ow);
    }

    /** A body run for one (n, c) plane. */
    interface PlaneBody {
        void run(int plane);
    }

    /** Runs {@code body} for every plane, split across the pool once there is ~64k inner work per task. */
    static void forPlanes(int planes, long workPerPlane, PlaneBody body) {
        int grain = (int) Math.max(1, Math.min(planes, (1L << 16) / Math.max(1, workPerPlane)));
        Parallel.forRange(planes, grain, (a, b) -> {
            for (int p = a; p < b; p++) body.run(p);
        });
    }
}
