package org.jgrad.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jgrad.autograd.GradCheck;
import org.jgrad.kernels.Im2col;
import org.jgrad.kernels.Parallel;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

class ConvOpsTest {

    /** Direct-loop cross-correlation in double precision: the reference every fast path is held to. */
    static float[] naiveConv2d(Tensor x, Tensor w, Tensor b, int sH, int sW, int pT, int pB, int pL, int pR, int dH,
            int dW, int groups) {
        int n = x.size(0), c = x.size(1), h = x.size(2), wd = x.size(3);
        int o = w.size(0), cg = w.size(1), kH = w.size(2), kW = w.size(3);
        int outH = (h + pT + pB - dH * (kH - 1) - 1) / sH + 1, outW = (wd + pL + pR - dW * (kW - 1) - 1) / sW + 1;
        int og = o / groups;
        float[] out = new float[n * o * outH * outW];
        for (int i = 0; i < n; i++)
            for (int oc = 0; oc < o; oc++) {
                int gi = oc / og;
                for (int oh = 0; oh < outH; oh++)
                    for (int ow = 0; ow < outW; ow++) {
                        double s = b == null ? 0 : b.get(oc);
                        for (int ci = 0; ci < cg; ci++)
                            for (int u = 0; u < kH; u++)
                                for (int v = 0; v < kW; v++) {
                                    int ih = oh * sH - pT + u * dH, iw = ow * sW - pL + v * dW;
                                    if (ih < 0 || ih >= h || iw < 0 || iw >= wd) continue;
                                    s += (double) x.get(i, gi * cg + ci, ih, iw) * w.get(oc, ci, u, v);
                                }
                        out[((i * o + oc) * outH + oh) * outW + ow] = (float) s;
                    }
            }
        return out;
    }

    private static void assertClose(float[] expected, float[] actual, float tol) {
        assertEquals(expected.length, actual.length, "length");
        for (int i = 0; i < expected.length; i++)
            assertEquals(expected[i], actual[i], tol * Math.max(1, Math.abs(expected[i])), "element " + i);
    }

    private static Tensor t2(float[][] rows) {
        return Tensor.of(rows);
    }

    // ------------------------------------------------------------------ output size

    @Test
    void outputSizeFormula() {
        // The lectures' ⌊(W + 2P − F)/S⌋ + 1.
        assertEquals(3, ConvOps.outputSize(5, 3, 1, 0));
        assertEquals(2, ConvOps.outputSize(5, 3, 2, 0));
        assertEquals(3, ConvOps.outputSize(3, 3, 1, 1));
        assertEquals(55, ConvOps.outputSize(227, 11, 4, 0)); // AlexNet conv1
        assertEquals(55, ConvOps.outputSize(224, 11, 4, 2)); // torchvision's AlexNet conv1
        assertEquals(224, ConvOps.outputSize(224, 3, 1, 1));
        assertEquals(112, ConvOps.outputSize(224, 7, 2, 3)); // ResNet stem
        assertEquals(1, ConvOps.outputSize(1, 1, 1, 0));
        assertEquals(1, ConvOps.outputSize(7, 7, 3, 0));
        assertEquals(4, ConvOps.outputSize(7, 2, 2, 1)); // (7+2-2)/2+1 = 4 (floor)
        assertEquals(3, ConvOps.outputSize(7, 3, 2, 0, 0, 1));
        assertEquals(3, ConvOps.outputSize(7, 3, 1, 0, 0, 2)); // dilated extent 5
        assertEquals(6, ConvOps.outputSize(7, 3, 1, 1, 2, 2)); // asymmetric padding: (7+3-5)/1+1
        assertEquals(7, ConvOps.outputSize(7, 3, 1, 2, 2, 2)); // "same" for a 3-tap kernel at dilation 2
    }

    @Test
    void outputSizeAgainstBruteForceCount() {
        // Count window positions that fit, for many shapes, and compare with the closed form.
        for (int in = 1; in <= 13; in++)
            for (int k = 1; k <= 5; k++)
                for (int s = 1; s <= 4; s++)
                    for (int p = 0; p <= 3; p++)
                        for (int d = 1; d <= 3; d++) {
                            int extent = d * (k - 1) + 1, padded = in + 2 * p;
                            if (extent > padded) {
                                int fi = in, fk = k, fs = s, fp = p, fd = d;
                                assertThrows(IllegalArgumentException.class, () -> ConvOps.outputSize(fi, fk, fs, fp, fd));
                                continue;
                            }
                            int count = 0;
                            for (int start = 0; start + extent <= padded; start += s) count++;
                            assertEquals(count, ConvOps.outputSize(in, k, s, p, d), "in " + in + " k " + k + " s " + s
                                    + " p " + p + " d " + d);
                        }
    }

    @Test
    void outputSizeRejectsBadArguments() {
        var e = assertThrows(IllegalArgumentException.class, () -> ConvOps.outputSize(2, 3, 1, 0));
        assertTrue(e.getMessage().contains("does not fit"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ConvOps.outputSize(5, 0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> ConvOps.outputSize(5, 3, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> ConvOps.outputSize(5, 3, 1, -1));
    }

    // ------------------------------------------------------------------ seeds

    private static final float[][] SEED001_IMAGE = {
        {2, 0, 3, 0, 1}, {1, 0, 4, 2, 1}, {3, 1, 1, 0, 1}, {1, 0, 4, 5, 0}, {0, 1, 2, 0, 1}};
    private static final float[][] VERTICAL_LINE = {{0, 1, 0}, {0, 1, 0}, {0, 1, 0}};

    @Test
    void seed001StrideExamples() {
        Tensor x = t2(SEED001_IMAGE).view(1, 1, 5, 5);
        Tensor w = t2(VERTICAL_LINE).view(1, 1, 3, 3);
        Tensor s1 = ConvOps.conv2d(x, w, null);
        assertArrayEquals(new int[] {1, 1, 3, 3}, s1.shape());
        assertArrayEquals(new float[] {1, 8, 2, 1, 9, 7, 2, 7, 5}, s1.toFloatArray());
        Tensor s2 = ConvOps.conv2d(x, w, null, 2, 0);
        assertArrayEquals(new float[] {1, 2, 2, 5}, s2.toFloatArray());
    }

    @Test
    void seed001PaddingExample() {
        Tensor x = t2(new float[][] {{0, 4, 2}, {1, 1, 0}, {3, 4, 5}}).view(1, 1, 3, 3);
        Tensor w = t2(VERTICAL_LINE).view(1, 1, 3, 3);
        assertArrayEquals(new float[] {9}, ConvOps.conv2d(x, w, null).toFloatArray());
        // The seed prints 6 for the bottom-right entry; its window's middle column is 0, 5, 0 (the
        // padded row below is zeros), so the arithmetic gives 5.
        assertArrayEquals(new float[] {1, 5, 2, 4, 9, 7, 4, 5, 5}, ConvOps.conv2d(x, w, null, 1, 1).toFloatArray());
    }

    @Test
    void seed004OneDimensionalConvolutionFlipsTheKernel() {
        // f[-3:3] and g[-1:1]: array index i holds f[i-3] and g[i-1]. In "same" mode the kernel's centre
        // is its origin, so output index i is (f*g)[i-3]; (f*g)[2] = f[3]g[-1] + f[2]g[0] + f[1]g[1] = -2.
        Tensor f = Tensor.of(1, 9, 0, 5, 2, 4, 3);
        Tensor g = Tensor.of(-2, 0, 2);
        Tensor same = ConvOps.convolve1d(f, g, "same");
        assertEquals(-2f, same.get(2 + 3));
        // The full result starts at index -3 + -1 = -4.
        Tensor full = ConvOps.convolve1d(f, g, "full");
        assertEquals(9, full.size(0));
        assertEquals(-2f, full.get(2 + 4));
        // Without the flip (cross-correlation, what conv1d computes) the same position gives +2.
        Tensor corr = ConvOps.conv1d(f.view(1, 1, 7), g.view(1, 1, 3), null, 1, 1, 1, 1);
        assertEquals(2f, corr.get(0, 0, 5));
        // NumPy: np.convolve(f, g, "same")
        assertArrayEquals(new float[] {-18, 2, 8, -4, 2, -2, 8}, same.toFloatArray());
    }

    private static final float[][] SEED004_F = {
        {1, 4, 5, 8, 2, 1}, {0, 3, 1, 5, 7, 2}, {1, 2, 1, 4, 7, 1},
        {2, 2, 0, 3, 6, 2}, {0, 1, 7, 3, 5, 3}, {1, 3, 4, 1, 2, 4}};
    private static final float[][] SEED004_G = {{-1, 0, 1}, {-2, 0, 2}, {-3, 0, 3}};

    @Test
    void seed004TwoDimensionalConvolution() {
        // The seed indexes f[-3:2][-3:2] and g[-1:1][-1:1] with the first index as a y coordinate that grows
        // upwards (rows run from 2 at the top to -3 at the bottom) and the second as x growing to the right.
        // This is the only reading under which both of its worked windows sit where it says: for
        // (f*g)[2][2] the window it draws is the zero-padded top-right corner, for (f*g)[0][0] the block
        // rows 1..3, columns 2..4 of the table. Reversing the row axis of f, g and the output together
        // leaves a convolution a convolution, so f[m][n] is array element [2 - m][n + 3] and the seed's
        // kernel table is used as printed.
        Tensor f = t2(SEED004_F), g = t2(SEED004_G);
        Tensor same = ConvOps.convolve2d(f, g, "same");
        // (f*g)[2][2] with zero padding: the seed's products 0·3 + 0·0 + 0·(-3) + 2·2 + 1·0 + 0·(-2) + 7·1 + 2·0 + 0·(-1) = 11.
        assertEquals(11f, same.get(2 - 2, 2 + 3));
        // (f*g)[0][0]: the seed prints -45, but its own listed products
        // 1·3 + 5·0 + 7·(-3) + 1·2 + 4·0 + 7·(-2) + 0·1 + 3·0 + 6·(-1) sum to -36 (no window of the table,
        // flipped or not, gives -45), so -36 is the value asserted.
        assertEquals(-36f, same.get(2 - 0, 0 + 3));
        // An interior output does not depend on the padding: "valid" gives it too, one row and column in.
        Tensor valid = ConvOps.convolve2d(f, g, "valid");
        assertArrayEquals(new int[] {4, 4}, valid.shape());
        assertEquals(-36f, valid.get(1, 2));
        assertArrayEquals(new int[] {8, 8}, ConvOps.convolve2d(f, g, "full").shape());
    }

    @Test
    void convolveModesMatchDirectSums() {
        Generator gen = new Generator(7);
        for (int n : new int[] {1, 2, 5, 8})
            for (int m : new int[] {1, 2, 3, 4}) {
                Tensor f = Tensor.randn(gen, n), g = Tensor.randn(gen, m);
                float[] full = new float[n + m - 1];
                for (int i = 0; i < full.length; i++) {
                    double s = 0;
                    for (int j = 0; j < m; j++) if (i - j >= 0 && i - j < n) s += (double) f.get(i - j) * g.get(j);
                    full[i] = (float) s;
                }
                assertClose(full, ConvOps.convolve1d(f, g, "full").toFloatArray(), 1e-5f);
                float[] same = java.util.Arrays.copyOfRange(full, (m - 1) / 2, (m - 1) / 2 + n);
                assertClose(same, ConvOps.convolve1d(f, g, "same").toFloatArray(), 1e-5f);
                if (m <= n) {
                    float[] valid = java.util.Arrays.copyOfRange(full, m - 1, n);
                    assertClose(valid, ConvOps.convolve1d(f, g, "valid").toFloatArray(), 1e-5f);
                } else {
                    assertThrows(IllegalArgumentException.class, () -> ConvOps.convolve1d(f, g, "valid"));
                }
            }
        // 2-D: full convolution against the definition.
        Tensor f = Tensor.randn(gen, 4, 5), g = Tensor.randn(gen, 2, 3);
        Tensor full = ConvOps.convolve2d(f, g, ConvOps.ConvolveMode.FULL);
        for (int i = 0; i < 5; i++)
            for (int j = 0; j < 7; j++) {
                double s = 0;
                for (int u = 0; u < 2; u++)
                    for (int v = 0; v < 3; v++)
                        if (i - u >= 0 && i - u < 4 && j - v >= 0 && j - v < 5) s += (double) f.get(i - u, j - v) * g.get(u, v);
                assertEquals(s, full.get(i, j), 1e-5);
            }
        assertThrows(IllegalArgumentException.class, () -> ConvOps.convolve1d(Tensor.of(1, 2), Tensor.of(1, 2), "middle"));
    }

    @Test
    void convolveGradients() {
        Generator gen = new Generator(3);
        for (String mode : new String[] {"full", "same", "valid"}) {
            GradCheck.assertGradients(in -> ConvOps.convolve1d(in[0], in[1], mode), Tensor.randn(gen, 6), Tensor.randn(gen, 3));
            GradCheck.assertGradients(in -> ConvOps.convolve2d(in[0], in[1], mode), Tensor.randn(gen, 4, 5),
                    Tensor.randn(gen, 2, 3));
        }
    }

    // ------------------------------------------------------------------ conv2d against the reference

    @Test
    void conv2dMatchesNaiveOnRandomShapes() {
        Generator gen = new Generator(42);
        int[][] cases = {
            // n, c, h, w, o, kH, kW, sH, sW, pT, pB, pL, pR, dH, dW, groups
            {1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1},
            {2, 3, 7, 5, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1},
            {3, 2, 11, 13, 5, 3, 2, 2, 3, 0, 1, 2, 0, 1, 1, 1},
            {2, 4, 9, 7, 6, 3, 3, 1, 2, 2, 2, 1, 1, 2, 3, 2},
            {1, 6, 5, 5, 6, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 6},   // depthwise
            {2, 3, 8, 8, 9, 5, 5, 3, 3, 2, 2, 2, 2, 1, 1, 3},   // depthwise multiplier 3
            {2, 5, 6, 7, 3, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1},   // 1x1 direct path
            {2, 4, 6, 7, 2, 1, 1, 2, 1, 0, 0, 0, 0, 1, 1, 2},   // 1x1 strided
            {1, 2, 1, 17, 3, 1, 5, 1, 2, 0, 0, 2, 2, 1, 1, 1},  // height 1
            {2, 1, 13, 11, 2, 7, 7, 2, 2, 3, 3, 3, 3, 1, 1, 1},
            {1, 2, 3, 3, 2, 3, 3, 1, 1, 0, 0, 0, 0, 1, 1, 1},   // kernel = image
            {1, 1, 2, 2, 1, 3, 3, 1, 1, 1, 0, 1, 0, 1, 1, 1},   // fits only through the padding
        };
        for (int[] cs : cases) {
            Tensor x = Tensor.randn(gen, cs[0], cs[1], cs[2], cs[3]);
            Tensor w = Tensor.randn(gen, cs[4], cs[1] / cs[15], cs[5], cs[6]);
            Tensor b = Tensor.randn(gen, cs[4]);
            Conv2dOptions o = Conv2dOptions.defaults().stride(cs[7], cs[8]).padding(cs[9], cs[10], cs[11], cs[12])
                    .dilation(cs[13], cs[14]).groups(cs[15]);
            float[] ref = naiveConv2d(x, w, b, cs[7], cs[8], cs[9], cs[10], cs[11], cs[12], cs[13], cs[14], cs[15]);
            assertClose(ref, ConvOps.conv2d(x, w, b, o).toFloatArray(), 1e-4f);
            float[] refNoBias = naiveConv2d(x, w, null, cs[7], cs[8], cs[9], cs[10], cs[11], cs[12], cs[13], cs[14], cs[15]);
            assertClose(refNoBias, ConvOps.conv2d(x, w, null, o).toFloatArray(), 1e-4f);
        }
    }

    @Test
    void conv2dBackwardMatchesNaiveLoops() {
        // Larger than a gradient check can afford: the analytic gradients against direct loops, with
        // stride, uneven padding, dilation and groups together.
        Generator gen = new Generator(43);
        int[][] cases = {
            // n, c, h, w, o, kH, kW, sH, sW, pT, pB, pL, pR, dH, dW, groups
            {3, 4, 9, 8, 6, 3, 2, 2, 1, 1, 2, 0, 1, 2, 1, 2},
            {2, 3, 7, 7, 3, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 3},
            {2, 6, 5, 6, 4, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 2},
        };
        for (int[] cs : cases) {
            int n = cs[0], c = cs[1], h = cs[2], wd = cs[3], o = cs[4], kH = cs[5], kW = cs[6], groups = cs[15];
            int cg = c / groups, og = o / groups;
            Tensor x = Tensor.randn(gen, n, c, h, wd).requiresGrad(true);
            Tensor w = Tensor.randn(gen, o, cg, kH, kW).requiresGrad(true);
            Tensor b = Tensor.randn(gen, o).requiresGrad(true);
            Conv2dOptions opt = Conv2dOptions.defaults().stride(cs[7], cs[8]).padding(cs[9], cs[10], cs[11], cs[12])
                    .dilation(cs[13], cs[14]).groups(groups);
            Tensor y = ConvOps.conv2d(x, w, b, opt);
            Tensor gy = Tensor.randn(gen, y.shape());
            y.backward(gy);
            int outH = y.size(2), outW = y.size(3);
            double[] dx = new double[x.numel()], dw = new double[w.numel()], db = new double[o];
            for (int i = 0; i < n; i++)
                for (int oc = 0; oc < o; oc++)
                    for (int oh = 0; oh < outH; oh++)
                        for (int ow = 0; ow < outW; ow++) {
                            double g = gy.get(i, oc, oh, ow);
                            db[oc] += g;
                            for (int ci = 0; ci < cg; ci++)
                                for (int u = 0; u < kH; u++)
                                    for (int v = 0; v < kW; v++) {
                                        int ih = oh * cs[7] - cs[9] + u * cs[13], iw = ow * cs[8] - cs[11] + v * cs[14];
                                        if (ih < 0 || ih >= h || iw < 0 || iw >= wd) continue;
                                        int cin = (oc / og) * cg + ci;
                                        dx[((i * c + cin) * h + ih) * wd + iw] += g * w.get(oc, ci, u, v);
                                        dw[((oc * cg + ci) * kH + u) * kW + v] += g * x.get(i, cin, ih, iw);
                                    }
                        }
            assertClose(toFloat(dx), x.grad().toFloatArray(), 1e-4f);
            assertClose(toFloat(dw), w.grad().toFloatArray(), 1e-4f);
            assertClose(toFloat(db), b.grad().toFloatArray(), 1e-4f);
        }
    }

    private static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
        return f;
    }

    @Test
    void conv2dLargeBatchUsesThreadsAndAgrees() {
        Generator gen = new Generator(5);
        Tensor x = Tensor.randn(gen, 8, 8, 12, 12), w = Tensor.randn(gen, 16, 4, 3, 3), b = Tensor.randn(gen, 16);
        Conv2dOptions o = Conv2dOptions.defaults().padding(1).groups(2);
        int before = Parallel.threads();
        try {
            Parallel.setThreads(2);
            Tensor xr = x.requiresGrad(true), wr = w.requiresGrad(true), br = b.requiresGrad(true);
            Tensor y2 = ConvOps.conv2d(xr, wr, br, o);
            y2.sum().backward();
            float[] gx2 = xr.grad().toFloatArray(), gw2 = wr.grad().toFloatArray(), gb2 = br.grad().toFloatArray();
            Parallel.setThreads(1);
            Tensor x1 = x.detach().requiresGrad(true), w1 = w.detach().requiresGrad(true), b1 = b.detach().requiresGrad(true);
            Tensor y1 = ConvOps.conv2d(x1, w1, b1, o);
            y1.sum().backward();
            assertClose(y1.toFloatArray(), y2.toFloatArray(), 1e-5f);
            assertClose(x1.grad().toFloatArray(), gx2, 1e-5f);
            assertClose(w1.grad().toFloatArray(), gw2, 1e-4f);
            assertClose(b1.grad().toFloatArray(), gb2, 1e-5f);
            assertClose(naiveConv2d(x, w, b, 1, 1, 1, 1, 1, 1, 1, 1, 2), y1.toFloatArray(), 1e-4f);
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void im2colAndCol2imAreAdjoint() {
        // <im2col(x), c> = <x, col2im(c)> for any x and c: col2im is exactly the transpose.
        Generator gen = new Generator(9);
        Im2col.Geometry g = new Im2col.Geometry(2, 5, 7, 3, 2, 2, 3, 1, 2, 2, 1, 3, 3);
        float[] x = Tensor.randn(gen, g.imageSize()).toFloatArray();
        float[] c = Tensor.randn(gen, g.colSize()).toFloatArray();
        float[] col = new float[g.colSize()];
        Im2col.im2col(g, x, 0, col, 0);
        float[] img = new float[g.imageSize()];
        Im2col.col2im(g, c, 0, img, 0);
        double lhs = 0, rhs = 0;
        for (int i = 0; i < col.length; i++) lhs += (double) col[i] * c[i];
        for (int i = 0; i < x.length; i++) rhs += (double) x[i] * img[i];
        assertEquals(lhs, rhs, 1e-3);
        // Batched versions agree with the per-image ones.
        float[] xs = Tensor.randn(gen, 3 * g.imageSize()).toFloatArray();
        float[] cols = new float[3 * g.colSize()];
        Im2col.im2colBatch(g, 3, xs, 0, cols, 0);
        float[] one = new float[g.colSize()];
        Im2col.im2col(g, xs, 2 * g.imageSize(), one, 0);
        assertArrayEquals(one, java.util.Arrays.copyOfRange(cols, 2 * g.colSize(), 3 * g.colSize()));
    }

    // ------------------------------------------------------------------ gradients

    private static void checkConv(Generator gen, int n, int c, int h, int w, int o, int kH, int kW, Conv2dOptions opt,
            boolean bias) {
        Tensor x = Tensor.randn(gen, n, c, h, w), wt = Tensor.randn(gen, o, c / opt.groups(), kH, kW);
        if (bias) {
            GradCheck.assertGradients(in -> ConvOps.conv2d(in[0], in[1], in[2], opt), x, wt, Tensor.randn(gen, o));
        } else {
            GradCheck.assertGradients(in -> ConvOps.conv2d(in[0], in[1], null, opt), x, wt);
        }
    }

    @Test
    void conv2dGradients() {
        Generator gen = new Generator(11);
        checkConv(gen, 2, 2, 4, 5, 3, 3, 3, Conv2dOptions.defaults(), true);
        checkConv(gen, 1, 2, 5, 5, 2, 3, 2, Conv2dOptions.defaults().stride(2, 1).padding(1, 0, 2, 1), true);
        checkConv(gen, 1, 1, 6, 5, 2, 2, 3, Conv2dOptions.defaults().dilation(2, 1).padding(1), false);
        checkConv(gen, 2, 4, 4, 4, 2, 3, 3, Conv2dOptions.defaults().groups(2).padding(1).stride(2), true);
        checkConv(gen, 1, 3, 4, 4, 3, 3, 3, Conv2dOptions.defaults().groups(3).padding("same"), true); // depthwise
        checkConv(gen, 1, 2, 5, 4, 2, 2, 2, Conv2dOptions.defaults().padding("same").dilation(2), false); // odd total
        checkConv(gen, 2, 3, 3, 4, 2, 1, 1, Conv2dOptions.defaults(), true); // 1x1 direct path
    }

    @Test
    void conv1dMatchesConv2dAndHasGradients() {
        Generator gen = new Generator(13);
        Tensor x = Tensor.randn(gen, 2, 4, 9), w = Tensor.randn(gen, 6, 2, 3), b = Tensor.randn(gen, 6);
        Tensor y = ConvOps.conv1d(x, w, b, 2, 1, 2, 2, 2);
        float[] ref = naiveConv2d(x.view(2, 4, 1, 9), w.view(6, 2, 1, 3), b, 1, 2, 0, 0, 1, 2, 1, 2, 2);
        assertClose(ref, y.toFloatArray(), 1e-4f);
        assertArrayEquals(new int[] {2, 6, ConvOps.outputSize(9, 3, 2, 1, 2, 2)}, y.shape());
        Tensor same = ConvOps.conv1d(x, w, b, "same", 1, 2);
        assertArrayEquals(new int[] {2, 6, 9}, same.shape());
        Tensor unbatched = ConvOps.conv1d(x.select(0, 1), w, b, 2, 1, 2, 2, 2);
        assertArrayEquals(new int[] {6, y.size(2)}, unbatched.shape());
        assertClose(y.select(0, 1).contiguous().toFloatArray(), unbatched.toFloatArray(), 1e-6f);
        GradCheck.assertGradients(in -> ConvOps.conv1d(in[0], in[1], in[2], 2, 1, 0, 1, 1), Tensor.randn(gen, 2, 2, 7),
                Tensor.randn(gen, 3, 2, 3), Tensor.randn(gen, 3));
    }

    @Test
    void samePaddingFollowsPyTorch() {
        Generator gen = new Generator(17);
        Tensor x = Tensor.randn(gen, 1, 1, 6, 7);
        // Even kernel: total padding 3 (dilation 1, k = 4) → 1 on top/left, 2 on bottom/right.
        Tensor w = Tensor.randn(gen, 1, 1, 4, 4);
        Tensor y = ConvOps.conv2d(x, w, null, Conv2dOptions.defaults().padding("same"));
        assertArrayEquals(new int[] {1, 1, 6, 7}, y.shape());
        assertClose(naiveConv2d(x, w, null, 1, 1, 1, 2, 1, 2, 1, 1, 1), y.toFloatArray(), 1e-5f);
        assertArrayEquals(new int[] {1, 1, 6, 7}, ConvOps.conv2d(x, w, null,
                Conv2dOptions.defaults().padding("same").dilation(2, 3)).shape());
        Tensor valid = ConvOps.conv2d(x, w, null, Conv2dOptions.defaults().padding(5).padding("valid"));
        assertArrayEquals(new int[] {1, 1, 3, 4}, valid.shape());
        var e = assertThrows(IllegalArgumentException.class,
                () -> ConvOps.conv2d(x, w, null, Conv2dOptions.defaults().padding("same").stride(2)));
        assertTrue(e.getMessage().contains("strided"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Conv2dOptions.defaults().padding("full"));
    }

    // ------------------------------------------------------------------ errors

    @Test
    void errorsNameTheShapes() {
        Tensor x = Tensor.zeros(2, 6, 5, 5);
        var e1 = assertThrows(IllegalArgumentException.class,
                () -> ConvOps.conv2d(x, Tensor.zeros(4, 3, 7, 7), null, Conv2dOptions.defaults().groups(2)));
        assertTrue(e1.getMessage().contains("[2, 6, 5, 5]") && e1.getMessage().contains("[4, 3, 7, 7]")
                && e1.getMessage().contains("does not fit"), e1.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class,
                () -> ConvOps.conv2d(x, Tensor.zeros(4, 1, 3, 3), null, Conv2dOptions.defaults().groups(4)));
        assertTrue(e2.getMessage().contains("input channels 6 do not divide by groups 4"), e2.getMessage());
        var e3 = assertThrows(IllegalArgumentException.class, () -> ConvOps.conv2d(x, Tensor.zeros(4, 5, 3, 3), null));
        assertTrue(e3.getMessage().contains("[4, 5, 3, 3]") && e3.getMessage().contains("[2, 6, 5, 5]"), e3.getMessage());
        var e4 = assertThrows(IllegalArgumentException.class,
                () -> ConvOps.conv2d(x, Tensor.zeros(3, 3, 3, 3), null, Conv2dOptions.defaults().groups(2)));
        assertTrue(e4.getMessage().contains("output channels 3 do not divide by groups 2"), e4.getMessage());
        var e5 = assertThrows(IllegalArgumentException.class, () -> ConvOps.conv2d(x, Tensor.zeros(4, 6, 3, 3), Tensor.zeros(3)));
        assertTrue(e5.getMessage().contains("bias"), e5.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ConvOps.conv2d(Tensor.zeros(6, 5), Tensor.zeros(4, 6, 3, 3), null));
        var e6 = assertThrows(IllegalArgumentException.class,
                () -> ConvOps.conv1d(Tensor.zeros(1, 2, 3), Tensor.zeros(1, 2, 5), null));
        assertTrue(e6.getMessage().startsWith("conv1d:") && e6.getMessage().contains("[1, 2, 3]"), e6.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Conv2dOptions.defaults().stride(0));
        assertThrows(IllegalArgumentException.class, () -> Conv2dOptions.defaults().padding(-1));
    }

    @Test
    void unbatchedInputAndNonContiguousViews() {
        Generator gen = new Generator(19);
        Tensor x = Tensor.randn(gen, 3, 5, 6), w = Tensor.randn(gen, 2, 3, 3, 3);
        Tensor y = ConvOps.conv2d(x, w, null, 1, 1);
        assertArrayEquals(new int[] {2, 5, 6}, y.shape());
        // A transposed (non-contiguous) input gives the same as its contiguous copy.
        Tensor xt = Tensor.randn(gen, 1, 3, 6, 5).transpose(2, 3);
        assertClose(ConvOps.conv2d(xt.contiguous(), w, null, 1, 1).toFloatArray(),
                ConvOps.conv2d(xt, w, null, 1, 1).toFloatArray(), 1e-6f);
    }
}
