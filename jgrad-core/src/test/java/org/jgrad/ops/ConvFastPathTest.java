package org.jgrad.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * conv2d's forward and all three gradients against plain loops, on random geometries and on the
 * shapes of the model zoo's layers, so that every fast path (batched, direct, dropped padding
 * taps, small-channel kernels, parallel splits) is held to the same reference.
 */
class ConvFastPathTest {

    /** Output, dInput, dWeight, dBias of a convolution, computed by plain loops in double. */
    static double[][] reference(float[] x, int n, int c, int h, int w, float[] wt, int o, int kH, int kW, float[] b,
            float[] g, int sH, int sW, int pT, int pL, int dH, int dW, int groups, int outH, int outW) {
        int cg = c / groups, og = o / groups;
        double[] y = new double[n * o * outH * outW], dx = new double[x.length], dw = new double[wt.length],
                db = new double[o];
        for (int i = 0; i < n; i++)
            for (int oc = 0; oc < o; oc++) {
                int gi = oc / og;
                for (int oh = 0; oh < outH; oh++)
                    for (int ow = 0; ow < outW; ow++) {
                        int yi = ((i * o + oc) * outH + oh) * outW + ow;
                        double s = b == null ? 0 : b[oc], gv = g[yi];
                        db[oc] += gv;
                        for (int ci = 0; ci < cg; ci++)
                            for (int u = 0; u < kH; u++)
                                for (int v = 0; v < kW; v++) {
                                    int ih = oh * sH - pT + u * dH, iw = ow * sW - pL + v * dW;
                                    if (ih < 0 || ih >= h || iw < 0 || iw >= w) continue;
                                    int xi = ((i * c + gi * cg + ci) * h + ih) * w + iw;
                                    int wi = ((oc * cg + ci) * kH + u) * kW + v;
                                    s += (double) x[xi] * wt[wi];
                                    dx[xi] += gv * wt[wi];
                                    dw[wi] += gv * x[xi];
                                }
                        y[yi] = s;
                    }
            }
        return new double[][] {y, dx, dw, db};
    }

    private static void close(double[] ref, Tensor got, double tol, String what) {
        float[] a = got.toFloatArray();
        assertEquals(ref.length, a.length, what + " length");
        double scale = 0;
        for (double r : ref) scale = Math.max(scale, Math.abs(r));
        for (int i = 0; i < ref.length; i++)
            assertEquals(ref[i], a[i], tol * Math.max(1, scale), what + " element " + i);
    }

    /** Runs conv2d with gradients (input optionally non-contiguous) and checks everything. */
    static void check(Generator gen, int n, int c, int h, int w, int o, int kH, int kW, int sH, int sW, int pT, int pB,
            int pL, int pR, int dH, int dW, int groups, boolean bias, boolean transposedInput, boolean inputGrad) {
        float[] xs = Tensor.randn(gen, n * c * h * w).toFloatArray();
        Tensor x;
        if (transposedInput) {
            // the same values stored as [N, C, W, H] and viewed transposed: a non-contiguous input
            float[] t = new float[xs.length];
            for (int i = 0; i < n * c; i++)
                for (int r = 0; r < h; r++)
                    for (int q = 0; q < w; q++) t[(i * w + q) * h + r] = xs[(i * h + r) * w + q];
            x = TensorData.wrap(t, n, c, w, h).transpose(2, 3);
        } else x = TensorData.wrap(xs, n, c, h, w);
        x = x.requiresGrad(inputGrad);
        Tensor wt = Tensor.randn(gen, o, c / groups, kH, kW).requiresGrad(true);
        Tensor b = bias ? Tensor.randn(gen, o).requiresGrad(true) : null;
        Conv2dOptions opt = Conv2dOptions.defaults().stride(sH, sW).padding(pT, pB, pL, pR).dilation(dH, dW).groups(groups);
        Tensor y = ConvOps.conv2d(x, wt, b, opt);
        int outH = y.size(2), outW = y.size(3);
        Tensor g = Tensor.randn(gen, y.shape());
        y.backward(g);
        double[][] r = reference(xs, n, c, h, w, wt.toFloatArray(), o, kH, kW, bias ? b.toFloatArray() : null,
                g.toFloatArray(), sH, sW, pT, pL, dH, dW, groups, outH, outW);
        String what = "n" + n + " c" + c + " " + h + "x" + w + " o" + o + " k" + kH + "x" + kW + " s" + sH + "," + sW
                + " p" + pT + "," + pB + "," + pL + "," + pR + " d" + dH + "," + dW + " g" + groups;
        close(r[0], y, 2e-5, what + " output");
        if (inputGrad) close(r[1], x.grad(), 2e-5, what + " input grad");
        else assertEquals(null, x.grad(), what + " input grad");
        close(r[2], wt.grad(), 2e-5, what + " weight grad");
        if (bias) close(r[3], b.grad(), 2e-5, what + " bias grad");
    }

    @Property(tries = 120)
    void randomGeometries(@ForAll @IntRange(min = 1, max = 5) int n, @ForAll @IntRange(min = 1, max = 7) int cg,
            @ForAll @IntRange(min = 1, max = 9) int og, @ForAll @IntRange(min = 1, max = 2) int groups,
            @ForAll @IntRange(min = 1, max = 13) int h, @ForAll @IntRange(min = 1, max = 13) int w,
            @ForAll @IntRange(min = 1, max = 5) int kH, @ForAll @IntRange(min = 1, max = 5) int kW,
            @ForAll @IntRange(min = 1, max = 3) int sH, @ForAll @IntRange(min = 1, max = 2) int sW,
            @ForAll @IntRange(min = 0, max = 3) int pT, @ForAll @IntRange(min = 0, max = 2) int pB,
            @ForAll @IntRange(min = 0, max = 2) int pL, @ForAll @IntRange(min = 0, max = 3) int pR,
            @ForAll @IntRange(min = 1, max = 2) int dH, @ForAll boolean bias, @ForAll boolean transposed,
            @ForAll boolean inputGrad, @ForAll @IntRange(min = 0, max = 100000) int seed) {
        Assume.that(dH * (kH - 1) + 1 <= h + pT + pB && kW <= w + pL + pR);
        check(new Generator(seed), n, cg * groups, h, w, og * groups, kH, kW, sH, sW, pT, pB, pL, pR, dH, 1, groups, bias,
                transposed, inputGrad);
    }

    /**
     * The zoo shapes with every stride-1 layer forced onto the padded grid, then forced onto im2col:
     * the automatic choice ({@code jgrad.conv.grid=auto}) sends each shape one way only.
     */
    @Test
    void modelZooShapesOnBothStrideOnePaths() {
        String before = System.getProperty("jgrad.conv.grid");
        try {
            for (String mode : new String[] {"on", "off"}) {
                System.setProperty("jgrad.conv.grid", mode);
                modelZooShapes();
            }
        } finally {
            if (before == null) System.clearProperty("jgrad.conv.grid");
            else System.setProperty("jgrad.conv.grid", before);
        }
    }

    /** The layers of LeNet-5, ResNet-18 at 32×32 and a small VGG, at batch sizes that split across threads. */
    @Test
    void modelZooShapes() {
        Generator gen = new Generator(11);
        // {n, c, h, w, o, k, stride, pad}
        int[][] cases = {{64, 1, 28, 28, 6, 5, 1, 2}, {64, 6, 14, 14, 16, 5, 1, 0}, {7, 1, 28, 28, 6, 5, 1, 2},
            {8, 3, 32, 32, 64, 7, 2, 3}, {16, 64, 8, 8, 64, 3, 1, 1}, {16, 64, 8, 8, 128, 3, 2, 1},
            {16, 64, 8, 8, 128, 1, 2, 0}, {16, 128, 4, 4, 128, 3, 1, 1}, {8, 128, 4, 4, 256, 1, 2, 0},
            {8, 256, 2, 2, 256, 3, 1, 1}, {8, 256, 2, 2, 512, 3, 2, 1}, {8, 512, 1, 1, 512, 3, 1, 1},
            {8, 64, 1, 1, 32, 1, 1, 0}, {3, 16, 20, 20, 24, 1, 1, 0}, {32, 1, 28, 28, 32, 3, 1, 1},
            {32, 32, 28, 28, 32, 3, 1, 1}, {32, 32, 14, 14, 64, 3, 1, 1}, {5, 2, 9, 11, 3, 3, 1, 1},
            {4, 3, 6, 6, 5, 5, 1, 0}};
        for (int[] cs : cases) {
            boolean firstLayer = cs[1] <= 3;
            check(gen, cs[0], cs[1], cs[2], cs[3], cs[4], cs[5], cs[5], cs[6], cs[6], cs[7], cs[7], cs[7], cs[7], 1, 1, 1,
                    true, false, !firstLayer);
            check(gen, Math.min(cs[0], 3), cs[1], cs[2], cs[3], cs[4], cs[5], cs[5], cs[6], cs[6], cs[7], cs[7], cs[7],
                    cs[7], 1, 1, 1, false, true, true);
        }
    }

    /** A stem-like layer with over 1024 columns per chunk: the weight gradient computed as (col·G)ᵀ. */
    @Test
    void wideChunksComputeTheWeightGradientTransposed() {
        check(new Generator(11), 4, 3, 32, 32, 64, 7, 7, 2, 2, 3, 3, 3, 3, 1, 1, 1, false, false, false);
    }
}
