package org.jgrad.kernels;

/**
 * For the small maps of deep layers (outputs of 2×2 to 8×8 pixels), which input pixel every
 * column-matrix entry of one channel reads: a table indexed by tap and output pixel, so that
 * im2col and col2im move a channel's few dozen floats in one loop instead of one short loop per
 * kernel tap and output row, where the loop set-up cost more than the floats.
 */
final class SourceTables {
    private SourceTables() {}

    private static final class Cache {
        Im2col.Geometry geo;
        int[] table;
    }

    private static final ThreadLocal<Cache> CACHE = ThreadLocal.withInitial(Cache::new);

    /**
     * At {@code t·outH·outW + q} for tap t = ki·kW + kj and output pixel q = oh·outW + ow: the
     * channel-relative index {@code ih·W + iw} of the input pixel read, or -1 where it is padding.
     * The calling thread's array, reused while the geometry stays the same; not to be written.
     */
    static int[] of(Im2col.Geometry g) {
        Cache c = CACHE.get();
        if (g == c.geo || g.equals(c.geo)) return c.table;
        int kH = g.kernelH(), kW = g.kernelW(), outH = g.outH(), outW = g.outW(), l = outH * outW;
        int h = g.height(), w = g.width();
        int[] table = new int[kH * kW * l];
        for (int ki = 0; ki < kH; ki++)
            for (int kj = 0; kj < kW; kj++)
                for (int oh = 0; oh < outH; oh++)
                    for (int ow = 0; ow < outW; ow++) {
                        int ih = oh * g.strideH() - g.padTop() + ki * g.dilationH();
                        int iw = ow * g.strideW() - g.padLeft() + kj * g.dilationW();
                        table[(ki * kW + kj) * l + oh * outW + ow] = ih >= 0 && ih < h && iw >= 0 && iw < w ? ih * w + iw : -1;
                    }
        c.geo = g;
        c.table = table;
        return table;
    }

    /** im2col of one image through the table (see {@link Im2col#im2col(Im2col.Geometry, float[], int, float[], int, int)}). */
    static void im2col(Im2col.Geometry g, float[] in, int inOff, float[] col, int colOff, int ld) {
        im2colImages(g, in, inOff, 1, col, colOff, ld, 0, g.channels());
    }

    /** col2im of one image through the table, tap by tap and pixel by pixel as the row loops add. */
    static void col2im(Im2col.Geometry g, float[] col, int colOff, float[] img, int imgOff, int ld) {
        col2imImages(g, col, colOff, ld, img, imgOff, 1, 0, g.channels());
    }

    /**
     * im2col of n images at once (image i at {@code inOff + i·C·H·W}, its columns from
     * {@code colOff + i·outH·outW}), channels [c0, c1) only. Each channel's plane is read once per
     * image and its rows filled image after image, where the per-image form wrote a few floats into
     * every row of the whole column matrix for each image.
     */
    static void im2colImages(Im2col.Geometry g, float[] in, int inOff, int n, float[] col, int colOff, int ld, int c0,
            int c1) {
        int[] src = of(g);
        int taps = g.kernelH() * g.kernelW(), l = g.colCols(), plane = g.height() * g.width(), img = g.imageSize();
        for (int c = c0; c < c1; c++)
            for (int i = 0; i < n; i++) {
                int chan = inOff + i * img + c * plane, base = colOff + c * taps * ld + i * l;
                for (int t = 0; t < taps; t++)
                    for (int q = 0, d = base + t * ld, e = t * l; q < l; q++) {
                        int p = src[e + q];
                        col[d + q] = p >= 0 ? in[chan + p] : 0f;
                    }
            }
    }

    /** col2im of n images at once, channels [c0, c1) only; the layout of {@link #im2colImages}. */
    static void col2imImages(Im2col.Geometry g, float[] col, int colOff, int ld, float[] img, int imgOff, int n, int c0,
            int c1) {
        int[] src = of(g);
        int taps = g.kernelH() * g.kernelW(), l = g.colCols(), plane = g.height() * g.width(), size = g.imageSize();
        for (int c = c0; c < c1; c++)
            for (int i = 0; i < n; i++) {
                int chan = imgOff + i * size + c * plane, base = colOff + c * taps * ld + i * l;
                for (int t = 0; t < taps; t++)
                    for (int q = 0, d = base + t * ld, e = t * l; q < l; q++) {
                        int p = src[e + q];
                        if (p >= 0) img[chan + p] += col[d + q];
                    }
            }
    }
}
