package org.jgrad.ops;

import org.jgrad.autograd.Autograd;
import org.jgrad.kernels.DirectConv;
import org.jgrad.kernels.Elementwise;
import org.jgrad.kernels.Gemm;
import org.jgrad.kernels.Im2col;
import org.jgrad.kernels.Parallel;
import org.jgrad.kernels.PartialSums;
import org.jgrad.kernels.Scratch;
import org.jgrad.kernels.StridedCopy;
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

    private static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, Conv2dOptions options, boolean relu) {
        ElementwiseOps.requireFloat("conv2d", input, weight);
        if (bias != null) ElementwiseOps.requireFloat("conv2d", bias);
        if (options == null) throw new IllegalArgumentException("conv2d: options must not be null");
        if (input.dim() == 3) return conv2d(input.unsqueeze(0), weight, bias, options, relu).squeeze(0);
        if (input.dim() != 4)
            throw new IllegalArgumentException("conv2d: expected a 3-D [C, H, W] or 4-D [N, C, H, W] input, got "
                    + Shape.str(input.shape()));
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
        // Kernel rows/columns that read only padding for every output position (a 3×3 kernel with
        // padding 1 over a 1×1 map: ResNet's last stage at 32×32 input) multiply zeros; they are
        // dropped, the smaller kernel runs over the same output, and the dropped taps get a zero
        // weight gradient (their exact gradient).
        int dH = options.dilationH(), dW = options.dilationW();
        int[] tH = usefulTaps(h, kH, options.strideH(), pad[0], dH, outH);
        int[] tW = usefulTaps(w, kW, options.strideW(), pad[2], dW, outW);
        boolean reduce = tH != null && tW != null && (tH[1] - tH[0] + 1 < kH || tW[1] - tW[0] + 1 < kW)
                && pad[0] >= tH[0] * dH && pad[2] >= tW[0] * dW;
        int kH2 = reduce ? tH[1] - tH[0] + 1 : kH, kW2 = reduce ? tW[1] - tW[0] + 1 : kW;
        int ki0 = reduce ? tH[0] : 0, kj0 = reduce ? tW[0] : 0;
        Im2col.Geometry geo = new Im2col.Geometry(c, h, w, kH2, kW2, options.strideH(), options.strideW(),
                pad[0] - ki0 * dH, pad[2] - kj0 * dW, dH, dW, outH, outW);

        Tensor xc = input.detach().contiguous();
        float[] wd;
        int wo;
        if (reduce) {
            wd = new float[o * cg * kH2 * kW2];
            wo = 0;
            Tensor wc = weight.detach().contiguous();
            copyTaps(wc.storage(), wc.offset(), kH, kW, wd, 0, kH2, kW2, ki0, kj0, o * cg, false);
        } else {
            Tensor wc = weight.detach().contiguous();
            wd = wc.storage();
            wo = wc.offset();
        }
        Tensor bc = bias == null ? null : bias.detach().contiguous();
        float[] out = new float[Shape.numel("conv2d", new int[] {n, o, outH, outW})];
        Plan plan = new Plan(geo, n, o, groups);
        boolean fused = plan.forward(xc.storage(), xc.offset(), wd, wo, bc == null ? null : bc.storage(),
                bc == null ? 0 : bc.offset(), out, relu);
        if (relu && !fused) Elementwise.unary(Elementwise.Unary.RELU, out, 0, out, 0, out.length);
        Tensor res = Tensor.wrap(out, n, o, outH, outW);
        Tensor[] inputs = bias == null ? new Tensor[] {input, weight} : new Tensor[] {input, weight, bias};
        // The backward reads the input, the weight and g, never the output (which may hold relu(z)).
        Tensor z = Autograd.record(res, "convolution", g -> {
            Tensor gc = g.contiguous();
            float[] gd = gc.storage();
            int go = gc.offset();
            Tensor gx = null, gw = null, gb = null;
            if (input.requiresGrad()) {
                float[] dx = new float[n * c * h * w];
                plan.backwardInput(gd, go, wd, wo, dx);
                gx = Tensor.wrapGradient(dx, xs);
            }
            if (weight.requiresGrad()) {
                // Every weight-gradient path adds into dw: into the existing .grad when gradients are
                // not cleared between steps (no new array, no separate accumulation pass), else a new one.
                float[] into = weight.gradInPlaceTarget();
                float[] dw = into != null ? into : new float[o * cg * kH * kW];
                if (reduce) {
                    float[] dw2 = new float[o * cg * kH2 * kW2];
                    plan.backwardWeight(gd, go, xc.storage(), xc.offset(), dw2);
                    copyTaps(dw, 0, kH, kW, dw2, 0, kH2, kW2, ki0, kj0, o * cg, true);
                } else plan.backwardWeight(gd, go, xc.storage(), xc.offset(), dw);
                gw = into != null ? null : Tensor.wrapGradient(dw, ws);
            }
            if (bias != null && bias.requiresGrad()) gb = Tensor.wrapGradient(plan.backwardBias(gd, go), o);
            return bias == null ? new Tensor[] {gx, gw} : new Tensor[] {gx, gw, gb};
        }, inputs);
        return relu ? ElementwiseOps.reluFusedInto(z) : z;
    }

    /**
     * Moves the kH2×kW2 window at tap (ki0, kj0) of each of {@code rows} kH×kW kernels between the
     * full weight layout ({@code full}) and the reduced one ({@code part}): into {@code part}, or
     * added back into {@code full} when {@code toFull} (a gradient: zeros, or the existing {@code .grad}
     * it accumulates into). Plain loops: the window of ResNet's 1×1-map layers
     * is one float per kernel, for which one arraycopy call each cost more than the whole move.
     */
    private static void copyTaps(float[] full, int fOff, int kH, int kW, float[] part, int pOff, int kH2, int kW2,
            int ki0, int kj0, int rows, boolean toFull) {
        // Bound by memory (a 512×512×3×3 weight is 9.4 MB, every cache line of it touched): two
        // cores draw more bandwidth than one, and the other thread would wait meanwhile.
        Parallel.forRange(rows, 1 << 14, (r0, r1) -> copyTaps(full, fOff, kH, kW, part, pOff, kH2, kW2, ki0, kj0, r0, r1,
                toFull));
    }

    private static void copyTaps(float[] full, int fOff, int kH, int kW, float[] part, int pOff, int kH2, int kW2,
            int ki0, int kj0, int r0, int r1, boolean toFull) {
        int kk = kH * kW, kk2 = kH2 * kW2;
        if (kk2 == 1) {
            int f = fOff + ki0 * kW + kj0;
            if (toFull) for (int r = r0; r < r1; r++) full[f + r * kk] += part[pOff + r];
            else for (int r = r0; r < r1; r++) part[pOff + r] = full[f + r * kk];
            return;
        }
        for (int r = r0; r < r1; r++)
            for (int u = 0; u < kH2; u++) {
                int f = fOff + r * kk + (ki0 + u) * kW + kj0, q = pOff + r * kk2 + u * kW2;
                if (toFull) for (int v = 0; v < kW2; v++) full[f + v] += part[q + v];
                else for (int v = 0; v < kW2; v++) part[q + v] = full[f + v];
            }
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

    /**
     * The raw-array work of one conv2d shape: forward, and the three backward pieces. Images are
     * split across the thread pool when there are several and enough work; otherwise the GEMMs
     * themselves run in parallel.
     */
    private static final class Plan {
        /**
         * Column-matrix floats per chunk of the batched path (1 MiB): the chunk's buffers stay in L2
         * and are reused chunk after chunk. 16 MiB chunks made LeNet's epoch 2x slower (fresh
         * memory for every buffer), while 1 MiB still puts 7 to 32 of ResNet-18's images in a GEMM.
         */
        static final long CHUNK_FLOATS = 1L << 18;
        /** Columns a chunk should have at least, memory permitting (see {@link #chunk}). */
        static final int MIN_COLS = 256;
        /** Column-matrix floats a chunk may take to reach {@link #MIN_COLS} (16 MiB). */
        static final long MAX_CHUNK_FLOATS = 1L << 22;
        /** Multiply-adds below which {@code Gemm} runs on one thread (its PARALLEL_MIN_WORK). */
        static final long SMALL_GEMM = 1L << 23;
        /**
         * Taps (C·kH·kW) up to which a stride-1 convolution runs on the padded grid ({@link DirectConv})
         * whatever its map size: with few taps the column matrix costs as much to write and pack as the
         * product (LeNet's 25 and 150 taps: forward about 2.6× and 3.9× faster on the grid).
         */
        static final int GRID_MAX_TAPS = 160;
        /**
         * Above GRID_MAX_TAPS, the share of grid positions that must be output pixels for the grid to
         * win whatever the channel count: the small VGG's 28×28 and 14×14 maps (0.91, 0.88) were about
         * 1.5-2× faster on it. Sparser grids (ResNet-18's 8×8 and 4×4 maps keep 0.67 and 0.5) were
         * slower with the by-position kernels; for many channels GRID_MIN_MAP decides.
         */
        static final double GRID_MIN_EFFICIENCY = 0.8;
        /**
         * Output pixels from which a many-channel stride-1 layer runs on the grid (by channel): ResNet-18's
         * 8×8 layers. Per layer its 8×8 backward was about 2× faster there and its 4×4 and 2×2 ones
         * 1.2-2.3× slower. Over a whole ResNet-18 step, A/B in one JVM: the 8×8 backward back on im2col
         * 1.05-1.07× the time, the 4×4 backward onto the grid 1.03×, and (with im2col's small-map
         * paths of session 3) the 4×4 and 2×2 forwards on the grid 1.05× against im2col.
         */
        static final int GRID_MIN_MAP = 64;
        /** Output pixels per image from which a 1×1 convolution multiplies each image in place. */
        static final int DIRECT_MIN_MAP = 256;

        final Im2col.Geometry geo;
        final int n, o, groups, og, k, l;
        /** A 1×1 kernel with stride 1 and no padding reads the image itself as its column matrix. */
        final boolean direct;
        final boolean batchParallel;
        /** Passes that run on the padded grid without a column matrix ({@link DirectConv}). */
        final boolean gridForward, gridWeight, gridInput;

        Plan(Im2col.Geometry geo, int n, int o, int groups) {
            this.geo = geo;
            this.n = n;
            this.o = o;
            this.groups = groups;
            this.og = o / groups;
            this.k = geo.colRows() / groups;
            this.l = geo.colCols();
            // Only for large maps: with a small one a GEMM per image repacks the weight to multiply
            // it by a few columns, and the batched path's gather is cheap next to that.
            this.direct = geo.kernelH() == 1 && geo.kernelW() == 1 && geo.strideH() == 1 && geo.strideW() == 1
                    && geo.padTop() == 0 && geo.padLeft() == 0 && geo.outH() == geo.height() && geo.outW() == geo.width()
                    && l >= DIRECT_MIN_MAP;
            long work = (long) n * o * k * l;
            this.batchParallel = n > 1 && Parallel.threads() > 1 && work >= (1L << 18);
            // -Djgrad.conv.grid=on|off forces every eligible layer onto the grid or off it (A/B runs, tests).
            String mode = System.getProperty("jgrad.conv.grid", "auto");
            // Stride 1 takes every grid kernel; other strides the by-channel forward and weight gradient.
            boolean eligible = groups == 1 && !direct, stride1 = DirectConv.supports(geo);
            boolean few = stride1 && geo.colRows() <= GRID_MAX_TAPS;
            boolean dense = stride1 && DirectConv.efficiency(geo) >= GRID_MIN_EFFICIENCY;
            // Strided layers by channel measured no better than im2col (ResNet-18 step, A/B in one JVM
            // under load: 0.98× and 1.12× the time): only a forced "on" sends them to the grid.
            Boolean forced = switch (mode) {
                case "on" -> Boolean.TRUE;
                case "off" -> Boolean.FALSE;
                default -> null;
            };
            boolean bigMap = stride1 && l >= GRID_MIN_MAP;
            boolean fwd = forced != null ? forced : few || dense || (bigMap && DirectConv.forwardByChannel(o));
            boolean bwd = forced != null ? forced : few || dense || bigMap;
            this.gridForward = eligible && fwd && DirectConv.supportsForward(geo, o);
            this.gridWeight = eligible && bwd && DirectConv.supportsBackwardWeight(geo, o);
            this.gridInput = eligible && bwd && DirectConv.supportsBackwardInput(geo);
        }

        private void overImages(Parallel.RangeBody body) {
            if (batchParallel) Parallel.forRange(n, 1, body);
            else if (n > 0) body.run(0, n);
        }

        /**
         * Images per chunk of the batched (im2col) path: as many as keep the chunk's column matrix
         * near {@link #CHUNK_FLOATS}, at least one.
         */
        int chunk() {
            long perImage = (long) geo.colRows() * l;
            int c = (int) Math.max(1, Math.min(n, CHUNK_FLOATS / Math.max(1, perImage)));
            // Small maps with many channels (ResNet's deep stages: 4×4, 2×2, 1×1) would get a few
            // dozen columns per chunk, and every chunk's GEMM repacks the whole weight, which is
            // then larger than the column matrix: take at least MIN_COLS columns per chunk.
            if ((long) c * l < MIN_COLS)
                c = (int) Math.max(c, Math.min(n, Math.min((MIN_COLS + l - 1) / l, MAX_CHUNK_FLOATS / Math.max(1, perImage))));
            // A chunk GEMM too small for the GEMM to split across threads (LeNet's first layer):
            // split the images into one chunk per thread instead, as the per-image loop did.
            if (splitChunks(c)) c = Math.min(c, (n + Parallel.threads() - 1) / Parallel.threads());
            return c;
        }

        private boolean splitChunks(int c) {
            return batchParallel && (long) o * k * l * c < SMALL_GEMM;
        }

        /** Runs body over chunk indices [0, chunks), in parallel when {@link #splitChunks} says so. */
        private void overChunks(int cmax, Parallel.RangeBody body) {
            int chunks = (n + cmax - 1) / cmax;
            if (chunks > 1 && splitChunks(cmax)) Parallel.forRange(chunks, 1, body);
            else if (chunks > 0) body.run(0, chunks);
        }

        /**
         * Runs body over the images [0, cn) of a chunk: across the pool when the chunks run one
         * after another because their GEMMs are split across threads instead, so that the copies
         * around each GEMM (im2col, col2im, gathers) are not left to one thread.
         */
        private void perImage(int cn, Parallel.RangeBody body) {
            if (cn > 1 && batchParallel && !splitChunks(chunk())) {
                int grain = (int) Math.max(1, (1L << 14) / Math.max(1, (long) geo.colRows() * l));
                Parallel.forRange(cn, grain, body);
            } else if (cn > 0) body.run(0, cn);
        }

        /**
         * Runs body over the input channels [0, C) of a chunk of cn images, across the pool when
         * {@link #perImage} would split images (small maps copy channel by channel over all images).
         */
        private void perChannel(int cn, Parallel.RangeBody body) {
            int c = geo.channels();
            if (c > 1 && batchParallel && !splitChunks(chunk())) {
                long perChannel = (long) geo.kernelH() * geo.kernelW() * l * cn;
                Parallel.forRange(c, (int) Math.max(1, (1L << 14) / Math.max(1, perChannel)), body);
            } else if (c > 0) body.run(0, c);
        }

        /** im2col of images [i0, i0+cn) side by side: image ii's columns start at column ii·l of rows cn·l long. */
        private void im2colChunk(float[] x, int xOff, int i0, int cn, float[] col) {
            int img = geo.imageSize(), cols = cn * l;
            if (Im2col.smallMapIm2col(geo)) {
                perChannel(cn, (c0, c1) -> Im2col.im2colImages(geo, x, xOff + i0 * img, cn, col, 0, cols, c0, c1));
                return;
            }
            perImage(cn, (a, b) -> {
                for (int ii = a; ii < b; ii++) Im2col.im2col(geo, x, xOff + (i0 + ii) * img, col, ii * l, cols);
            });
        }

        /** The output gradient of images [i0, i0+cn) as one [o, cn·l] matrix. */
        private void gatherGrad(float[] g, int gOff, int i0, int cn, float[] gp) {
            int cols = cn * l, outImg = o * l;
            perImage(cn, (a, b) -> {
                for (int ii = a; ii < b; ii++)
                    for (int oc = 0; oc < o; oc++)
                        System.arraycopy(g, gOff + (i0 + ii) * outImg + oc * l, gp, oc * cols + ii * l, l);
            });
        }

        /** Writes the output; returns whether the ReLU asked for was applied too (fused on the grid). */
        boolean forward(float[] x, int xOff, float[] w, int wOff, float[] b, int bOff, float[] out, boolean relu) {
            if (gridForward) {
                DirectConv.forward(geo, n, o, x, xOff, w, wOff, b, bOff, out, 0, relu);
                return true;
            }
            if (!direct) {
                forwardBatched(x, xOff, w, wOff, b, bOff, out);
                return false;
            }
            int img = geo.imageSize(), outImg = o * l;
            overImages((i0, i1) -> {
                float[] col = direct ? null : new float[geo.colSize()];
                for (int i = i0; i < i1; i++) {
                    float[] src = x;
                    int srcOff = xOff + i * img;
                    if (!direct) {
                        Im2col.im2col(geo, x, xOff + i * img, col, 0);
                        src = col;
                        srcOff = 0;
                    }
                    int dst = i * outImg;
                    for (int gi = 0; gi < groups; gi++)
                        Gemm.sgemm(false, false, og, l, k, 1f, w, wOff + gi * og * k, k, src, srcOff + gi * k * l, l, 0f,
                                out, dst + gi * og * l, l);
                    if (b != null)
                        for (int oc = 0; oc < o; oc++) {
                            float bv = b[bOff + oc];
                            int p = dst + oc * l;
                            for (int j = 0; j < l; j++) out[p + j] += bv;
                        }
                }
            });
            return false;
        }

        /**
         * One GEMM per group over a chunk of images instead of one per image: with the small
         * spatial sizes of deep layers (4×4 in ResNet-18's last stage) a per-image GEMM repacked the
         * whole weight matrix to multiply it by 16 columns, and packing was half of a training step.
         * Every output element is still the same k-long dot product in the same order, so the
         * values are bitwise those of the per-image loop.
         */
        private void forwardBatched(float[] x, int xOff, float[] w, int wOff, float[] b, int bOff, float[] out) {
            int cmax = chunk(), outImg = o * l;
            // With few columns per chunk the GEMM reads a row-major W in place, unpacked (every
            // ResNet-18 layer but the stem). Otherwise it packs A into MR-row panels, which from Wᵀ
            // is a run of contiguous copies but from W a transpose; every chunk packs it, so
            // transpose once.
            boolean inPlace = (long) cmax * l <= Gemm.ROWS_A_MAX_N;
            float[] wt = inPlace ? w : new float[o * k];
            if (!inPlace)
                for (int gi = 0; gi < groups; gi++) StridedCopy.transpose(w, wOff + gi * og * k, k, og, k, wt, gi * k * og, og);
            overChunks(cmax, (c0, c1) -> {
                float[] col = Scratch.get(Scratch.COL, geo.colRows() * cmax * l), tmp = Scratch.get(Scratch.OUT, o * cmax * l);
                for (int ch = c0; ch < c1; ch++) {
                    int i0 = ch * cmax, cn = Math.min(cmax, n - i0), cols = cn * l;
                    im2colChunk(x, xOff, i0, cn, col);
                    for (int gi = 0; gi < groups; gi++) {
                        if (inPlace)
                            Gemm.sgemm(false, false, og, cols, k, 1f, w, wOff + gi * og * k, k, col, gi * k * cols, cols,
                                    0f, tmp, gi * og * cols, cols);
                        else
                            Gemm.sgemm(true, false, og, cols, k, 1f, wt, gi * k * og, og, col, gi * k * cols, cols, 0f,
                                    tmp, gi * og * cols, cols);
                    }
                    perImage(cn, (a0, a1) -> {
                        for (int ii = a0; ii < a1; ii++) {
                            int dst = (i0 + ii) * outImg;
                            for (int oc = 0; oc < o; oc++) {
                                int src = oc * cols + ii * l, p = dst + oc * l;
                                if (b == null) System.arraycopy(tmp, src, out, p, l);
                                else {
                                    float bv = b[bOff + oc];
                                    for (int j = 0; j < l; j++) out[p + j] = tmp[src + j] + bv;
                                }
                            }
                        }
                    });
                }
            });
        }

        /** dcol = Wᵀ·G for a chunk of images at once, then col2im per image; bitwise as the per-image loop. */
        private void backwardInputBatched(float[] g, int gOff, float[] w, int wOff, float[] dx) {
            int cmax = chunk(), img = geo.imageSize();
            overChunks(cmax, (c0, c1) -> {
                float[] gp = Scratch.get(Scratch.GRAD, o * cmax * l), dcol = Scratch.get(Scratch.COL, geo.colRows() * cmax * l);
                for (int ch = c0; ch < c1; ch++) {
                    int i0 = ch * cmax, cn = Math.min(cmax, n - i0), cols = cn * l;
                    gatherGrad(g, gOff, i0, cn, gp);
                    for (int gi = 0; gi < groups; gi++)
                        Gemm.sgemm(true, false, k, cols, og, 1f, w, wOff + gi * og * k, k, gp, gi * og * cols, cols, 0f,
                                dcol, gi * k * cols, cols);
                    if (Im2col.smallMapCol2im(geo))
                        perChannel(cn, (a, b) -> Im2col.col2imImages(geo, dcol, 0, cols, dx, i0 * img, cn, a, b));
                    else perImage(cn, (a, b) -> {
                        for (int ii = a; ii < b; ii++) Im2col.col2imScratch(geo, dcol, ii * l, dx, (i0 + ii) * img, cols);
                    });
                }
            });
        }

        /**
         * dW = G·colᵀ (dW starts as zeros) over a chunk of images per GEMM (k = chunk·l instead of
         * l), so the [og, k] result is read and written once per chunk rather than once per image.
         * The sum over images is now taken inside the GEMM's k loop, so it is rounded differently
         * from the per-image accumulation (as the thread split already did).
         */
        private void backwardWeightBatched(float[] g, int gOff, float[] x, int xOff, float[] dw) {
            int cmax = chunk();
            boolean split = splitChunks(cmax) && n > cmax;
            // With many columns per chunk (ResNet's stem: 1536) dWᵀ = col·G, which reads the column
            // matrix in place as the GEMM's row-major A, beat dW = G·colᵀ, which packs colᵀ by
            // transposing all of it (149 vs 220 µs per stem chunk); with a few hundred columns it
            // lost (og=256, k=2304, 112 columns: 620 vs 350-400 µs). The [k, og] result is
            // transposed into dW once; the same products summed in the same order.
            boolean colAsA = og >= 64 && og <= Gemm.ROWS_A_MAX_N && (long) cmax * l >= 1024;
            PartialSums sums = new PartialSums();
            overChunks(cmax, (c0, c1) -> {
                // Parallel chunks each sum into their own buffer; the buffers are added in chunk order.
                float[] part = split ? new float[dw.length] : dw;
                float[] gp = Scratch.get(Scratch.GRAD, o * cmax * l), col = Scratch.get(Scratch.COL, geo.colRows() * cmax * l);
                float[] dwt = colAsA ? Scratch.get(Scratch.OUT, o * k) : null;
                for (int ch = c0; ch < c1; ch++) {
                    int i0 = ch * cmax, cn = Math.min(cmax, n - i0), cols = cn * l;
                    // The output gradient gathered transposed, [cols, o]: the GEMM then packs its
                    // MR-row panels by contiguous copies instead of a scalar 6-row transpose.
                    perImage(cn, (a, b) -> {
                        for (int ii = a; ii < b; ii++)
                            StridedCopy.transpose(g, gOff + (i0 + ii) * o * l, l, o, l, gp, ii * l * o, o);
                    });
                    im2colChunk(x, xOff, i0, cn, col);
                    for (int gi = 0; gi < groups; gi++) {
                        if (colAsA)
                            Gemm.sgemm(false, false, k, og, cols, 1f, col, gi * k * cols, cols, gp, gi * og, o,
                                    ch == c0 ? 0f : 1f, dwt, gi * k * og, og);
                        else
                            Gemm.sgemm(true, true, og, k, cols, 1f, gp, gi * og, o, col, gi * k * cols, cols, 1f, part,
                                    gi * og * k, k);
                    }
                }
                if (colAsA)
                    for (int gi = 0; gi < groups; gi++)
                        StridedCopy.transpose(dwt, gi * k * og, og, k, og, part, gi * og * k, k);
                if (part != dw) sums.put(c0, part);
            });
            sums.addInto(dw);
        }

        void backwardInput(float[] g, int gOff, float[] w, int wOff, float[] dx) {
            if (gridInput) {
                DirectConv.backwardInput(geo, n, o, g, gOff, w, wOff, dx, 0);
                return;
            }
            if (!direct) {
                backwardInputBatched(g, gOff, w, wOff, dx);
                return;
            }
            int img = geo.imageSize(), outImg = o * l;
            overImages((i0, i1) -> {
                float[] dcol = direct ? null : new float[geo.colSize()];
                for (int i = i0; i < i1; i++) {
                    float[] dst = direct ? dx : dcol;
                    int dstOff = direct ? i * img : 0;
                    for (int gi = 0; gi < groups; gi++)
                        Gemm.sgemm(true, false, k, l, og, 1f, w, wOff + gi * og * k, k, g, gOff + i * outImg + gi * og * l,
                                l, 0f, dst, dstOff + gi * k * l, l);
                    if (!direct) Im2col.col2im(geo, dcol, 0, dx, i * img);
                }
            });
        }

        void backwardWeight(float[] g, int gOff, float[] x, int xOff, float[] dw) {
            if (gridWeight) {
                DirectConv.backwardWeight(geo, n, o, g, gOff, x, xOff, dw);
                return;
            }
            if (!direct) {
                backwardWeightBatched(g, gOff, x, xOff, dw);
                return;
            }
            int img = geo.imageSize(), outImg = o * l;
            PartialSums sums = new PartialSums();
            overImages((i0, i1) -> {
                // Each task sums its images into its own buffer; the buffers are added in image order.
                float[] part = batchParallel ? new float[dw.length] : dw;
                float[] col = direct ? null : new float[geo.colSize()];
                for (int i = i0; i < i1; i++) {
                    float[] src = x;
                    int srcOff = xOff + i * img;
                    if (!direct) {
                        Im2col.im2col(geo, x, xOff + i * img, col, 0);
                        src = col;
                        srcOff = 0;
                    }
                    for (int gi = 0; gi < groups; gi++)
                        Gemm.sgemm(false, true, og, k, l, 1f, g, gOff + i * outImg + gi * og * l, l, src,
                                srcOff + gi * k * l, l, 1f, part, gi * og * k, k);
                }
                if (part != dw) sums.put(i0, part);
            });
            sums.addInto(dw);
        }

        float[] backwardBias(float[] g, int gOff) {
            float[] db = new float[o];
            for (int oc = 0; oc < o; oc++) {
                double s = 0;
                for (int i = 0; i < n; i++) s += Elementwise.sumCentered(g, gOff + (i * o + oc) * l, l, 0f, false);
                db[oc] = (float) s;
            }
            return db;
        }
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
        float[] src = x.detach().contiguous().toFloatArray();
        float[] dst = new float[src.length];
        int[] st = Shape.contiguousStrides(shape);
        int[] idx = new int[shape.length];
        for (int i = 0; i < src.length; i++) {
            int p = 0;
            for (int d = 0; d < shape.length; d++) p += (rev[d] ? shape[d] - 1 - idx[d] : idx[d]) * st[d];
            dst[p] = src[i];
            for (int d = shape.length - 1; d >= 0; d--) {
                if (++idx[d] < shape[d]) break;
                idx[d] = 0;
            }
        }
        return Autograd.record(Tensor.wrap(dst, shape), "flip", g -> new Tensor[] {flip(g, dims)}, x);
    }
}
