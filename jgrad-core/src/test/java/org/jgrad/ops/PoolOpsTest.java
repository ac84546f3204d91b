package org.jgrad.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jgrad.autograd.GradCheck;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.DType;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

class PoolOpsTest {

    /** Distinct values spaced 0.3 apart in random order, so no gradient-check step can reorder a max. */
    static Tensor distinct(Generator gen, int... shape) {
        Tensor x = Tensor.zeros(shape);
        int n = x.numel();
        return Tensor.randperm(gen, n).toFloat().sub(n / 2f).mul(0.3f).reshape(shape);
    }

    /**
     * Window starts (in padded coordinates) of one axis, counted the slow way: a floor-mode window must
     * fit in the padded input; a ceil-mode window may run past it but must start before the trailing
     * padding.
     */
    static int windows(int in, int k, int s, int p, int d, boolean ceil) {
        int ext = d * (k - 1) + 1, count = 0;
        for (int i = 0; ; i++) {
            int start = i * s;
            boolean ok = ceil ? start + ext - 1 < in + 2 * p + s - 1 && start < in + p : start + ext <= in + 2 * p;
            if (!ok) break;
            count++;
        }
        return count;
    }

    record Ref(float[] values, long[] indices, int oh, int ow) {}

    static Ref naiveMax(Tensor x, int kH, int kW, int sH, int sW, int pH, int pW, int dH, int dW, boolean ceil) {
        int planes = x.numel() / (x.size(-2) * x.size(-1)), h = x.size(-2), w = x.size(-1);
        int oh = windows(h, kH, sH, pH, dH, ceil), ow = windows(w, kW, sW, pW, dW, ceil);
        float[] xd = x.contiguous().toFloatArray();
        float[] v = new float[planes * oh * ow];
        long[] ix = new long[v.length];
        for (int p = 0; p < planes; p++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++) {
                    float best = Float.NEGATIVE_INFINITY;
                    long bi = -1;
                    for (int u = 0; u < kH; u++)
                        for (int t = 0; t < kW; t++) {
                            int ih = i * sH - pH + u * dH, iw = j * sW - pW + t * dW;
                            if (ih < 0 || ih >= h || iw < 0 || iw >= w) continue;
                            float val = xd[p * h * w + ih * w + iw];
                            if (bi < 0 || val > best) {
                                best = val;
                                bi = (long) ih * w + iw;
                            }
                        }
                    v[(p * oh + i) * ow + j] = best;
                    ix[(p * oh + i) * ow + j] = bi;
                }
        return new Ref(v, ix, oh, ow);
    }

    static float[] naiveAvg(Tensor x, int kH, int kW, int sH, int sW, int pH, int pW, boolean ceil, boolean includePad,
            int divisor) {
        int planes = x.numel() / (x.size(-2) * x.size(-1)), h = x.size(-2), w = x.size(-1);
        int oh = windows(h, kH, sH, pH, 1, ceil), ow = windows(w, kW, sW, pW, 1, ceil);
        float[] xd = x.contiguous().toFloatArray();
        float[] v = new float[planes * oh * ow];
        for (int p = 0; p < planes; p++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++) {
                    double s = 0;
                    int inside = 0, inPadded = 0;
                    for (int u = 0; u < kH; u++)
                        for (int t = 0; t < kW; t++) {
                            int ih = i * sH - pH + u, iw = j * sW - pW + t;
                            if (ih >= -pH && ih < h + pH && iw >= -pW && iw < w + pW) inPadded++;
                            if (ih < 0 || ih >= h || iw < 0 || iw >= w) continue;
                            inside++;
                            s += xd[p * h * w + ih * w + iw];
                        }
                    int div = divisor != 0 ? divisor : includePad ? inPadded : inside;
                    v[(p * oh + i) * ow + j] = inside == 0 ? 0 : (float) (s / div);
                }
        return v;
    }

    private static void assertClose(float[] expected, float[] actual, float tol) {
        assertEquals(expected.length, actual.length, "length");
        for (int i = 0; i < expected.length; i++)
            assertEquals(expected[i], actual[i], tol * Math.max(1, Math.abs(expected[i])), "element " + i);
    }

    // ------------------------------------------------------------------ seeds

    private static final float[][] SEED004_F = {
        {1, 4, 5, 8, 2, 1}, {0, 3, 1, 5, 7, 2}, {1, 2, 1, 4, 7, 1},
        {2, 2, 0, 3, 6, 2}, {0, 1, 7, 3, 5, 3}, {1, 3, 4, 1, 2, 4}};

    @Test
    void seed004MaxPooling() {
        Tensor f = Tensor.of(SEED004_F).view(1, 1, 6, 6);
        Tensor s1 = PoolOps.maxPool2d(f, 3, 1, 0);
        assertArrayEquals(new int[] {1, 1, 4, 4}, s1.shape());
        assertArrayEquals(new float[] {5, 8, 8, 8, 3, 5, 7, 7, 7, 7, 7, 7, 7, 7, 7, 6}, s1.toFloatArray());
        Tensor s3 = PoolOps.maxPool2d(f, 3);
        assertArrayEquals(new float[] {5, 8, 7, 6}, s3.toFloatArray());
        // Indices point at the maxima: 5 at (0,2), 8 at (0,3), 7 at (4,2), 6 at (3,4).
        Tensor idx = PoolOps.maxPool2dWithIndices(f, Pool2dOptions.of(3)).indices();
        assertEquals(DType.INT64, idx.dtype());
        assertArrayEquals(new long[] {2, 3, 4 * 6 + 2, 3 * 6 + 4}, idx.toLongArray());
    }

    @Test
    void seed000AveragePooling() {
        Tensor x = Tensor.of(new float[][] {
            {3, 3, 2, 1, 0}, {0, 0, 1, 3, 1}, {3, 1, 2, 2, 3}, {2, 0, 0, 2, 2}, {2, 0, 0, 0, 1}}).view(1, 1, 5, 5);
        Tensor y = PoolOps.avgPool2d(x, 3, 1, 0);
        float[] expected = {1.7f, 1.7f, 1.7f, 1.0f, 1.2f, 1.8f, 1.1f, 0.8f, 1.3f};
        float[] got = y.toFloatArray();
        for (int i = 0; i < 9; i++) assertEquals(expected[i], Math.round(got[i] * 10) / 10f, 1e-6f, "element " + i);
        assertEquals(15f / 9f, got[0], 1e-6f);
    }

    // ------------------------------------------------------------------ output size

    @Test
    void outputSizeFloorAndCeil() {
        assertEquals(2, PoolOps.outputSize(5, 2, 2, 0, 1, false));
        assertEquals(3, PoolOps.outputSize(5, 2, 2, 0, 1, true));
        assertEquals(3, PoolOps.outputSize(4, 3, 2, 1, 1, true));
        // Ceil would give 3, but the third window would start in the right padding: dropped.
        assertEquals(2, PoolOps.outputSize(5, 3, 3, 1, 1, true));
        assertEquals(1, PoolOps.outputSize(2, 1, 2, 0, 1, true));
        assertEquals(56, PoolOps.outputSize(112, 3, 2, 1, 1, false)); // ResNet's max pool
        assertEquals(27, PoolOps.outputSize(55, 3, 2, 0, 1, true));
        for (int in = 1; in <= 12; in++)
            for (int k = 1; k <= 4; k++)
                for (int s = 1; s <= 3; s++)
                    for (int p = 0; p <= k / 2; p++)
                        for (int d = 1; d <= 2; d++)
                            for (boolean ceil : new boolean[] {false, true}) {
                                if (d * (k - 1) + 1 > in + 2 * p) continue;
                                assertEquals(windows(in, k, s, p, d, ceil), PoolOps.outputSize(in, k, s, p, d, ceil),
                                        "in " + in + " k " + k + " s " + s + " p " + p + " d " + d + " ceil " + ceil);
                            }
    }

    // ------------------------------------------------------------------ numbers against the references

    @Test
    void maxPoolMatchesNaive() {
        Generator gen = new Generator(1);
        int[][] cases = {
            // n, c, h, w, kH, kW, sH, sW, pH, pW, dH, dW, ceil
            {2, 3, 7, 5, 2, 2, 2, 2, 0, 0, 1, 1, 0},
            {2, 3, 7, 5, 2, 2, 2, 2, 0, 0, 1, 1, 1},
            {1, 2, 11, 13, 3, 3, 2, 2, 1, 1, 1, 1, 1},
            {1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 0},
            {3, 2, 9, 8, 3, 2, 3, 1, 1, 1, 2, 3, 0},
            {1, 2, 5, 5, 3, 3, 3, 3, 1, 1, 1, 1, 1},
            {2, 1, 13, 1, 5, 1, 2, 1, 2, 0, 1, 1, 1},
        };
        for (int[] c : cases) {
            Tensor x = Tensor.randn(gen, c[0], c[1], c[2], c[3]);
            Pool2dOptions o = Pool2dOptions.of(c[4], c[5]).stride(c[6], c[7]).padding(c[8], c[9]).dilation(c[10], c[11])
                    .ceilMode(c[12] == 1);
            Ref r = naiveMax(x, c[4], c[5], c[6], c[7], c[8], c[9], c[10], c[11], c[12] == 1);
            Tensor.ValuesIndices vi = PoolOps.maxPool2dWithIndices(x, o);
            assertArrayEquals(new int[] {c[0], c[1], r.oh, r.ow}, vi.values().shape());
            assertArrayEquals(r.values, vi.values().toFloatArray());
            assertArrayEquals(r.indices, vi.indices().toLongArray());
        }
    }

    /**
     * 3×3 windows (the unrolled path, framed by -∞) on values full of ties, ±0, ±∞ and NaN: the
     * value and index are those of the first maximum in row-major order, or of the first NaN.
     */
    @Test
    void maxPool3x3TiesZerosInfinitiesAndNaN() {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(7);
        float[] specials = {-1f, 0f, -0f, 1f, 2f, Float.NaN, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY};
        for (int trial = 0; trial < 200; trial++) {
            int h = 1 + rnd.nextInt(9), w = 1 + rnd.nextInt(9), s = 1 + rnd.nextInt(2), p = rnd.nextInt(2);
            boolean ceil = rnd.nextBoolean();
            if (3 > h + 2 * p || 3 > w + 2 * p) continue;
            int mode = trial % 3;
            float[] xs = new float[2 * h * w];
            for (int i = 0; i < xs.length; i++)
                xs[i] = mode == 0 ? (float) rnd.nextGaussian() : mode == 1 ? specials[rnd.nextInt(specials.length)]
                        : rnd.nextInt(4) == 0 ? Float.NEGATIVE_INFINITY : -rnd.nextInt(2) * 0f;
            Tensor x = TensorData.wrap(xs, 1, 2, h, w);
            Tensor.ValuesIndices vi = PoolOps.maxPool2dWithIndices(x, Pool2dOptions.of(3).stride(s).padding(p)
                    .ceilMode(ceil));
            int oh = vi.values().size(2), ow = vi.values().size(3);
            float[] got = vi.values().toFloatArray();
            long[] gotIdx = vi.indices().toLongArray();
            for (int pl = 0; pl < 2; pl++)
                for (int i = 0; i < oh; i++)
                    for (int j = 0; j < ow; j++) {
                        float best = 0f;
                        int bi = -1;
                        for (int u = 0; u < 3; u++)
                            for (int v = 0; v < 3; v++) {
                                int ih = i * s - p + u, iw = j * s - p + v;
                                if (ih < 0 || ih >= h || iw < 0 || iw >= w) continue;
                                float val = xs[pl * h * w + ih * w + iw];
                                if (bi < 0 || val > best || (val != val && best == best)) {
                                    best = val;
                                    bi = ih * w + iw;
                                }
                            }
                        int o = (pl * oh + i) * ow + j;
                        String what = "trial " + trial + " plane " + pl + " output " + i + "," + j;
                        assertEquals(Float.floatToRawIntBits(best), Float.floatToRawIntBits(got[o]), what);
                        assertEquals(bi, gotIdx[o], what);
                    }
        }
    }

    @Test
    void avgPoolMatchesNaive() {
        Generator gen = new Generator(2);
        int[][] cases = {
            // n, c, h, w, kH, kW, sH, sW, pH, pW, ceil, includePad, divisor
            {2, 3, 7, 5, 2, 2, 2, 2, 0, 0, 0, 1, 0},
            {2, 3, 7, 5, 2, 2, 2, 2, 0, 0, 1, 1, 0},
            {1, 2, 11, 13, 3, 3, 2, 2, 1, 1, 1, 1, 0},
            {1, 2, 11, 13, 3, 3, 2, 2, 1, 1, 1, 0, 0},
            {1, 2, 6, 7, 3, 2, 2, 3, 1, 1, 0, 0, 0},
            {2, 1, 5, 5, 3, 3, 3, 3, 1, 1, 1, 1, 0},
            {1, 1, 5, 5, 3, 3, 1, 1, 1, 1, 0, 1, 4},
            {1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 0},
        };
        for (int[] c : cases) {
            Tensor x = Tensor.randn(gen, c[0], c[1], c[2], c[3]);
            Pool2dOptions o = Pool2dOptions.of(c[4], c[5]).stride(c[6], c[7]).padding(c[8], c[9]).ceilMode(c[10] == 1)
                    .countIncludePad(c[11] == 1);
            if (c[12] != 0) o = o.divisorOverride(c[12]);
            float[] ref = naiveAvg(x, c[4], c[5], c[6], c[7], c[8], c[9], c[10] == 1, c[11] == 1, c[12]);
            assertClose(ref, PoolOps.avgPool2d(x, o).toFloatArray(), 1e-5f);
        }
    }

    @Test
    void adaptivePoolsUsePyTorchWindows() {
        Generator gen = new Generator(3);
        int[][] sizes = {{5, 7, 3, 2}, {7, 7, 3, 3}, {4, 6, 4, 6}, {3, 2, 5, 4}, {1, 1, 1, 1}, {9, 5, 1, 1}};
        for (int[] sz : sizes) {
            int h = sz[0], w = sz[1], oh = sz[2], ow = sz[3];
            Tensor x = Tensor.randn(gen, 2, 3, h, w);
            Tensor avg = AdaptivePoolOps.adaptiveAvgPool2d(x, oh, ow);
            Tensor.ValuesIndices mx = AdaptivePoolOps.adaptiveMaxPool2dWithIndices(x, oh, ow);
            assertArrayEquals(new int[] {2, 3, oh, ow}, avg.shape());
            for (int n = 0; n < 2; n++)
                for (int c = 0; c < 3; c++)
                    for (int i = 0; i < oh; i++)
                        for (int j = 0; j < ow; j++) {
                            int r0 = (int) Math.floor((double) i * h / oh), r1 = (int) Math.ceil((double) (i + 1) * h / oh);
                            int c0 = (int) Math.floor((double) j * w / ow), c1 = (int) Math.ceil((double) (j + 1) * w / ow);
                            double s = 0;
                            float best = Float.NEGATIVE_INFINITY;
                            long bi = -1;
                            for (int u = r0; u < r1; u++)
                                for (int v = c0; v < c1; v++) {
                                    float val = x.get(n, c, u, v);
                                    s += val;
                                    if (val > best) {
                                        best = val;
                                        bi = (long) u * w + v;
                                    }
                                }
                            assertEquals(s / ((r1 - r0) * (c1 - c0)), avg.get(n, c, i, j), 1e-5);
                            assertEquals(best, mx.values().get(n, c, i, j));
                            assertEquals(bi, mx.indices().getLong(n, c, i, j));
                        }
        }
        Tensor x = Tensor.randn(gen, 2, 3, 4, 5);
        Tensor g = AdaptivePoolOps.globalAvgPool2d(x);
        assertArrayEquals(new int[] {2, 3, 1, 1}, g.shape());
        assertClose(x.mean(new int[] {2, 3}, true).toFloatArray(), g.toFloatArray(), 1e-5f);
    }

    @Test
    void onePoolings() {
        Generator gen = new Generator(4);
        Tensor x = Tensor.randn(gen, 2, 3, 11);
        Tensor.ValuesIndices vi = PoolOps.maxPool1dWithIndices(x, 3, 2, 1, 2, true);
        Ref r = naiveMax(x.view(2, 3, 1, 11), 1, 3, 1, 2, 0, 1, 1, 2, true);
        assertArrayEquals(new int[] {2, 3, r.ow}, vi.values().shape());
        assertArrayEquals(r.values, vi.values().toFloatArray());
        assertArrayEquals(r.indices, vi.indices().toLongArray());
        Tensor a = PoolOps.avgPool1d(x, 4, 3, 2, true, false);
        assertClose(naiveAvg(x.view(2, 3, 1, 11), 1, 4, 1, 3, 0, 2, true, false, 0), a.toFloatArray(), 1e-5f);
        assertArrayEquals(new int[] {3, 5}, PoolOps.maxPool1d(x.select(0, 0), 2).shape());
        assertArrayEquals(new int[] {2, 3, 2}, PoolOps.avgPool1d(x, 4).shape());
    }

    @Test
    void unbatchedAndParallelPlanes() {
        Generator gen = new Generator(5);
        Tensor x = Tensor.randn(gen, 3, 6, 6);
        assertArrayEquals(new int[] {3, 3, 3}, PoolOps.maxPool2d(x, 2).shape());
        assertArrayEquals(PoolOps.maxPool2d(x.unsqueeze(0), 2).toFloatArray(), PoolOps.maxPool2d(x, 2).toFloatArray());
        // Enough planes and work to split across threads; must agree with the naive loops.
        Tensor big = Tensor.randn(gen, 8, 16, 24, 24);
        Ref r = naiveMax(big, 3, 3, 2, 2, 1, 1, 1, 1, false);
        assertArrayEquals(r.values, PoolOps.maxPool2d(big, 3, 2, 1).toFloatArray());
        assertClose(naiveAvg(big, 3, 3, 2, 2, 1, 1, false, true, 0), PoolOps.avgPool2d(big, 3, 2, 1).toFloatArray(), 1e-5f);
    }

    @Test
    void nanWinsMaxPool() {
        Tensor x = Tensor.fromArray(new float[] {1, Float.NaN, 3, 2}, 1, 1, 2, 2);
        Tensor.ValuesIndices vi = PoolOps.maxPool2dWithIndices(x, Pool2dOptions.of(2));
        assertTrue(Float.isNaN(vi.values().item()));
        assertEquals(1L, vi.indices().toLongArray()[0]);
    }

    // ------------------------------------------------------------------ gradients

    @Test
    void maxPoolGradients() {
        Generator gen = new Generator(6);
        Pool2dOptions[] opts = {
            Pool2dOptions.of(2),
            Pool2dOptions.of(3).stride(2).padding(1),
            Pool2dOptions.of(2, 3).stride(1, 2).dilation(2, 1).padding(1, 1),
            Pool2dOptions.of(3).stride(2).ceilMode(true),
            Pool2dOptions.of(3).stride(1), // overlapping windows: one input can win several
        };
        for (Pool2dOptions o : opts)
            GradCheck.assertGradients(in -> PoolOps.maxPool2d(in[0], o), distinct(gen, 2, 2, 5, 6));
        GradCheck.assertGradients(in -> AdaptivePoolOps.adaptiveMaxPool2d(in[0], 3, 2), distinct(gen, 1, 2, 5, 7));
        GradCheck.assertGradients(in -> PoolOps.maxPool1d(in[0], 3, 2, 1, 1, true), distinct(gen, 2, 2, 8));
    }

    @Test
    void avgPoolGradients() {
        Generator gen = new Generator(7);
        Pool2dOptions[] opts = {
            Pool2dOptions.of(2),
            Pool2dOptions.of(3).stride(2).padding(1),
            Pool2dOptions.of(3).stride(2).padding(1).countIncludePad(false),
            Pool2dOptions.of(3, 2).stride(2, 1).padding(1, 1).ceilMode(true),
            Pool2dOptions.of(3).stride(2).padding(1).ceilMode(true).countIncludePad(false),
            Pool2dOptions.of(2).stride(1).divisorOverride(3),
        };
        for (Pool2dOptions o : opts)
            GradCheck.assertGradients(in -> PoolOps.avgPool2d(in[0], o), Tensor.randn(gen, 2, 2, 5, 6));
        GradCheck.assertGradients(in -> AdaptivePoolOps.adaptiveAvgPool2d(in[0], 3, 4), Tensor.randn(gen, 1, 2, 5, 7));
        GradCheck.assertGradients(in -> AdaptivePoolOps.globalAvgPool2d(in[0]), Tensor.randn(gen, 2, 3, 3, 4));
        GradCheck.assertGradients(in -> PoolOps.avgPool1d(in[0], 3, 2, 1, true, false), Tensor.randn(gen, 2, 2, 8));
    }

    // ------------------------------------------------------------------ errors

    @Test
    void errors() {
        Tensor x = Tensor.zeros(1, 1, 4, 4);
        var e1 = assertThrows(IllegalArgumentException.class, () -> PoolOps.maxPool2d(x, 3, 1, 2));
        assertTrue(e1.getMessage().contains("half"), e1.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class, () -> PoolOps.maxPool2d(Tensor.zeros(1, 1, 2, 2), 3));
        assertTrue(e2.getMessage().contains("[1, 1, 2, 2]"), e2.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PoolOps.maxPool2d(Tensor.zeros(4, 4), 2));
        assertThrows(IllegalArgumentException.class, () -> PoolOps.avgPool2d(x, Pool2dOptions.of(2).dilation(2)));
        assertThrows(IllegalArgumentException.class, () -> AdaptivePoolOps.adaptiveAvgPool2d(x, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> Pool2dOptions.of(2).divisorOverride(0));
        assertThrows(IllegalArgumentException.class, () -> PoolOps.maxPool1d(Tensor.zeros(5), 2));
    }
}
