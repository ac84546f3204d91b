package org.jgrad.vision.models.keras;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jgrad.autograd.GradCheck;
import org.jgrad.autograd.NoGrad;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Keras' batch norm: β without γ for {@code scale=False}, Keras' epsilon, momentum stored PyTorch's way.
 * Its numbers against Keras' are checked inside every Inception model by {@link KerasReferenceTest}.
 */
class KerasBatchNormTest {

    @Test
    void scaleFalseKeepsOnlyBetaAndNormalizesWithTheMovingStatistics() {
        KerasBatchNorm bn = new KerasBatchNorm(2, 1e-3, 0.99, false);
        assertNull(bn.weight());
        assertNotNull(bn.bias());
        assertEquals(2, bn.parameters().size() + 1); // beta only
        assertEquals("KerasBatchNorm(2, eps=0.001, scale=False)", bn.toString());
        try (NoGrad g = NoGrad.enter()) {
            bn.bias().copyInPlace(Tensor.of(0.5f, -1f));
            bn.runningMean().copyInPlace(Tensor.of(1f, 2f));
            bn.runningVar().copyInPlace(Tensor.of(4f, 0.25f));
        }
        bn.eval();
        Tensor y = bn.call(Tensor.of(3f, 3f, 2f, 2f).reshape(1, 2, 1, 2));
        // (x - mean) / sqrt(var + eps) + beta
        float a = (float) (2 / Math.sqrt(4.001)) + 0.5f, b = (float) (0 / Math.sqrt(0.251)) - 1f;
        assertArrayEquals(new float[] {a, a, b, b}, y.toFloatArray(), 1e-6f);
        assertArrayEquals(new int[] {1, 2, 1, 2}, y.shape());
    }

    @Test
    void trainingUpdatesWithOneMinusKerasMomentumAndGradientsFlowToBeta() {
        KerasBatchNorm bn = new KerasBatchNorm(3, 1.001e-5, 0.9, false);
        Tensor x = Tensor.uniform(new Generator(5), -2f, 2f, 4, 3, 2, 2);
        bn.call(x);
        float[] mean = x.mean(new int[] {0, 2, 3}, false).toFloatArray();
        for (int c = 0; c < 3; c++) assertEquals(0.1f * mean[c], bn.runningMean().toFloatArray()[c], 1e-6f);
        GradCheck.assertGradients(in -> bn.forward(in[0]).mul(in[0]).sum(), x.detach().requiresGrad(true));
        bn.zeroGrad();
        bn.forward(x.detach().requiresGrad(true)).sum().backward();
        assertArrayEquals(new float[] {16, 16, 16}, bn.bias().grad().toFloatArray(), 1e-4f); // 4·2·2 per channel
    }

    @Test
    void badSettingsAndInputsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new KerasBatchNorm(2, 1e-3, 1.0, true));
        assertThrows(IllegalArgumentException.class, () -> new KerasBatchNorm(0, 1e-3, 0.99, true));
        KerasBatchNorm bn = new KerasBatchNorm(2, 1e-3, 0.99, true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> bn.call(Tensor.zeros(2, 2)));
        assertTrue(e.getMessage().contains("4-D"), e.getMessage());
    }
}
