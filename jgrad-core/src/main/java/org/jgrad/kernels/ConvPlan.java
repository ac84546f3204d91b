package org.jgrad.kernels;

/**
 * The CPU implementation of one conv2d shape, chosen once per call by {@code ops.ConvOps.conv2d}
 * (im2col + GEMM, the padded grid of {@link DirectConv}, a 1×1 product in place, or
 * {@link DepthwiseConv} when groups == channels). The raw-array
 * work of that shape: forward, and the three backward pieces. Images are
 * split across the thread pool when there are several and enough work; otherwise the GEMMs
 * themselves run in parallel.
 */
public final class ConvPlan {
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
    /**
     * Output pixels from which a layer whose by-channel passes read a channels-last copy of its input
     * ({@link DirectConv#channelsLast}) runs on the grid, at any stride: ResNet-18's 4×4 layers and its
     * strided 8×8 → 4×4 layer, per pass 0.8-1.0× the time of im2col (one thread, load 13-15); its 2×2 maps
     * (4 pixels) were 1.1-1.7× slower there.
     */
    static final int GRID_MIN_MAP_CHANNELS_LAST = 16;
    /** Output pixels per image from which a 1×1 convolution multiplies each image in place. */
    static final int DIRECT_MIN_MAP = 256;

    final Im2col.Geometry geo;
    final int n, o, groups, og, k, l;
    /** A 1×1 kernel with stride 1 and no padding reads the image itself as its column matrix. */
    final boolean direct;
    final boolean batchParallel;
    /** Passes that run on the padded grid without a column matrix ({@link DirectConv}). */
    final boolean gridForward, gridWeight, gridInput;
    /** groups == channels: every pass runs plane by plane in {@link DepthwiseConv}. */
    final boolean depthwise;

    public ConvPlan(Im2col.Geometry geo, int n, int o, int groups) {
        this(geo, n, o, groups, true);
    }

    /** {@code allowDepthwise} false keeps a depthwise layer on the grouped im2col path (tests compare the two). */
    ConvPlan(Im2col.Geometry geo, int n, int o, int groups, boolean allowDepthwise) {
        this.depthwise = allowDepthwise && DepthwiseConv.applies(geo, groups);
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
        boolean eligible = groups == 1 && !direct && Kernels.DEFAULT.convGridPays(o), stride1 = DirectConv.supports(geo);
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
        // Channels-last by-channel passes (many input and output channels) also take smaller maps and strides;
        // a 1×1 kernel's column matrix is a plain gather, which they do not beat.
        boolean channelsLast = DirectConv.channelsLast(geo, o) && geo.kernelH() * geo.kernelW() > 1
                && l >= GRID_MIN_MAP_CHANNELS_LAST;
        boolean fwd = forced != null ? forced : few || dense || channelsLast || (bigMap && DirectConv.forwardByChannel(o));
        boolean bwd = forced != null ? forced : few || dense || bigMap || channelsLast;
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
    public boolean forward(float[] x, int xOff, float[] w, int wOff, float[] b, int bOff, float[] out, boolean relu) {
        if (depthwise) {
            DepthwiseConv.forward(geo, n, o, x, xOff, w, wOff, b, bOff, out, 0, relu);
            return true;
        }
        if (gridForward) {
            DirectConv.forward(geo, n, o, x, xOff, w, wOff, b, bOff, out, 0, relu);
            return true;
        }
        if (!direct) {
            forwardBatched(x, xOff, w, wOff, b, bOff, out);
            return false;
        }
        int img = geo.imageSize(), outImg = o * l;
        // Only 1×1 stride-1 layers get here: each image is its own column matrix.
        overImages((i0, i1) -> {
            for (int i = i0; i < i1; i++) {
                int srcOff = xOff + i * img;
                int dst = i * outImg;
                for (int gi = 0; gi < groups; gi++)
                    Gemm.sgemm(false, false, og, l, k, 1f, w, wOff + gi * og * k, k, x, srcOff + gi * k * l, l, 0f,
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
     * Whether {@link #forwardMaxPool2x2} runs on the padded grid, where every element of its {@code out} is
     * written before it is read (its contents on entry do not matter, so it need not be a zeroed array).
     */
    public boolean poolsOnGrid() {
        return gridForward && !depthwise;
    }

    /**
     * {@link #forward} (ReLU'd when {@code relu}) into out, then 2×2, stride-2 max pooling of its
     * [outH, outW] planes into pooled ([n, o, ph, pw], 2·ph ≤ outH, 2·pw ≤ outW) and which (as
     * {@link MaxPoolLoops#maxPool2x2}). On the padded grid each image is pooled by the thread that has
     * just written it, inside the convolution's own split: LeNet's first pool read its 1.2 MB input back
     * from memory in a split of its own.
     */
    public void forwardMaxPool2x2(float[] x, int xOff, float[] w, int wOff, float[] b, int bOff, float[] out,
            boolean relu, int ph, int pw, float[] pooled, float[] which) {
        int outH = geo.outH(), outW = geo.outW();
        if (poolsOnGrid()) {
            KernelProvider kp = Kernels.DEFAULT;
            int[] start = kp.maxPool2x2Gathers() && !kp.maxPool2x2ByRowPairs(pw) ? MaxPoolLoops.windowStarts(outH, outW, ph, pw)
                    : null;
            int outImg = o * l, pooledImg = o * ph * pw;
            DirectConv.forward(geo, n, o, x, xOff, w, wOff, b, bOff, out, 0, relu, (i0, i1) -> MaxPoolLoops
                    .maxPool2x2Inline(kp, start, out, i0 * outImg, (i1 - i0) * o, outH, outW, ph, pw, pooled,
                            i0 * pooledImg, which));
            return;
        }
        if (!forward(x, xOff, w, wOff, b, bOff, out, relu) && relu)
            Elementwise.unary(Elementwise.Unary.RELU, out, 0, out, 0, out.length);
        MaxPoolLoops.maxPool2x2(out, 0, n * o, outH, outW, ph, pw, pooled, which);
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

    public void backwardInput(float[] g, int gOff, float[] w, int wOff, float[] dx) {
        if (depthwise) {
            DepthwiseConv.backwardInput(geo, n, o, g, gOff, w, wOff, dx, 0);
            return;
        }
        if (gridInput) {
            DirectConv.backwardInput(geo, n, o, g, gOff, w, wOff, dx, 0);
            return;
        }
        if (!direct) {
            backwardInputBatched(g, gOff, w, wOff, dx);
            return;
        }
        int img = geo.imageSize(), outImg = o * l;
        // Only 1×1 stride-1 layers get here: the column gradient is the input gradient itself.
        overImages((i0, i1) -> {
            for (int i = i0; i < i1; i++)
                for (int gi = 0; gi < groups; gi++)
                    Gemm.sgemm(true, false, k, l, og, 1f, w, wOff + gi * og * k, k, g, gOff + i * outImg + gi * og * l,
                            l, 0f, dx, i * img + gi * k * l, l);
        });
    }

    public void backwardWeight(float[] g, int gOff, float[] x, int xOff, float[] dw) {
        if (depthwise) {
            DepthwiseConv.backwardWeight(geo, n, o, g, gOff, x, xOff, dw);
            return;
        }
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
            // Only 1×1 stride-1 layers get here: each image is its own column matrix.
            float[] part = batchParallel ? new float[dw.length] : dw;
            for (int i = i0; i < i1; i++) {
                int srcOff = xOff + i * img;
                for (int gi = 0; gi < groups; gi++)
                    Gemm.sgemm(false, true, og, k, l, 1f, g, gOff + i * outImg + gi * og * l, l, x,
                            srcOff + gi * k * l, l, 1f, part, gi * og * k, k);
            }
            if (part != dw) sums.put(i0, part);
        });
        sums.addInto(dw);
    }

    public float[] backwardBias(float[] g, int gOff) {
        float[] db = new float[o];
        for (int oc = 0; oc < o; oc++) {
            double s = 0;
            for (int i = 0; i < n; i++) s += Elementwise.sumCentered(g, gOff + (i * o + oc) * l, l, 0f, false);
            db[oc] = (float) s;
        }
        return db;
    }

    /**
     * {@link #backwardWeight} into dw, returning {@link #backwardBias}: bitwise the same results. On the grid the
     * weight gradient's split also sums the planes for the bias (each plane's sum as backwardBias takes it, added
     * over the images in the same order), so the bias gradient is no pass of its own on the calling thread.
     */
    public float[] backwardWeightAndBias(float[] g, int gOff, float[] x, int xOff, float[] dw) {
        if (!gridWeight || depthwise) {
            backwardWeight(g, gOff, x, xOff, dw);
            return backwardBias(g, gOff);
        }
        double[] planeSums = new double[n * o];
        DirectConv.backwardWeight(geo, n, o, g, gOff, x, xOff, dw, planeSums);
        float[] db = new float[o];
        for (int oc = 0; oc < o; oc++) {
            double s = 0;
            for (int i = 0; i < n; i++) s += planeSums[i * o + oc];
            db[oc] = (float) s;
        }
        return db;
    }
}
