package org.jgrad.nn.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;

/** The fused losses against compositions of plain tensor ops, on random shapes and scales. */
class LossPropertiesTest {

    private static void assertClose(float[] expected, float[] actual, double tol) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++)
            assertEquals(expected[i], actual[i], tol * Math.max(1, Math.abs(expected[i])), "element " + i);
    }

    @Property(tries = 50)
    void crossEntropyEqualsLogSumExpMinusTargetLogit(@ForAll @IntRange(min = 1, max = 6) int n,
            @ForAll @IntRange(min = 1, max = 7) int c, @ForAll @IntRange(min = 0, max = 3) int scaleExp,
            @ForAll @IntRange(min = 0, max = 1000) int seed) {
        Generator gen = new Generator(seed);
        float scale = (float) Math.pow(10, scaleExp);
        Tensor x = Tensor.randn(gen, n, c).mul(scale);
        Tensor y = Tensor.randint(gen, 0, c, n);
        Tensor composed = x.logsumexp(1, false).sub(x.gather(1, y.reshape(n, 1)).reshape(n));
        // the composition rounds lse and the difference in float32, so it is good to about ulp(|x|)
        assertClose(composed.toFloatArray(), new CrossEntropyLoss(Reduction.NONE).forward(x, y).toFloatArray(), 1e-5 * scale);
        // adding a constant to every logit of a row changes nothing
        Tensor shifted = x.add(Tensor.randn(gen, n, 1).mul(50f));
        assertClose(new CrossEntropyLoss(Reduction.NONE).forward(x, y).toFloatArray(),
                new CrossEntropyLoss(Reduction.NONE).forward(shifted, y).toFloatArray(), 1e-4 * scale);
    }

    @Property(tries = 50)
    void crossEntropyGradientIsSoftmaxMinusOneHotOverN(@ForAll @IntRange(min = 1, max = 6) int n,
            @ForAll @IntRange(min = 2, max = 7) int c, @ForAll @IntRange(min = 0, max = 1000) int seed) {
        Generator gen = new Generator(seed);
        Tensor x = Tensor.randn(gen, n, c).mul(3f).requiresGrad(true);
        Tensor y = Tensor.randint(gen, 0, c, n);
        new CrossEntropyLoss().forward(x, y).backward();
        Tensor expected = x.detach().sub(x.detach().logsumexp(1, true)).exp().sub(y.oneHot(c)).div(n);
        assertClose(expected.toFloatArray(), x.grad().toFloatArray(), 1e-6);
    }

    @Property(tries = 50)
    void bceWithLogitsEqualsBceOfSigmoid(@ForAll @IntRange(min = 1, max = 10) int n, @ForAll @IntRange(min = 0, max = 1000) int seed) {
        Generator gen = new Generator(seed);
        // moderate logits: beyond ~8, sigmoid in float32 rounds 1 − p too coarsely for the reference
        Tensor x = Tensor.randn(gen, n).mul(2f), t = Tensor.rand(gen, n);
        assertClose(new BCELoss(Reduction.NONE).forward(x.sigmoid(), t).toFloatArray(),
                new BCEWithLogitsLoss(Reduction.NONE).forward(x, t).toFloatArray(), 1e-4);
    }

    @Property(tries = 50)
    void multiMarginIsTheHingeSumOverC(@ForAll @IntRange(min = 1, max = 6) int n, @ForAll @IntRange(min = 2, max = 7) int c,
            @ForAll @IntRange(min = 0, max = 1000) int seed) {
        Generator gen = new Generator(seed);
        Tensor x = Tensor.randn(gen, n, c), y = Tensor.randint(gen, 0, c, n);
        Tensor hinge = new MultiClassHingeLoss(Reduction.NONE).forward(x, y);
        assertClose(hinge.div(c).toFloatArray(), new MultiMarginLoss(Reduction.NONE).forward(x, y).toFloatArray(), 1e-6);
        // the composed form Σ_j max(0, x_j − x_y + 1) − 1 (the j = y term contributes exactly 1)
        Tensor xy = x.gather(1, y.reshape(n, 1));
        Tensor composed = x.sub(xy).add(1f).relu().sum(1, false).sub(1f);
        assertClose(composed.toFloatArray(), hinge.toFloatArray(), 1e-5);
    }
}
