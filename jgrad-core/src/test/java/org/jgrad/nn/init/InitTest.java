package org.jgrad.nn.init;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jgrad.nn.init.Init.FanMode;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Fans, gains and the bounds/standard deviations of the initializers, as torch.nn.init computes them. */
class InitTest {

    @Test
    void fansOfLinearAndConvWeights() {
        assertEquals(new Init.Fans(784, 500), Init.calculateFanInAndFanOut(Tensor.zeros(500, 784)));
        // conv weight [out, in, kH, kW]: the 5x5 receptive field multiplies both fans
        assertEquals(new Init.Fans(6 * 25, 16 * 25), Init.calculateFanInAndFanOut(Tensor.zeros(16, 6, 5, 5)));
        assertEquals(new Init.Fans(3 * 7, 4 * 7), Init.calculateFanInAndFanOut(Tensor.zeros(4, 3, 7)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Init.calculateFanInAndFanOut(Tensor.zeros(5)));
        assertTrue(e.getMessage().contains("fewer than 2 dimensions"));
    }

    @Test
    void gainsMatchPyTorch() {
        assertEquals(1.0, Init.calculateGain("linear"));
        assertEquals(1.0, Init.calculateGain("conv2d"));
        assertEquals(1.0, Init.calculateGain("sigmoid"));
        assertEquals(5.0 / 3, Init.calculateGain("tanh"));
        assertEquals(Math.sqrt(2), Init.calculateGain("relu"));
        assertEquals(Math.sqrt(2 / 1.0001), Init.calculateGain("leaky_relu"), 1e-15);
        assertEquals(Math.sqrt(2 / 6.0), Init.calculateGain("leaky_relu", Math.sqrt(5)), 1e-15);
        assertEquals(0.75, Init.calculateGain("selu"));
        assertThrows(IllegalArgumentException.class, () -> Init.calculateGain("swish"));
    }

    private static double[] meanVar(Tensor t) {
        double s = 0, q = 0;
        float[] d = t.toFloatArray();
        for (float v : d) {
            s += v;
            q += (double) v * v;
        }
        double m = s / d.length;
        return new double[] {m, q / d.length - m * m};
    }

    private static double maxAbs(Tensor t) {
        double m = 0;
        for (float v : t.toFloatArray()) m = Math.max(m, Math.abs(v));
        return m;
    }

    @Test
    void uniformInitializersStayWithinTheirBounds() {
        Generator g = new Generator(1);
        Tensor w = Tensor.zeros(300, 200);
        double xb = Math.sqrt(6.0 / 500);
        Init.xavierUniform(w, 1.0, g);
        assertTrue(maxAbs(w) <= xb);
        assertEquals(xb * xb / 3, meanVar(w)[1], xb * xb / 3 * 0.03);
        // kaiming uniform, relu, fan_in: bound = √2·√(3/200)
        double kb = Math.sqrt(2) * Math.sqrt(3.0 / 200);
        Init.kaimingUniform(w, 0, FanMode.FAN_IN, "relu", g);
        assertTrue(maxAbs(w) <= kb);
        assertTrue(maxAbs(w) > 0.95 * kb);
        double ko = Math.sqrt(2) * Math.sqrt(3.0 / 300);
        Init.kaimingUniform(w, 0, FanMode.FAN_OUT, "relu", g);
        assertTrue(maxAbs(w) <= ko && maxAbs(w) > 0.95 * ko);
        Init.uniform(w, 2, 3, g);
        assertEquals(2.5, meanVar(w)[0], 0.01);
    }

    @Test
    void normalInitializersHaveTheRightSpread() {
        Generator g = new Generator(2);
        Tensor w = Tensor.zeros(400, 250);
        Init.xavierNormal(w, 2.0, g);
        double std = 2.0 * Math.sqrt(2.0 / 650);
        assertEquals(std * std, meanVar(w)[1], std * std * 0.03);
        Init.kaimingNormal(w, 0, FanMode.FAN_IN, "relu", g);
        assertEquals(2.0 / 250, meanVar(w)[1], 2.0 / 250 * 0.03);
        Init.normal(w, 1, 0.5, g);
        double[] mv = meanVar(w);
        assertEquals(1, mv[0], 0.01);
        assertEquals(0.25, mv[1], 0.01);
    }

    @Test
    void constantsAndInPlaceOnParameters() {
        Tensor p = Tensor.zeros(2, 2).requiresGrad(true);
        assertSame(p, Init.ones(p));
        assertArrayEquals(new float[] {1, 1, 1, 1}, p.toFloatArray());
        Init.constant(p, 0.25);
        assertArrayEquals(new float[] {0.25f, 0.25f, 0.25f, 0.25f}, p.toFloatArray());
        Init.zeros(p);
        assertArrayEquals(new float[4], p.toFloatArray());
        assertTrue(p.requiresGrad() && p.isLeaf());
        // same generator seed, same values
        Tensor a = Init.kaimingUniform(Tensor.zeros(3, 4), Math.sqrt(5), FanMode.FAN_IN, "leaky_relu", new Generator(9));
        Tensor b = Init.kaimingUniform(Tensor.zeros(3, 4), Math.sqrt(5), FanMode.FAN_IN, "leaky_relu", new Generator(9));
        assertArrayEquals(a.toFloatArray(), b.toFloatArray(), 0f);
        assertTrue(maxAbs(a) <= 0.5, "kaiming_uniform(a=√5) is U(−1/√fan_in, 1/√fan_in)");
    }
}
