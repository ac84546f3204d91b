package org.jgrad.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The prepacked convolution of both providers against the definition, on random geometries: few output
 * pixels (the transposed product, 1 to 31 pixels) and many (the plain one), odd channel counts that
 * are not whole micro-tiles, more taps than one k-slice, strides, uneven padding, dilation, 1×1
 * kernels read in place, batches, ReLU and bias on or off, arrays at an offset with garbage around them.
 */
class PackedConvTest {

    @Property(tries = 150)
    void forwardMatchesTheDefinition(@ForAll @IntRange(min = 1, max = 3) int n,
            @ForAll @IntRange(min = 1, max = 40) int c, @ForAll @IntRange(min = 1, max = 70) int o,
            @ForAll @IntRange(min = 1, max = 12) int h, @ForAll @IntRange(min = 1, max = 12) int w,
            @ForAll @IntRange(min = 1, max = 3) int kH, @ForAll @IntRange(min = 1, max = 3) int kW,
            @ForAll @IntRange(min = 0, max = 2) int pT, @ForAll @IntRange(min = 0, max = 2) int pL,
            @ForAll @IntRange(min = 1, max = 2) int s, @ForAll @IntRange(min = 1, max = 2) int d,
            @ForAll boolean relu, @ForAll boolean withBias, @ForAll long seed) {
        int eH = d * (kH - 1) + 1, eW = d * (kW - 1) + 1;
        Assume.that(eH <= h + 2 * pT && eW <= w + 2 * pL);
        int outH = (h + 2 * pT - eH) / s + 1, outW = (w + 2 * pL - eW) / s + 1;
        check(new Im2col.Geometry(c, h, w, kH, kW, s, s, pT, pL, d, d, outH, outW), n, o, relu, withBias, seed);
    }

    @Test
    void resnetShapesAtBatchOneMatchTheDefinition() {
        // Four pixels against a deep k (two k-slices), one pixel, a 1×1 projection, and an 8×8 map.
        check(new Im2col.Geometry(256, 2, 2, 3, 3, 1, 1, 1, 1, 1, 1, 2, 2), 1, 96, true, true, 1);
        check(new Im2col.Geometry(300, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1), 1, 64, false, true, 2);
        check(new Im2col.Geometry(64, 8, 8, 1, 1, 2, 2, 0, 0, 1, 1, 4, 4), 2, 40, false, false, 3);
        check(new Im2col.Geometry(64, 8, 8, 3, 3, 1, 1, 1, 1, 1, 1, 8, 8), 1, 70, true, true, 4);
    }

    private static void check(Im2col.Geometry g, int n, int o, boolean relu, boolean withBias, long seed) {
        int c = g.channels(), h = g.height(), w = g.width(), kH = g.kernelH(), kW = g.kernelW();
        int outH = g.outH(), outW = g.outW(), k = g.colRows(), l = g.colCols();
        SplittableRandom rnd = new SplittableRandom(seed);
        int xOff = rnd.nextInt(3), wOff = rnd.nextInt(3), bOff = rnd.nextInt(3), outOff = rnd.nextInt(3);
        float[] x = gaussian(rnd, xOff + n * c * h * w + 2), wt = gaussian(rnd, wOff + o * k + 1);
        float[] bias = withBias ? gaussian(rnd, bOff + o + 1) : null;
        float[] expect = new float[n * o * l];
        for (int i = 0; i < n; i++)
            for (int oc = 0; oc < o; oc++)
                for (int oh = 0; oh < outH; oh++)
                    for (int ow = 0; ow < outW; ow++) {
                        double sum = withBias ? bias[bOff + oc] : 0;
                        for (int ic = 0; ic < c; ic++)
                            for (int ki = 0; ki < kH; ki++)
                                for (int kj = 0; kj < kW; kj++) {
                                    int ih = oh * g.strideH() - g.padTop() + ki * g.dilationH();
                                    int iw = ow * g.strideW() - g.padLeft() + kj * g.dilationW();
                                    if (ih < 0 || ih >= h || iw < 0 || iw >= w) continue;
                                    sum += (double) wt[wOff + oc * k + (ic * kH + ki) * kW + kj]
                                            * x[xOff + ((i * c + ic) * h + ih) * w + iw];
                                }
                        expect[(i * o + oc) * l + oh * outW + ow] = (float) (relu ? Math.max(sum, 0) : sum);
                    }
        for (KernelProvider kp : ProvidersForTest.all()) {
            String what = kp.name() + " " + g + " n=" + n + " o=" + o + " relu=" + relu + " bias=" + withBias;
            PackedConv conv = new PackedConv(kp, g, o, wt, wOff, bias, bOff);
            // The packed copy is the conv's own: a later change to the caller's arrays is not seen.
            float[] wSaved = wt.clone();
            Arrays.fill(wt, 7f);
            float[] out = new float[outOff + n * o * l + 3];
            Arrays.fill(out, Float.NaN);
            conv.forward(x, xOff, n, out, outOff, relu);
            System.arraycopy(wSaved, 0, wt, 0, wt.length);
            for (int j = 0; j < n * o * l; j++)
                assertEquals(expect[j], out[outOff + j], 1e-4f * (1 + k), what + " out " + j);
            for (int j = 0; j < outOff; j++) assertTrue(Float.isNaN(out[j]), what + " wrote before the output");
            for (int j = outOff + n * o * l; j < out.length; j++)
                assertTrue(Float.isNaN(out[j]), what + " wrote after the output");
        }
    }

    @Test
    void groupedOrHugeConvolutionsAreNotPacked() {
        Im2col.Geometry small = new Im2col.Geometry(8, 4, 4, 3, 3, 1, 1, 1, 1, 1, 1, 4, 4);
        assertTrue(PackedConv.applies(small, 1));
        assertFalse(PackedConv.applies(small, 2));
        Im2col.Geometry big = new Im2col.Geometry(64, 224, 224, 3, 3, 1, 1, 1, 1, 1, 1, 224, 224);
        assertFalse(PackedConv.applies(big, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PackedConv(big, 64, new float[64 * 576], 0, null, 0));
        assertTrue(e.getMessage().contains("column matrix"), e.getMessage());
    }

    private static float[] gaussian(SplittableRandom rnd, int len) {
        float[] a = new float[len];
        for (int i = 0; i < len; i++) a[i] = (float) (rnd.nextDouble() * 2 - 1);
        return a;
    }
}
