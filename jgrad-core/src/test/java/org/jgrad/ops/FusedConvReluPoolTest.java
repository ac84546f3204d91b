package org.jgrad.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.function.Function;
import org.jgrad.autograd.GradCheck;
import org.jgrad.autograd.NoGrad;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * {@link ConvOps#conv2dReluMaxPool2d} gives bitwise the values and gradients, and the same graph, as
 * {@code maxPool2d(relu(conv2d(...)))}: LeNet's two blocks (the grid by position and by channel), odd
 * output sizes whose last row and column the pool drops, the im2col path (stride 2), no bias, NaN and
 * ties in the input, and the shapes that fall back to the three ops (unbatched, ceil mode, other pools).
 */
class FusedConvReluPoolTest {

    private static void sameAsUnfused(Tensor[] leaves, Function<Tensor[], Tensor> fused, Function<Tensor[], Tensor> unfused,
            String what) {
        Tensor gy = null;
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
    void matchesConvReluPool() {
        Generator gen = new Generator(3);
        // {n, c, h, o, k, stride, pad}: LeNet's first block (grid by position) and second (by channel),
        // odd outputs (11x11, 9x9: the pool drops a row and a column), im2col (stride 2), one image.
        int[][] cases = {{4, 1, 28, 6, 5, 1, 2}, {5, 6, 14, 16, 5, 1, 0}, {3, 2, 11, 5, 3, 1, 1}, {2, 8, 11, 32, 3, 1, 0},
            {2, 5, 13, 7, 3, 2, 1}, {1, 3, 6, 4, 3, 1, 1}};
        for (int[] cs : cases)
            for (boolean bias : new boolean[] {true, false}) {
                float[] xs = Tensor.randn(gen, cs[0] * cs[1] * cs[2] * cs[2]).toFloatArray();
                // ties (a flat patch), and a NaN that wins its window
                for (int i = 0; i < Math.min(12, xs.length); i++) xs[i] = 0.25f;
                if (cs[0] > 1) xs[xs.length / 2] = Float.NaN;
                Tensor x = TensorData.wrap(xs, cs[0], cs[1], cs[2], cs[2]).requiresGrad(true);
                Tensor w = Tensor.randn(gen, cs[3], cs[1], cs[4], cs[4]).requiresGrad(true);
                Tensor b = bias ? Tensor.randn(gen, cs[3]).requiresGrad(true) : null;
                Conv2dOptions opt = Conv2dOptions.defaults().stride(cs[5]).padding(cs[6]);
                Pool2dOptions pool = Pool2dOptions.of(2);
                sameAsUnfused(new Tensor[] {x, w, b}, t -> ConvOps.conv2dReluMaxPool2d(t[0], t[1], t[2], opt, pool),
                        t -> PoolOps.maxPool2d(ConvOps.conv2d(t[0], t[1], t[2], opt).relu(), pool),
                        Arrays.toString(cs) + " bias " + bias);
            }
    }

    @Test
    void aLaterCallOfTheSameShapeLeavesEarlierResultsAlone() {
        // The convolution's output on the grid is a per-thread array that the next call of the same length
        // writes over (CpuConv, UnreadOutputs): each call must still give the three ops' values and
        // gradients, with the array holding another input's output on entry, and earlier results must not move.
        Generator gen = new Generator(8);
        for (int[] cs : new int[][] {{3, 1, 12, 6, 5, 2}, {3, 6, 9, 16, 5, 0}}) {
            Conv2dOptions opt = Conv2dOptions.defaults().padding(cs[5]);
            Pool2dOptions pool = Pool2dOptions.of(2);
            Tensor w = Tensor.randn(gen, cs[3], cs[1], cs[4], cs[4]).requiresGrad(true);
            Tensor b = Tensor.randn(gen, cs[3]).requiresGrad(true);
            Tensor first = ConvOps.conv2dReluMaxPool2d(Tensor.randn(gen, cs[0], cs[1], cs[2], cs[2]), w, b, opt, pool);
            float[] firstValues = first.toFloatArray();
            for (int call = 0; call < 3; call++) {
                Tensor x = Tensor.randn(gen, cs[0], cs[1], cs[2], cs[2]).requiresGrad(true);
                sameAsUnfused(new Tensor[] {x, w, b}, t -> ConvOps.conv2dReluMaxPool2d(t[0], t[1], t[2], opt, pool),
                        t -> PoolOps.maxPool2d(ConvOps.conv2d(t[0], t[1], t[2], opt).relu(), pool),
                        Arrays.toString(cs) + " call " + call);
            }
            assertArrayEquals(firstValues, first.toFloatArray(), 0f, Arrays.toString(cs) + " first result");
        }
    }

    @Test
    void aKeptGradientBehindThePoolIsNotReused() {
        // The pool's gradient is an array the backend lends again after the convolution's backward: not when
        // the ReLU's or the convolution's output keeps its gradient (retainGrad through the graph's nodes).
        Generator gen = new Generator(9);
        Conv2dOptions opt = Conv2dOptions.defaults().padding(2);
        Tensor w = Tensor.randn(gen, 6, 1, 5, 5).requiresGrad(true), b = Tensor.randn(gen, 6).requiresGrad(true);
        for (int which = 0; which < 2; which++) {
            Tensor x = Tensor.randn(gen, 2, 1, 12, 12);
            Tensor y = ConvOps.conv2dReluMaxPool2d(x, w, b, opt, Pool2dOptions.of(2));
            Tensor relu = y.gradFn().inputs()[0], kept = which == 0 ? relu : relu.gradFn().inputs()[0];
            kept.retainGrad();
            y.backward(Tensor.randn(gen, y.shape()));
            float[] grad = kept.grad().toFloatArray();
            for (int call = 0; call < 3; call++) {
                Tensor x2 = Tensor.randn(gen, 2, 1, 12, 12);
                ConvOps.conv2dReluMaxPool2d(x2, w, b, opt, Pool2dOptions.of(2)).backward(Tensor.randn(gen, y.shape()));
            }
            assertArrayEquals(grad, kept.grad().toFloatArray(), 0f, which == 0 ? "relu output" : "convolution output");
        }
    }

    @Test
    void otherPoolsAndShapesFallBackToTheThreeOps() {
        Generator gen = new Generator(4);
        Tensor w = Tensor.randn(gen, 4, 2, 3, 3).requiresGrad(true), b = Tensor.randn(gen, 4).requiresGrad(true);
        Conv2dOptions opt = Conv2dOptions.defaults().padding(1);
        Pool2dOptions[] pools = {Pool2dOptions.of(3).stride(2).padding(1), Pool2dOptions.of(2).ceilMode(true),
            Pool2dOptions.of(2).stride(1)};
        for (Pool2dOptions pool : pools) {
            Tensor x = Tensor.randn(gen, 2, 2, 7, 7).requiresGrad(true);
            sameAsUnfused(new Tensor[] {x, w, b}, t -> ConvOps.conv2dReluMaxPool2d(t[0], t[1], t[2], opt, pool),
                    t -> PoolOps.maxPool2d(ConvOps.conv2d(t[0], t[1], t[2], opt).relu(), pool), pool.toString());
        }
        Tensor x = Tensor.randn(gen, 2, 8, 8).requiresGrad(true);
        sameAsUnfused(new Tensor[] {x, w, b}, t -> ConvOps.conv2dReluMaxPool2d(t[0], t[1], t[2], opt, Pool2dOptions.of(2)),
                t -> PoolOps.maxPool2d(ConvOps.conv2d(t[0], t[1], t[2], opt).relu(), Pool2dOptions.of(2)), "unbatched");
    }

    @Test
    void recordsTheThreeNodes() {
        Generator gen = new Generator(5);
        Tensor x = Tensor.randn(gen, 2, 3, 10, 10), w = Tensor.randn(gen, 6, 3, 3, 3).requiresGrad(true);
        Tensor y = ConvOps.conv2dReluMaxPool2d(x, w, null, Conv2dOptions.defaults(), Pool2dOptions.of(2));
        assertArrayEquals(new int[] {2, 6, 4, 4}, y.shape());
        assertEquals("max_pool2d_with_indices", y.gradFn().op());
        Tensor r = y.gradFn().inputs()[0];
        assertEquals("relu", r.gradFn().op());
        assertArrayEquals(new int[] {2, 6, 8, 8}, r.shape());
        assertEquals("convolution", r.gradFn().inputs()[0].gradFn().op());
        try (NoGrad ignored = NoGrad.enter()) {
            assertNull(ConvOps.conv2dReluMaxPool2d(x, w, null, Conv2dOptions.defaults(), Pool2dOptions.of(2)).gradFn());
        }
    }

    @Test
    void gradients() {
        Generator gen = new Generator(6);
        // Central differences in float32 across the ReLU's and the max's kinks: a smaller step than the
        // default, which moved several windows' maxima (the analytic gradients equal the three ops' bitwise,
        // matchesConvReluPool).
        GradCheck check = GradCheck.create().eps(1e-3).atol(5e-3).rtol(2e-2).normTol(1e-2);
        // grid by position and by channel (16 output channels), with and without padding
        GradCheck.Result r = check.run(in -> ConvOps.conv2dReluMaxPool2d(in[0], in[1], in[2],
                Conv2dOptions.defaults().padding(1), Pool2dOptions.of(2)), Tensor.randn(gen, 2, 2, 6, 6),
                Tensor.randn(gen, 3, 2, 3, 3), Tensor.randn(gen, 3));
        assertTrue(r.passed(), r.report());
        r = check.run(in -> ConvOps.conv2dReluMaxPool2d(in[0], in[1], in[2], Conv2dOptions.defaults(), Pool2dOptions.of(2)),
                Tensor.randn(gen, 2, 3, 7, 7), Tensor.randn(gen, 16, 3, 3, 3), Tensor.randn(gen, 16));
        assertTrue(r.passed(), r.report());
    }
}
