package org.jgrad.ops;

import java.util.Arrays;
import org.jgrad.autograd.Autograd;
import org.jgrad.backend.Backends;
import org.jgrad.backend.PoolBackend;
import org.jgrad.backend.PoolGeometry;
import org.jgrad.backend.Storage;
import org.jgrad.internal.TensorData;
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
        if (!isMaxPool2x2(o)) return null;
        Geo g = geometry("max_pool2d", x, o, true);
        int h = g.h, w = g.w, oh = g.oh, ow = g.ow;
        if (2 * oh > h || 2 * ow > w) return null;
        Tensor xc = x.detach().contiguous();
        PoolBackend pool = Backends.current().pooling();
        PoolBackend.Pooled r = pool.maxPool2x2(TensorData.storage(xc), xc.offset(), g.planes, h, w, oh, ow);
        int[] outShape = g.outShape();
        Tensor values = TensorData.wrap(r.values(), outShape);
        if (Autograd.needsGraph(x)) Autograd.record(values, "max_pool2d_with_indices", o, gr -> {
            Tensor gc = gr.contiguous();
            Storage dx = Backends.current().pooling().maxPool2x2Backward(TensorData.storage(gc), gc.offset(), r.indices(),
                    g.planes, h, w, oh, ow);
            return new Tensor[] {TensorData.wrapGradient(dx, g.inShape)};
        }, x);
        Tensor indices = withIndices ? TensorData.wrap(pool.maxPool2x2Indices(r.indices(), g.planes, w, oh, ow), outShape)
                : null;
        return new Tensor.ValuesIndices(values, indices);
    }

    /** Whether {@code o} is the 2×2, stride-2 window without padding or dilation that the vector kernel takes. */
    static boolean isMaxPool2x2(Pool2dOptions o) {
        return o.kernelH() == 2 && o.kernelW() == 2 && o.strideH() == 2 && o.strideW() == 2 && o.dilationH() == 1
                && o.dilationW() == 1 && o.padH() == 0 && o.padW() == 0;
    }

    /**
     * The [outH, outW] of pooling h×w planes with {@link #isMaxPool2x2} options when every window lies
     * inside the plane (as {@link #maxPool2x2} requires), else null (then the general op decides,
     * with its errors for planes too small).
     */
    static int[] maxPool2x2Size(int h, int w, Pool2dOptions o) {
        if (!isMaxPool2x2(o) || h < 2 || w < 2) return null;
        int oh = outputSize(h, 2, 2, 0, 1, o.ceilMode()), ow = outputSize(w, 2, 2, 0, 1, o.ceilMode());
        return oh >= 1 && ow >= 1 && 2 * oh <= h && 2 * ow <= w ? new int[] {oh, ow} : null;
    }

    /**
     * The graph of {@code max_pool2d(y)} for a 4-D {@code y} that is a ReLU's output, whose pool
     * ({@link #maxPool2x2}'s values and choices, already computed) is {@code r}: the same node as
     * {@link #maxPool2d}, whose backward also applies the ReLU's mask (see
     * {@link ElementwiseOps#reluFusedIntoPool}, which must have recorded y).
     */
    static Tensor maxPool2x2AfterRelu(Tensor y, PoolBackend.Pooled r, Pool2dOptions o, int oh, int ow) {
        int[] ys = y.shape();
        int planes = ys[0] * ys[1], h = ys[2], w = ys[3];
        Tensor values = TensorData.wrap(r.values(), ys[0], ys[1], oh, ow);
        if (Autograd.needsGraph(y)) Autograd.record(values, "max_pool2d_with_indices", o, gr -> {
            Tensor gc = gr.contiguous();
            // The mask is read from the pooled values: positive exactly where the chosen element is.
            Storage dx = Backends.current().pooling().maxPool2x2ReluBackward(TensorData.storage(gc), gc.offset(),
                    r.indices(), r.values(), planes, h, w, oh, ow);
            // Not wrapGradient: dx may be an array the backend lends again once the convolution's backward,
            // its only reader, has given it back (ConvOps.conv2d), so a retained .grad must be a copy of it.
            return new Tensor[] {TensorData.wrap(dx, ys)};
        }, y);
        return values;
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
        int kH = o.kernelH(), kW = o.kernelW(), sH = o.strideH(), sW = o.strideW(), pH = o.padH(), pW = o.padW();
        // 3×3 windows read a copy of each plane framed by -∞ (the kernel's fast path): its size is
        // checked once here, not per plane.
        if (kH == 3 && kW == 3 && o.dilationH() == 1 && o.dilationW() == 1)
            Shape.numel("max_pool2d", new int[] {Math.max(h + pH, (oh - 1) * sH + 3), Math.max(w + pW, (ow - 1) * sW + 3)});
        Tensor xc = x.detach().contiguous();
        PoolBackend.Pooled r = Backends.current().pooling().maxPool2d(TensorData.storage(xc), xc.offset(), g.backend(o));
        int[] outShape = g.outShape();
        Tensor values = TensorData.wrap(r.values(), outShape);
        Tensor indices = TensorData.wrap(r.indices(), outShape);
        if (Autograd.needsGraph(x))
            Autograd.record(values, "max_pool2d_with_indices", o, gr -> new Tensor[] {scatterPlanes(gr, r.indices(), g)}, x);
        return new Tensor.ValuesIndices(values, indices);
    }

    /** Gradient of an index-selecting pool: each output's gradient added at its input plane index. */
    static Tensor scatterPlanes(Tensor grad, Storage indices, Geo g) {
        Tensor gc = grad.contiguous();
        Storage dx = Backends.current().pooling().maxPoolBackward(TensorData.storage(gc), gc.offset(), indices, g.planes,
                g.h * g.w, g.oh * g.ow);
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
        Tensor xc = x.detach().contiguous();
        PoolGeometry geo = g.backend(o);
        Storage out = Backends.current().pooling().avgPool2d(TensorData.storage(xc), xc.offset(), geo, o.countIncludePad(),
                o.divisorOverride());
        Tensor res = TensorData.wrap(out, g.outShape());
        if (!Autograd.needsGraph(x)) return res;
        return Autograd.record(res, "avg_pool2d", o, gr -> {
            Tensor gc = gr.contiguous();
            Storage dx = Backends.current().pooling().avgPool2dBackward(TensorData.storage(gc), gc.offset(), geo,
                    o.countIncludePad(), o.divisorOverride());
            return new Tensor[] {TensorData.wrapGradient(dx, g.inShape)};
        }, x);
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

        /** These planes with the windows of {@code o}, as the backend takes them. */
        PoolGeometry backend(Pool2dOptions o) {
            return new PoolGeometry(planes, h, w, oh, ow, o.kernelH(), o.kernelW(), o.strideH(), o.strideW(), o.padH(),
                    o.padW(), o.dilationH(), o.dilationW());
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
}
