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
 * The padded-grid convolution (forward, weight gradient, input gradient) of both providers against
 * the definition, on random geometries (stride 1, and strides 2 and 3 for the by-channel kernels): odd sizes, 1 channel and channel counts whose taps
 * are not whole tiles, output channels not a multiple of six or of a channel vector (so both
 * kernels of the forward pass and of the weight gradient run), uneven padding, dilation, batches of one, and arrays at an offset with
 * garbage around them.
 */
class DirectConvTest {

    @Property(tries = 200)
    void allThreePassesMatchTheDefinition(@ForAll @IntRange(min = 1, max = 4) int n,
            @ForAll @IntRange(min = 1, max = 7) int c, @ForAll @IntRange(min = 1, max = 40) int o,
            @ForAll @IntRange(min = 1, max = 11) int h, @ForAll @IntRange(min = 1, max = 11) int w,
            @ForAll @IntRange(min = 1, max = 5) int kH, @ForAll @IntRange(min = 1, max = 5) int kW,
            @ForAll @IntRange(min = 0, max = 3) int pT, @ForAll @IntRange(min = 0, max = 3) int pB,
            @ForAll @IntRange(min = 0, max = 3) int pL, @ForAll @IntRange(min = 0, max = 3) int pR,
            @ForAll @IntRange(min = 1, max = 2) int dH, @ForAll @IntRange(min = 1, max = 2) int dW,
            @ForAll @IntRange(min = 1, max = 3) int sH, @ForAll @IntRange(min = 1, max = 3) int sW,
            @ForAll boolean strided, @ForAll long seed) {
        if (!strided) sH = sW = 1;
        int eH = dH * (kH - 1) + 1, eW = dW * (kW - 1) + 1;
        Assume.that(eH <= h + pT + pB && eW <= w + pL + pR);
        int outH = (h + pT + pB - eH) / sH + 1, outW = (w + pL + pR - eW) / sW + 1;
        Im2col.Geometry g = new Im2col.Geometry(c, h, w, kH, kW, sH, sW, pT, pL, dH, dW, outH, outW);
        SplittableRandom rnd = new SplittableRandom(seed);
        int xOff = rnd.nextInt(3), wOff = rnd.nextInt(3), gOff = rnd.nextInt(3), outOff = rnd.nextInt(3);
        float[] x = gaussian(rnd, xOff + n * c * h * w + 2), wt = gaussian(rnd, wOff + o * c * kH * kW + 1);
        float[] bias = gaussian(rnd, o + 1), gy = gaussian(rnd, gOff + n * o * outH * outW + 2);
        int k = c * kH * kW, l = outH * outW;
        float[] expectOut = new float[n * o * l], expectDw = new float[o * k], expectDx = new float[n * c * h * w];
        for (int i = 0; i < n; i++)
            for (int oc = 0; oc < o; oc++)
                for (int oh = 0; oh < outH; oh++)
                    for (int ow = 0; ow < outW; ow++) {
                        double s = bias[1 + oc];
                        int go = gOff + ((i * o + oc) * outH + oh) * outW + ow;
                        for (int ic = 0; ic < c; ic++)
                            for (int ki = 0; ki < kH; ki++)
                                for (int kj = 0; kj < kW; kj++) {
                                    int ih = oh * sH - pT + ki * dH, iw = ow * sW - pL + kj * dW;
                                    if (ih < 0 || ih >= h || iw < 0 || iw >= w) continue;
                                    int xi = ((i * c + ic) * h + ih) * w + iw, t = (ic * kH + ki) * kW + kj;
                                    s += (double) wt[wOff + oc * k + t] * x[xOff + xi];
                                    expectDw[oc * k + t] += gy[go] * x[xOff + xi];
                                    expectDx[xi] += gy[go] * wt[wOff + oc * k + t];
                                }
                        expectOut[(i * o + oc) * l + oh * outW + ow] = (float) s;
                    }
        for (KernelProvider kp : ProvidersForTest.all()) {
            String what = kp.name() + " " + g + " n=" + n + " o=" + o;
            float[] out = new float[outOff + n * o * l + 3];
            Arrays.fill(out, Float.NaN);
            // Other strides run by channel only: with fewer output channels than that needs, a clear refusal.
            boolean byChannel = o >= kp.convChannelBlock() * DirectConv.BY_CHANNEL_MIN_FILL;
            if (!DirectConv.supports(g) && !byChannel) {
                assertThrows(IllegalArgumentException.class,
                        () -> DirectConv.forward(kp, g, n, o, x, xOff, wt, wOff, bias, 1, out, outOff, false));
                assertThrows(IllegalArgumentException.class,
                        () -> DirectConv.backwardWeight(kp, g, n, o, gy, gOff, x, xOff, new float[o * k]));
                continue;
            }
            DirectConv.forward(kp, g, n, o, x, xOff, wt, wOff, bias, 1, out, outOff, false);
            for (int j = 0; j < n * o * l; j++) assertEquals(expectOut[j], out[outOff + j], 1e-4f * (1 + k), what + " out " + j);
            for (int j = 0; j < outOff; j++) assertTrue(Float.isNaN(out[j]), what + " wrote before the output");
            for (int j = outOff + n * o * l; j < out.length; j++) assertTrue(Float.isNaN(out[j]), what + " wrote after the output");

            float[] dw = new float[o * k];
            Arrays.fill(dw, 1f); // accumulates
            DirectConv.backwardWeight(kp, g, n, o, gy, gOff, x, xOff, dw);
            for (int j = 0; j < o * k; j++) assertEquals(1f + expectDw[j], dw[j], 1e-4f * (1 + n * l), what + " dw " + j);
            // With the output planes summed for the bias gradient on the way: each sum as sumCentered gives it.
            float[] dwb = new float[o * k];
            double[] sums = new double[n * o];
            Arrays.fill(sums, Double.NaN);
            DirectConv.backwardWeight(kp, g, n, o, gy, gOff, x, xOff, dwb, sums);
            for (int j = 0; j < o * k; j++) assertEquals(expectDw[j], dwb[j], 1e-4f * (1 + n * l), what + " dw with sums " + j);
            for (int j = 0; j < n * o; j++)
                assertEquals(kp.sumCentered(gy, gOff + j * l, l, 0f, false), sums[j], 0.0, what + " plane sum " + j);

            if (DirectConv.supports(g)) {
                // The input gradient without the transposed convolution's padding, whichever way
                // DirectConv.backwardInput chooses for this shape (it takes any padding).
                float[] dxc = new float[xOff + n * c * h * w + 3];
                Arrays.fill(dxc, Float.NaN);
                ConvInputByColumns.backwardInput(kp, g, n, o, gy, gOff, wt, wOff, dxc, xOff);
                for (int j = 0; j < n * c * h * w; j++)
                    assertEquals(expectDx[j], dxc[xOff + j], 1e-4f * (1 + o * kH * kW), what + " dx by columns " + j);
                for (int j = 0; j < xOff; j++) assertTrue(Float.isNaN(dxc[j]), what + " wrote before dx");
                for (int j = xOff + n * c * h * w; j < dxc.length; j++) assertTrue(Float.isNaN(dxc[j]), what + " wrote after dx");
            }
            if (!DirectConv.supportsBackwardInput(g)) continue;
            float[] dx = new float[xOff + n * c * h * w];
            Arrays.fill(dx, Float.NaN);
            DirectConv.backwardInput(kp, g, n, o, gy, gOff, wt, wOff, dx, xOff);
            for (int j = 0; j < n * c * h * w; j++) assertEquals(expectDx[j], dx[xOff + j], 1e-4f * (1 + o * kH * kW), what + " dx " + j);
        }
    }

    /**
     * Many input channels and at least two vectors of output channels: the forward reads a channels-last
     * copy of the input (as does the input gradient's transposed convolution when the layer has as many
     * input channels as that needs), with channel counts that are not whole vectors.
     */
    @Property(tries = 80)
    void channelsLastForwardMatchesTheDefinition(@ForAll @IntRange(min = 1, max = 3) int n,
            @ForAll @IntRange(min = 8, max = 40) int c, @ForAll @IntRange(min = 24, max = 70) int o,
            @ForAll @IntRange(min = 1, max = 8) int h, @ForAll @IntRange(min = 1, max = 8) int w,
            @ForAll @IntRange(min = 1, max = 3) int kH, @ForAll @IntRange(min = 1, max = 3) int kW,
            @ForAll @IntRange(min = 0, max = 2) int pT, @ForAll @IntRange(min = 0, max = 2) int pB,
            @ForAll @IntRange(min = 0, max = 2) int pL, @ForAll @IntRange(min = 0, max = 2) int pR,
            @ForAll @IntRange(min = 1, max = 2) int dH, @ForAll @IntRange(min = 1, max = 2) int sH,
            @ForAll boolean strided, @ForAll long seed) {
        allThreePassesMatchTheDefinition(n, c, o, h, w, kH, kW, pT, pB, pL, pR, dH, 1, sH, 1, strided, seed);
    }

    /** ResNet-18's 8×8 layers (64 → 64 channels, 3×3, padding 1) at a batch of two. */
    @Test
    void resNetEightByEightLayer() {
        allThreePassesMatchTheDefinition(2, 64, 64, 8, 8, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, false, 5L);
    }

    /**
     * A channels-last layer big enough to be split across two threads: its pieces' partial weight gradients
     * are added and transposed into dw by runs of rows across the pool, and its input gradient packs the
     * flipped kernel straight from the weight. Against the definition, and the weight gradient the same bits
     * call after call.
     */
    @Test
    void channelsLastLayerSplitAcrossTwoThreads() {
        int before = Parallel.threads();
        try {
            Parallel.setThreads(2);
            allThreePassesMatchTheDefinition(16, 40, 50, 6, 7, 3, 3, 1, 1, 1, 0, 1, 1, 1, 1, false, 11L);
            Im2col.Geometry g = new Im2col.Geometry(40, 6, 6, 3, 3, 1, 1, 1, 1, 1, 1, 6, 6);
            SplittableRandom rnd = new SplittableRandom(3);
            int n = 16, o = 50;
            float[] x = gaussian(rnd, n * g.imageSize()), gy = gaussian(rnd, n * o * 36);
            assertSameBitsEveryCall(g, n, o, gy, x, 10);
        } finally {
            Parallel.setThreads(before);
        }
    }

    /**
     * Tall maps with wide padding, where the tiles near the top and bottom skip the kernel rows that read
     * only padding (the property's maps are mostly one or two tiles high): LeNet-5's second layer, whose
     * input gradient pads a 10×10 gradient by 4, a 5×5 kernel over rows padded by 4 above and 1 below, and
     * a dilated 3×3 kernel.
     */
    @Test
    void tilesThatSeePaddingSkipThoseTapsWithTheSameResult() {
        allThreePassesMatchTheDefinition(2, 6, 16, 14, 14, 5, 5, 0, 0, 0, 0, 1, 1, 1, 1, false, 1L);
        allThreePassesMatchTheDefinition(2, 3, 7, 30, 4, 5, 3, 4, 1, 1, 2, 1, 1, 1, 1, false, 2L);
        allThreePassesMatchTheDefinition(1, 2, 5, 26, 6, 3, 3, 3, 2, 0, 1, 2, 1, 1, 1, false, 3L);
        allThreePassesMatchTheDefinition(3, 1, 6, 28, 28, 5, 5, 2, 2, 2, 2, 1, 1, 1, 1, false, 4L);
        // Rows wider than a vector and six planes plus one in the overlap-add of the column gradient.
        allThreePassesMatchTheDefinition(2, 7, 5, 9, 21, 3, 4, 1, 2, 1, 3, 2, 2, 1, 1, false, 5L);
        // Five-tap kernel rows by channel on rows of 13 outputs (runs of ten that overlap), 3 kernel rows.
        allThreePassesMatchTheDefinition(2, 1, 17, 5, 15, 3, 5, 1, 0, 1, 0, 1, 1, 1, 1, false, 6L);
    }

    /**
     * The five-tap kernel rows of the by-channel weight gradient, on both providers (the plain-Java one
     * only through here: DirectConv does not choose it there), against the definition: odd and even row
     * lengths, one row, a second kernel row before the first, sums added into what dw holds.
     */
    @Property(tries = 60)
    void fiveTapRowsMatchTheDefinition(@ForAll @IntRange(min = 1, max = 7) int rows, @ForAll @IntRange(min = 1, max = 13) int len,
            @ForAll @IntRange(min = 0, max = 40) int offA, @ForAll @IntRange(min = 0, max = 40) int offB,
            @ForAll @IntRange(min = 0, max = 3) int r0, @ForAll long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int rowLen = len + 4 + 41, xLen = (r0 + rows) * rowLen + 3;
        float[] x = gaussian(rnd, xLen);
        int[] rowStart = new int[r0 + rows];
        for (int r = 0; r < rowStart.length; r++) rowStart[r] = r * rowLen + 1;
        for (KernelProvider kp : ProvidersForTest.all()) {
            int width = kp.convChannelBlock(), ldg = width + 3, go = 2, lddw = width + 1, dwo = 1;
            float[] g = gaussian(rnd, go + rows * len * ldg + width);
            float[] dw = gaussian(rnd, dwo + 10 * lddw), expect = dw.clone();
            for (int j = 0; j < 10; j++) {
                int o = j < 5 ? offA + j : offB + j - 5;
                for (int c = 0; c < width; c++) {
                    double sum = 0;
                    for (int r = 0; r < rows; r++)
                        for (int q = 0; q < len; q++) sum += (double) x[rowStart[r0 + r] + q + o] * g[go + (r * len + q) * ldg + c];
                    expect[dwo + j * lddw + c] += (float) sum;
                }
            }
            kp.convWeightFiveTapRows(width, rows, rowStart, r0, len, offA, offB, x, g, go, ldg, dw, dwo, lddw);
            for (int j = 0; j < dw.length; j++)
                assertEquals(expect[j], dw[j], 1e-4f * (1 + rows * len), kp.name() + " dw " + j);
        }
    }

    /**
     * The by-channel forward's ten positions of five-tap kernel rows, on both providers (the plain-Java
     * one only through here), against the definition.
     */
    @Property(tries = 60)
    void tenPositionsOfFiveTapRowsMatchTheDefinition(@ForAll @IntRange(min = 1, max = 7) int rows,
            @ForAll @IntRange(min = 0, max = 3) int b, @ForAll long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] rowOff = new int[rows];
        for (int r = 0; r < rows; r++) rowOff[r] = rnd.nextInt(60);
        float[] x = gaussian(rnd, b + 60 + 14 + 2);
        for (KernelProvider kp : ProvidersForTest.all()) {
            int width = kp.convChannelBlock(), ldw = width + 2, wo = 1, ldo = width + 3, oo = 2;
            float[] w = gaussian(rnd, wo + 5 * rows * ldw + width), out = new float[oo + 10 * ldo + width];
            Arrays.fill(out, Float.NaN);
            kp.convByChannelFiveTapRows(rows, rowOff, x, b, w, wo, ldw, out, oo, ldo);
            for (int p = 0; p < 10; p++)
                for (int c = 0; c < width; c++) {
                    double sum = 0;
                    for (int r = 0; r < rows; r++)
                        for (int kj = 0; kj < 5; kj++) sum += (double) x[b + rowOff[r] + p + kj] * w[wo + (5 * r + kj) * ldw + c];
                    assertEquals((float) sum, out[oo + p * ldo + c], 1e-4f * (1 + 5 * rows), kp.name() + " out " + p + "," + c);
                }
        }
    }

    @Test
    void supportsOnlyStrideOneAndReachablePadding() {
        assertTrue(DirectConv.supports(new Im2col.Geometry(1, 5, 5, 3, 3, 1, 1, 1, 1, 1, 1, 5, 5)));
        assertFalse(DirectConv.supports(new Im2col.Geometry(1, 5, 5, 3, 3, 2, 1, 1, 1, 1, 1, 3, 5)));
        // padding 3 around a 3×3 kernel: the transposed convolution would need padding -1
        Im2col.Geometry wide = new Im2col.Geometry(1, 2, 2, 3, 3, 1, 1, 3, 3, 1, 1, 6, 6);
        assertTrue(DirectConv.supports(wide));
        assertFalse(DirectConv.supportsBackwardInput(wide));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DirectConv.backwardInput(wide, 1, 1, new float[36], 0, new float[9], 0, new float[4], 0));
        assertTrue(e.getMessage().contains("padding"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> DirectConv.forward(
                new Im2col.Geometry(1, 5, 5, 3, 3, 2, 1, 1, 1, 1, 1, 3, 5), 1, 1, new float[25], 0, new float[9], 0, null, 0,
                new float[15], 0));
    }

    @Test
    void splitsABatchAcrossThreadsWithTheSameResult() {
        // LeNet's second layer at batch 64: large enough to run on the pool.
        Im2col.Geometry g = new Im2col.Geometry(6, 14, 14, 5, 5, 1, 1, 0, 0, 1, 1, 10, 10);
        SplittableRandom rnd = new SplittableRandom(7);
        int n = 64, o = 16;
        float[] x = gaussian(rnd, n * g.imageSize()), w = gaussian(rnd, o * g.colRows()), gy = gaussian(rnd, n * o * 100);
        int before = Parallel.threads();
        try {
            float[][] res = new float[2][];
            float[][] dws = new float[2][];
            for (int t = 1; t <= 2; t++) {
                Parallel.setThreads(t);
                res[t - 1] = new float[n * o * 100];
                dws[t - 1] = new float[o * g.colRows()];
                DirectConv.forward(g, n, o, x, 0, w, 0, null, 0, res[t - 1], 0);
                DirectConv.backwardWeight(g, n, o, gy, 0, x, 0, dws[t - 1]);
            }
            // Each image's outputs are computed alone: bitwise equal. The weight gradient sums per-thread
            // partial sums, so only the rounding may differ.
            assertTrue(Arrays.equals(res[0], res[1]));
            for (int j = 0; j < dws[0].length; j++) assertEquals(dws[0][j], dws[1][j], 1e-3f * (1 + Math.abs(dws[0][j])));
            // Two threads, again and again: the per-thread partial sums are added in image order, so
            // the weight gradient is the same bits whichever thread finishes first. (The by-channel
            // kernel only: the by-position one reduces vector lanes, whose order the Vector API leaves
            // open and which differs between interpreted and compiled code.)
            assertSameBitsEveryCall(g, n, o, gy, x, 20);
        } finally {
            Parallel.setThreads(before);
        }
    }

    /**
     * {@link ConvPlan#backwardWeightAndBias} against {@link ConvPlan#backwardWeight} and {@link ConvPlan#backwardBias}
     * on two threads: the bias gradient the same bits (LeNet-5's two layers at batch 64, by position and by channel,
     * a channels-last layer, and a strided layer off the grid's weight gradient), the weight gradient the same
     * within rounding.
     */
    @Test
    void weightAndBiasInOneCallAsInTwo() {
        Im2col.Geometry[] geos = {new Im2col.Geometry(1, 28, 28, 5, 5, 1, 1, 2, 2, 1, 1, 28, 28),
            new Im2col.Geometry(6, 14, 14, 5, 5, 1, 1, 0, 0, 1, 1, 10, 10),
            new Im2col.Geometry(40, 6, 6, 3, 3, 1, 1, 1, 1, 1, 1, 6, 6),
            new Im2col.Geometry(3, 9, 9, 3, 3, 2, 2, 1, 1, 1, 1, 5, 5)};
        int[] ns = {64, 64, 16, 5}, os = {6, 16, 50, 7};
        SplittableRandom rnd = new SplittableRandom(13);
        int before = Parallel.threads();
        try {
            Parallel.setThreads(2);
            for (int c = 0; c < geos.length; c++) {
                Im2col.Geometry g = geos[c];
                int n = ns[c], o = os[c], l = g.outH() * g.outW(), gOff = 3;
                float[] x = gaussian(rnd, n * g.imageSize()), gy = gaussian(rnd, gOff + n * o * l);
                ConvPlan plan = new ConvPlan(g, n, o, 1);
                float[] dw = new float[o * g.colRows()], dwb = new float[o * g.colRows()];
                plan.backwardWeight(gy, gOff, x, 0, dw);
                float[] db = plan.backwardBias(gy, gOff), dbb = plan.backwardWeightAndBias(gy, gOff, x, 0, dwb);
                assertTrue(Arrays.equals(db, dbb), g + " bias");
                for (int j = 0; j < dw.length; j++) assertEquals(dw[j], dwb[j], 1e-3f * (1 + Math.abs(dw[j])), g + " dw " + j);
            }
        } finally {
            Parallel.setThreads(before);
        }
    }

    /** The split weight gradient gives the same bits on every one of {@code calls} calls. */
    private static void assertSameBitsEveryCall(Im2col.Geometry g, int n, int o, float[] gy, float[] x, int calls) {
        float[] first = null;
        for (int rep = 0; rep < calls; rep++) {
            float[] dw = new float[o * g.colRows()];
            DirectConv.backwardWeight(g, n, o, gy, 0, x, 0, dw);
            if (first == null) first = dw;
            else assertTrue(Arrays.equals(first, dw), "repetition " + rep);
        }
    }

    private static float[] gaussian(SplittableRandom rnd, int len) {
        float[] a = new float[len];
        for (int i = 0; i < len; i++) a[i] = (float) rnd.nextGaussian();
        return a;
    }
}
