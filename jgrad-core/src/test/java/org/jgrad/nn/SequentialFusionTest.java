package org.jgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Sequential runs a Linear or Conv2d followed by a ReLU (and a Conv2d, ReLU, MaxPool2d block) as one
 * fused op, with the same outputs and gradients as calling the children one by one, and falls back to the children when a hook or a
 * subclass must see the layer's own output.
 */
class SequentialFusionTest {

    private static float[][] run(Module m, Tensor x, boolean childByChild) {
        for (Tensor p : m.parameters()) p.zeroGrad();
        Tensor y = x;
        if (childByChild) for (Module c : m.children()) y = c.forward(y);
        else y = m.call(x);
        y.sum().backward();
        List<float[]> r = new ArrayList<>();
        r.add(y.toFloatArray());
        for (Tensor p : m.parameters()) r.add(p.grad().toFloatArray());
        return r.toArray(new float[0][]);
    }

    @Test
    void fusedPairsGiveTheSameResultsAsTheChildren() {
        Generator gen = new Generator(8);
        // LeNet-5's features: two Conv2d, ReLU, MaxPool2d blocks, each run as one fused op
        Sequential cnn = new Sequential(new Conv2d(1, 6, 5, 1, 2), new ReLU(), new MaxPool2d(2), new Conv2d(6, 16, 5),
                new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(16 * 5 * 5, 20), new ReLU(), new Linear(20, 3));
        Tensor x = Tensor.randn(gen, 4, 1, 28, 28);
        float[][] fused = run(cnn, x, false), plain = run(cnn, x, true);
        assertEquals(plain.length, fused.length);
        for (int i = 0; i < plain.length; i++) assertArrayEquals(plain[i], fused[i], 0f, "tensor " + i);
        // fused: the ReLU's output is the convolution's own array, not a new one
        Tensor y = new Sequential(new Conv2d(1, 2, 3), new ReLU()).call(Tensor.randn(gen, 1, 1, 5, 5).requiresGrad(true));
        assertEquals("relu", y.gradFn().op());
        org.junit.jupiter.api.Assertions.assertSame(TensorData.floats(y), TensorData.floats(y.gradFn().inputs()[0]));
    }

    @Test
    void aHookOnTheLayerSeesItsPreActivationOutput() {
        Generator gen = new Generator(9);
        Linear lin = new Linear(4, 5);
        Sequential s = new Sequential(lin, new ReLU());
        float[][] seen = new float[1][];
        lin.registerForwardHook((mod, in, out) -> seen[0] = out.toFloatArray());
        Tensor x = Tensor.randn(gen, 3, 4);
        s.call(x);
        assertArrayEquals(lin.forward(x).toFloatArray(), seen[0], 0f);
    }

    @Test
    void aHookOnThePoolSeesItsInput() {
        Generator gen = new Generator(10);
        MaxPool2d pool = new MaxPool2d(2);
        Conv2d conv = new Conv2d(1, 3, 3, 1, 1);
        Sequential s = new Sequential(conv, new ReLU(), pool);
        float[][] seen = new float[1][];
        pool.registerForwardHook((mod, in, out) -> seen[0] = in[0].toFloatArray());
        Tensor x = Tensor.randn(gen, 2, 1, 6, 6);
        Tensor y = s.call(x);
        assertArrayEquals(conv.forward(x).relu().toFloatArray(), seen[0], 0f);
        assertArrayEquals(pool.forward(conv.forward(x).relu()).toFloatArray(), y.toFloatArray(), 0f);
    }

    @Test
    void aSubclassWithItsOwnForwardIsCalled() {
        Linear shifted = new Linear(3, 2) {
            @Override
            public Tensor forward(Tensor input) {
                return super.forward(input).add(100f);
            }
        };
        Sequential s = new Sequential(shifted, new ReLU());
        Tensor y = s.call(Tensor.zeros(1, 3));
        for (float v : y.toFloatArray()) assertEquals(true, v > 50f, "the override ran: " + v);
    }
}
