package org.jgrad.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.function.Function;
import org.jgrad.autograd.NoGrad;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The fused bias + ReLU ops give bitwise the values and gradients of the op followed by
 * {@code relu()}: on the grid convolution, the im2col one (stride 2), the 1×1 one, without a bias,
 * unbatched, for the Linear fast path and its general fallback, and with NaN in the input.
 */
class FusedBiasReluTest {

    private static void sameAsUnfused(Tensor[] leaves, Function<Tensor[], Tensor> fused,
            Function<Tensor[], Tensor> unfused, String what) {
        Tensor gy = null;
        float[][] grads = new float[2][];
        float[][] outs = new float[2][];
        float[][][] all = new float[2][leaves.length][];
        for (int pass = 0; pass < 2; pass++) {
            for (Tensor t : leaves) if (t != null) t.zeroGrad();
            Tensor y = (pass == 0 ? fused : unfused).apply(leaves);
            if (gy == null) gy = Tensor.randn(new Generator(99), y.shape());
            y.backward(gy);
            outs[pass] = y.toFloatArray();
            for (int i = 0; i < leaves.length; i++)
                all[pass][i] = leaves[i] == null || leaves[i].grad() == null ? null : leaves[i].grad().toFloatArray();
        }
        assertArrayEquals(outs[1], outs[0], 0f, what + " output");
        for (int i = 0; i < leaves.length; i++) {
            if (all[1][i] == null) assertNull(all[0][i], what + " gradient " + i);
            else assertArrayEquals(all[1][i], all[0][i], 0f, what + " gradient " + i);
        }
    }

    @Test
    void conv2dReluMatchesConvThenRelu() {
        Generator gen = new Generator(3);
        // {n, c, h, o, k, stride, pad}: grid by position (LeNet), grid by channel, im2col (stride 2), 1×1
        int[][] cases = {{4, 1, 12, 6, 5, 1, 2}, {3, 8, 9, 32, 3, 1, 1}, {2, 5, 11, 7, 3, 2, 1}, {2, 6, 20, 9, 1, 1, 0}};
        for (int[] cs : cases)
            for (boolean bias : new boolean[] {true, false}) {
                Tensor x = Tensor.randn(gen, cs[0], cs[1], cs[2], cs[2]).requiresGrad(true);
                Tensor w = Tensor.randn(gen, cs[3], cs[1], cs[4], cs[4]).requiresGrad(true);
                Tensor b = bias ? Tensor.randn(gen, cs[3]).requiresGrad(true) : null;
                Conv2dOptions opt = Conv2dOptions.defaults().stride(cs[5]).padding(cs[6]);
                sameAsUnfused(new Tensor[] {x, w, b}, t -> ConvOps.conv2dRelu(t[0], t[1], t[2], opt),
                        t -> ConvOps.conv2d(t[0], t[1], t[2], opt).relu(), java.util.Arrays.toString(cs) + " bias " + bias);
            }
        // unbatched [C, H, W]
        Tensor x = Tensor.randn(gen, 2, 7, 7).requiresGrad(true), w = Tensor.randn(gen, 3, 2, 3, 3).requiresGrad(true);
        sameAsUnfused(new Tensor[] {x, w}, t -> ConvOps.conv2dRelu(t[0], t[1], null, Conv2dOptions.defaults()),
                t -> ConvOps.conv2d(t[0], t[1], null, Conv2dOptions.defaults()).relu(), "unbatched");
    }

    @Test
    void linearReluMatchesLinearThenRelu() {
        Generator gen = new Generator(4);
        for (int[] s : new int[][] {{64, 500, 250}, {1, 7, 3}, {5, 13, 40}}) {
            float[] xs = Tensor.randn(gen, s[0] * s[1]).toFloatArray();
            xs[0] = Float.NaN; // NaN survives the ReLU and its gradient, as in relu()
            Tensor x = TensorData.wrap(xs, s[0], s[1]).requiresGrad(true);
            Tensor w = Tensor.randn(gen, s[2], s[1]).requiresGrad(true), b = Tensor.randn(gen, s[2]).requiresGrad(true);
            sameAsUnfused(new Tensor[] {x, w, b}, t -> MatmulOps.linearRelu(t[0], t[1], t[2]),
                    t -> MatmulOps.linear(t[0], t[1], t[2]).relu(), java.util.Arrays.toString(s));
            sameAsUnfused(new Tensor[] {x, w}, t -> MatmulOps.linearRelu(t[0], t[1], null),
                    t -> MatmulOps.linear(t[0], t[1], null).relu(), java.util.Arrays.toString(s) + " no bias");
        }
        // a 3-D input takes the general path
        Tensor x = Tensor.randn(gen, 2, 3, 4).requiresGrad(true), w = Tensor.randn(gen, 5, 4).requiresGrad(true);
        sameAsUnfused(new Tensor[] {x, w}, t -> MatmulOps.linearRelu(t[0], t[1], null),
                t -> MatmulOps.linear(t[0], t[1], null).relu(), "3-D");
    }

    @Test
    void withoutGradientsNothingIsRecorded() {
        Generator gen = new Generator(5);
        Tensor x = Tensor.randn(gen, 2, 3, 8, 8), w = Tensor.randn(gen, 4, 3, 3, 3).requiresGrad(true);
        try (NoGrad ignored = NoGrad.enter()) {
            Tensor y = ConvOps.conv2dRelu(x, w, null, Conv2dOptions.defaults());
            assertNull(y.gradFn());
            assertEquals(0f, Math.min(0f, y.min().item()), "no negative output");
        }
    }
}
