package org.jgrad.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * im2col and col2im against their definitions on random geometries, writing into buffers full of
 * garbage (the convolution reuses scratch arrays, so every entry must be written) and at an offset
 * with a row stride wider than one image's columns.
 */
class Im2colPropertiesTest {

    /**
     * The batch forms for small maps, over two channel ranges as two threads would split them,
     * against the per-image transforms (bitwise: the same adds in the same order).
     */
    @Property(tries = 150)
    void smallMapBatchFormsMatchThePerImageOnes(@ForAll @IntRange(min = 1, max = 5) int c,
            @ForAll @IntRange(min = 1, max = 6) int h, @ForAll @IntRange(min = 1, max = 6) int w,
            @ForAll @IntRange(min = 1, max = 3) int k, @ForAll @IntRange(min = 1, max = 3) int sH,
            @ForAll @IntRange(min = 1, max = 3) int sW, @ForAll @IntRange(min = 0, max = 2) int p,
            @ForAll @IntRange(min = 1, max = 4) int n, @ForAll long seed) {
        int outH = (h + 2 * p - k) / sH + 1, outW = (w + 2 * p - k) / sW + 1;
        Assume.that(k <= h + 2 * p && k <= w + 2 * p);
        Im2col.Geometry g = new Im2col.Geometry(c, h, w, k, k, sH, sW, p, p, 1, 1, outH, outW);
        Assume.that(Im2col.smallMapIm2col(g) || Im2col.smallMapCol2im(g));
        SplittableRandom rnd = new SplittableRandom(seed);
        int l = outH * outW, ld = n * l + 1, split = rnd.nextInt(c + 1);
        float[] x = new float[n * g.imageSize()];
        for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian();
        float[] want = new float[g.colRows() * ld], got = new float[want.length];
        for (int i = 0; i < n; i++) Im2col.im2col(g, x, i * g.imageSize(), want, i * l, ld);
        Im2col.im2colImages(g, x, 0, n, got, 0, ld, 0, split);
        Im2col.im2colImages(g, x, 0, n, got, 0, ld, split, c);
        org.junit.jupiter.api.Assertions.assertArrayEquals(want, got, "im2col");
        float[] dcol = new float[want.length];
        for (int i = 0; i < dcol.length; i++) dcol[i] = (float) rnd.nextGaussian();
        float[] imgWant = x.clone(), imgGot = x.clone();
        for (int i = 0; i < n; i++) Im2col.col2im(g, dcol, i * l, imgWant, i * g.imageSize(), ld);
        Im2col.col2imImages(g, dcol, 0, ld, imgGot, 0, n, 0, split);
        Im2col.col2imImages(g, dcol, 0, ld, imgGot, 0, n, split, c);
        org.junit.jupiter.api.Assertions.assertArrayEquals(imgWant, imgGot, "col2im");
    }

    /**
     * Horizontal strides 2 and 3 on maps wider than the random geometries above reach: the path
     * through even/odd columns (stride 2, output rows of 8 or more), the per-geometry source table
     * (output maps of at most 64 pixels) and the general loop (larger ones); odd and even widths,
     * every kernel width and left padding parity, dilation, and vertical strides 1 to 3.
     */
    @org.junit.jupiter.api.Test
    void wideStridedMapsMatchTheDefinition() {
        long seed = 1;
        for (int w : new int[] {6, 15, 16, 17, 32, 33})
            for (int sW = 2; sW <= 3; sW++)
                for (int kW = 1; kW <= 7; kW++)
                    for (int pL = 0; pL <= 3; pL++)
                        for (int dW = 1; dW <= 2; dW++)
                            for (int sH = 1; sH <= 3; sH++) {
                                int pR = (pL + kW) % 3, eW = dW * (kW - 1) + 1;
                                if (eW > w + pL + pR || pL >= eW && kW > 1) continue;
                                im2colAndCol2imMatchTheirDefinitions(2, 5 + 3 * sH, w, 3, kW, sH, sW, 1, sH - 1, pL, pR, 1,
                                        dW, false, (int) (seed % 3), seed++);
                            }
    }

    @Property(tries = 300)
    void im2colAndCol2imMatchTheirDefinitions(@ForAll @IntRange(min = 1, max = 3) int c,
            @ForAll @IntRange(min = 1, max = 12) int h, @ForAll @IntRange(min = 1, max = 12) int w,
            @ForAll @IntRange(min = 1, max = 5) int kH, @ForAll @IntRange(min = 1, max = 5) int kW,
            @ForAll @IntRange(min = 1, max = 3) int sH, @ForAll @IntRange(min = 1, max = 3) int sW,
            @ForAll @IntRange(min = 0, max = 4) int pT, @ForAll @IntRange(min = 0, max = 4) int pB,
            @ForAll @IntRange(min = 0, max = 4) int pL, @ForAll @IntRange(min = 0, max = 4) int pR,
            @ForAll @IntRange(min = 1, max = 2) int dH, @ForAll @IntRange(min = 1, max = 2) int dW,
            @ForAll boolean sameWidth, @ForAll @IntRange(min = 0, max = 3) int extraCols, @ForAll long seed) {
        if (sameWidth) {
            // stride 1 and a width-preserving padding: the shifted-plane path
            sW = 1;
            sH = 1;
            pR = Math.max(0, dW * (kW - 1) - pL);
            Assume.that(pL + pR == dW * (kW - 1));
        }
        long eH = (long) dH * (kH - 1) + 1, eW = (long) dW * (kW - 1) + 1;
        Assume.that(eH <= h + pT + pB && eW <= w + pL + pR);
        int outH = (int) ((h + pT + pB - eH) / sH + 1), outW = (int) ((w + pL + pR - eW) / sW + 1);
        Im2col.Geometry g = new Im2col.Geometry(c, h, w, kH, kW, sH, sW, pT, pL, dH, dW, outH, outW);
        SplittableRandom rnd = new SplittableRandom(seed);
        int inOff = rnd.nextInt(3), colOff = rnd.nextInt(3), l = outH * outW, ld = l + extraCols;
        float[] x = new float[inOff + c * h * w + 2];
        for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian();
        float[] col = new float[colOff + g.colRows() * ld + 2];
        Arrays.fill(col, Float.NaN);
        Im2col.im2col(g, x, inOff, col, colOff, ld);
        float[] dcol = new float[col.length];
        for (int i = 0; i < dcol.length; i++) dcol[i] = (float) rnd.nextGaussian();
        float[] img = new float[x.length];
        float[] expectImg = new float[x.length];
        for (int i = 0; i < img.length; i++) img[i] = expectImg[i] = (float) rnd.nextGaussian();
        float[] img2 = img.clone(), dcol2 = dcol.clone();
        Im2col.col2im(g, dcol, colOff, img, inOff, ld);
        Im2col.col2imScratch(g, dcol2, colOff, img2, inOff, ld);
        for (int ch = 0; ch < c; ch++)
            for (int ki = 0; ki < kH; ki++)
                for (int kj = 0; kj < kW; kj++) {
                    int row = (ch * kH + ki) * kW + kj;
                    for (int oh = 0; oh < outH; oh++)
                        for (int ow = 0; ow < outW; ow++) {
                            int ih = oh * sH - pT + ki * dH, iw = ow * sW - pL + kj * dW;
                            boolean in = ih >= 0 && ih < h && iw >= 0 && iw < w;
                            int xi = inOff + (ch * h + ih) * w + iw, ci = colOff + row * ld + oh * outW + ow;
                            assertEquals(in ? x[xi] : 0f, col[ci], "col row " + row + " at " + oh + "," + ow);
                            if (in) expectImg[xi] += dcol[ci];
                        }
                }
        for (int i = 0; i < img.length; i++) {
            assertEquals(expectImg[i], img[i], 1e-4f, "image element " + i);
            assertEquals(expectImg[i], img2[i], 1e-4f, "image element (scratch) " + i);
        }
        // what lies between or after the rows is not touched
        for (int r = 0; r < g.colRows(); r++)
            for (int j = l; j < ld; j++) assertEquals(Float.NaN, col[colOff + r * ld + j], "padding column");
    }
}
