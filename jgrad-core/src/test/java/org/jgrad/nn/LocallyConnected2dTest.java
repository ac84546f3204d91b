package org.jgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.jgrad.autograd.GradCheck;
import org.jgrad.autograd.NoGrad;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** LocallyConnected2d: Keras' parameter count, PyTorch unfold + einsum numbers, gradients. */
class LocallyConnected2dTest {

    private static int count(Module m) {
        int total = 0;
        for (Tensor p : m.parameters()) total += p.numel();
        return total;
    }

    @Test
    void theLecturesExampleHasKerasParameterCount() {
        LocallyConnected2d lc = new LocallyConnected2d(3, 64, 32, 32, 3);
        assertEquals(1_612_800, count(lc));
        assertArrayEquals(new int[] {900, 64, 27}, lc.weight().shape());
        assertArrayEquals(new int[] {900, 64}, lc.bias().shape());
        assertArrayEquals(new int[] {2, 64, 30, 30}, lc.call(Tensor.zeros(2, 3, 32, 32)).shape());
        assertEquals("LocallyConnected2d(3, 64, kernel_size=(3, 3), stride=(1, 1), input_size=(32, 32), bias=True)",
                lc.toString());
    }

    @Test
    void shapesWithStrideAndWithoutBias() {
        LocallyConnected2d lc = new LocallyConnected2d(2, 5, 9, 8, 3, 2, 2, 3, false, new Generator(1));
        assertArrayEquals(new int[] {4, 3}, lc.outputSize());
        assertNull(lc.bias());
        assertArrayEquals(new int[] {3, 5, 4, 3}, lc.call(Tensor.zeros(3, 2, 9, 8)).shape());
        assertArrayEquals(new int[] {5, 4, 3}, lc.call(Tensor.zeros(2, 9, 8)).shape());
        assertEquals(12 * 5 * 12, count(lc));
    }

    @Test
    void initializedLikeKerasGlorotUniform() {
        LocallyConnected2d lc = new LocallyConnected2d(3, 64, 32, 32, 3);
        double limit = Math.sqrt(6.0 / (900 * 27 + 900 * 64));
        float[] w = lc.weight().toFloatArray();
        double max = 0, sumSq = 0;
        for (float v : w) {
            max = Math.max(max, Math.abs(v));
            sumSq += v * v;
        }
        assertTrue(max <= limit, "max " + max + " over the limit " + limit);
        // U(−a, a) has variance a²/3
        assertEquals(limit * limit / 3, sumSq / w.length, limit * limit / 3 * 0.02);
        assertEquals(0f, lc.bias().abs().sum().item());
    }

    @Test
    void matchesTorchUnfoldEinsum() {
        Map<String, Tensor> f = ZooFixtures.load("locally_connected2d");
        LocallyConnected2d lc = new LocallyConnected2d(3, 4, 7, 8, 3, 2, 2, 1, true, null);
        try (var g = NoGrad.enter()) {
            lc.weight().copyInPlace(f.get("weight"));
            lc.bias().copyInPlace(f.get("bias"));
        }
        Tensor x = f.get("x").copy().requiresGrad(true);
        Tensor y = lc.call(x);
        y.mul(f.get("gy")).sum().backward();
        ZooFixtures.assertClose(f.get("y"), y, 1e-5, 1e-5, "output");
        ZooFixtures.assertClose(f.get("gx"), x.grad(), 1e-5, 1e-5, "input gradient");
        ZooFixtures.assertClose(f.get("gweight"), lc.weight().grad(), 1e-5, 1e-5, "weight gradient");
        ZooFixtures.assertClose(f.get("gbias"), lc.bias().grad(), 1e-5, 1e-5, "bias gradient");
    }

    @Test
    void gradientCheck() {
        Generator gen = new Generator(2);
        LocallyConnected2d lc = new LocallyConnected2d(2, 3, 5, 6, 2, 3, 2, 1, true, gen);
        Tensor x = Tensor.uniform(gen, -1, 1, 2, 2, 5, 6).requiresGrad(true);
        Tensor w = Tensor.uniform(gen, -1, 1, lc.weight().shape()).requiresGrad(true);
        Tensor b = Tensor.uniform(gen, -1, 1, lc.bias().shape()).requiresGrad(true);
        GradCheck.assertGradients(in -> {
            LocallyConnected2d m = new LocallyConnected2d(2, 3, 5, 6, 2, 3, 2, 1, true, null);
            m.setParameter("weight", in[1]);
            m.setParameter("bias", in[2]);
            return m.call(in[0]);
        }, x, w, b);
    }

    @Test
    void refusesBadInputNamingIt() {
        LocallyConnected2d lc = new LocallyConnected2d(3, 4, 8, 8, 3);
        var e = assertThrows(IllegalArgumentException.class, () -> lc.call(Tensor.zeros(1, 3, 9, 8)));
        assertTrue(e.getMessage().contains("[1, 3, 9, 8]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new LocallyConnected2d(3, 4, 2, 8, 3));
        assertTrue(e.getMessage().contains("larger than the input"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new LocallyConnected2d(0, 4, 8, 8, 3));
    }
}
