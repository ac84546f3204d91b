package org.jgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.jgrad.autograd.GradCheck;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** FractionalMaxPool2d: PyTorch's windows, values, indices and gradients from the same random samples. */
class FractionalMaxPool2dTest {

    @Test
    void shapesAndPrintout() {
        Tensor x = Tensor.zeros(2, 3, 9, 10);
        assertArrayEquals(new int[] {2, 3, 4, 5}, FractionalMaxPool2d.withOutputSize(3, 2, 4, 5).call(x).shape());
        assertArrayEquals(new int[] {2, 3, 4, 7}, FractionalMaxPool2d.withOutputRatio(2, 2, 0.5, 0.7).call(x).shape());
        // the lectures' 1/√2 per layer: 32 → 22
        assertArrayEquals(new int[] {3, 22, 22},
                FractionalMaxPool2d.withOutputRatio(2, 1 / Math.sqrt(2)).call(Tensor.zeros(3, 32, 32)).shape());
        assertEquals("FractionalMaxPool2d()", FractionalMaxPool2d.withOutputSize(2, 5).toString());
    }

    @Test
    void windowsFollowTheFormulaAndEndAtInMinusK() {
        // in 10, k 2, out 5: α = 2, u = 0.6 → ⌊2(i + 0.6)⌋ − ⌊1.2⌋ = 0, 2, 4, 6, then 10 − 2
        assertArrayEquals(new int[] {0, 2, 4, 6, 8}, FractionalMaxPool2d.windowStarts(0.6f, 10, 5, 2));
        // in 9, k 3, out 4: α = 2, u = 0.75 → 1 − 1, 3 − 1, 5 − 1, then 6
        assertArrayEquals(new int[] {0, 2, 4, 6}, FractionalMaxPool2d.windowStarts(0.75f, 9, 4, 3));
        // in 25, k 2, out 16: α = 23/15, non-integer steps of 1 or 2
        int[] s = FractionalMaxPool2d.windowStarts(0.3f, 25, 16, 2);
        assertEquals(0, s[0]);
        assertEquals(23, s[15]);
        for (int i = 1; i < s.length; i++) assertTrue(s[i] - s[i - 1] == 1 || s[i] - s[i - 1] == 2, "step at " + i);
        assertArrayEquals(new int[] {7}, FractionalMaxPool2d.windowStarts(0.5f, 10, 1, 3));
    }

    @Test
    void matchesTorchGivenItsRandomSamples() {
        Map<String, Tensor> f = ZooFixtures.load("fractional_max_pool2d");
        Map<String, FractionalMaxPool2d> layers = Map.of(
                "size", FractionalMaxPool2d.withOutputSize(3, 2, 4, 5),
                "ratio", FractionalMaxPool2d.withOutputRatio(2, 2, 0.5, 0.7),
                "one", FractionalMaxPool2d.withOutputSize(3, 3, 1, 6));
        layers.forEach((tag, layer) -> {
            Tensor samples = f.get(tag + ".samples");
            Tensor.ValuesIndices vi = layer.forwardWithIndices(f.get("x"), samples);
            float[] idx = f.get(tag + ".indices").toFloatArray();
            long[] got = vi.indices().toLongArray();
            for (int i = 0; i < idx.length; i++) assertEquals((long) idx[i], got[i], tag + ": index " + i);
            Tensor[] yg = ZooFixtures.forwardBackward(x -> layer.forward(x, samples), f.get("x"), f.get(tag + ".gy"));
            ZooFixtures.assertExact(f.get(tag + ".y"), yg[0], tag + " output");
            ZooFixtures.assertExact(f.get(tag + ".gx"), yg[1], tag + " input gradient");
        });
    }

    @Test
    void gradientCheck() {
        // distinct values 0.05 apart, at most 11.2, and steps h ≤ 1e-3·11.2: no perturbation changes a maximum
        Tensor perm = Tensor.randperm(new Generator(13), 2 * 2 * 7 * 8).toFloat().mul(0.05f).reshape(2, 2, 7, 8);
        Tensor x = perm.copy().requiresGrad(true);
        Tensor samples = Tensor.rand(new Generator(14), 2, 2, 2);
        FractionalMaxPool2d pool = FractionalMaxPool2d.withOutputSize(3, 2, 4, 5);
        GradCheck.Result r = GradCheck.create().eps(1e-3).run(in -> pool.forward(in[0], samples), x);
        assertTrue(r.passed(), r.report());
    }

    @Test
    void drawsFromItsGeneratorAndRepeatsWithTheSeed() {
        Tensor x = Tensor.randn(new Generator(15), 4, 3, 12, 12);
        FractionalMaxPool2d pool = FractionalMaxPool2d.withOutputRatio(2, 0.6);
        Tensor a = pool.setGenerator(new Generator(1)).call(x);
        Tensor b = pool.setGenerator(new Generator(1)).call(x);
        assertArrayEquals(a.toFloatArray(), b.toFloatArray());
        // the draws are the samples [N, C, 2] in order
        Generator g = new Generator(1);
        float[] u = new float[4 * 3 * 2];
        for (int i = 0; i < u.length; i++) u[i] = g.nextFloat();
        assertArrayEquals(a.toFloatArray(), pool.forward(x, TensorData.wrap(u, 4, 3, 2)).toFloatArray());
        assertNotEquals(0, a.sub(pool.setGenerator(new Generator(2)).call(x)).abs().sum().item());
    }

    @Test
    void refusesBadArgumentsNamingThem() {
        assertThrows(IllegalArgumentException.class, () -> FractionalMaxPool2d.withOutputRatio(2, 1.0));
        assertThrows(IllegalArgumentException.class, () -> FractionalMaxPool2d.withOutputSize(0, 3));
        var e = assertThrows(IllegalArgumentException.class,
                () -> FractionalMaxPool2d.withOutputSize(4, 8).call(Tensor.zeros(1, 1, 10, 10)));
        assertTrue(e.getMessage().contains("pool height 4"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> FractionalMaxPool2d.withOutputSize(2, 3).forward(Tensor.zeros(2, 1, 8, 8), Tensor.zeros(1, 1, 2)));
        assertTrue(e.getMessage().contains("[2, 1, 2]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> FractionalMaxPool2d.withOutputSize(2, 3).forward(Tensor.zeros(1, 1, 8, 8), Tensor.full(1f, 1, 1, 2)));
        assertTrue(e.getMessage().contains("[0, 1)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FractionalMaxPool2d.withOutputSize(2, 3).call(Tensor.zeros(8, 8)));
        assertTrue(e.getMessage().contains("[8, 8]"), e.getMessage());
    }
}
