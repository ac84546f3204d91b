package org.jgrad.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jgrad.autograd.GradCheck;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Values against closed forms (and PyTorch's printed results), and gradient checks for every op. */
class ActivationOpsTest {
    private static final float TOL = 1e-6f;

    /** Inputs away from the kink at 0 by more than the gradient checker's step. */
    private static Tensor awayFromZero(long seed, int... shape) {
        Tensor u = Tensor.uniform(new Generator(seed), 0.1f, 2.5f, shape);
        Tensor sign = Tensor.uniform(new Generator(seed + 1), -1f, 1f, shape).sign();
        return u.mul(sign);
    }

    private static void assertValues(float[] expected, Tensor actual, float tol) {
        assertArrayEquals(expected, actual.toFloatArray(), tol);
    }

    @Test
    void leakyReluValuesAndGradient() {
        Tensor x = Tensor.of(-2f, -0.5f, 0f, 3f);
        assertValues(new float[] {-0.02f, -0.005f, 0f, 3f}, ActivationOps.leakyRelu(x, 0.01f), TOL);
        assertValues(new float[] {-0.2f, -0.05f, 0f, 3f}, ActivationOps.leakyRelu(x, 0.1f), TOL);
        GradCheck.assertGradients(in -> ActivationOps.leakyRelu(in[0], 0.1f), awayFromZero(1, 3, 4));
    }

    @Test
    void rreluUsesGivenSlopesOnNegativesOnly() {
        Tensor x = Tensor.of(-2f, -1f, 1f, 2f);
        Tensor slopes = Tensor.of(0.2f, 0.3f, 0.25f, 0.15f);
        assertValues(new float[] {-0.4f, -0.3f, 1f, 2f}, ActivationOps.rrelu(x, slopes), TOL);
        Tensor s = Tensor.uniform(new Generator(9), 0.125f, 0.33f, 3, 4);
        GradCheck.assertGradients(in -> ActivationOps.rrelu(in[0], s), awayFromZero(2, 3, 4));
        assertThrows(IllegalArgumentException.class, () -> ActivationOps.rrelu(x, Tensor.zeros(3)));
        // as PyTorch's rrelu_with_noise, the gradient at exactly 0 is the slope
        Tensor z = Tensor.of(0f, 1f).requiresGrad(true);
        ActivationOps.rrelu(z, Tensor.of(0.2f, 0.3f)).sum().backward();
        assertValues(new float[] {0.2f, 1f}, z.grad(), 0f);
    }

    @Test
    void eluValuesAndGradient() {
        Tensor x = Tensor.of(-1f, -0.5f, 0f, 2f);
        assertValues(new float[] {-0.6321205588f, -0.3934693403f, 0f, 2f}, ActivationOps.elu(x, 1f), TOL);
        assertValues(new float[] {-1.2642411177f, -0.7869386806f, 0f, 2f}, ActivationOps.elu(x, 2f), 2e-6f);
        GradCheck.assertGradients(in -> ActivationOps.elu(in[0], 1.5f), awayFromZero(3, 3, 4));
    }

    @Test
    void softplusValuesAndGradient() {
        Tensor x = Tensor.of(-1f, 0f, 1f, 5f, 30f, -100f);
        assertValues(new float[] {0.3132616875f, 0.6931471806f, 1.3132616875f, 5.0067153485f, 30f, 0f},
                ActivationOps.softplus(x, 1f, 20f), 1e-6f);
        // beta = 2: log(1 + e^{2x})/2
        assertEquals(Math.log1p(Math.exp(2.0)) / 2, ActivationOps.softplus(Tensor.of(1f), 2f, 20f).item(), 1e-6);
        GradCheck.assertGradients(in -> ActivationOps.softplus(in[0], 1f, 20f), awayFromZero(4, 3, 4));
        GradCheck.assertGradients(in -> ActivationOps.softplus(in[0], 2f, 3f), awayFromZero(5, 3, 4));
    }

    @Test
    void geluExactAndTanhValues() {
        Tensor x = Tensor.of(-2f, -1f, 0.5f, 1f, 2f);
        assertValues(new float[] {-0.0455002639f, -0.1586552539f, 0.3457312306f, 0.8413447461f, 1.9544997361f},
                ActivationOps.gelu(x, false), 1e-6f);
        assertValues(new float[] {-0.0454023059f, -0.1588080094f, 0.3457140098f, 0.8411919906f, 1.9545976941f},
                ActivationOps.gelu(x, true), 1e-6f);
    }

    @Test
    void geluGradients() {
        GradCheck.assertGradients(in -> ActivationOps.gelu(in[0], false), awayFromZero(6, 3, 4));
        GradCheck.assertGradients(in -> ActivationOps.gelu(in[0], true), awayFromZero(7, 3, 4));
    }

    @Test
    void siluValuesAndGradient() {
        Tensor x = Tensor.of(-1f, 0f, 1f, 3f);
        assertValues(new float[] {-0.2689414214f, 0f, 0.7310585786f, 2.8577223804f}, ActivationOps.silu(x), 1e-6f);
        GradCheck.assertGradients(in -> ActivationOps.silu(in[0]), awayFromZero(8, 3, 4));
    }

    @Test
    void stepIsHeavisideWithZeroGradient() {
        Tensor x = Tensor.of(-1f, 0f, 0.5f, 1f).requiresGrad(true);
        Tensor y = ActivationOps.step(x, 0f);
        assertValues(new float[] {0f, 0f, 1f, 1f}, y, 0f);
        y.sum().backward();
        assertValues(new float[] {0f, 0f, 0f, 0f}, x.grad(), 0f);
        // the seed's AND perceptron: weights 0.5, 0.5 and the unit step "x > 0.5"
        Tensor inputs = Tensor.of(new float[][] {{0, 0}, {0, 1}, {1, 0}, {1, 1}});
        Tensor sums = inputs.matmul(Tensor.of(0.5f, 0.5f));
        assertValues(new float[] {0f, 0f, 0f, 1f}, ActivationOps.step(sums, 0.5f), 0f);
    }

    @Test
    void softmaxRowsSumToOneAndMatchKnownValues() {
        Tensor x = Tensor.of(new float[][] {{1, 2, 3}, {1000, 1001, 1002}});
        Tensor y = ActivationOps.softmax(x, 1);
        float[] row = {0.0900305732f, 0.2447284711f, 0.6652409558f};
        assertValues(new float[] {row[0], row[1], row[2], row[0], row[1], row[2]}, y, 1e-6f);
        Tensor ls = ActivationOps.logSoftmax(x, -1);
        float[] lrow = {-2.4076059644f, -1.4076059644f, -0.4076059644f};
        assertValues(new float[] {lrow[0], lrow[1], lrow[2], lrow[0], lrow[1], lrow[2]}, ls, 1e-5f);
        for (float v : y.toFloatArray()) assertFalse(Float.isNaN(v));
    }

    @Test
    void softmaxAlongInnerAndOuterDims() {
        Tensor x = Tensor.uniform(new Generator(3), -3f, 3f, 2, 3, 4);
        for (int dim = 0; dim < 3; dim++) {
            Tensor y = ActivationOps.softmax(x, dim);
            Tensor expected = x.exp().div(x.exp().sum(dim, true));
            assertTrue(y.allClose(expected, 1e-5f, 1e-6f), "dim " + dim);
            Tensor ly = ActivationOps.logSoftmax(x, dim);
            assertTrue(ly.allClose(expected.log(), 1e-5f, 1e-5f), "log dim " + dim);
        }
    }

    @Test
    void softmaxGradients() {
        Tensor x = Tensor.uniform(new Generator(11), -2f, 2f, 2, 3, 4);
        for (int dim = 0; dim < 3; dim++) {
            final int d = dim;
            GradCheck.assertGradients(in -> ActivationOps.softmax(in[0], d), x);
            GradCheck.assertGradients(in -> ActivationOps.logSoftmax(in[0], d), x);
        }
    }

    @Test
    void opsWorkOnNonContiguousViews() {
        Tensor x = Tensor.uniform(new Generator(12), -2f, 2f, 3, 4).t();
        assertTrue(ActivationOps.elu(x, 1f).allClose(ActivationOps.elu(x.contiguous(), 1f), 0f, 0f));
        assertTrue(ActivationOps.softmax(x, 0).allClose(ActivationOps.softmax(x.contiguous(), 0), 0f, 0f));
        GradCheck.assertGradients(in -> ActivationOps.softmax(in[0].t(), 1), Tensor.uniform(new Generator(13), -2f, 2f, 3, 4));
    }

    @Test
    void intTensorsAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ActivationOps.elu(Tensor.ofLongs(1, 2), 1f));
        assertTrue(e.getMessage().contains("elu"), e.getMessage());
    }
}
