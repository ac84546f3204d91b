package org.jgrad.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

class GradClipTest {
    private static Tensor withGrad(float[] grad) {
        Tensor p = Tensor.zeros(grad.length).requiresGrad(true);
        p.setGrad(Tensor.fromArray(grad, grad.length));
        return p;
    }

    @Test
    void clipsTheCombinedEuclideanNorm() {
        Tensor a = withGrad(new float[] {3, 0}), b = withGrad(new float[] {0, 4});
        double total = GradClip.clipGradNorm(List.of(a, b), 1.0);
        assertEquals(5.0, total, 1e-9);
        float coef = (float) (1.0 / (5.0 + 1e-6));
        assertArrayEquals(new float[] {3 * coef, 0}, a.grad().toFloatArray(), 1e-7f);
        assertArrayEquals(new float[] {0, 4 * coef}, b.grad().toFloatArray(), 1e-7f);
    }

    @Test
    void leavesSmallGradientsAloneAndSkipsMissingOnes() {
        Tensor a = withGrad(new float[] {0.3f, 0.4f}), none = Tensor.zeros(2).requiresGrad(true);
        assertEquals(0.5, GradClip.clipGradNorm(List.of(a, none), 1.0), 1e-7);
        assertArrayEquals(new float[] {0.3f, 0.4f}, a.grad().toFloatArray());
    }

    @Test
    void otherNorms() {
        Tensor a = withGrad(new float[] {-3, 1}), b = withGrad(new float[] {2});
        assertEquals(3.0, GradClip.clipGradNorm(List.of(a, b), 10, Double.POSITIVE_INFINITY), 0);
        assertEquals(6.0, GradClip.clipGradNorm(List.of(a, b), 10, 1), 1e-9);
        assertEquals(Math.cbrt(27 + 1 + 8), GradClip.clipGradNorm(List.of(a, b), 10, 3), 1e-6);
        GradClip.clipGradNorm(List.of(a, b), 1.5, Double.POSITIVE_INFINITY);
        assertEquals(-1.5f, a.grad().get(0), 1e-5f);
    }

    @Test
    void nonFiniteNormCanThrow() {
        Tensor a = withGrad(new float[] {Float.NaN, 1});
        assertThrows(IllegalStateException.class, () -> GradClip.clipGradNorm(List.of(a), 1, 2, true));
    }

    @Test
    void clipsValues() {
        Tensor a = withGrad(new float[] {-3, 0.5f, 2});
        GradClip.clipGradValue(List.of(a), 1);
        assertArrayEquals(new float[] {-1, 0.5f, 1}, a.grad().toFloatArray());
    }
}
