package org.jgrad.kernels;

import java.util.List;

/**
 * Stride-1 convolution without a column matrix ("implicit GEMM" on the padded grid).
 *
 * <p>Copy one image into a zero-padded plane per channel, {@code hp = outH + (kH−1)·dH} rows of
 * {@code wp = outW + (kW−1)·dW}. Output pixel (oh, ow) of tap (c, ki, kj) then reads padded element
 * {@code c·hp·wp + (oh + ki·dH)·wp + ow + kj·dW}: the grid position {@code q = oh·wp + ow} plus one
 * offset per tap. So the column matrix's row for a tap is the padded plane itself, read from that
 * offset, and a convolution is a GEMM whose B rows are read in place: {@code out[o][q] = Σ_t W[o][t] ·
 * x[off[t] + q]} over {@code outH·wp} grid positions, of which the last {@code (kW−1)·dW} of every
 * row are discarded. Thin layers (LeNet's 1 and 6 input channels) spent more time writing and
 * re-packing the column matrix (25 or 150 rows of every image) than multiplying; here nothing is
 * written but the small padded copy and the output.
 *
 * <p>The weight gradient is the same sum read the other way, {@code dW[o][t] = Σ_q G[o][q] · x[off[t] + q]}
 * with G laid out on the grid (zeros in the discarded columns), a dot product along contiguous rows.
 * The input gradient is a stride-1 convolution of the output gradient, padded by
 * {@code (k−1)·d − pad}, with the kernel flipped and its two channel axes swapped; where that would
 * multiply mostly padding with few input channels, {@link ConvInputByColumns} computes it instead.
 *
 * <p>Each pass has two tile shapes. With few output channels the lanes run along grid positions
 * ("by position", as above). When the output channels fill the vector lanes they run along channels
 * instead ("by channel"): each output position's input values are broadcast against a vector of
 * weights, only real output positions are visited (numbered through a group of images), and nothing
 * is discarded or reduced, which suits many-channel layers and small maps. docs/performance.md has
 * the measurements behind the choices.
 *
 * <p>One difference from the column-matrix path, for non-finite values only: the discarded grid
 * positions multiply real inputs by a zero gradient, and the input gradient's transposed convolution
 * multiplies weights by its zero padding, so an infinite input or weight can give NaN gradients where
 * the column-matrix path gives ±∞ (both are non-finite; the Trainer's guard stops on either).
 */
public final class DirectConv {
    private DirectConv() {}

    /** Output channels per tile (the vector kernels' six accumulator rows). */
    static final int ROWS = 6;
    /** Taps per weight-gradient tile. */
    static final int TAPS = 4;
    /** Taps per {@link KernelProvider#convWeightByChannel} tile. */
    static final int BY_CHANNEL_TAPS = 12;
    /**
     * Share of its tile's channel lanes that real output channels must fill for a pass to run by
     * channel (16 lanes for the weight gradient; 32, else 16, for the forward on AVX-512): LeNet's 6
     * channels run by position, its 16 by channel.
     */
    static final double BY_CHANNEL_MIN_FILL = 0.75;
    /**
     * Input channels from which the two-vector by-channel forward reads a channels-last copy of the
     * input ({@link KernelProvider#convChannelsLastTile}): its inner loop runs over the input channels,
     * which must be many enough to pay for the loop's set-up per kernel tap.
     */
    static final int CHANNELS_LAST_MIN = 8;
    /** Floats of padded inputs and grid gradients per group of the weight gradient (512 KiB). */
    private static final long GROUP_FLOATS = 1L << 17;
    /** Output positions a piece of the channels-last weight gradient covers at least (see its partial sums). */
    private static final int PIECE_POSITIONS = 128;
    /** Multiply-adds of a whole call below which it runs on one thread. */
    private static final long PARALLEL_MIN_WORK = 1L << 18;

    /** Whether {@link #forward} and {@link #backwardWeight} take this geometry for any channel count: stride 1. */
    public static boolean supports(Im2col.Geometry g) {
        return g.strideH() == 1 && g.strideW() == 1;
    }

    /**
     * Whether {@link #forward} takes this geometry with {@code o} output channels: any stride when it
     * runs by channel (a window start per output position is all that kernel needs), else stride 1.
     */
    public static boolean supportsForward(Im2col.Geometry g, int o) {
        return supports(g) || forwardByChannel(o);
    }

    /** Whether {@link #backwardWeight} takes this geometry with {@code o} output channels (as {@link #supportsForward}). */
    public static boolean supportsBackwardWeight(Im2col.Geometry g, int o) {
        return supports(g) || o >= Kernels.DEFAULT.convChannelBlock() * BY_CHANNEL_MIN_FILL;
    }

    /**
     * Whether {@link #backwardInput} takes this geometry: stride 1, and padding no larger than the
     * dilated kernel's reach, so that the transposed convolution's padding is not negative.
     */
    public static boolean supportsBackwardInput(Im2col.Geometry g) {
        return supports(g) && g.padTop() <= (g.kernelH() - 1) * g.dilationH()
                && g.padLeft() <= (g.kernelW() - 1) * g.dilationW();
    }

    /**
     * The share of the computed grid positions that are output pixels: the rest (the {@code (kW−1)·dW}
     * columns past every output row, and the last tile's overhang) are computed and discarded. An 8×8
     * map with a 3×3 kernel keeps 64 of 96; a 28×28 one 784 of 864.
     */
    public static double efficiency(Im2col.Geometry g) {
        int tw = Kernels.DEFAULT.convTileWidth(), len = g.outH() * Grid.width(g);
        return (double) g.outH() * g.outW() / Math.max(1, (len + tw - 1) / tw * tw);
    }

    /** Whether {@link #forward} with {@code o} output channels runs with the channels across the lanes. */
    public static boolean forwardByChannel(int o) {
        return o >= Kernels.DEFAULT.convChannelBlock() * BY_CHANNEL_MIN_FILL;
    }

    /**
     * Whether the by-channel forward and weight gradient of this geometry with {@code o} output channels
     * read a channels-last copy of the input ({@link KernelProvider#convChannelsLastTile}): two vectors of
     * output channels and at least {@link #CHANNELS_LAST_MIN} input channels, on a provider that has those
     * kernels ({@link KernelProvider#convChannelsLast}).
     */
    public static boolean channelsLast(Im2col.Geometry g, int o) {
        return channelsLast(Kernels.DEFAULT, g, o);
    }

    private static boolean channelsLast(KernelProvider kp, Im2col.Geometry g, int o) {
        return kp.convChannelsLast() && o >= 2 * kp.convChannelBlock() * BY_CHANNEL_MIN_FILL
                && g.channels() >= CHANNELS_LAST_MIN;
    }

    /** The padded grid of one geometry on one provider. */
    private static final class Grid {
        final Im2col.Geometry g;
        final int hp, wp, plane, len, tw, blocks, taps, tapsPadded, size;
        /** Where each tap's shifted plane starts; padded to whole {@link #TAPS} with tap 0's offset. */
        final int[] off;

        Grid(Im2col.Geometry g, KernelProvider kp) {
            this.g = g;
            // The rows and columns the last window reaches (stride 1: the output size plus the kernel's reach).
            hp = (g.outH() - 1) * g.strideH() + (g.kernelH() - 1) * g.dilationH() + 1;
            wp = width(g);
            plane = hp * wp;
            len = g.outH() * wp;
            tw = kp.convTileWidth();
            blocks = (len + tw - 1) / tw;
            taps = g.channels() * g.kernelH() * g.kernelW();
            tapsPadded = (taps + TAPS - 1) / TAPS * TAPS;
            // The last tile of the last channel reads past the plane (into discarded columns): slack.
            long need = (long) g.channels() * hp * wp + (long) blocks * tw;
            if (need > Integer.MAX_VALUE - 8 || (long) hp * wp > Integer.MAX_VALUE - 8)
                throw new IllegalArgumentException("conv2d: the padded input planes of " + g.channels() + " channels of "
                        + hp + "x" + wp + " need " + need + " floats, more than one Java array holds (2^31-9); use a"
                        + " smaller image or tile it");
            size = (int) need;
            off = new int[Math.max(tapsPadded, 1)];
            int t = 0;
            for (int c = 0; c < g.channels(); c++)
                for (int ki = 0; ki < g.kernelH(); ki++)
                    for (int kj = 0; kj < g.kernelW(); kj++)
                        off[t++] = c * plane + ki * g.dilationH() * wp + kj * g.dilationW();
        }

        /**
         * Writes where each output pixel's window starts, for {@code cnt} images whose padded planes
         * lie {@code xs} apart from {@code base}, into {@code pos} (image by image, row-major; any stride).
         */
        void windowStarts(int[] pos, int base, int xs, int cnt) {
            for (int j = 0, p = 0; j < cnt; j++)
                for (int oh = 0; oh < g.outH(); oh++)
                    for (int ow = 0; ow < g.outW(); ow++) pos[p++] = base + j * xs + oh * g.strideH() * wp + ow * g.strideW();
        }

        /** Columns of a padded plane: as far as the last window reaches. */
        static int width(Im2col.Geometry g) {
            return (g.outW() - 1) * g.strideW() + (g.kernelW() - 1) * g.dilationW() + 1;
        }

        /** Grid positions a tile row covers: whole tiles. */
        int ld() {
            return blocks * tw;
        }

        /** Floats past a group's last plane that a tile may read (into discarded positions). */
        int slack() {
            return size - g.channels() * plane;
        }

        /**
         * Whether images [a, a + cnt) of {@code x} (from {@code xOff}) can be read where they lie: each
         * is its own padded plane (no padding, nothing cropped) and, when the tiles read past the last
         * plane ({@code slack}), the array goes on far enough.
         */
        boolean readsInPlace(float[] x, int xOff, int a, int cnt, boolean slack) {
            return g.padTop() == 0 && g.padLeft() == 0 && hp == g.height() && wp == g.width()
                    && (!slack || xOff + (long) (a + cnt) * g.imageSize() + slack() <= x.length);
        }

        /** {@link #pad} of images [a, a + cnt) of {@code x} into {@code xp}, {@code xs} floats apart. */
        void padImages(float[] x, int xOff, int a, int cnt, float[] xp, int xs) {
            for (int j = 0; j < cnt; j++) pad(x, xOff + (a + j) * g.imageSize(), xp, j * xs);
        }

        /**
         * Writes image {@code x[xOff..]} ([C, H, W]) into {@code xp[d .. d + C·plane)} as zero-padded
         * planes. Every element is written (the scratch array holds garbage); only the borders are zeroed.
         */
        void pad(float[] x, int xOff, float[] xp, int d) {
            int h = g.height(), w = g.width(), pt = Math.min(g.padTop(), hp), pl = Math.min(g.padLeft(), wp);
            int rows = Math.max(0, Math.min(h, hp - pt)), cols = Math.max(0, Math.min(w, wp - pl));
            int right = wp - pl - cols;
            for (int c = 0; c < g.channels(); c++) {
                int base = d + c * plane;
                java.util.Arrays.fill(xp, base, base + pt * wp, 0f);
                for (int ih = 0; ih < rows; ih++) {
                    int r = base + (ih + pt) * wp;
                    for (int j = 0; j < pl; j++) xp[r + j] = 0f;
                    System.arraycopy(x, xOff + (c * h + ih) * w, xp, r + pl, cols);
                    for (int j = r + pl + cols, e = j + right; j < e; j++) xp[j] = 0f;
                }
                java.util.Arrays.fill(xp, base + (pt + rows) * wp, base + plane, 0f);
            }
        }

        /**
         * Image {@code x[xOff..]} ([C, H, W]) as zero-padded pixels of C channels each:
         * {@code xl[d + (y·wp + x)·C + c]}, {@code plane·C} floats, every one written. {@code tmp} holds the
         * image's H·W·C floats transposed on the way.
         */
        void padChannelsLast(float[] x, int xOff, float[] xl, int d, float[] tmp, int to) {
            int c = g.channels(), h = g.height(), w = g.width(), pt = Math.min(g.padTop(), hp), pl = Math.min(g.padLeft(), wp);
            int rows = Math.max(0, Math.min(h, hp - pt)), cols = Math.max(0, Math.min(w, wp - pl));
            // One transpose of the whole image ([C, H·W] → [H·W, C]), then a row of pixels per copy.
            StridedCopy.transpose(x, xOff, h * w, c, h * w, tmp, to, c);
            java.util.Arrays.fill(xl, d, d + pt * wp * c, 0f);
            for (int ih = 0; ih < rows; ih++) {
                int r = d + (ih + pt) * wp * c;
                java.util.Arrays.fill(xl, r, r + pl * c, 0f);
                System.arraycopy(tmp, to + ih * w * c, xl, r + pl * c, cols * c);
                java.util.Arrays.fill(xl, r + (pl + cols) * c, r + wp * c, 0f);
            }
            java.util.Arrays.fill(xl, d + (pt + rows) * wp * c, d + plane * c, 0f);
        }
    }

    /**
     * {@code out = conv(x, w) + bias} for a batch of {@code n} images, stride 1 (see the class notes).
     *
     * @param g the geometry (its strides must be 1)
     * @param x [n, C, H, W] from {@code xOff}
     * @param w [o, C, kH, kW] from {@code wOff}
     * @param bias [o] from {@code bOff}, or null
     * @param out [n, o, outH, outW] from {@code outOff}, overwritten
     */
    public static void forward(Im2col.Geometry g, int n, int o, float[] x, int xOff, float[] w, int wOff,
            float[] bias, int bOff, float[] out, int outOff) {
        forward(Kernels.DEFAULT, g, n, o, x, xOff, w, wOff, bias, bOff, out, outOff, false);
    }

    /**
     * {@link #forward(Im2col.Geometry, int, int, float[], int, float[], int, float[], int, float[], int)}
     * followed by {@code max(·, 0)} when {@code relu}, applied to each output row as the bias is added
     * (a fused bias + ReLU).
     */
    public static void forward(Im2col.Geometry g, int n, int o, float[] x, int xOff, float[] w, int wOff,
            float[] bias, int bOff, float[] out, int outOff, boolean relu) {
        forward(Kernels.DEFAULT, g, n, o, x, xOff, w, wOff, bias, bOff, out, outOff, relu, null);
    }

    /**
     * {@link #forward(Im2col.Geometry, int, int, float[], int, float[], int, float[], int, float[], int, boolean)}
     * that calls {@code done.run(from, to)} once images [from, to) of the output are complete, on the
     * thread that wrote them and inside the same split: a next step per image (a max pool) then reads
     * them from cache instead of memory, without a split of its own. Every image is reported once.
     */
    public static void forward(Im2col.Geometry g, int n, int o, float[] x, int xOff, float[] w, int wOff,
            float[] bias, int bOff, float[] out, int outOff, boolean relu, Parallel.RangeBody done) {
        forward(Kernels.DEFAULT, g, n, o, x, xOff, w, wOff, bias, bOff, out, outOff, relu, done);
    }

    static void forward(KernelProvider kp, Im2col.Geometry g, int n, int o, float[] x, int xOff, float[] w, int wOff,
            float[] bias, int bOff, float[] out, int outOff, boolean relu) {
        forward(kp, g, n, o, x, xOff, w, wOff, bias, bOff, out, outOff, relu, null);
    }

    static void forward(KernelProvider kp, Im2col.Geometry g, int n, int o, float[] x, int xOff, float[] w, int wOff,
            float[] bias, int bOff, float[] out, int outOff, boolean relu, Parallel.RangeBody done) {
        int cb = kp.convChannelBlock();
        int vectors = o >= 2 * cb * BY_CHANNEL_MIN_FILL ? 2 : o >= cb * BY_CHANNEL_MIN_FILL ? 1 : 0;
        if (vectors == 0) require(g);
        Grid grid = new Grid(g, kp);
        if (vectors > 0) forwardByChannel(kp, grid, vectors, n, o, x, xOff, w, wOff, bias, bOff, out, outOff, relu, done);
        else forwardByPosition(kp, grid, n, o, x, xOff, w, wOff, bias, bOff, out, outOff, relu, done);
    }

    /**
     * The forward pass with grid positions across the lanes ({@link KernelProvider#convTile}), for
     * few output channels: computes and discards the grid's extra columns.
     */
    private static void forwardByPosition(KernelProvider kp, Grid grid, int n, int o, float[] x, int xOff, float[] w,
            int wOff, float[] bias, int bOff, float[] out, int outOff, boolean relu, Parallel.RangeBody done) {
        Im2col.Geometry g = grid.g;
        int k = grid.taps, panels = (o + ROWS - 1) / ROWS, ld = grid.ld(), img = g.imageSize();
        int outH = g.outH(), outW = g.outW(), outImg = o * outH * outW;
        // Weights of six output channels interleaved by tap, so that a tile's k loop reads them in order.
        float[] wp = new float[panels * k * ROWS];
        for (int oc = 0; oc < o; oc++) {
            int p = oc / ROWS, r = oc % ROWS;
            for (int t = 0; t < k; t++) wp[(p * k + t) * ROWS + r] = w[wOff + oc * k + t];
        }
        // Per tile, the taps whose kernel row reads real input rows for some output row of the tile:
        // the transposed convolution of LeNet's second layer pads its 10×10 gradient by 4, so near the
        // top and bottom most taps of a tile read only zeros. A tile's taps are a subsequence of all
        // taps, in the same order, with their weights.
        int[] tileTaps = new int[grid.blocks];
        int[][] tileOff = new int[grid.blocks][];
        float[][] tileW = new float[grid.blocks][];
        java.util.Map<Integer, Integer> seen = new java.util.HashMap<>();
        int kH = g.kernelH(), kW = g.kernelW();
        for (int b = 0; b < grid.blocks; b++) {
            int rows = keptKernelRows(grid, b), lo = rows >> 16, hi = (short) rows;
            if (lo == 0 && hi == kH - 1) {
                tileTaps[b] = k;
                tileOff[b] = grid.off;
                tileW[b] = wp;
                continue;
            }
            Integer same = seen.putIfAbsent(lo * 65536 + hi, b);
            if (same != null) {
                tileTaps[b] = tileTaps[same];
                tileOff[b] = tileOff[same];
                tileW[b] = tileW[same];
                continue;
            }
            int kb = Math.max(0, g.channels() * (hi - lo + 1) * kW);
            int[] ob = new int[Math.max(kb, 1)];
            float[] wb = new float[panels * Math.max(kb, 1) * ROWS];
            int u = 0;
            for (int c = 0; c < g.channels(); c++)
                for (int ki = lo; ki <= hi; ki++)
                    for (int kj = 0; kj < kW; kj++, u++) {
                        int t = (c * kH + ki) * kW + kj;
                        ob[u] = grid.off[t];
                        for (int p = 0; p < panels; p++)
                            System.arraycopy(wp, (p * k + t) * ROWS, wb, (p * kb + u) * ROWS, ROWS);
                    }
            tileTaps[b] = kb;
            tileOff[b] = ob;
            tileW[b] = wb;
        }
        overImages(n, (long) o * k * grid.len, (i0, i1) -> {
            float[] xp = Scratch.get(Scratch.COL, grid.size), res = Scratch.get(Scratch.OUT, panels * ROWS * ld);
            java.util.Arrays.fill(xp, grid.size - grid.slack(), grid.size, 0f);
            for (int i = i0; i < i1; i++) {
                float[] src = xp;
                int so = 0;
                if (grid.readsInPlace(x, xOff, i, 1, true)) {
                    src = x;
                    so = xOff + i * img;
                } else grid.pad(x, xOff + i * img, xp, 0);
                for (int p = 0; p < panels; p++)
                    for (int b = 0; b < grid.blocks; b++)
                        kp.convTile(tileTaps[b], tileOff[b], src, so + b * grid.tw, tileW[b], p * tileTaps[b] * ROWS, res,
                                p * ROWS * ld + b * grid.tw, ld);
                int base = outOff + i * outImg;
                for (int oc = 0; oc < o; oc++) {
                    int d = base + oc * outH * outW;
                    // The rows copied out of the grid with the bias and the ReLU in the same pass (adding a
                    // zero bias changes nothing a ReLU lets through: −0 and +0 both give +0).
                    if (bias == null && !relu) kp.copyBlock(res, oc * ld, grid.wp, out, d, outW, outH, outW);
                    else kp.biasReluBlock(res, oc * ld, grid.wp, bias == null ? 0f : bias[bOff + oc], relu, out, d, outW,
                            outH, outW);
                }
                if (done != null) done.run(i, i + 1);
            }
        });
    }

    /**
     * The kernel rows [lo, hi] that read real input rows for some output row of tile {@code b} of the
     * grid, as {@code lo << 16 | (hi & 0xffff)} (hi is lo − 1 when none does).
     */
    private static int keptKernelRows(Grid grid, int b) {
        Im2col.Geometry g = grid.g;
        int kH = g.kernelH(), dH = g.dilationH();
        int pt = Math.min(g.padTop(), grid.hp), realRows = Math.max(0, Math.min(g.height(), grid.hp - pt));
        int r0 = b * grid.tw / grid.wp, r1 = Math.min(g.outH() - 1, ((b + 1) * grid.tw - 1) / grid.wp);
        int lo = 0, hi = kH - 1;
        while (lo <= hi && r1 + lo * dH < pt) lo++;
        while (hi >= lo && r0 + hi * dH >= pt + realRows) hi--;
        return lo << 16 | (hi & 0xffff);
    }

    /** Multiply-adds per image of {@link #forwardByPosition} on this grid with o output channels. */
    private static long byPositionProducts(Grid grid, int o) {
        long kept = 0;
        for (int b = 0; b < grid.blocks; b++) {
            int rows = keptKernelRows(grid, b);
            kept += Math.max(0, (short) rows - (rows >> 16) + 1);
        }
        return kept * grid.g.channels() * grid.g.kernelW() * grid.tw * ((o + ROWS - 1) / ROWS * ROWS);
    }

    /**
     * The forward pass with output channels across the lanes ({@link KernelProvider#convByChannelTile}):
     * every computed value is an output (positions of a group of images are numbered through, so small
     * maps such as ResNet's 4×4 leave no partial tiles), at the price of a [position][channel] result
     * that is transposed into the output.
     */
    private static void forwardByChannel(KernelProvider kp, Grid grid, int vectors, int n, int o, float[] x, int xOff,
            float[] w, int wOff, float[] bias, int bOff, float[] out, int outOff, boolean relu, Parallel.RangeBody done) {
        Im2col.Geometry g = grid.g;
        if (channelsLast(kp, g, o)) {
            forwardChannelsLast(kp, grid, n, o, x, xOff, w, wOff, false, bias, bOff, out, outOff, relu, done);
            return;
        }
        // Tiles of 6 positions × 2 vectors of channels, or 12 positions × 1 vector.
        int tp = 12 / vectors;
        int k = grid.taps, cw = vectors * kp.convChannelBlock(), opad = (o + cw - 1) / cw * cw, img = g.imageSize();
        int span = kp.convChannelSpan(opad, cw);
        int outH = g.outH(), outW = g.outW(), l = outH * outW, outImg = o * l, xs = g.channels() * grid.plane;
        // The weight as [tap][channel], channels padded with zeros to whole tiles.
        float[] wt = new float[k * opad];
        StridedCopy.transpose(w, wOff, k, o, k, wt, 0, opad);
        // One vector of channels, kernel rows five taps wide, rows of at least ten outputs (LeNet-5's
        // second layer): ten positions of a row per call, sharing their input values.
        boolean fives = vectors == 1 && kp.convFiveTapRowsPay() && g.kernelW() == 5 && g.dilationW() == 1
                && g.strideW() == 1 && g.outW() >= 10;
        int kernelRows = g.channels() * g.kernelH();
        int[] rowOff = new int[fives ? kernelRows : 0];
        for (int r = 0; r < rowOff.length; r++) rowOff[r] = grid.off[5 * r];
        int group = (int) Math.max(1, Math.min(n, GROUP_FLOATS / (xs + (long) l * opad)));
        overImages(n, (long) o * k * l, (i0, i1) -> {
            int gmax = Math.min(group, i1 - i0), pmax = (gmax * l + tp - 1) / tp * tp;
            float[] xg = Scratch.get(Scratch.COL, gmax * xs), res = Scratch.get(Scratch.OUT, pmax * opad);
            int[] pos = new int[pmax];
            for (int a = i0; a < i1; a += gmax) {
                int cnt = Math.min(gmax, i1 - a);
                float[] src = xg;
                int so = 0;
                // Only real windows are read: no slack needed.
                if (grid.readsInPlace(x, xOff, a, cnt, false)) {
                    src = x;
                    so = xOff + a * img;
                } else grid.padImages(x, xOff, a, cnt, xg, xs);
                int np = cnt * l, npad = (np + tp - 1) / tp * tp;
                grid.windowStarts(pos, so, xs, cnt);
                // Rows past the last position repeat it; their results are not copied out.
                for (int p = np; p < npad; p++) pos[p] = pos[np - 1];
                if (fives)
                    // Output rows in runs of ten positions, the last run ending at the row's end (it may
                    // overlap the one before: the same values written twice).
                    for (int cb = 0; cb < opad; cb += span)
                        for (int j = 0; j < cnt; j++)
                            for (int oh = 0; oh < outH; oh++)
                                for (int ow = 0; ow < outW; ow += 10) {
                                    int from = Math.min(ow, outW - 10), p = (j * outH + oh) * outW + from;
                                    kp.convByChannelFiveTapRows(kernelRows, rowOff, src, pos[p], wt, cb, opad, res,
                                            p * opad + cb, opad);
                                }
                else
                    for (int cb = 0; cb < opad; cb += span)
                        for (int p = 0; p < npad; p += tp)
                            kp.convByChannelTile(vectors, span, k, grid.off, src, pos, p, wt, cb, opad, res, p * opad + cb, opad);
                storeImages(kp, res, cnt, l, opad, o, out, outOff + a * outImg, outImg, bias, bOff, relu);
                if (done != null) done.run(a, a + cnt);
            }
        });
    }

    /**
     * Copies {@code cnt} images' results from the by-channel kernels' [position][channel] rows ({@code opad}
     * floats each, {@code l} positions an image) into NCHW output planes from {@code outBase}, adding the bias
     * and applying the ReLU per plane.
     */
    private static void storeImages(KernelProvider kp, float[] res, int cnt, int l, int opad, int o, float[] out,
            int outBase, int outImg, float[] bias, int bOff, boolean relu) {
        for (int j = 0; j < cnt; j++) {
            int base = outBase + j * outImg;
            StridedCopy.transpose(res, j * l * opad, opad, l, o, out, base, l);
            for (int oc = 0; oc < o; oc++) {
                int r = base + oc * l;
                if (bias != null) kp.binaryScalar(Elementwise.Binary.ADD, out, r, bias[bOff + oc], out, r, l, false);
                if (relu) kp.relu(out, r, out, r, l);
            }
        }
    }

    /**
     * {@link #forwardByChannel}'s two-vector tiles over a channels-last copy of the input
     * ({@link KernelProvider#convChannelsLastTile}): the by-channel kernel read one input value per tap
     * and position with a bounds check of its own, which cost it about a fifth of the time of ResNet-18's
     * 8×8 layers; here a kernel tap's input channels lie side by side and the inner loop over them is
     * the GEMM micro-kernel's. The input is transposed image by image into the padded [pixel][channel]
     * layout, and the weight into panels of [kernel tap][input channel][channels of the tile].
     */
    /**
     * The channels-last forward. {@code flipped}: w is the weight [C, o, kH, kW] of the convolution whose input
     * gradient this is, and the kernel used is its flipped, channel-swapped one ({@link #backwardInput}), read
     * straight from it.
     */
    private static void forwardChannelsLast(KernelProvider kp, Grid grid, int n, int o, float[] x, int xOff, float[] w,
            int wOff, boolean flipped, float[] bias, int bOff, float[] out, int outOff, boolean relu,
            Parallel.RangeBody done) {
        Im2col.Geometry g = grid.g;
        int tp = 6, c = g.channels(), kk = g.kernelH() * g.kernelW(), k = c * kk;
        int cw = 2 * kp.convChannelBlock(), opad = (o + cw - 1) / cw * cw, span = kp.convChannelSpan(opad, cw);
        int outH = g.outH(), outW = g.outW(), l = outH * outW, outImg = o * l, xs = c * grid.plane, img = g.imageSize();
        float[] wl = channelsLastPanels(w, wOff, o, c, kk, span, opad, flipped);
        int[] off = new int[kk];
        for (int ki = 0, t = 0; ki < g.kernelH(); ki++)
            for (int kj = 0; kj < g.kernelW(); kj++) off[t++] = (ki * g.dilationH() * grid.wp + kj * g.dilationW()) * c;
        int group = (int) Math.max(1, Math.min(n, GROUP_FLOATS / (xs + (long) l * opad)));
        overImages(n, (long) o * k * l, (i0, i1) -> {
            int gmax = Math.min(group, i1 - i0), pmax = (gmax * l + tp - 1) / tp * tp;
            // The padded images, then room for one image transposed on its way there.
            float[] xl = Scratch.get(Scratch.COL, gmax * xs + img), res = Scratch.get(Scratch.OUT, pmax * opad);
            int[] pos = new int[pmax];
            for (int a = i0; a < i1; a += gmax) {
                int cnt = Math.min(gmax, i1 - a);
                for (int j = 0; j < cnt; j++) grid.padChannelsLast(x, xOff + (a + j) * img, xl, j * xs, xl, gmax * xs);
                int np = cnt * l, npad = (np + tp - 1) / tp * tp;
                for (int j = 0, p = 0; j < cnt; j++)
                    for (int oh = 0; oh < outH; oh++)
                        for (int ow = 0; ow < outW; ow++)
                            pos[p++] = j * xs + (oh * g.strideH() * grid.wp + ow * g.strideW()) * c;
                // Rows past the last position repeat it; their results are not copied out.
                for (int p = np; p < npad; p++) pos[p] = pos[np - 1];
                for (int cb = 0; cb < opad; cb += span)
                    for (int p = 0; p < npad; p += tp)
                        kp.convChannelsLastTile(span, kk, c, off, xl, pos, p, wl, cb * k, res, p * opad + cb, opad);
                storeImages(kp, res, cnt, l, opad, o, out, outOff + a * outImg, outImg, bias, bOff, relu);
                if (done != null) done.run(a, a + cnt);
            }
        });
    }

    /**
     * The weight of the channels-last forward as panels of span output channels (zeros past o): panel cb holds
     * rows (s·C + ci) of span floats from cb·k, read in one pass from the weight as stored (no transposed or
     * flipped copy of the whole weight first, which the input gradient's call made in a serial pass of its own).
     * The kernel's value at (oc, ci, tap s) is {@code w[(oc·C + ci)·kk + s]}, or when {@code flipped}
     * {@code w[(ci·o + oc)·kk + kk−1−s]}.
     */
    private static float[] channelsLastPanels(float[] w, int wOff, int o, int c, int kk, int span, int opad,
            boolean flipped) {
        int k = c * kk;
        float[] wl = new float[k * opad];
        if (!flipped)
            for (int oc = 0; oc < o; oc++) {
                int cb = oc / span * span, j = oc - cb, src = wOff + oc * k;
                for (int ci = 0; ci < c; ci++)
                    for (int t = 0; t < kk; t++)
                        wl[cb * k + (t * c + ci) * span + j] = w[src + ci * kk + t];
            }
        else
            // Read in storage order: w's rows are this kernel's input channels, its columns the output channels.
            for (int ci = 0; ci < c; ci++)
                for (int oc = 0; oc < o; oc++) {
                    int cb = oc / span * span, dst = cb * k + ci * span + oc - cb, src = wOff + (ci * o + oc) * kk;
                    for (int u = 0; u < kk; u++) wl[dst + (kk - 1 - u) * c * span] = w[src + u];
                }
        return wl;
    }

    /**
     * {@code dw += Σ_images G ⋆ x}: the weight gradient of {@link #forward} for a batch, stride 1.
     *
     * @param gy the output gradient [n, o, outH, outW] from {@code gOff}
     * @param x the input [n, C, H, W] from {@code xOff}
     * @param dw [o, C, kH, kW], accumulated into
     */
    public static void backwardWeight(Im2col.Geometry g, int n, int o, float[] gy, int gOff, float[] x, int xOff,
            float[] dw) {
        backwardWeight(Kernels.DEFAULT, g, n, o, gy, gOff, x, xOff, dw, null);
    }

    /**
     * {@link #backwardWeight(Im2col.Geometry, int, int, float[], int, float[], int, float[])} that also puts each
     * output plane's sum ({@link Elementwise#sumCentered} about 0) into {@code planeSums[i·o + oc]}, for the bias
     * gradient: summed by the thread that has just read the plane for the weight gradient, inside its split,
     * instead of in a pass of its own on the calling thread afterwards.
     */
    public static void backwardWeight(Im2col.Geometry g, int n, int o, float[] gy, int gOff, float[] x, int xOff,
            float[] dw, double[] planeSums) {
        backwardWeight(Kernels.DEFAULT, g, n, o, gy, gOff, x, xOff, dw, planeSums);
    }

    static void backwardWeight(KernelProvider kp, Im2col.Geometry g, int n, int o, float[] gy, int gOff, float[] x,
            int xOff, float[] dw) {
        backwardWeight(kp, g, n, o, gy, gOff, x, xOff, dw, null);
    }

    static void backwardWeight(KernelProvider kp, Im2col.Geometry g, int n, int o, float[] gy, int gOff, float[] x,
            int xOff, float[] dw, double[] planeSums) {
        boolean byChannel = o >= kp.convChannelBlock() * BY_CHANNEL_MIN_FILL;
        if (!byChannel) require(g);
        Grid grid = new Grid(g, kp);
        if (channelsLast(kp, g, o)) {
            backwardWeightChannelsLast(kp, grid, n, o, gy, gOff, x, xOff, dw);
            if (planeSums != null) planeSums(kp, gy, gOff, 0, n, o, g.outH() * g.outW(), planeSums);
            return;
        }
        if (byChannel) backwardWeightByChannel(kp, grid, n, o, gy, gOff, x, xOff, dw, planeSums);
        else backwardWeightByPosition(kp, grid, n, o, gy, gOff, x, xOff, dw, planeSums);
    }

    /** The sums of images [i0, i1)'s output planes (l floats each, o an image) into planeSums[i·o + oc]. */
    private static void planeSums(KernelProvider kp, float[] gy, int gOff, int i0, int i1, int o, int l,
            double[] planeSums) {
        for (int i = i0; i < i1; i++)
            for (int oc = 0; oc < o; oc++)
                planeSums[i * o + oc] = kp.sumCentered(gy, gOff + (i * o + oc) * l, l, 0f, false);
    }

    /**
     * The weight gradient with output positions across the lanes ({@link KernelProvider#convWeightTile}):
     * for few output channels (LeNet's first layer has 6), which would leave most lanes of a channel
     * vector empty. Pays for the discarded grid positions and one lane reduction per tile and group.
     */
    private static void backwardWeightByPosition(KernelProvider kp, Grid grid, int n, int o, float[] gy, int gOff,
            float[] x, int xOff, float[] dw, double[] planeSums) {
        Im2col.Geometry g = grid.g;
        int k = grid.taps, kpad = grid.tapsPadded, panels = (o + ROWS - 1) / ROWS, img = g.imageSize();
        int outH = g.outH(), outW = g.outW(), outImg = o * outH * outW;
        // The kernel's dot products run over whole 16-float steps; the grid gradient is zero past len.
        int glen = (grid.len + 15) / 16 * 16, xs = g.channels() * grid.plane, gs = panels * ROWS * glen;
        // Images go through the kernel in groups, so that its sums are reduced once a group, not once an
        // image (LeNet's second layer: 9 vector steps per image, then 12 reductions): as many images as
        // keep the group's padded inputs and gradients within about 512 KiB (L2).
        int group = (int) Math.max(1, Math.min(n, GROUP_FLOATS / (xs + gs)));
        // Where the provider keeps lane-wise sums across calls (the vector one), an image at a time runs
        // through every tap pair while its gradient rows and input plane sit in L1, and the lanes are
        // reduced once per task: LeNet's first layer took ~0.8x the time of the tile over whole groups.
        int lanes = kp.convWeightLaneWidth();
        PartialSums sums = new PartialSums();
        overImages(n, (long) o * k * grid.len, (i0, i1) -> {
            int gmax = Math.min(group, i1 - i0);
            float[] xg = Scratch.get(Scratch.COL, gmax * xs + grid.slack()), gg = Scratch.get(Scratch.GRAD, gmax * gs);
            float[] part = new float[panels * ROWS * kpad];
            float[] acc = lanes > 0 ? new float[panels * kpad / 2 * 12 * lanes] : null;
            for (int a = i0; a < i1; a += gmax) {
                int cnt = Math.min(gmax, i1 - a);
                float[] src = xg;
                int so = 0;
                if (grid.readsInPlace(x, xOff, a, cnt, true)) {
                    src = x;
                    so = xOff + a * img;
                } else {
                    grid.padImages(x, xOff, a, cnt, xg, xs);
                    java.util.Arrays.fill(xg, cnt * xs, cnt * xs + grid.slack(), 0f);
                }
                java.util.Arrays.fill(gg, 0, cnt * gs, 0f);
                // Rows of 28 (LeNet's first layer): one copyBlock a plane rather than an arraycopy a row.
                for (int j = 0; j < cnt; j++)
                    for (int oc = 0; oc < o; oc++)
                        kp.copyBlock(gy, gOff + (a + j) * outImg + oc * outH * outW, outW, gg, j * gs + oc * glen,
                                grid.wp, outH, outW);
                if (planeSums != null) planeSums(kp, gy, gOff, a, a + cnt, o, outH * outW, planeSums);
                if (acc != null)
                    for (int j = 0; j < cnt; j++)
                        for (int p = 0; p < panels; p++)
                            for (int t = 0; t < kpad; t += 2)
                                kp.convWeightLanes(glen, gg, j * gs + p * ROWS * glen, glen, so + j * xs + grid.off[t],
                                        so + j * xs + grid.off[t + 1], src, acc, (p * kpad + t) / 2 * 12 * lanes);
                else
                    for (int p = 0; p < panels; p++)
                        for (int t = 0; t < kpad; t += TAPS)
                            kp.convWeightTile(glen, cnt, gg, p * ROWS * glen, gs, glen, grid.off, t, src, so, xs, part,
                                    p * ROWS * kpad + t, kpad);
            }
            if (acc != null)
                for (int p = 0; p < panels; p++)
                    for (int t = 0; t < kpad; t += 2)
                        for (int r = 0; r < ROWS; r++)
                            for (int j = 0; j < 2; j++) {
                                int a = ((p * kpad + t) / 2 * 12 + 2 * r + j) * lanes;
                                float sum = acc[a];
                                for (int e = 1; e < lanes; e++) sum += acc[a + e];
                                part[(p * ROWS + r) * kpad + t + j] = sum;
                            }
            sums.put(i0, part);
        });
        sums.combineInOrder(part -> {
            for (int oc = 0; oc < o; oc++)
                for (int t = 0; t < k; t++) dw[oc * k + t] += part[oc * kpad + t];
        });
    }

    /**
     * The weight gradient with output channels across the lanes ({@link KernelProvider#convWeightByChannel}):
     * only real output positions are visited and nothing is reduced, at the price of transposing the
     * output gradient to [position][channel] (LeNet's second layer, 16 channels: about 1.5× fewer
     * multiply-adds than by position, whose grid keeps 100 of 144 positions and 16 of 18 rows).
     */
    private static void backwardWeightByChannel(KernelProvider kp, Grid grid, int n, int o, float[] gy, int gOff,
            float[] x, int xOff, float[] dw, double[] planeSums) {
        Im2col.Geometry g = grid.g;
        int k = grid.taps, ob = kp.convChannelBlock(), opad = (o + ob - 1) / ob * ob, span = kp.convChannelSpan(opad, ob);
        // Kernels five taps wide (LeNet-5's): two kernel rows per call, two neighbouring positions per step.
        boolean fives = kp.convFiveTapRowsPay() && g.kernelW() == 5 && g.dilationW() == 1 && g.strideW() == 1;
        int kernelRows = g.channels() * g.kernelH();
        int kt = fives ? (kernelRows + 1) / 2 * 2 * 5 : (k + BY_CHANNEL_TAPS - 1) / BY_CHANNEL_TAPS * BY_CHANNEL_TAPS;
        int img = g.imageSize(), outH = g.outH(), outW = g.outW(), l = outH * outW, outImg = o * l;
        int xs = g.channels() * grid.plane, gs = l * opad;
        // Taps past k read tap 0's plane into rows of the partial sum that are dropped.
        int[] off = java.util.Arrays.copyOf(grid.off, Math.max(k, kt));
        for (int t = k; t < kt; t++) off[t] = 0;
        int group = (int) Math.max(1, Math.min(n, GROUP_FLOATS / (xs + gs)));
        PartialSums sums = new PartialSums();
        overImages(n, (long) o * k * l, (i0, i1) -> {
            int gmax = Math.min(group, i1 - i0);
            float[] xg = Scratch.get(Scratch.COL, gmax * xs), gt = Scratch.get(Scratch.GRAD, gmax * gs);
            float[] part = new float[kt * opad];
            int[] pos = fives ? null : new int[gmax * l], rowStart = fives ? new int[gmax * outH] : null;
            for (int a = i0; a < i1; a += gmax) {
                int cnt = Math.min(gmax, i1 - a);
                float[] src = xg;
                int so = 0;
                // Only real windows are read: no slack needed.
                if (grid.readsInPlace(x, xOff, a, cnt, false)) {
                    src = x;
                    so = xOff + a * img;
                } else grid.padImages(x, xOff, a, cnt, xg, xs);
                for (int j = 0; j < cnt; j++) {
                    StridedCopy.transpose(gy, gOff + (a + j) * outImg, l, o, l, gt, j * gs, opad);
                    if (opad > o)
                        for (int p = 0; p < l; p++) java.util.Arrays.fill(gt, j * gs + p * opad + o, j * gs + (p + 1) * opad, 0f);
                    if (planeSums != null) planeSums(kp, gy, gOff, a + j, a + j + 1, o, l, planeSums);
                }
                if (fives) {
                    for (int j = 0, r = 0; j < cnt; j++)
                        for (int oh = 0; oh < outH; oh++) rowStart[r++] = so + j * xs + oh * g.strideH() * grid.wp;
                    for (int cb = 0; cb < opad; cb += span)
                        for (int kr = 0; kr < kernelRows; kr += 2) {
                            // An odd last kernel row is read twice, into rows of the partial sum that are dropped.
                            int offA = off[kr * 5], offB = kr + 1 < kernelRows ? off[(kr + 1) * 5] : offA;
                            kp.convWeightFiveTapRows(span, cnt * outH, rowStart, 0, outW, offA, offB, src, gt, cb, opad,
                                    part, kr * 5 * opad + cb, opad);
                        }
                    continue;
                }
                grid.windowStarts(pos, so, xs, cnt);
                for (int cb = 0; cb < opad; cb += span)
                    for (int t = 0; t < kt; t += BY_CHANNEL_TAPS)
                        kp.convWeightByChannel(span, cnt * l, pos, off, t, src, gt, cb, opad, part, t * opad + cb, opad);
            }
            sums.put(i0, part);
        });
        sums.combineInOrder(part -> {
            for (int oc = 0; oc < o; oc++)
                for (int t = 0; t < k; t++) dw[oc * k + t] += part[t * opad + oc];
        });
    }

    /**
     * The weight gradient over a channels-last copy of the input ({@link KernelProvider#convWeightChannelsLast}),
     * for many input and output channels (ResNet-18's 8×8 layers): per kernel tap, tiles of six input
     * channels × two vectors of output channels summed over every output position of a group of images.
     * The by-channel kernel this replaces there read twelve inputs per gradient vector, each with a bounds
     * check of its own. The output gradient is transposed into panels of [position][tile channels].
     */
    private static void backwardWeightChannelsLast(KernelProvider kp, Grid grid, int n, int o, float[] gy, int gOff,
            float[] x, int xOff, float[] dw) {
        Im2col.Geometry g = grid.g;
        int c = g.channels(), kk = g.kernelH() * g.kernelW(), k = c * kk, ct = (c + 5) / 6 * 6;
        int cw = 2 * kp.convChannelBlock(), opad = (o + cw - 1) / cw * cw, span = kp.convChannelSpan(opad, cw);
        int outH = g.outH(), outW = g.outW(), l = outH * outW, outImg = o * l, xs = c * grid.plane, img = g.imageSize();
        int[] off = new int[kk];
        for (int ki = 0, t = 0; ki < g.kernelH(); ki++)
            for (int kj = 0; kj < g.kernelW(); kj++) off[t++] = (ki * g.dilationH() * grid.wp + kj * g.dilationW()) * c;
        int group = (int) Math.max(1, Math.min(n, GROUP_FLOATS / (xs + (long) l * opad)));
        PartialSums sums = new PartialSums();
        // Each piece of images sums into a partial gradient of the whole weight, which is allocated, written
        // and added once more: pieces of at least PIECE_POSITIONS output positions keep that small next to
        // their multiply-adds (ResNet-18's 4×4 layers: 8 images a piece, not 4; a 608 KB partial each).
        int minImages = Math.max(1, (PIECE_POSITIONS + l - 1) / l);
        overImages(n, (long) o * k * l, minImages, (i0, i1) -> {
            int gmax = Math.min(group, i1 - i0);
            // The padded images, then one image transposed on its way there; the last tile of input channels
            // reads up to five floats past the last image (rows that are dropped), inside that room.
            float[] xl = Scratch.get(Scratch.COL, gmax * xs + Math.max(img, 8)), gt = Scratch.get(Scratch.GRAD, gmax * l * opad);
            // Sums as [input channel, padded to whole tiles][kernel tap][output channel]: row t = ci·kk + s is
            // the weight's column t.
            float[] part = new float[ct * kk * opad];
            int[] pos = new int[gmax * l];
            for (int a = i0; a < i1; a += gmax) {
                int cnt = Math.min(gmax, i1 - a), np = cnt * l;
                for (int j = 0; j < cnt; j++) grid.padChannelsLast(x, xOff + (a + j) * img, xl, j * xs, xl, gmax * xs);
                // Panel cb of the gradient: [position][span channels] from cb·np, zeros past o.
                for (int cb = 0; cb < opad; cb += span) {
                    int rows = Math.min(span, o - cb);
                    for (int j = 0; j < cnt; j++) {
                        int d = cb * np + j * l * span;
                        StridedCopy.transpose(gy, gOff + (a + j) * outImg + cb * l, l, rows, l, gt, d, span);
                        if (rows < span)
                            for (int p = 0; p < l; p++) java.util.Arrays.fill(gt, d + p * span + rows, d + (p + 1) * span, 0f);
                    }
                }
                for (int j = 0, p = 0; j < cnt; j++)
                    for (int oh = 0; oh < outH; oh++)
                        for (int ow = 0; ow < outW; ow++)
                            pos[p++] = j * xs + (oh * g.strideH() * grid.wp + ow * g.strideW()) * c;
                for (int s = 0; s < kk; s++)
                    for (int ci = 0; ci < ct; ci += 6)
                        for (int cb = 0; cb < opad; cb += span)
                            kp.convWeightChannelsLast(span, np, pos, off[s] + ci, xl, gt, cb * np, part,
                                    (ci * kk + s) * opad + cb, kk * opad);
            }
            sums.put(i0, part);
        });
        // The partial sums added in piece order, then transposed ([k][opad] → [o][k]) and added to dw: by runs of
        // rows across the pool (it was a serial pass over every partial after the split).
        List<float[]> parts = sums.inOrder();
        if (parts.isEmpty()) return; // no images
        float[] total = parts.get(0);
        Parallel.forRange(k, (int) Math.max(1, (1L << 14) / ((long) opad * parts.size())), (r0, r1) -> {
            for (int q = 1; q < parts.size(); q++) {
                float[] part = parts.get(q);
                for (int j = r0 * opad; j < r1 * opad; j++) total[j] += part[j];
            }
            int rows = r1 - r0;
            float[] t = Scratch.get(Scratch.OUT, o * rows);
            StridedCopy.transpose(total, r0 * opad, opad, rows, o, t, 0, rows);
            for (int oc = 0; oc < o; oc++)
                for (int j = 0, d = oc * k + r0, s = oc * rows; j < rows; j++) dw[d + j] += t[s + j];
        });
    }

    /**
     * {@code dx = conv_transpose(G, w)}: the input gradient of {@link #forward} for a batch, computed
     * as a stride-1 convolution of G with the flipped, channel-swapped kernel (see
     * {@link #supportsBackwardInput}).
     *
     * @param gy the output gradient [n, o, outH, outW] from {@code gOff}
     * @param w [o, C, kH, kW] from {@code wOff}
     * @param dx [n, C, H, W] from {@code dxOff}, overwritten
     */
    public static void backwardInput(Im2col.Geometry g, int n, int o, float[] gy, int gOff, float[] w, int wOff,
            float[] dx, int dxOff) {
        backwardInput(Kernels.DEFAULT, g, n, o, gy, gOff, w, wOff, dx, dxOff);
    }

    static void backwardInput(KernelProvider kp, Im2col.Geometry g, int n, int o, float[] gy, int gOff, float[] w,
            int wOff, float[] dx, int dxOff) {
        if (!supportsBackwardInput(g))
            throw new IllegalArgumentException("DirectConv.backwardInput: needs stride 1 and padding <= (kernel-1)*dilation, got "
                    + g);
        int c = g.channels(), kH = g.kernelH(), kW = g.kernelW(), kk = kH * kW;
        Im2col.Geometry t = new Im2col.Geometry(o, g.outH(), g.outW(), kH, kW, 1, 1,
                (kH - 1) * g.dilationH() - g.padTop(), (kW - 1) * g.dilationW() - g.padLeft(), g.dilationH(),
                g.dilationW(), g.height(), g.width());
        // Few input channels run by position over the padded gradient, computing every padding product
        // of the tiles that do not skip it; LeNet's second layer does about half as many without padding.
        if (c < kp.convChannelBlock() * BY_CHANNEL_MIN_FILL && ConvInputByColumns.pays(kp, g, o, byPositionProducts(new Grid(t, kp), c))) {
            ConvInputByColumns.backwardInput(kp, g, n, o, gy, gOff, w, wOff, dx, dxOff);
            return;
        }
        if (channelsLast(kp, t, c)) {
            forwardChannelsLast(kp, new Grid(t, kp), n, c, gy, gOff, w, wOff, true, null, 0, dx, dxOff, false, null);
            return;
        }
        float[] wt = new float[c * o * kk];
        for (int oc = 0; oc < o; oc++)
            for (int ic = 0; ic < c; ic++)
                for (int u = 0; u < kk; u++) wt[(ic * o + oc) * kk + (kk - 1 - u)] = w[wOff + (oc * c + ic) * kk + u];
        forward(kp, t, n, c, gy, gOff, wt, 0, null, 0, dx, dxOff, false, null);
    }

    private static void require(Im2col.Geometry g) {
        if (!supports(g))
            throw new IllegalArgumentException("DirectConv: needs stride 1 for this few output channels, got " + g);
    }

    /** Pieces per thread that {@link #overImages} cuts a batch into. */
    private static final int PIECES_PER_THREAD = 4;

    /**
     * Splits images across the pool when the whole batch is worth it, in claimed pieces of about a
     * quarter of a thread's share ({@link Parallel#forClaimed}) rather than one chunk per thread: a
     * worker woken tens of µs late then takes the pieces left instead of the caller waiting for its
     * whole chunk and then for its own wake-up. The pieces depend only on n and the thread count, so
     * the weight gradients' partial sums add up in the same order whichever thread runs them.
     */
    static void overImages(int n, long workPerImage, Parallel.RangeBody body) {
        overImages(n, workPerImage, 1, body);
    }

    /** {@link #overImages(int, long, Parallel.RangeBody)} with pieces of at least {@code minPiece} images. */
    private static void overImages(int n, long workPerImage, int minPiece, Parallel.RangeBody body) {
        if (n <= 0) return;
        if (n > 1 && workPerImage * n >= PARALLEL_MIN_WORK) {
            int pieces = PIECES_PER_THREAD * Parallel.threads();
            // No piece below a quarter of the parallel threshold's work.
            long minImages = Math.max(minPiece, PARALLEL_MIN_WORK / 4 / Math.max(1, workPerImage));
            Parallel.forClaimed(n, (int) Math.max(minImages, (n + pieces - 1) / pieces), body);
        } else body.run(0, n);
    }
}
