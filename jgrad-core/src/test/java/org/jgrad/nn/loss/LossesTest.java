package org.jgrad.nn.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jgrad.autograd.GradCheck;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Values, options, stability and gradients of every loss. Expected numbers come from NumPy (float64). */
class LossesTest {
    private static final Tensor LOGITS = Tensor.of(new float[][] {{1, 2, 0.5f}, {0.1f, -1, 3}, {2, 2, 2}});
    private static final Tensor CLASS_WEIGHTS = Tensor.of(1f, 2f, 0.5f);

    @Test
    void crossEntropyWithLabelSmoothingWeightsAndIgnoreIndex() {
        Tensor y = Tensor.ofLongs(1, 2, -100);
        Tensor loss = new CrossEntropyLoss(CLASS_WEIGHTS, -100, Reduction.MEAN, 0.2).forward(LOGITS, y);
        // (1−ε)·Σ w_y·nll_i / Σ w_y + (ε/C)·Σ_i Σ_c −w_c·logp_ic / Σ w_y over the two kept rows
        assertEquals(0.6957999104824839, loss.item(), 1e-6);
    }

    @Test
    void crossEntropyWithLabelSmoothingPerSample() {
        Tensor y = Tensor.ofLongs(1, 2, 0);
        Tensor per = new CrossEntropyLoss(Reduction.NONE).withLabelSmoothing(0.1).forward(LOGITS, y);
        assertArrayEquals(new float[] {0.5477021174412781f, 0.30077421896049117f, 1.0986122886681096f}, per.toFloatArray(), 1e-6f);
        assertEquals(0.6490295416899596, new CrossEntropyLoss().withLabelSmoothing(0.1).forward(LOGITS, y).item(), 1e-6);
    }

    @Test
    void crossEntropyWithProbabilityTargetsWeightsAndSmoothing() {
        Tensor t = Tensor.of(new float[][] {{0.2f, 0.5f, 0.3f}, {0, 0, 1}, {1 / 3f, 1 / 3f, 1 / 3f}});
        Tensor loss = new CrossEntropyLoss(CLASS_WEIGHTS, -100, Reduction.MEAN, 0.1).forward(LOGITS, t);
        assertEquals(0.914790275009162, loss.item(), 1e-6); // mean over samples, not over weights
    }

    @Test
    void crossEntropyWithWeightsEqualsHandComputedWeightedMean() {
        Tensor y = Tensor.ofLongs(1, 2, 0);
        double[][] x = {{1, 2, 0.5}, {0.1, -1, 3}, {2, 2, 2}};
        double[] w = {1, 2, 0.5};
        int[] yi = {1, 2, 0};
        double num = 0, den = 0;
        for (int i = 0; i < 3; i++) {
            double z = 0;
            for (double v : x[i]) z += Math.exp(v);
            num += w[yi[i]] * (Math.log(z) - x[i][yi[i]]);
            den += w[yi[i]];
        }
        assertEquals(num / den, new CrossEntropyLoss().withWeight(CLASS_WEIGHTS).forward(LOGITS, y).item(), 1e-6);
        assertEquals(num, new CrossEntropyLoss(CLASS_WEIGHTS, -100, Reduction.SUM, 0).forward(LOGITS, y).item(), 1e-5);
    }

    @Test
    void crossEntropyIsFiniteForHugeLogits() {
        Tensor logits = Tensor.of(new float[][] {{1e4f, -1e4f, 0}, {-1e4f, -1e4f, 1e4f}}).requiresGrad(true);
        Tensor y = Tensor.ofLongs(1, 2);
        Tensor loss = new CrossEntropyLoss().withLabelSmoothing(0.1).forward(logits, y);
        assertTrue(Float.isFinite(loss.item()), "loss " + loss.item());
        // row 0: the target's log-probability is −2e4; row 1 is confidently right
        Tensor per = new CrossEntropyLoss(Reduction.NONE).forward(logits.detach(), y);
        assertArrayEquals(new float[] {2e4f, 0f}, per.toFloatArray(), 1e-3f);
        loss.backward();
        for (float g : logits.grad().toFloatArray()) assertTrue(Float.isFinite(g), "gradient " + g);
        Tensor probs = Tensor.of(new float[][] {{0, 1, 0}, {0, 0, 1}});
        assertTrue(Float.isFinite(new CrossEntropyLoss().forward(logits.detach(), probs).item()));
    }

    @Test
    void crossEntropyOnSpatialInputsMatchesTheFlattenedForm() {
        Generator gen = new Generator(3);
        Tensor x = Tensor.randn(gen, 2, 3, 2, 2); // [N, C, H, W]
        Tensor y = Tensor.randint(gen, 0, 3, 2, 2, 2);
        Tensor perPixel = new CrossEntropyLoss(Reduction.NONE).forward(x, y);
        assertArrayEquals(new int[] {2, 2, 2}, perPixel.shape());
        Tensor flatX = x.permute(0, 2, 3, 1).reshape(-1, 3), flatY = y.reshape(-1);
        assertArrayEquals(new CrossEntropyLoss(Reduction.NONE).forward(flatX, flatY).toFloatArray(), perPixel.toFloatArray(), 1e-6f);
    }

    @Test
    void crossEntropyOnALargeBatchSplitAcrossThreadsMatchesTheComposedForm() {
        Generator gen = new Generator(11);
        int n = 96, c = 1024; // enough elements per row range for the parallel path
        Tensor x = Tensor.randn(gen, n, c).mul(4f).requiresGrad(true);
        Tensor y = Tensor.randint(gen, 0, c, n);
        Tensor loss = new CrossEntropyLoss().forward(x, y);
        Tensor composed = x.detach().logsumexp(1, false).sub(x.detach().gather(1, y.reshape(n, 1)).reshape(n)).mean();
        assertEquals(composed.item(), loss.item(), 1e-5);
        loss.backward();
        Tensor expected = x.detach().sub(x.detach().logsumexp(1, true)).exp().sub(y.oneHot(c)).div(n);
        assertTrue(expected.allClose(x.grad(), 1e-4f, 1e-7f));
    }

    @Test
    void crossEntropyRejectsBadTargets() {
        assertThrows(IndexOutOfBoundsException.class, () -> new CrossEntropyLoss().forward(LOGITS, Tensor.ofLongs(0, 3, 1)));
        var e = assertThrows(IllegalArgumentException.class, () -> new CrossEntropyLoss().forward(LOGITS, Tensor.ofLongs(0, 1)));
        assertTrue(e.getMessage().contains("cross_entropy"), e.getMessage());
        var hint = assertThrows(IllegalArgumentException.class, () -> new CrossEntropyLoss().forward(LOGITS, Tensor.of(0f, 1f, 2f)));
        assertTrue(hint.getMessage().contains("int64"), hint.getMessage());
    }

    @Test
    void nllLossWithWeightsAndIgnoreIndex() {
        Tensor logp = Tensor.of(new float[][] {{-0.5f, -1, -2}, {-3, -0.1f, -4}, {-1, -1, -1}});
        Tensor y = Tensor.ofLongs(0, 1, 2);
        // weighted mean: (1·0.5 + 2·0.1 + 0.5·1) / (1 + 2 + 0.5)
        assertEquals(1.2 / 3.5, new NLLLoss(CLASS_WEIGHTS, -100, Reduction.MEAN).forward(logp, y).item(), 1e-6);
        assertEquals((0.5 + 1) / 2, new NLLLoss(null, 1, Reduction.MEAN).forward(logp, y).item(), 1e-6);
    }

    @Test
    void mseAndL1() {
        Tensor x = Tensor.of(1f, 2f, 4f), t = Tensor.of(0f, 2f, 1f);
        assertEquals(10 / 3.0, new MSELoss().forward(x, t).item(), 1e-6);
        assertEquals(10, new MSELoss(Reduction.SUM).forward(x, t).item(), 1e-6);
        assertEquals(4 / 3.0, new L1Loss().forward(x, t).item(), 1e-6);
        assertArrayEquals(new float[] {1, 0, 3}, new L1Loss(Reduction.NONE).forward(x, t).toFloatArray());
    }

    @Test
    void smoothL1AndHuber() {
        Tensor x = Tensor.of(0.5f, 3f, -2f, 0f), t = Tensor.of(0f, 0f, 0f, 0.2f); // d = 0.5, 3, −2, −0.2
        assertArrayEquals(new float[] {0.125f, 2.5f, 1.5f, 0.02f}, new SmoothL1Loss(1.0, Reduction.NONE).forward(x, t).toFloatArray(), 1e-6f);
        assertArrayEquals(new float[] {0.125f / 2, 2f, 1f, 0.01f}, new SmoothL1Loss(2.0, Reduction.NONE).forward(x, t).toFloatArray(), 1e-6f);
        assertArrayEquals(new float[] {0.5f, 3f, 2f, 0.2f}, new SmoothL1Loss(0, Reduction.NONE).forward(x, t).toFloatArray(), 1e-6f);
        assertArrayEquals(new float[] {0.125f, 4f, 2f, 0.02f}, new HuberLoss(2.0, Reduction.NONE).forward(x, t).toFloatArray(), 1e-6f);
        // Huber(δ) = δ·SmoothL1(β = δ)
        assertEquals(2 * new SmoothL1Loss(2.0, Reduction.SUM).forward(x, t).item(), new HuberLoss(2.0, Reduction.SUM).forward(x, t).item(), 1e-5);
        assertEquals("SmoothL1Loss()", new SmoothL1Loss().toString());
        assertEquals("HuberLoss()", new HuberLoss().toString());
    }

    @Test
    void bceClampsTheLogAtMinus100() {
        Tensor p = Tensor.of(0f, 1f, 0.25f), t = Tensor.of(1f, 1f, 0f);
        float[] per = new BCELoss(Reduction.NONE).forward(p, t).toFloatArray();
        assertArrayEquals(new float[] {100f, 0f, (float) -Math.log(0.75)}, per, 1e-5f);
        assertThrows(IllegalArgumentException.class, () -> new BCELoss().forward(Tensor.of(1.5f), Tensor.of(1f)));
    }

    @Test
    void bceWithLogitsMatchesBceOfSigmoidAndIsStable() {
        Tensor x = Tensor.of(-3f, 0.5f, 2f), t = Tensor.of(0f, 1f, 1f);
        assertEquals(new BCELoss().forward(x.sigmoid(), t).item(), new BCEWithLogitsLoss().forward(x, t).item(), 1e-6);
        Tensor pw = Tensor.of(2f, 3f, 0.5f);
        assertEquals(0.5114274365451829, new BCEWithLogitsLoss().withPosWeight(pw).forward(x, t).item(), 1e-6);
        Tensor huge = Tensor.of(1e4f, -1e4f, 1e4f, -1e4f);
        float[] per = new BCEWithLogitsLoss(Reduction.NONE).forward(huge, Tensor.of(1f, 0f, 0f, 1f)).toFloatArray();
        assertArrayEquals(new float[] {0, 0, 1e4f, 1e4f}, per, 1e-3f);
    }

    @Test
    void hingeEmbeddingLoss() {
        Tensor x = Tensor.of(0.3f, 0.3f, 2f), y = Tensor.of(1f, -1f, -1f);
        assertArrayEquals(new float[] {0.3f, 0.7f, 0f}, new HingeEmbeddingLoss(1.0, Reduction.NONE).forward(x, y).toFloatArray(), 1e-6f);
        assertEquals(1.0 / 3, new HingeEmbeddingLoss().forward(x, y).item(), 1e-6);
    }

    @Test
    void multiMarginLossWithSquaredHingeAndWeights() {
        Tensor x = Tensor.of(new float[][] {{0.1f, 0.2f, 0.4f, 0.8f}});
        Tensor y = Tensor.ofLongs(3);
        // PyTorch docs example: (1−0.8+0.1 + 1−0.8+0.2 + 1−0.8+0.4)/4 = 0.3250
        assertEquals(0.325, new MultiMarginLoss().forward(x, y).item(), 1e-6);
        double sq = (0.09 + 0.16 + 0.36) / 4;
        assertEquals(sq, new MultiMarginLoss(2, 1.0, null, Reduction.MEAN).forward(x, y).item(), 1e-6);
        Tensor w = Tensor.of(1f, 1f, 1f, 3f);
        assertEquals(3 * 0.325, new MultiMarginLoss(1, 1.0, w, Reduction.MEAN).forward(x, y).item(), 1e-6);
    }

    @Test
    void printsLikePytorch() {
        assertEquals("CrossEntropyLoss()", new CrossEntropyLoss().toString());
        assertEquals("MSELoss()", new MSELoss().toString());
        assertEquals("L1Loss()", new L1Loss().toString());
        assertEquals("NLLLoss()", new NLLLoss().toString());
        assertEquals("BCELoss()", new BCELoss().toString());
        assertEquals("BCEWithLogitsLoss()", new BCEWithLogitsLoss().toString());
        assertEquals("MultiMarginLoss()", new MultiMarginLoss().toString());
        assertEquals("HingeEmbeddingLoss()", new HingeEmbeddingLoss().toString());
        assertEquals(Reduction.SUM, Reduction.of("sum"));
    }

    // ------------------------------------------------------------------ gradient checks

    private static Tensor randn(long seed, int... shape) {
        return Tensor.randn(new Generator(seed), shape);
    }

    @Test
    void gradCrossEntropyIndexTargetsWithEverything() {
        Tensor y = Tensor.ofLongs(1, 2, -100, 0);
        for (Reduction r : Reduction.values())
            GradCheck.assertGradients(in -> new CrossEntropyLoss(CLASS_WEIGHTS, -100, r, 0.15).forward(in[0], y), randn(1, 4, 3));
        Tensor ySpatial = Tensor.randint(new Generator(2), 0, 3, 2, 2, 3);
        GradCheck.assertGradients(in -> new CrossEntropyLoss().forward(in[0], ySpatial), randn(3, 2, 3, 2, 3));
        GradCheck.assertGradients(in -> new CrossEntropyLoss().forward(in[0], TensorData.wrapLongs(new long[] {2})), randn(4, 3));
    }

    @Test
    void gradCrossEntropyProbabilityTargetsInLogitsAndTarget() {
        Tensor t = Tensor.of(new float[][] {{0.2f, 0.5f, 0.3f}, {0.1f, 0.1f, 0.8f}});
        GradCheck.assertGradients(in -> new CrossEntropyLoss(CLASS_WEIGHTS, -100, Reduction.MEAN, 0.1).forward(in[0], in[1]),
                randn(5, 2, 3), t);
    }

    @Test
    void gradNllLoss() {
        Tensor y = Tensor.ofLongs(1, 2, 0);
        GradCheck.assertGradients(in -> new NLLLoss(CLASS_WEIGHTS, 2, Reduction.MEAN).forward(in[0], y), randn(6, 3, 3));
    }

    @Test
    void gradMseAndL1() {
        GradCheck.assertGradients(in -> new MSELoss().forward(in[0], in[1]), randn(7, 2, 3), randn(8, 2, 3));
        Tensor x = Tensor.of(1f, -2f, 0.5f), t = Tensor.of(0f, 0f, 2f); // |x − t| ≥ 0.5, away from the kink
        GradCheck.assertGradients(in -> new L1Loss().forward(in[0], in[1]), x, t);
    }

    @Test
    void gradSmoothL1AndHuber() {
        Tensor x = Tensor.of(0.5f, 3f, -2f, 0f), t = Tensor.of(0f, 0f, 0f, 0.2f); // |d| away from β = δ = 1
        GradCheck.assertGradients(in -> new SmoothL1Loss().forward(in[0], in[1]), x, t);
        GradCheck.assertGradients(in -> new HuberLoss(1.0, Reduction.SUM).forward(in[0], in[1]), x, t);
    }

    @Test
    void gradBceInProbabilityAndTarget() {
        Tensor p = Tensor.of(0.2f, 0.7f, 0.45f, 0.9f), t = Tensor.of(0f, 1f, 0.3f, 0.6f);
        Tensor w = Tensor.of(1f, 2f, 0.5f, 1f);
        var r = GradCheck.create().eps(1e-3).run(in -> new BCELoss(w, Reduction.MEAN).forward(in[0], in[1]), p, t);
        assertTrue(r.passed(), r.report());
    }

    @Test
    void gradBceWithLogitsInLogitsAndTarget() {
        Tensor x = randn(9, 2, 3).mul(3f), t = Tensor.of(new float[][] {{0, 1, 0.5f}, {1, 0, 0.2f}});
        Tensor pw = Tensor.of(2f, 0.5f, 1.5f), w = Tensor.of(new float[][] {{1}, {3}});
        GradCheck.assertGradients(in -> new BCEWithLogitsLoss(w, pw, Reduction.SUM).forward(in[0], in[1]), x, t);
    }

    @Test
    void gradMultiMarginAndHinge() {
        Tensor x = Tensor.of(new float[][] {{3.2f, 5.1f, -1.7f}, {1.3f, 4.9f, 2.0f}, {2.2f, 2.5f, -3.1f}});
        Tensor y = Tensor.ofLongs(0, 1, 2);
        GradCheck.assertGradients(in -> new MultiMarginLoss().forward(in[0], y), x);
        GradCheck.assertGradients(in -> new MultiMarginLoss(2, 1.0, CLASS_WEIGHTS, Reduction.SUM).forward(in[0], y), x);
        GradCheck.assertGradients(in -> new MultiClassHingeLoss().forward(in[0], y), x);
        Tensor d = Tensor.of(0.3f, 0.4f, 2f), s = Tensor.of(1f, -1f, -1f);
        GradCheck.assertGradients(in -> new HingeEmbeddingLoss().forward(in[0], s), d);
    }
}
