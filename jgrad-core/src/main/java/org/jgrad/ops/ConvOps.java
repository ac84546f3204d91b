package org.jgrad.ops;

import org.jgrad.autograd.Autograd;
import org.jgrad.backend.Backends;
import org.jgrad.backend.ConvBackend;
import org.jgrad.backend.ConvGeometry;
import org.jgrad.backend.Storage;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;

/**
 * Convolutions: the CNN layer's {@link #conv2d}/{@link #conv1d}, and the signal-processing
 * {@link #convolve1d}/{@link #convolve2d}.
 *
 * <p><b>Which is which.</b> {@code conv2d} and {@code conv1d} compute a <em>cross-correlation</em>,
 * exactly as PyTorch's {@code torch.nn.functional.conv2d}: the kernel is slid over the input
 * without flipping, {@code out[o][i][j] = b[o] + Σ_{c,u,v} w[o][c][u][v] · x[c][i·s + u·d − p][j·s + v·d − p]}.
 * Since a CNN learns its kernels, the flip makes no difference to what it can express, and the
 * lectures' "convolution layer" examples (stride and padding) are computed this way. {@code convolve1d} and
 * {@code convolve2d} compute the <em>true</em> discrete convolution of signal processing,
 * {@code (f * g)[n] = Σ_m f[n − m] g[m]}, i.e. a cross-correlation with the kernel flipped in every
 * axis, with NumPy/SciPy's {@code "full"}, {@code "same"} and {@code "valid"} output modes (the lectures' 1-D and 2-D discrete convolution examples).
 *
 * <p>{@code conv2d} runs as im2col + one GEMM per group and image; its backward is a GEMM + col2im
 * for the input, a GEMM for the weight and a sum for the bias. The gradients it returns are
 * themselves not differentiable (no double backward).
 */
public final class ConvOps {
    private ConvOps() {}

    // ------------------------------------------------------------------ output size

    /**
     * Output length along one axis: {@code ⌊(in + padBefore + padAfter − dilation·(kernel−1) − 1) / stride⌋ + 1},
     * which for symmetric padding P and dilation 1 is the lectures' {@code ⌊(W + 2P − F)/S⌋ + 1}.
     *
     * @throws IllegalArgumentException when a size is out of range or the dilated kernel is larger
     *     than the padded input
     */
    public static int outputSize(int in, int kernel, int stride, int padBefore, int padAfter, int dilation) {
        if (in < 0 || kernel < 1 || stride < 1 || dilation < 1 || padBefore < 0 || padAfter < 0)
            throw new IllegalArgumentException("outputSize: expected input >= 0, kernel >= 1, stride >= 1, dilation >= 1"
                    + " and padding >= 0, got input " + in + ", kernel " + kernel + ", stride " + stride + ", padding ("
                    + padBefore + ", " + padAfter + "), dilation " + dilation);
        long extent = (long) dilation * (kernel - 1) + 1;
        long padded = (long) in + padBefore + padAfter;
        if (extent > padded)
            throw new IllegalArgumentException("outputSize: kernel of size " + kernel + " (dilation " + dilation
                    + ", extent " + extent + ") does not fit the padded input of size " + padded + " (input " + in
                    + ", padding " + padBefore + "+" + padAfter + ")");
        return (int) ((padded - extent) / stride + 1);
    }

    /** {@link #outputSize(int, int, int, int, int, int)} with the same padding on both sides. */
    public static int outputSize(int in, int kernel, int stride, int padding, int dilation) {
        return outputSize(in, kernel, stride, padding, padding, dilation);
    }

    /** The lectures' {@code ⌊(W + 2P − F)/S⌋ + 1} (dilation 1). */
    public static int outputSize(int in, int kernel, int stride, int padding) {
        return outputSize(in, kernel, stride, padding, padding, 1);
    }

    // ------------------------------------------------------------------ conv2d

    /** {@link #conv2d(Tensor, Tensor, Tensor, Conv2dOptions)} with stride 1 and no padding. */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias) {
        return conv2d(input, weight, bias, Conv2dOptions.defaults());
    }

    /** {@link #conv2d(Tensor, Tensor, Tensor, Conv2dOptions)} with a square stride and symmetric padding. */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int stride, int padding) {
        return conv2d(input, weight, bias, Conv2dOptions.defaults().stride(stride).padding(padding));
    }

    /**
     * 2-D cross-correlation of a batch, like {@code torch.nn.functional.conv2d} (see the class notes on
     * convolution versus cross-correlation).
     *
     * @param input [N, C, H, W], or [C, H, W] for one unbatched image (the result then has no batch dim)
     * @param weight [O, C/groups, kH, kW]
     * @param bias [O], or null for none
     * @param options stride, padding (explicit, {@code "same"} or {@code "valid"}), dilation and groups
     * @return [N, O, H', W'] with {@code H' = ⌊(H + padTop + padBottom − dilationH·(kH−1) − 1)/strideH⌋ + 1}, W' alike
     * @throws IllegalArgumentException naming the shapes when the ranks are wrong, the channels do not
     *     match or do not divide by groups, or the kernel does not fit the padded input
     */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, Conv2dOptions options) {
        return conv2d(input, weight, bias, options, false);
    }

    /**
     * {@code relu(conv2d(input, weight, bias, options))} with the ReLU applied as the bias is added,
     * to each output row while it is in cache, where the convolution runs on the padded grid (a fused
     * bias + activation; elsewhere one pass over the fresh output). The same values and gradients as
     * the two ops, without the ReLU's own array and pass.
     */
    public static Tensor conv2dRelu(Tensor input, Tensor weight, Tensor bias, Conv2dOptions options) {
        return conv2d(input, weight, bias, options, true);
    }

    /**
     * {@code max_pool2d(relu(conv2d(input, weight, bias, options)), pool)}: LeNet's convolution, ReLU and
     * pooling block as one call. When the pool is 2×2 with stride 2 over a 4-D input, each image is
     * pooled as soon as its convolution output is written (on the padded grid: while it is in cache, by
     * the same thread), and the backward scatters the pooled gradient with the ReLU's mask applied,
     * instead of a pool backward and a ReLU backward over the whole [N, O, H', W'] gradient. The same
     * values and gradients, and the same three graph nodes (convolution, relu, max_pool2d_with_indices),
     * as the three ops; other pools run as the three ops.
     */
    public static Tensor conv2dReluMaxPool2d(Tensor input, Tensor weight, Tensor bias, Conv2dOptions options,
            Pool2dOptions pool) {
        if (pool == null) throw new IllegalArgumentException("conv2dReluMaxPool2d: pool options must not be null");
        return conv2d(input, weight, bias, options, true, pool);
    }

    private static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, Conv2dOptions options, boolean relu) {
        return conv2d(input, weight, bias, options, relu, null);
    }

    /** The convolution, ReLU'd when {@code relu}, then max-pooled with {@code pool} unless it is null. */
    private static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, Conv2dOptions options, boolean relu,
            Pool2dOptions pool) {
        ElementwiseOps.requireFloat("conv2d", input, weight);
        if (bias != null) ElementwiseOps.requireFloat("conv2d", bias);
        if (options == null) throw new IllegalArgumentException("conv2d: options must not be null");
        if (input.dim() == 3 || (pool != null && !PoolOps.isMaxPool2x2(pool))) {
            Tensor z = input.dim() == 3 ? conv2d(input.unsqueeze(0), weight, bias, options, relu).squeeze(0)
                    : conv2d(input, weight, bias, options, relu);
            return pool == null ? z : PoolOps.maxPool2d(z, pool);
        }
        if (input.dim() != 4)
            throw new IllegalArgumentException("conv2d: expected a 3-D [C, H, W] or 4-D [N, C, H, W] input, got "
                    + Shape.str(input.shape()));
        ConvGeometry geometry = geometry(input, weight, bias, options);
        int[] xs = input.shape(), ws = weight.shape();
        int n = xs[0], o = ws[0];
        int[] pad = options.resolvePadding(ws[2], ws[3]);
        boolean reduce = geometry.reduced();
        int outH = geometry.outH(), outW = geometry.outW();
        int[] pooledSize = pool == null ? null : PoolOps.maxPool2x2Size(outH, outW, pool);
        if (pool != null && (pooledSize == null || !relu)) return PoolOps.maxPool2d(conv2d(input, weight, bias, options, relu), pool);
        ConvBackend conv = Backends.current().conv();
        ConvBackend.Plan plan = conv.plan(geometry);

        Tensor xc = input.detach().contiguous();
        Tensor wc = weight.detach().contiguous();
        Storage wd = reduce ? conv.cropWeight(plan, TensorData.storage(wc), wc.offset()) : TensorData.storage(wc);
        int wo = reduce ? 0 : wc.offset();
        Tensor bc = bias == null ? null : bias.detach().contiguous();
        Shape.numel("conv2d", new int[] {n, o, outH, outW});
        Storage bd = bc == null ? null : TensorData.storage(bc);
        int bo = bc == null ? 0 : bc.offset();
        ConvBackend.Pooled pooled = pooledSize == null ? null
                : conv.forwardMaxPool2x2(plan, TensorData.storage(xc), xc.offset(), wd, wo, bd, bo, relu, pooledSize[0],
                        pooledSize[1]);
        Storage out = pooled != null ? pooled.out() : conv.forward(plan, TensorData.storage(xc), xc.offset(), wd, wo, bd, bo, relu);
        Tensor res = TensorData.wrap(out, n, o, outH, outW);
        Tensor[] inputs = bias == null ? new Tensor[] {input, weight} : new Tensor[] {input, weight, bias};
        // The backward reads the input, the weight and g, never the output (which may hold relu(z), and with
        // a pool after it a storage that a later call overwrites: ConvBackend.forwardMaxPool2x2).
        // The node records the padding resolved to explicit amounts ("same" becomes numbers), as an
        // exporter needs them.
        Tensor z = !Autograd.needsGraph(inputs) ? res : Autograd.record(res, "convolution",
                options.padding(pad[0], pad[1], pad[2], pad[3]), g -> {
            Tensor gc = g.contiguous();
            Storage gd = TensorData.storage(gc);
            int go = gc.offset();
            ConvBackend cb = Backends.current().conv();
            Tensor gx = null, gw = null, gb = null;
            if (input.requiresGrad()) gx = TensorData.wrapGradient(cb.backwardInput(plan, gd, go, wd, wo), xs);
            boolean biasGrad = bias != null && bias.requiresGrad();
            if (weight.requiresGrad()) {
                // Added straight into the existing .grad when gradients are not cleared between steps
                // (no new array, no separate accumulation pass), else into a new one.
                Storage into = TensorData.gradTargetStorage(weight);
                Storage dw;
                if (biasGrad) {
                    // In one call: the backend may sum the bias gradient inside the weight gradient's pass.
                    ConvBackend.WeightAndBias both = cb.backwardWeightAndBias(plan, gd, go, TensorData.storage(xc),
                            xc.offset(), into);
                    dw = both.weight();
                    gb = TensorData.wrapGradient(both.bias(), o);
                } else dw = cb.backwardWeight(plan, gd, go, TensorData.storage(xc), xc.offset(), into);
                gw = into != null ? null : TensorData.wrapGradient(dw, ws);
            }
            if (biasGrad && gb == null) gb = TensorData.wrapGradient(cb.backwardBias(plan, gd, go), o);
            // Behind the fused pool nothing reads g after this: the ReLU's node passed the pool's gradient on as
            // it is, and a retained .grad of either output is a copy (the pool does not wrap it for adoption).
            if (pooled != null) Backends.current().pooling().giveBack(gd);
            return bias == null ? new Tensor[] {gx, gw} : new Tensor[] {gx, gw, gb};
        }, inputs);
        if (pooled == null) return relu ? ElementwiseOps.reluFusedInto(z) : z;
        return PoolOps.maxPool2x2AfterRelu(ElementwiseOps.reluFusedIntoPool(z), pooled.pool(), pool, pooledSize[0],
                pooledSize[1]);
    }

    /**
     * The checked geometry of a conv2d of a 4-D input: kernel rows/columns that read only padding for
     * every output position (a 3×3 kernel with padding 1 over a 1×1 map: ResNet's last stage at 32×32
     * input) are left out of its tap window, since they multiply zeros.
     *
     * @throws IllegalArgumentException naming the shapes when they do not fit together
     */
    static ConvGeometry geometry(Tensor input, Tensor weight, Tensor bias, Conv2dOptions options) {
        if (weight.dim() != 4)
            throw new IllegalArgumentException("conv2d: expected a 4-D weight [O, C/groups, kH, kW], got "
                    + Shape.str(weight.shape()) + " (input " + Shape.str(input.shape()) + ")");
        int[] xs = input.shape(), ws = weight.shape();
        int n = xs[0], c = xs[1], h = xs[2], w = xs[3];
        int o = ws[0], cg = ws[1], kH = ws[2], kW = ws[3];
        int groups = options.groups();
        if (c % groups != 0)
            throw new IllegalArgumentException("conv2d: input channels " + c + " do not divide by groups " + groups
                    + " (input " + Shape.str(xs) + ")");
        if (o % groups != 0)
            throw new IllegalArgumentException("conv2d: output channels " + o + " do not divide by groups " + groups
                    + " (weight " + Shape.str(ws) + ")");
        if (cg * groups != c)
            throw new IllegalArgumentException("conv2d: weight " + Shape.str(ws) + " with groups=" + groups
                    + " expects input " + "to have " + (cg * groups) + " channels, but got input " + Shape.str(xs)
                    + " with " + c + " channels");
        if (kH < 1 || kW < 1)
            throw new IllegalArgumentException("conv2d: empty kernel in weight " + Shape.str(ws));
        if (bias != null && (bias.dim() != 1 || bias.size(0) != o))
            throw new IllegalArgumentException("conv2d: expected bias of shape [" + o + "], got " + Shape.str(bias.shape())
                    + " (weight " + Shape.str(ws) + ")");
        int[] pad = options.resolvePadding(kH, kW);
        int eH = options.dilationH() * (kH - 1) + 1, eW = options.dilationW() * (kW - 1) + 1;
        int pH = h + pad[0] + pad[1], pW = w + pad[2] + pad[3];
        if (eH > pH || eW > pW)
            throw new IllegalArgumentException("conv2d: kernel " + kH + "x" + kW + (eH != kH || eW != kW
                    ? " (dilated to " + eH + "x" + eW + ")" : "") + " does not fit the padded input " + pH + "x" + pW
                    + " (input " + Shape.str(xs) + ", weight " + Shape.str(ws) + ", padding top/bottom/left/right "
                    + pad[0] + "/" + pad[1] + "/" + pad[2] + "/" + pad[3] + ")");
        int outH = outputSize(h, kH, options.strideH(), pad[0], pad[1], options.dilationH());
        int outW = outputSize(w, kW, options.strideW(), pad[2], pad[3], options.dilationW());
        // The smaller kernel runs over the same output; the dropped taps get a zero weight gradient
        // (their exact gradient).
        int dH = options.dilationH(), dW = options.dilationW();
        int[] tH = usefulTaps(h, kH, options.strideH(), pad[0], dH, outH);
        int[] tW = usefulTaps(w, kW, options.strideW(), pad[2], dW, outW);
        boolean reduce = tH != null && tW != null && (tH[1] - tH[0] + 1 < kH || tW[1] - tW[0] + 1 < kW)
                && pad[0] >= tH[0] * dH && pad[2] >= tW[0] * dW;
        int kH2 = reduce ? tH[1] - tH[0] + 1 : kH, kW2 = reduce ? tW[1] - tW[0] + 1 : kW;
        int ki0 = reduce ? tH[0] : 0, kj0 = reduce ? tW[0] : 0;
        return new ConvGeometry(n, c, h, w, o, groups, kH, kW, options.strideH(), options.strideW(), pad[0], pad[2], dH,
                dW, outH, outW, ki0, kj0, kH2, kW2);
    }

    /**
     * The first and last kernel taps along one axis that read the input (not only padding) for at
     * least one output position, or null when the useful taps are not one contiguous run.
     */
    private static int[] usefulTaps(int in, int kernel, int stride, int padBefore, int dilation, int out) {
        int lo = -1, hi = -1;
        for (int t = 0; t < kernel; t++) {
            boolean useful = false;
            for (int o = 0; o < out && !useful; o++) {
                long i = (long) o * stride - padBefore + (long) t * dilation;
                useful = i >= 0 && i < in;
            }
            if (useful) {
                if (lo < 0) lo = t;
                else if (hi != t - 1) return null;
                hi = t;
            }
        }
        return lo < 0 ? null : new int[] {lo, hi};
    }

    // ------------------------------------------------------------------ conv1d

    /** {@link #conv1d(Tensor, Tensor, Tensor, int, int, int, int, int)} with stride 1, no padding, dilation 1, one group. */
    public static Tensor conv1d(Tensor input, Tensor weight, Tensor bias) {
        return conv1d(input, weight, bias, 1, 0, 0, 1, 1);
    }

    /** {@link #conv1d(Tensor, Tensor, Tensor, int, int, int, int, int)} with symmetric padding. */
    public static Tensor conv1d(Tensor input, Tensor weight, Tensor bias, int stride, int padding, int dilation, int groups) {
        return conv1d(input, weight, bias, stride, padding, padding, dilation, groups);
    }

    /**
     * 1-D cross-correlation, like {@code torch.nn.functional.conv1d}; computed as a conv2d of height 1.
     *
     * @param input [N, C, L], or [C, L] unbatched
     * @param weight [O, C/groups, K]
     * @param bias [O] or null
     * @return [N, O, L'] with {@code L' = ⌊(L + padLeft + padRight − dilation·(K−1) − 1)/stride⌋ + 1}
     */
    public static Tensor conv1d(Tensor input, Tensor weight, Tensor bias, int stride, int padLeft, int padRight,
            int dilation, int groups) {
        return conv1d(input, weight, bias,
                Conv2dOptions.defaults().stride(1, stride).padding(0, 0, padLeft, padRight).dilation(1, dilation).groups(groups));
    }

    /** 1-D cross-correlation with {@code padding} = {@code "same"} or {@code "valid"}. */
    public static Tensor conv1d(Tensor input, Tensor weight, Tensor bias, String padding, int dilation, int groups) {
        return conv1d(input, weight, bias, Conv2dOptions.defaults().padding(padding).dilation(1, dilation).groups(groups));
    }

    private static Tensor conv1d(Tensor input, Tensor weight, Tensor bias, Conv2dOptions o2) {
        if (input.dim() != 2 && input.dim() != 3)
            throw new IllegalArgumentException("conv1d: expected a 2-D [C, L] or 3-D [N, C, L] input, got "
                    + Shape.str(input.shape()));
        if (weight.dim() != 3)
            throw new IllegalArgumentException("conv1d: expected a 3-D weight [O, C/groups, K], got "
                    + Shape.str(weight.shape()) + " (input " + Shape.str(input.shape()) + ")");
        int hDim = input.dim() - 1;
        try {
            return conv2d(input.unsqueeze(hDim), weight.unsqueeze(2), bias, o2).squeeze(hDim);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage().replace("conv2d:", "conv1d:") + " [as conv1d of input "
                    + Shape.str(input.shape()) + ", weight " + Shape.str(weight.shape()) + "]", e);
        }
    }

    // ------------------------------------------------------------------ true convolution

    /** Output-size mode of {@link #convolve1d} and {@link #convolve2d}, as in NumPy/SciPy. */
    public enum ConvolveMode {
        /** Every position where signal and kernel overlap: length {@code n + m − 1}. */
        FULL,
        /** The centre of the full result with the signal's length, {@code full[(m−1)/2 ..]}. */
        SAME,
        /** Only positions where the kernel lies entirely inside the signal: length {@code n − m + 1}. */
        VALID;

        /** Parses {@code "full"}, {@code "same"} or {@code "valid"}. */
        public static ConvolveMode of(String s) {
            return switch (s == null ? "" : s) {
                case "full" -> FULL;
                case "same" -> SAME;
                case "valid" -> VALID;
                default -> throw new IllegalArgumentException("convolve: mode must be \"full\", \"same\" or \"valid\", got "
                        + (s == null ? "null" : "\"" + s + "\""));
            };
        }
    }

    /** {@link #convolve1d(Tensor, Tensor, ConvolveMode)} with the mode as a string. */
    public static Tensor convolve1d(Tensor signal, Tensor kernel, String mode) {
        return convolve1d(signal, kernel, ConvolveMode.of(mode));
    }

    /**
     * True 1-D discrete convolution {@code (f * g)[t] = Σ_m f[t − m] g[m]} (the kernel is flipped),
     * like {@code numpy.convolve} / {@code scipy.signal.convolve}. Element {@code i} of the
     * {@code FULL} result is {@code Σ_j f[i − j] g[j]} with array indices from 0; a signal indexed from
     * {@code a} and a kernel from {@code b} give index {@code a + b + i}. Differentiable in both arguments.
     *
     * @param signal [n]
     * @param kernel [m]
     */
    public static Tensor convolve1d(Tensor signal, Tensor kernel, ConvolveMode mode) {
        ElementwiseOps.requireFloat("convolve1d", signal, kernel);
        if (signal.dim() != 1 || kernel.dim() != 1)
            throw new IllegalArgumentException("convolve1d: expected 1-D signal and kernel, got " + Shape.str(signal.shape())
                    + " and " + Shape.str(kernel.shape()));
        int n = signal.size(0), m = kernel.size(0);
        int[] p = convolvePadding("convolve1d", n, m, mode, signal, kernel);
        Tensor out = conv2d(signal.view(1, 1, 1, n), flip(kernel, 0).view(1, 1, 1, m), null,
                Conv2dOptions.defaults().padding(0, 0, p[0], p[1]));
        return out.view(out.size(3));
    }

    /** {@link #convolve2d(Tensor, Tensor, ConvolveMode)} with the mode as a string. */
    public static Tensor convolve2d(Tensor image, Tensor kernel, String mode) {
        return convolve2d(image, kernel, ConvolveMode.of(mode));
    }

    /**
     * True 2-D discrete convolution {@code (f * g)[m][n] = Σ_y Σ_x f[m − y][n − x] g[y][x]} (the kernel is
     * flipped in both axes), like {@code scipy.signal.convolve2d} with zero fill. In {@code SAME} mode the
     * kernel's centre element {@code g[(kH−1)/2][(kW−1)/2]} is its origin, so a 3×3 kernel indexed
     * {@code g[-1:1][-1:1]} needs no re-indexing. Differentiable in both arguments.
     *
     * @param image [H, W]
     * @param kernel [kH, kW]
     */
    public static Tensor convolve2d(Tensor image, Tensor kernel, ConvolveMode mode) {
        ElementwiseOps.requireFloat("convolve2d", image, kernel);
        if (image.dim() != 2 || kernel.dim() != 2)
            throw new IllegalArgumentException("convolve2d: expected 2-D image and kernel, got " + Shape.str(image.shape())
                    + " and " + Shape.str(kernel.shape()));
        int h = image.size(0), w = image.size(1), kh = kernel.size(0), kw = kernel.size(1);
        int[] ph = convolvePadding("convolve2d", h, kh, mode, image, kernel);
        int[] pw = convolvePadding("convolve2d", w, kw, mode, image, kernel);
        Tensor out = conv2d(image.view(1, 1, h, w), flip(kernel, 0, 1).view(1, 1, kh, kw), null,
                Conv2dOptions.defaults().padding(ph[0], ph[1], pw[0], pw[1]));
        return out.view(out.size(2), out.size(3));
    }

    /** Leading and trailing zero padding that turns a flipped-kernel cross-correlation into each mode. */
    private static int[] convolvePadding(String op, int n, int m, ConvolveMode mode, Tensor f, Tensor g) {
        if (mode == null) throw new IllegalArgumentException(op + ": mode must not be null");
        if (n == 0 || m == 0)
            throw new IllegalArgumentException(op + ": signal " + Shape.str(f.shape()) + " and kernel "
                    + Shape.str(g.shape()) + " must not be empty");
        return switch (mode) {
            case FULL -> new int[] {m - 1, m - 1};
            // same = full[(m-1)/2 .. (m-1)/2 + n): drop (m-1)/2 leading outputs of full
            case SAME -> new int[] {(m - 1) - (m - 1) / 2, (m - 1) / 2};
            case VALID -> {
                if (m > n)
                    throw new IllegalArgumentException(op + ": mode \"valid\" needs the kernel " + Shape.str(g.shape())
                            + " to fit inside the signal " + Shape.str(f.shape()));
                yield new int[] {0, 0};
            }
        };
    }

    /** A copy with the given dims reversed; its backward reverses the gradient the same way. */
    static Tensor flip(Tensor x, int... dims) {
        int[] shape = x.shape();
        boolean[] rev = new boolean[shape.length];
        for (int d : dims) rev[Shape.normalizeDim("flip", d, shape.length)] = true;
        // The flipped tensor is the view with the reversed dims' strides negated, starting at their
        // last element; copied out in row-major order.
        Tensor xc = x.detach().contiguous();
        int[] strides = xc.strides();
        int offset = xc.offset();
        for (int d = 0; d < shape.length; d++)
            if (rev[d] && shape[d] > 0) {
                offset += (shape[d] - 1) * strides[d];
                strides[d] = -strides[d];
            }
        Tensor out = TensorData.wrap(Backends.current().elementwise().contiguousCopy(TensorData.storage(xc), offset, shape,
                strides), shape);
        if (!Autograd.needsGraph(x)) return out;
        return Autograd.record(out, "flip", new ViewAttributes.Flip(IntLists.of(dims)), g -> new Tensor[] {flip(g, dims)}, x);
    }
}
