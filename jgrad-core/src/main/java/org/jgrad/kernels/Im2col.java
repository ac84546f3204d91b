package org.jgrad.kernels;

/**
 * The im2col / col2im transforms that turn a 2-D convolution into a matrix product.
 *
 * <p>For one image stored contiguously as [C, H, W], {@link #im2col} writes the column matrix
 * [C·kH·kW, outH·outW] (row-major): row {@code (c·kH + ki)·kW + kj}, column {@code oh·outW + ow}
 * holds the input pixel {@code (c, oh·sH − padTop + ki·dH, ow·sW − padLeft + kj·dW)}, or 0 where that
 * falls into the padding. A convolution is then {@code weight[O, C·kH·kW] @ col}. {@link #col2im} is
 * the adjoint: it adds every column entry back onto the pixel it came from, which is what the
 * gradient with respect to the input needs.
 *
 * <p>The rows of one channel group are contiguous, so a grouped convolution multiplies row blocks.
 * Bottom and right padding only change the output size, which the geometry carries.
 */
public final class Im2col {
    private Im2col() {}

    /**
     * Geometry of one convolution: input channels, height and width, kernel size, stride, leading
     * padding, dilation and output size. Output sizes are given rather than derived so that any
     * trailing padding (and ceil-style rounding) is already folded in.
     */
    public record Geometry(int channels, int height, int width, int kernelH, int kernelW, int strideH, int strideW,
            int padTop, int padLeft, int dilationH, int dilationW, int outH, int outW) {
        /** @throws IllegalArgumentException for a negative size or padding, or a kernel, stride or dilation below 1 */
        public Geometry {
            if (channels < 0 || height < 0 || width < 0 || outH < 0 || outW < 0)
                throw new IllegalArgumentException("Im2col.Geometry: negative size (C=" + channels + ", H=" + height
                        + ", W=" + width + ", outH=" + outH + ", outW=" + outW + ")");
            if (kernelH < 1 || kernelW < 1 || strideH < 1 || strideW < 1 || dilationH < 1 || dilationW < 1)
                throw new IllegalArgumentException("Im2col.Geometry: kernel " + kernelH + "x" + kernelW + ", stride "
                        + strideH + "x" + strideW + " and dilation " + dilationH + "x" + dilationW + " must be >= 1");
            if (padTop < 0 || padLeft < 0)
                throw new IllegalArgumentException("Im2col.Geometry: negative padding " + padTop + ", " + padLeft);
            // The accessors below multiply ints; checked once here instead of in the loops that use them.
            fits("one image [C, H, W]", (long) channels * height * width);
            fits("the column matrix's rows C·kH·kW", (long) channels * kernelH * kernelW);
            fits("the output plane outH·outW", (long) outH * outW);
        }

        private static void fits(String what, long n) {
            if (n > Integer.MAX_VALUE - 8)
                throw new IllegalArgumentException("conv2d: " + what + " has " + n + " elements, more than one Java array"
                        + " holds (2^31-9); use a smaller image or tile it");
        }

        /** Rows of the column matrix: C·kH·kW. */
        public int colRows() {
            return channels * kernelH * kernelW;
        }

        /** Columns of the column matrix: outH·outW. */
        public int colCols() {
            return outH * outW;
        }

        /** Elements of one image: C·H·W. */
        public int imageSize() {
            return channels * height * width;
        }

        /** Elements of one column matrix. */
        public int colSize() {
            long n = (long) colRows() * colCols();
            fits("the column matrix [C·kH·kW, outH·outW]", n);
            return (int) n;
        }
    }

    /**
     * Column-matrix rows shorter than this (2×2 maps) are copied through a per-geometry index
     * table a channel at a time ({@link SourceTables}): per-row kernel calls cost more than the few
     * floats they move.
     */
    private static final int TINY_ROW = 16;

    /**
     * Output maps of at most this many pixels whose horizontal stride is not 1 (the 3×3/2 and
     * 1×1/2 convolutions that halve ResNet's 8×8 and 4×4 maps) also go through the table.
     */
    private static final int SMALL_MAP = 64;

    /**
     * Whether {@link #im2colImages} applies to g and beats {@link #im2col} image by image: maps of
     * under 16 output pixels that go through a per-geometry table (per 28 images at 256×2×2,
     * 285-340 instead of 345-405 µs; at 4×4 outputs no faster).
     */
    public static boolean smallMapIm2col(Geometry g) {
        if (g.colCols() >= TINY_ROW) return false;
        if (g.strideH == 1 && g.strideW == 1 && g.outW == g.width) return true;
        return g.strideW != 1;
    }

    /** Whether {@link #col2imImages} applies to g and beats {@link #col2imScratch} image by image. */
    public static boolean smallMapCol2im(Geometry g) {
        if (g.colCols() >= TINY_ROW) return false;
        if (g.strideH == 1 && g.strideW == 1 && g.outW == g.width) return true;
        return g.strideW != 1;
    }

    /**
     * im2col of n images stored back to back from {@code inOff}, into one matrix with rows
     * {@code ld} apart in which image i's columns start at {@code colOff + i·outH·outW}; only the
     * rows of channels [c0, c1) are written (so that threads can split the channels). For the
     * geometries of {@link #smallMapIm2col}.
     */
    public static void im2colImages(Geometry g, float[] in, int inOff, int n, float[] col, int colOff, int ld, int c0,
            int c1) {
        SourceTables.im2colImages(g, in, inOff, n, col, colOff, ld, c0, c1);
    }

    /**
     * col2im of such a matrix back onto n images (accumulating), channels [c0, c1) only; the
     * geometries of {@link #smallMapCol2im}.
     */
    public static void col2imImages(Geometry g, float[] col, int colOff, int ld, float[] img, int imgOff, int n, int c0,
            int c1) {
        SourceTables.col2imImages(g, col, colOff, ld, img, imgOff, n, c0, c1);
    }

    /** Writes the column matrix of the image at {@code in[inOff..]} into {@code col[colOff..]}. */
    public static void im2col(Geometry g, float[] in, int inOff, float[] col, int colOff) {
        im2col(g, in, inOff, col, colOff, g.colCols());
    }

    /**
     * {@link #im2col} with rows {@code ld} apart, so that the column matrices of several images
     * can sit side by side in one wider matrix and go through a single GEMM.
     */
    public static void im2col(Geometry g, float[] in, int inOff, float[] col, int colOff, int ld) {
        final int h = g.height, w = g.width, kH = g.kernelH, kW = g.kernelW, outH = g.outH, outW = g.outW;
        final int sH = g.strideH, sW = g.strideW, dH = g.dilationH, dW = g.dilationW;
        if (sH == 1 && sW == 1 && outW == w) {
            im2colShifted(g, in, inOff, col, colOff, ld);
            return;
        }
        if (sW == 1) {
            im2colBlocks(g, in, inOff, col, colOff, ld);
            return;
        }
        if (sW == 2 && kW > 1 && outW >= 8) {
            im2colPhases(g, in, inOff, col, colOff, ld);
            return;
        }
        if (outH * outW <= SMALL_MAP) {
            SourceTables.im2col(g, in, inOff, col, colOff, ld);
            return;
        }
        for (int c = 0; c < g.channels; c++) {
            int chan = inOff + c * h * w;
            for (int ki = 0; ki < kH; ki++) {
                for (int kj = 0; kj < kW; kj++) {
                    int dst = colOff + ((c * kH + ki) * kW + kj) * ld;
                    int iw0 = kj * dW - g.padLeft;
                    // Columns ow whose pixel lies inside the row: iw0 + ow·sW in [0, w).
                    int owLo = iw0 >= 0 ? 0 : Math.min(outW, ceilDiv(-iw0, sW));
                    int owHi = Math.max(owLo, Math.min(outW, w - iw0 <= 0 ? 0 : ceilDiv(w - iw0, sW)));
                    for (int oh = 0; oh < outH; oh++, dst += outW) {
                        int ih = oh * sH - g.padTop + ki * dH;
                        // Plain loops rather than Arrays.fill/arraycopy: the rows of deep layers are
                        // 1 to 16 long, where the calls cost more than the copy.
                        if (ih < 0 || ih >= h) {
                            for (int ow = 0; ow < outW; ow++) col[dst + ow] = 0f;
                            continue;
                        }
                        int src = chan + ih * w + iw0;
                        for (int ow = 0; ow < owLo; ow++) col[dst + ow] = 0f;
                        if (sW == 1) {
                            for (int ow = owLo; ow < owHi; ow++) col[dst + ow] = in[src + ow];
                        } else {
                            for (int ow = owLo; ow < owHi; ow++) col[dst + ow] = in[src + ow * sW];
                        }
                        for (int ow = owHi; ow < outW; ow++) col[dst + ow] = 0f;
                    }
                }
            }
        }
    }

    /**
     * Zeroes columns [0, owLo) and [owHi, rowLen) of rows [ohLo, ohHi) of the column-matrix row that
     * starts at {@code base} (output rows of {@code rowLen} pixels): the entries whose input pixel lies
     * in the left or right padding.
     */
    private static void zeroRowEdges(float[] col, int base, int rowLen, int ohLo, int ohHi, int owLo, int owHi) {
        if (owLo == 0 && owHi == rowLen) return;
        for (int oh = ohLo; oh < ohHi; oh++) {
            int r = base + oh * rowLen;
            for (int ow = 0; ow < owLo; ow++) col[r + ow] = 0f;
            for (int ow = owHi; ow < rowLen; ow++) col[r + ow] = 0f;
        }
    }

    /**
     * im2col with horizontal stride 1: for each column-matrix row, the output rows whose input row
     * exists copy one block of rows of equal length (a kernel call for all of them), and the
     * padding around it is zeroed.
     */
    private static void im2colBlocks(Geometry g, float[] in, int inOff, float[] col, int colOff, int ld) {
        final int h = g.height, w = g.width, kH = g.kernelH, kW = g.kernelW, outH = g.outH, outW = g.outW;
        final int sH = g.strideH, l = outH * outW;
        for (int c = 0; c < g.channels; c++) {
            int chan = inOff + c * h * w;
            for (int ki = 0; ki < kH; ki++) {
                int ih0 = ki * g.dilationH - g.padTop;
                int ohLo = Math.min(outH, ih0 >= 0 ? 0 : ceilDiv(-ih0, sH));
                int ohHi = Math.max(ohLo, Math.min(outH, h - ih0 <= 0 ? 0 : ceilDiv(h - ih0, sH)));
                for (int kj = 0; kj < kW; kj++) {
                    int dst = colOff + ((c * kH + ki) * kW + kj) * ld;
                    int iw0 = kj * g.dilationW - g.padLeft;
                    int owLo = Math.min(outW, Math.max(0, -iw0)), owHi = Math.max(owLo, Math.min(outW, w - iw0));
                    for (int q = 0; q < ohLo * outW; q++) col[dst + q] = 0f;
                    for (int q = ohHi * outW; q < l; q++) col[dst + q] = 0f;
                    zeroRowEdges(col, dst, outW, ohLo, ohHi, owLo, owHi);
                    if (ohHi > ohLo && owHi > owLo)
                        Kernels.DEFAULT.copyBlock(in, chan + (ohLo * sH + ih0) * w + iw0 + owLo, sH * w, col,
                                dst + ohLo * outW + owLo, outW, ohHi - ohLo, owHi - owLo);
                }
            }
        }
    }

    /**
     * im2col with horizontal stride 2: each channel is first split into its even and its odd
     * columns, in which a kernel tap's pixels for consecutive outputs are adjacent, so that every
     * output row of a tap is one contiguous block copy (a kernel call per tap) as with stride 1,
     * instead of a scalar gather of every other pixel. Splitting reads the channel once, which the
     * taps of a kernel at least two wide repay when output rows are long enough: per 32 images,
     * ResNet's 7×7/2 stem (16-long rows) took 320 instead of 670 µs, while a 3×3/2 with 4-long
     * rows was no faster (380 µs either way) and one with 2-long rows slower.
     */
    private static void im2colPhases(Geometry g, float[] in, int inOff, float[] col, int colOff, int ld) {
        final int h = g.height, w = g.width, kH = g.kernelH, kW = g.kernelW, outH = g.outH, outW = g.outW;
        final int sH = g.strideH, l = outH * outW, wp = (w + 1) / 2, half = w / 2;
        float[] ph = Scratch.get(Scratch.PHASES, 2 * h * wp);
        for (int c = 0; c < g.channels; c++) {
            int chan = inOff + c * h * w;
            for (int y = 0; y < h; y++) {
                int s = chan + y * w, e = y * wp, o = (h + y) * wp;
                for (int j = 0; j < half; j++) {
                    ph[e + j] = in[s + 2 * j];
                    ph[o + j] = in[s + 2 * j + 1];
                }
                if (half < wp) ph[e + half] = in[s + w - 1];
            }
            for (int ki = 0; ki < kH; ki++) {
                int ih0 = ki * g.dilationH - g.padTop;
                int ohLo = Math.min(outH, ih0 >= 0 ? 0 : ceilDiv(-ih0, sH));
                int ohHi = Math.max(ohLo, Math.min(outH, h - ih0 <= 0 ? 0 : ceilDiv(h - ih0, sH)));
                for (int kj = 0; kj < kW; kj++) {
                    int dst = colOff + ((c * kH + ki) * kW + kj) * ld;
                    // Output column ow reads input column iw0 + 2·ow: entry ow + (iw0 >> 1) of the
                    // even or odd columns, as iw0 is even or odd (also when negative).
                    int iw0 = kj * g.dilationW - g.padLeft;
                    int owLo = iw0 >= 0 ? 0 : Math.min(outW, ceilDiv(-iw0, 2));
                    int owHi = Math.max(owLo, Math.min(outW, w - iw0 <= 0 ? 0 : ceilDiv(w - iw0, 2)));
                    for (int q = 0; q < ohLo * outW; q++) col[dst + q] = 0f;
                    for (int q = ohHi * outW; q < l; q++) col[dst + q] = 0f;
                    zeroRowEdges(col, dst, outW, ohLo, ohHi, owLo, owHi);
                    if (ohHi > ohLo && owHi > owLo)
                        Kernels.DEFAULT.copyBlock(ph, ((iw0 & 1) * h + ohLo * sH + ih0) * wp + owLo + (iw0 >> 1), sH * wp,
                                col, dst + ohLo * outW + owLo, outW, ohHi - ohLo, owHi - owLo);
                }
            }
        }
    }

    /**
     * im2col of a stride-1 convolution whose output rows are as wide as the input's ("same"
     * padding across): output pixel q = oh·w + ow of tap (ki, kj) reads input pixel q + shift with
     * one shift per tap, so each column-matrix row is one long copy of the plane, in which the
     * entries that fall into the left/right padding (they would read the neighbouring input row) and
     * the rows that fall into the top/bottom padding are masked to zero ({@link ShiftMasks}). The
     * short per-row copies of the general loop cost more than the copy itself on small maps.
     */
    private static void im2colShifted(Geometry g, float[] in, int inOff, float[] col, int colOff, int ld) {
        final int h = g.height, w = g.width, kH = g.kernelH, kW = g.kernelW, outH = g.outH, plane = h * w;
        final int l = outH * w;
        if (l < TINY_ROW) {
            SourceTables.im2col(g, in, inOff, col, colOff, ld);
            return;
        }
        boolean[] keep = ShiftMasks.of(g);
        int ks = ShiftMasks.stride(g);
        for (int c = 0; c < g.channels; c++) {
            int chan = inOff + c * plane;
            for (int ki = 0; ki < kH; ki++) {
                int shH = ki * g.dilationH - g.padTop;
                boolean rowsIn = shH >= 0 && outH + shH <= h;
                for (int kj = 0; kj < kW; kj++) {
                    int dst = colOff + ((c * kH + ki) * kW + kj) * ld;
                    int shW = kj * g.dilationW - g.padLeft, shift = shH * w + shW;
                    if (rowsIn && shW == 0) System.arraycopy(in, chan + shift, col, dst, l);
                    else Kernels.DEFAULT.copyRowMasked(in, chan + shift, keep, (ki * kW + kj) * ks, col, dst, l);
                }
            }
        }
    }

    /**
     * Adds the column matrix at {@code col[colOff..]} back onto the image at {@code img[imgOff..]}
     * (accumulating: overlapping windows sum; padding entries are dropped). The image is not cleared.
     */
    public static void col2im(Geometry g, float[] col, int colOff, float[] img, int imgOff) {
        col2im(g, col, colOff, img, imgOff, g.colCols());
    }

    /** {@link #col2im} reading rows {@code ld} apart (see {@link #im2col(Geometry, float[], int, float[], int, int)}). */
    public static void col2im(Geometry g, float[] col, int colOff, float[] img, int imgOff, int ld) {
        final int h = g.height, w = g.width, kH = g.kernelH, kW = g.kernelW, outH = g.outH, outW = g.outW;
        final int sH = g.strideH, sW = g.strideW, dH = g.dilationH, dW = g.dilationW;
        if (sW == 1) {
            // The output rows of one kernel tap land on distinct input rows, so one block add per tap.
            for (int c = 0; c < g.channels; c++) {
                int chan = imgOff + c * h * w;
                for (int ki = 0; ki < kH; ki++) {
                    int ih0 = ki * dH - g.padTop;
                    int ohLo = Math.min(outH, ih0 >= 0 ? 0 : ceilDiv(-ih0, sH));
                    int ohHi = Math.max(ohLo, Math.min(outH, h - ih0 <= 0 ? 0 : ceilDiv(h - ih0, sH)));
                    for (int kj = 0; kj < kW; kj++) {
                        int src = colOff + ((c * kH + ki) * kW + kj) * ld;
                        int iw0 = kj * dW - g.padLeft;
                        int owLo = Math.min(outW, Math.max(0, -iw0)), owHi = Math.max(owLo, Math.min(outW, w - iw0));
                        if (ohHi > ohLo && owHi > owLo)
                            Kernels.DEFAULT.addBlock(col, src + ohLo * outW + owLo, outW, img,
                                    chan + (ohLo * sH + ih0) * w + iw0 + owLo, sH * w, ohHi - ohLo, owHi - owLo);
                    }
                }
            }
            return;
        }
        if (outH * outW <= SMALL_MAP) {
            SourceTables.col2im(g, col, colOff, img, imgOff, ld);
            return;
        }
        for (int c = 0; c < g.channels; c++) {
            int chan = imgOff + c * h * w;
            for (int ki = 0; ki < kH; ki++) {
                for (int kj = 0; kj < kW; kj++) {
                    int srcRow = colOff + ((c * kH + ki) * kW + kj) * ld;
                    int iw0 = kj * dW - g.padLeft;
                    int owLo = iw0 >= 0 ? 0 : Math.min(outW, ceilDiv(-iw0, sW));
                    int owHi = Math.max(owLo, Math.min(outW, w - iw0 <= 0 ? 0 : ceilDiv(w - iw0, sW)));
                    for (int oh = 0; oh < outH; oh++) {
                        int ih = oh * sH - g.padTop + ki * dH;
                        if (ih < 0 || ih >= h) continue;
                        int dst = chan + ih * w + iw0;
                        int src = srcRow + oh * outW;
                        if (sW == 1) {
                            for (int ow = owLo; ow < owHi; ow++) img[dst + ow] += col[src + ow];
                        } else {
                            for (int ow = owLo; ow < owHi; ow++) img[dst + ow * sW] += col[src + ow];
                        }
                    }
                }
            }
        }
    }

    /**
     * {@link #col2im(Geometry, float[], int, float[], int, int)} for a scratch column matrix, which
     * it may overwrite (callers must not read it afterwards; the present code does not write it).
     * A stride-1 convolution with rows as wide as the input's adds each row back in one masked
     * pass ({@link ShiftMasks}) instead of one short loop per output row.
     */
    public static void col2imScratch(Geometry g, float[] col, int colOff, float[] img, int imgOff, int ld) {
        if (g.strideH != 1 || g.strideW != 1 || g.outW != g.width) {
            col2im(g, col, colOff, img, imgOff, ld);
            return;
        }
        final int h = g.height, w = g.width, kH = g.kernelH, kW = g.kernelW, outH = g.outH, plane = h * w;
        if (outH * w < TINY_ROW) {
            SourceTables.col2im(g, col, colOff, img, imgOff, ld);
            return;
        }
        boolean[] keep = ShiftMasks.of(g);
        int ks = ShiftMasks.stride(g), l = outH * w, imgEnd = imgOff + g.imageSize();
        for (int c = 0; c < g.channels; c++) {
            int chan = imgOff + c * plane;
            for (int ki = 0; ki < kH; ki++) {
                int shH = ki * g.dilationH - g.padTop;
                boolean rowsIn = shH >= 0 && outH + shH <= h;
                for (int kj = 0; kj < kW; kj++) {
                    int src = colOff + ((c * kH + ki) * kW + kj) * ld;
                    int shW = kj * g.dilationW - g.padLeft, shift = shH * w + shW;
                    if (rowsIn && shW == 0) Kernels.DEFAULT.addBlock(col, src, 0, img, chan + shift, 0, 1, l);
                    else Kernels.DEFAULT.addRowMasked(col, src, keep, (ki * kW + kj) * ks, img, chan + shift, l, imgOff,
                            imgEnd);
                }
            }
        }
    }

    /**
     * im2col of a batch of {@code n} images laid out back to back from {@code inOff}, into
     * {@code n} column matrices laid out back to back from {@code colOff}; images are split across
     * the thread pool.
     */
    public static void im2colBatch(Geometry g, int n, float[] in, int inOff, float[] col, int colOff) {
        int img = g.imageSize(), cs = g.colSize();
        Parallel.forRange(n, grainFor(cs), (a, b) -> {
            for (int i = a; i < b; i++) im2col(g, in, inOff + i * img, col, colOff + i * cs);
        });
    }

    /** col2im of a batch; see {@link #im2colBatch}. Accumulates into the images. */
    public static void col2imBatch(Geometry g, int n, float[] col, int colOff, float[] img, int imgOff) {
        int is = g.imageSize(), cs = g.colSize();
        Parallel.forRange(n, grainFor(cs), (a, b) -> {
            for (int i = a; i < b; i++) col2im(g, col, colOff + i * cs, img, imgOff + i * is);
        });
    }

    /** Images per task so that each task moves at least ~64k elements. */
    private static int grainFor(int perImage) {
        return Math.max(1, (1 << 16) / Math.max(1, perImage));
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
