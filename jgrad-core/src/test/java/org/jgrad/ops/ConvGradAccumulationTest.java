package org.jgrad.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * A convolution's weight gradient added straight into an existing {@code .grad} (gradients not
 * cleared between steps) equals the sum of the separate gradients, on every weight-gradient path:
 * the padded grid, im2col, the 1×1 product, and the kernel whose padding-only taps are dropped.
 */
class ConvGradAccumulationTest {

    @Test
    void secondBackwardAddsIntoTheSameGradientArray() {
        // {c, h, o, k, stride, pad}: grid (LeNet-like), im2col (stride 2), 1×1, dropped taps (1×1 map, 3×3 kernel)
        int[][] cases = {{6, 14, 16, 5, 1, 0}, {8, 9, 12, 3, 2, 1}, {16, 20, 24, 1, 1, 0}, {32, 1, 16, 3, 1, 1}};
        for (int[] cs : cases) {
            Generator gen = new Generator(5);
            Tensor x1 = Tensor.randn(gen, 3, cs[0], cs[1], cs[1]), x2 = Tensor.randn(gen, 3, cs[0], cs[1], cs[1]);
            Tensor w = Tensor.randn(gen, cs[2], cs[0], cs[3], cs[3]).requiresGrad(true);
            Conv2dOptions opt = Conv2dOptions.defaults().stride(cs[4]).padding(cs[5]);
            Tensor gy1 = Tensor.randn(gen, ConvOps.conv2d(x1, w, null, opt).shape());
            Tensor gy2 = Tensor.randn(gen, gy1.shape());

            ConvOps.conv2d(x1, w, null, opt).backward(gy1);
            float[] first = w.grad().toFloatArray();
            w.zeroGrad();
            ConvOps.conv2d(x2, w, null, opt).backward(gy2);
            float[] second = w.grad().toFloatArray();

            w.zeroGrad();
            ConvOps.conv2d(x1, w, null, opt).backward(gy1);
            float[] held = TensorData.floats(w.grad());
            ConvOps.conv2d(x2, w, null, opt).backward(gy2);
            assertSame(held, TensorData.floats(w.grad()), "the .grad array is kept, not replaced");
            float[] sum = w.grad().toFloatArray();
            for (int i = 0; i < sum.length; i++)
                assertEquals(first[i] + second[i], sum[i], 1e-4f * (1 + Math.abs(first[i]) + Math.abs(second[i])),
                        java.util.Arrays.toString(cs) + " element " + i);
        }
    }

    @Test
    void aNonLeafWeightThatKeepsItsGradientStillPassesItOn() {
        // w keeps a .grad (retainGrad) but has a graph behind it: a second backward must hand the
        // convolution's weight gradient to w's node (reaching v), not only add it into w.grad.
        Generator gen = new Generator(6);
        Tensor x = Tensor.randn(gen, 2, 3, 7, 7);
        Tensor v = Tensor.randn(gen, 4, 3, 3, 3).requiresGrad(true);
        Tensor w = v.mul(2f).retainGrad();
        Tensor y = ConvOps.conv2d(x, w, null).sum();
        y.backward(null, true);
        float[] vOnce = v.grad().toFloatArray(), wOnce = w.grad().toFloatArray();
        y.backward(null, true);
        float[] vTwice = v.grad().toFloatArray(), wTwice = w.grad().toFloatArray();
        for (int i = 0; i < vOnce.length; i++) {
            assertEquals(2 * vOnce[i], vTwice[i], 1e-4f * (1 + Math.abs(vOnce[i])), "v element " + i);
            assertEquals(2 * wOnce[i], wTwice[i], 1e-4f * (1 + Math.abs(wOnce[i])), "w element " + i);
        }
    }
}
