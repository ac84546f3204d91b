package org.jgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * {@link LayerFusion}'s batch-norm fusions (in a {@link Sequential}, and a ResNet block's
 * {@code relu(bn(·) + identity)}) give the same outputs, gradients and running statistics as calling the
 * modules one by one, in training and in evaluation, and fall back to the modules when a hook must see
 * the batch norm's own output.
 */
class LayerFusionTest {

    /** Output, every parameter's gradient, the residual's gradient and the running statistics after one call. */
    private static List<float[]> run(Module owner, Tensor x, Tensor residual, java.util.function.Supplier<Tensor> forward) {
        for (Tensor p : owner.parameters()) p.zeroGrad();
        if (residual != null) residual.zeroGrad();
        Tensor y = forward.get();
        y.mul(Tensor.randn(new Generator(5), y.shape())).sum().backward();
        List<float[]> r = new ArrayList<>();
        r.add(y.toFloatArray());
        for (Tensor p : owner.parameters()) r.add(p.grad() == null ? new float[0] : p.grad().toFloatArray());
        if (residual != null) r.add(residual.grad().toFloatArray());
        for (Tensor b : owner.buffers()) r.add(b.toFloatArray());
        return r;
    }

    private static void assertSameResults(List<float[]> expected, List<float[]> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) assertArrayEquals(expected.get(i), actual.get(i), 0f, "tensor " + i);
    }

    private static Sequential convBnRelu(int seed) {
        DefaultGenerator.manualSeed(seed);
        Sequential s = new Sequential(new Conv2d(3, 4, 3, 1, 1), new BatchNorm2d(4), new ReLU());
        // non-trivial γ, β so that the ReLU cuts somewhere else than at the mean
        BatchNorm2d bn = (BatchNorm2d) s.get(1);
        System.arraycopy(Tensor.rand(new Generator(seed), 4).add(0.5f).toFloatArray(), 0, TensorData.floats(bn.weight()), 0, 4);
        System.arraycopy(Tensor.randn(new Generator(seed + 1), 4).toFloatArray(), 0, TensorData.floats(bn.bias()), 0, 4);
        return s;
    }

    @Test
    void sequentialConvBatchNormReluGivesTheSameResultsAsTheChildren() {
        Tensor x = Tensor.randn(new Generator(1), 3, 3, 6, 6);
        for (boolean training : new boolean[] {true, false}) {
            Sequential fused = convBnRelu(2), plain = convBnRelu(2);
            fused.train(training);
            plain.train(training);
            List<float[]> a = run(fused, x, null, () -> fused.call(x));
            List<float[]> b = run(plain, x, null, () -> {
                Tensor y = x;
                for (Module c : plain.children()) y = c.call(y);
                return y;
            });
            assertSameResults(b, a);
        }
        // fused in training: the ReLU's output is the batch norm's own array
        Sequential s = convBnRelu(3);
        Tensor y = s.call(x);
        assertEquals("relu", y.gradFn().op());
        assertSame(TensorData.floats(y), TensorData.floats(y.gradFn().inputs()[0]));
    }

    @Test
    void batchNormAddReluGivesTheSameResultsAsTheModules() {
        Generator gen = new Generator(4);
        Tensor x = Tensor.randn(gen, 4, 4, 5, 5), r0 = Tensor.randn(gen, 4, 4, 5, 5);
        for (boolean training : new boolean[] {true, false}) {
            Sequential fused = convBnRelu(6), plain = convBnRelu(6);
            fused.train(training);
            plain.train(training);
            Tensor r1 = r0.cloneData().requiresGrad(true), r2 = r0.cloneData().requiresGrad(true);
            List<float[]> a = run(fused, x, r1, () -> LayerFusion.batchNormAddRelu(fused.get(1), x, r1, fused.get(2)));
            List<float[]> b = run(plain, x, r2, () -> plain.get(2).call(plain.get(1).call(x).add(r2)));
            assertSameResults(b, a);
        }
    }

    @Test
    void aHookOnTheBatchNormSeesItsOwnOutput() {
        Sequential s = convBnRelu(7);
        float[][] seen = new float[1][];
        s.get(1).registerForwardHook((mod, in, out) -> seen[0] = out.toFloatArray());
        Tensor x = Tensor.randn(new Generator(8), 2, 3, 4, 4);
        Tensor y = s.call(x);
        boolean negative = false;
        for (float v : seen[0]) negative |= v < 0;
        assertEquals(true, negative, "the hook saw the batch norm's output before the ReLU");
        for (float v : y.toFloatArray()) assertEquals(true, v >= 0, "the ReLU ran: " + v);
    }
}
