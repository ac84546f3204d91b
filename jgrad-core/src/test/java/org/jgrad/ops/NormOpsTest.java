package org.jgrad.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jgrad.autograd.GradCheck;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

class NormOpsTest {

    private static void assertClose(float[] expected, float[] actual, float tol) {
        assertEquals(expected.length, actual.length, "length");
        for (int i = 0; i < expected.length; i++)
            assertEquals(expected[i], actual[i], tol * Math.max(1, Math.abs(expected[i])), "element " + i);
    }

    // ------------------------------------------------------------------ batch norm

    @Test
    void batchNormTrainingMatchesComposedOps() {
        // planes of 10, 1 and 20 go image row by image row (BatchNormRows), of 144 plane by plane
        batchNormTrainingMatchesComposedOps(3, 5, 2);
        batchNormTrainingMatchesComposedOps(6, 1, 1);
        batchNormTrainingMatchesComposedOps(3, 4, 5);
        batchNormTrainingMatchesComposedOps(2, 12, 12);
    }

    private static void batchNormTrainingMatchesComposedOps(int n, int h, int wd) {
        Generator gen = new Generator(1);
        Tensor x = Tensor.randn(gen, n, 4, h, wd).mul(2f).add(1f);
        Tensor w = Tensor.randn(gen, 4), b = Tensor.randn(gen, 4);
        NormOps.BatchNormResult r = NormOps.batchNorm2d(x, null, null, w, b, true, 1e-5f);
        int[] dims = {0, 2, 3};
        Tensor mean = x.mean(dims, true), var = x.var(dims, 0, true);
        Tensor ref = x.sub(mean).div(var.add(1e-5f).sqrt()).mul(w.view(1, 4, 1, 1)).add(b.view(1, 4, 1, 1));
        assertClose(ref.toFloatArray(), r.output().toFloatArray(), 1e-4f);
        assertClose(mean.flatten().toFloatArray(), r.mean().toFloatArray(), 1e-5f);
        assertClose(var.flatten().toFloatArray(), r.var().toFloatArray(), 1e-5f);
        assertClose(x.var(dims, 1, false).toFloatArray(), r.unbiasedVar().toFloatArray(), 1e-5f);
        // Each channel of the unscaled output has mean 0 and (biased) variance ~1.
        Tensor y = NormOps.batchNormTrain(x, null, null, 0f).output();
        for (float m : y.mean(dims, false).toFloatArray()) assertEquals(0f, m, 1e-5f);
        for (float v : y.var(dims, 0, false).toFloatArray()) assertEquals(1f, v, 1e-4f);
    }

    @Test
    void batchNormRunningStatsAndEval() {
        Generator gen = new Generator(2);
        Tensor x = Tensor.randn(gen, 4, 3, 2, 2);
        Tensor rm = Tensor.zeros(3), rv = Tensor.ones(3);
        NormOps.BatchNormResult r = NormOps.batchNorm2d(x, rm, rv, null, null, true, 1e-5f);
        r.updateRunningStats(rm, rv, 0.1f);
        int[] dims = {0, 2, 3};
        assertClose(x.mean(dims, false).mul(0.1f).toFloatArray(), rm.toFloatArray(), 1e-5f);
        assertClose(x.var(dims, 1, false).mul(0.1f).add(0.9f).toFloatArray(), rv.toFloatArray(), 1e-5f);
        // Evaluation uses the running statistics and reports them.
        Tensor w = Tensor.randn(gen, 3), b = Tensor.randn(gen, 3);
        NormOps.BatchNormResult e = NormOps.batchNorm2d(x, rm, rv, w, b, false, 1e-3f);
        Tensor ref = x.sub(rm.view(1, 3, 1, 1)).div(rv.add(1e-3f).sqrt().view(1, 3, 1, 1)).mul(w.view(1, 3, 1, 1))
                .add(b.view(1, 3, 1, 1));
        assertClose(ref.toFloatArray(), e.output().toFloatArray(), 1e-5f);
        assertSame(rm, e.mean());
        // [N, C] and [N, C, L] inputs (BatchNorm1d) work through the generic entry points.
        Tensor x2 = Tensor.randn(gen, 5, 3);
        Tensor y2 = NormOps.batchNormTrain(x2, null, null, 1e-5f).output();
        assertClose(x2.sub(x2.mean(0, true)).div(x2.var(new int[] {0}, 0, true).add(1e-5f).sqrt()).toFloatArray(),
                y2.toFloatArray(), 1e-4f);
    }

    @Test
    void batchNormGradients() {
        Generator gen = new Generator(3);
        GradCheck.assertGradients(in -> NormOps.batchNormTrain(in[0], in[1], in[2], 1e-5f).output(),
                Tensor.randn(gen, 3, 2, 2, 3), Tensor.randn(gen, 2), Tensor.randn(gen, 2));
        GradCheck.assertGradients(in -> NormOps.batchNormTrain(in[0], in[1], in[2], 1e-5f).output(),
                Tensor.randn(gen, 2, 2, 4, 5), Tensor.randn(gen, 2), Tensor.randn(gen, 2));
        // planes of 128 and more go plane by plane
        GradCheck.assertGradients(in -> NormOps.batchNormTrain(in[0], in[1], in[2], 1e-5f).output(),
                Tensor.randn(gen, 1, 2, 8, 16), Tensor.randn(gen, 2), Tensor.randn(gen, 2));
        GradCheck.assertGradients(in -> NormOps.batchNormTrain(in[0], null, null, 1e-5f).output(),
                Tensor.randn(gen, 2, 3, 3));
        GradCheck.assertGradients(in -> NormOps.batchNormTrain(in[0], in[1], null, 1e-5f).output(),
                Tensor.randn(gen, 4, 3), Tensor.randn(gen, 3));
        Tensor rm = Tensor.randn(gen, 2), rv = Tensor.rand(gen, 2).add(0.5f);
        GradCheck.assertGradients(in -> NormOps.batchNormEval(in[0], rm, rv, in[1], in[2], 1e-5f),
                Tensor.randn(gen, 2, 2, 2, 3), Tensor.randn(gen, 2), Tensor.randn(gen, 2));
    }

    @Test
    void batchNormErrors() {
        var e1 = assertThrows(IllegalArgumentException.class,
                () -> NormOps.batchNorm2d(Tensor.zeros(1, 3, 1, 1), null, null, null, null, true, 1e-5f));
        assertTrue(e1.getMessage().contains("more than 1 value per channel"), e1.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class,
                () -> NormOps.batchNormTrain(Tensor.zeros(2, 3, 4), Tensor.ones(4), null, 1e-5f));
        assertTrue(e2.getMessage().contains("[3]") && e2.getMessage().contains("[4]"), e2.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> NormOps.batchNorm2d(Tensor.zeros(2, 3, 4), null, null, null, null, true, 1e-5f));
        assertThrows(IllegalArgumentException.class,
                () -> NormOps.batchNorm2d(Tensor.zeros(2, 3, 4, 4), null, null, null, null, false, 1e-5f));
    }

    // ------------------------------------------------------------------ dropout2d

    @Test
    void dropout2dDropsWholeChannels() {
        Generator gen = new Generator(4);
        Tensor x = Tensor.rand(gen, 50, 8, 3, 3).add(1f);
        Tensor y = NormOps.dropout2d(x, 0.25f, true, new Generator(9));
        int dropped = 0;
        for (int n = 0; n < 50; n++)
            for (int c = 0; c < 8; c++) {
                float first = y.get(n, c, 0, 0);
                boolean zero = first == 0f;
                if (zero) dropped++;
                for (int i = 0; i < 3; i++)
                    for (int j = 0; j < 3; j++)
                        assertEquals(zero ? 0f : x.get(n, c, i, j) / 0.75f, y.get(n, c, i, j), 1e-6f);
            }
        assertTrue(dropped > 60 && dropped < 140, "dropped " + dropped + " of 400 channels at p=0.25");
        assertSame(x, NormOps.dropout2d(x, 0.25f, false, gen));
        assertSame(x, NormOps.dropout2d(x, 0f, true, gen));
        assertEquals(0f, NormOps.dropout2d(x, 1f, true, gen).abs().sum().item());
        // Same seed, same mask.
        assertArrayEquals(y.toFloatArray(), NormOps.dropout2d(x, 0.25f, true, new Generator(9)).toFloatArray());
        assertThrows(IllegalArgumentException.class, () -> NormOps.dropout2d(x, 1.5f, true, gen));
        // The gradient is the mask.
        Tensor xr = Tensor.randn(gen, 2, 3, 2, 2).requiresGrad(true);
        Tensor yr = NormOps.dropout2d(xr, 0.5f, true, new Generator(11));
        yr.sum().backward();
        float[] g = xr.grad().toFloatArray(), yv = yr.toFloatArray(), xv = xr.toFloatArray();
        for (int i = 0; i < g.length; i++) assertEquals(yv[i] == 0f ? 0f : 2f, g[i], 1e-6f, "element " + i + " x " + xv[i]);
        // Unbatched [C, H, W]: one draw per channel.
        Tensor u = NormOps.dropout2d(Tensor.ones(6, 2, 2), 0.5f, true, new Generator(1));
        assertArrayEquals(new int[] {6, 2, 2}, u.shape());
    }

    // ------------------------------------------------------------------ local response norm

    /** PyTorch's formula written out with loops. */
    static float[] naiveLrn(Tensor x, int size, float alpha, float beta, float k) {
        int n = x.size(0), c = x.size(1), s = x.numel() / (n * c);
        float[] xd = x.contiguous().toFloatArray(), out = new float[xd.length];
        for (int i = 0; i < n; i++)
            for (int ch = 0; ch < c; ch++)
                for (int j = 0; j < s; j++) {
                    double sum = 0;
                    for (int q = ch - size / 2; q <= ch + (size - 1) / 2; q++) {
                        if (q < 0 || q >= c) continue;
                        double v = xd[(i * c + q) * s + j];
                        sum += v * v;
                    }
                    double a = xd[(i * c + ch) * s + j];
                    out[(i * c + ch) * s + j] = (float) (a / Math.pow(k + alpha * sum / size, beta));
                }
        return out;
    }

    @Test
    void localResponseNormMatchesFormula() {
        Generator gen = new Generator(5);
        Tensor x = Tensor.randn(gen, 2, 7, 3, 4).mul(3f);
        assertClose(naiveLrn(x, 5, 1e-4f, 0.75f, 2f), NormOps.localResponseNorm(x, 5, 1e-4f, 0.75f, 2f).toFloatArray(), 1e-5f);
        assertClose(naiveLrn(x, 4, 0.5f, 0.75f, 1f), NormOps.localResponseNorm(x, 4, 0.5f, 0.75f, 1f).toFloatArray(), 1e-5f);
        assertClose(naiveLrn(x, 1, 1f, 0.5f, 1f), NormOps.localResponseNorm(x, 1, 1f, 0.5f, 1f).toFloatArray(), 1e-5f);
        assertClose(naiveLrn(x, 9, 1f, 1f, 1f), NormOps.localResponseNorm(x, 9, 1f, 1f, 1f).toFloatArray(), 1e-5f);
        Tensor x3 = Tensor.randn(gen, 2, 5, 6);
        assertClose(naiveLrn(x3, 3, 1e-4f, 0.75f, 1f), NormOps.localResponseNorm(x3, 3).toFloatArray(), 1e-5f);
        // One worked value: a single channel of 2 with n=1, α=1, β=1, k=1 → 2 / (1 + 4) = 0.4.
        assertEquals(0.4f, NormOps.localResponseNorm(Tensor.full(2f, 1, 1, 1), 1, 1f, 1f, 1f).item(), 1e-6f);
        assertThrows(IllegalArgumentException.class, () -> NormOps.localResponseNorm(Tensor.zeros(2, 3), 3));
    }

    @Test
    void localResponseNormGradients() {
        Generator gen = new Generator(6);
        GradCheck.assertGradients(in -> NormOps.localResponseNorm(in[0], 3, 0.5f, 0.75f, 1f), Tensor.randn(gen, 2, 5, 2, 2));
        GradCheck.assertGradients(in -> NormOps.localResponseNorm(in[0], 4, 1f, 0.75f, 2f), Tensor.randn(gen, 1, 6, 3));
        GradCheck.assertGradients(in -> NormOps.channelWindowSum(in[0], 2, 0), Tensor.randn(gen, 2, 4, 3));
    }
}
