package org.jgrad.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The depthwise kernel (forward, input gradient, weight gradient) of both providers against the
 * definition, and the whole plan against the grouped im2col path it replaces, on random odd
 * shapes: channel multipliers 1 to 3, strides 1 to 3, uneven padding (also wider than the kernel),
 * dilation, batches of one, arrays at an offset with garbage around them.
 */
class DepthwiseConvTest {

    @Property(tries = 200)
    void allThreePassesMatchTheDefinitionAndTheGroupedPath(@ForAll @IntRange(min = 1, max = 3) int n,
            @ForAll @IntRange(min = 1, max = 5) int c, @ForAll @IntRange(min = 1, max = 3) int mult,
            @ForAll @IntRange(min = 1, max = 13) int h, @ForAll @IntRange(min = 1, max = 13) int w,
            @ForAll @IntRange(min = 1, max = 5) int kH, @ForAll @IntRange(min = 1, max = 5) int kW,
            @ForAll @IntRange(min = 0, max = 3) int pT, @ForAll @IntRange(min = 0, max = 3) int pB,
            @ForAll @IntRange(min = 0, max = 3) int pL, @ForAll @IntRange(min = 0, max = 3) int pR,
            @ForAll @IntRange(min = 1, max = 2) int dH, @ForAll @IntRange(min = 1, max = 2) int dW,
            @ForAll @IntRange(min = 1, max = 3) int sH, @ForAll @IntRange(min = 1, max = 3) int sW,
            @ForAll boolean withBias, @ForAll long seed) {
        int eH = dH * (kH - 1) + 1, eW = dW * (kW - 1) + 1;
        Assume.that(eH <= h + pT + pB && eW <= w + pL + pR);
        int outH = (h + pT + pB - eH) / sH + 1, outW = (w + pL + pR - eW) / sW + 1;
        int o = c * mult, kk = kH * kW, l = outH * outW;
        Im2col.Geometry g = new Im2col.Geometry(c, h, w, kH, kW, sH, sW, pT, pL, dH, dW, outH, outW);
        SplittableRandom rnd = new SplittableRandom(seed);
        int xOff = rnd.nextInt(3), wOff = rnd.nextInt(3), gOff = rnd.nextInt(3), outOff = rnd.nextInt(3);
        float[] x = gaussian(rnd, xOff + n * c * h * w + 2), wt = gaussian(rnd, wOff + o * kk + 1);
        float[] bias = withBias ? gaussian(rnd, o + 1) : null, gy = gaussian(rnd, gOff + n * o * l + 2);
        float[] expectOut = new float[n * o * l], expectDw = new float[o * kk], expectDx = new float[n * c * h * w];
        for (int i = 0; i < n; i++)
            for (int oc = 0; oc < o; oc++)
                for (int oh = 0; oh < outH; oh++)
                    for (int ow = 0; ow < outW; ow++) {
                        double s = bias == null ? 0 : bias[1 + oc];
                        int go = gOff + ((i * o + oc) * outH + oh) * outW + ow, ic = oc / mult;
                        for (int ki = 0; ki < kH; ki++)
                            for (int kj = 0; kj < kW; kj++) {
                                int ih = oh * sH - pT + ki * dH, iw = ow * sW - pL + kj * dW;
                                if (ih < 0 || ih >= h || iw < 0 || iw >= w) continue;
                                int xi = ((i * c + ic) * h + ih) * w + iw, t = ki * kW + kj;
                                s += (double) wt[wOff + oc * kk + t] * x[xOff + xi];
                                expectDw[oc * kk + t] += gy[go] * x[xOff + xi];
                                expectDx[xi] += gy[go] * wt[wOff + oc * kk + t];
                            }
                        expectOut[(i * o + oc) * l + oh * outW + ow] = (float) s;
                    }
        for (KernelProvider kp : ProvidersForTest.all()) {
            String what = kp.name() + " " + g + " n=" + n + " o=" + o;
            float[] out = new float[outOff + n * o * l + 3];
            Arrays.fill(out, Float.NaN);
            DepthwiseConv.forward(kp, g, n, o, x, xOff, wt, wOff, bias, 1, out, outOff, false);
            for (int j = 0; j < n * o * l; j++) assertEquals(expectOut[j], out[outOff + j], 1e-4f * (1 + kk), what + " out " + j);
            for (int j = 0; j < outOff; j++) assertTrue(Float.isNaN(out[j]), what + " wrote before the output");
            for (int j = outOff + n * o * l; j < out.length; j++) assertTrue(Float.isNaN(out[j]), what + " wrote after the output");

            float[] relu = new float[n * o * l];
            DepthwiseConv.forward(kp, g, n, o, x, xOff, wt, wOff, bias, 1, relu, 0, true);
            for (int j = 0; j < n * o * l; j++) assertEquals(Math.max(0f, out[outOff + j]), relu[j], 0f, what + " relu " + j);

            float[] dw = new float[o * kk];
            Arrays.fill(dw, 1f); // accumulates
            DepthwiseConv.backwardWeight(kp, g, n, o, gy, gOff, x, xOff, dw);
            for (int j = 0; j < o * kk; j++) assertEquals(1f + expectDw[j], dw[j], 1e-4f * (1 + n * l), what + " dw " + j);

            float[] dx = new float[xOff + n * c * h * w];
            Arrays.fill(dx, Float.NaN); // overwritten
            DepthwiseConv.backwardInput(kp, g, n, o, gy, gOff, wt, wOff, dx, xOff);
            for (int j = 0; j < n * c * h * w; j++) assertEquals(expectDx[j], dx[xOff + j], 1e-4f * (1 + mult * kk), what + " dx " + j);
        }

        // The grouped im2col path (what ran before) on the same shape: the same values.
        if (c > 1) {
            float[] xs = Arrays.copyOfRange(x, xOff, xOff + n * c * h * w), gs = Arrays.copyOfRange(gy, gOff, gOff + n * o * l);
            ConvPlan fast = new ConvPlan(g, n, o, c), grouped = new ConvPlan(g, n, o, c, false);
            assertTrue(fast.depthwise);
            assertFalse(grouped.depthwise);
            float[] a = new float[n * o * l], b = new float[n * o * l];
            fast.forward(xs, 0, wt, wOff, bias, 1, a, false);
            grouped.forward(xs, 0, wt, wOff, bias, 1, b, false);
            for (int j = 0; j < a.length; j++) assertEquals(b[j], a[j], 1e-4f * (1 + kk), "forward vs grouped " + j);
            float[] da = new float[n * c * h * w], db = new float[n * c * h * w];
            fast.backwardInput(gs, 0, wt, wOff, da);
            grouped.backwardInput(gs, 0, wt, wOff, db);
            for (int j = 0; j < da.length; j++) assertEquals(db[j], da[j], 1e-4f * (1 + mult * kk), "dx vs grouped " + j);
            float[] wa = new float[o * kk], wb = new float[o * kk];
            fast.backwardWeight(gs, 0, xs, 0, wa);
            grouped.backwardWeight(gs, 0, xs, 0, wb);
            for (int j = 0; j < wa.length; j++) assertEquals(wb[j], wa[j], 1e-4f * (1 + n * l), "dw vs grouped " + j);
        }
    }

    @Test
    void appliesOnlyWhenEveryChannelIsItsOwnGroup() {
        Im2col.Geometry g = new Im2col.Geometry(8, 5, 5, 3, 3, 1, 1, 1, 1, 1, 1, 5, 5);
        assertTrue(DepthwiseConv.applies(g, 8));
        assertFalse(DepthwiseConv.applies(g, 4));
        assertFalse(DepthwiseConv.applies(g, 1));
        assertFalse(DepthwiseConv.applies(new Im2col.Geometry(1, 5, 5, 3, 3, 1, 1, 1, 1, 1, 1, 5, 5), 1));
    }

    @Test
    void splitsAcrossThreadsWithTheSameResult() {
        // MobileNetV2's second block at batch 8: 96 channels, 3×3 stride 2 over 32×32.
        Im2col.Geometry g = new Im2col.Geometry(96, 32, 32, 3, 3, 2, 2, 1, 1, 1, 1, 16, 16);
        SplittableRandom rnd = new SplittableRandom(11);
        int n = 8, o = 96;
        float[] x = gaussian(rnd, n * g.imageSize()), w = gaussian(rnd, o * 9), gy = gaussian(rnd, n * o * 256);
        int before = Parallel.threads();
        try {
            float[][] out = new float[2][], dw = new float[2][], dx = new float[2][];
            for (int t = 1; t <= 2; t++) {
                Parallel.setThreads(t);
                out[t - 1] = new float[n * o * 256];
                dw[t - 1] = new float[o * 9];
                dx[t - 1] = new float[n * g.imageSize()];
                DepthwiseConv.forward(g, n, o, x, 0, w, 0, null, 0, out[t - 1], 0, false);
                DepthwiseConv.backwardWeight(g, n, o, gy, 0, x, 0, dw[t - 1]);
                DepthwiseConv.backwardInput(g, n, o, gy, 0, w, 0, dx[t - 1], 0);
            }
            // Planes are computed alone and each channel's weight gradient on one thread: bitwise equal.
            assertTrue(Arrays.equals(out[0], out[1]));
            assertTrue(Arrays.equals(dx[0], dx[1]));
            assertTrue(Arrays.equals(dw[0], dw[1]));
        } finally {
            Parallel.setThreads(before);
        }
    }

    private static float[] gaussian(SplittableRandom rnd, int len) {
        float[] a = new float[len];
        for (int i = 0; i < len; i++) a[i] = (float) rnd.nextGaussian();
        return a;
    }
}
