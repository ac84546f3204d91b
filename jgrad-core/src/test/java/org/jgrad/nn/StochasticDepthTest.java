package org.jgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.jgrad.autograd.GradCheck;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** StochasticDepth: torchvision's scaling and modes, its draws replayed, our own draws' statistics, the decay rule. */
class StochasticDepthTest {

    @Test
    void shapesPrintoutAndBadArguments() {
        StochasticDepth sd = new StochasticDepth(0.2, "row");
        assertEquals("StochasticDepth(p=0.2, mode=row)", sd.toString());
        assertArrayEquals(new int[] {4, 3, 5, 5}, sd.call(Tensor.ones(4, 3, 5, 5)).shape());
        assertThrows(IllegalArgumentException.class, () -> new StochasticDepth(1.5, "row"));
        assertThrows(IllegalArgumentException.class, () -> new StochasticDepth(Double.NaN, "row"));
        var e = assertThrows(IllegalArgumentException.class, () -> new StochasticDepth(0.1, "rows"));
        assertTrue(e.getMessage().contains("rows"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> StochasticDepth.apply(Tensor.ones(4, 2), new boolean[3], 0.5, "row"));
        assertTrue(e.getMessage().contains("[4, 2]"), e.getMessage());
    }

    @Test
    void replaysTorchvisionsDrawsExactly() {
        Map<String, Tensor> f = ZooFixtures.load("stochastic_depth");
        for (String mode : new String[] {"row", "batch"}) {
            float[] k = f.get(mode + ".keep").toFloatArray();
            boolean[] keep = new boolean[k.length];
            for (int i = 0; i < k.length; i++) keep[i] = k[i] != 0;
            Tensor[] yg = ZooFixtures.forwardBackward(x -> StochasticDepth.apply(x, keep, 0.375, mode), f.get("x"),
                    f.get(mode + ".gy"));
            ZooFixtures.assertExact(f.get(mode + ".y"), yg[0], mode + " output");
            ZooFixtures.assertExact(f.get(mode + ".gx"), yg[1], mode + " input gradient");
        }
    }

    @Test
    void identityInEvalAndWhenPIsZero() {
        Tensor x = Tensor.ones(3, 2);
        StochasticDepth sd = new StochasticDepth(0.9, "row");
        sd.eval();
        assertSame(x, sd.call(x));
        assertSame(x, new StochasticDepth(0, "batch").call(x));
        assertEquals(0f, new StochasticDepth(1, "row").call(x).abs().sum().item());
    }

    @Test
    void ownDrawsKeepWholeRowsAtTheSurvivalRateAndScaleThem() {
        StochasticDepth sd = new StochasticDepth(0.3, "row").setGenerator(new Generator(11));
        int n = 20000;
        float[] y = sd.call(Tensor.ones(n, 3)).toFloatArray();
        int kept = 0;
        for (int i = 0; i < n; i++) {
            assertEquals(y[3 * i], y[3 * i + 1]);
            assertEquals(y[3 * i], y[3 * i + 2]);
            if (y[3 * i] != 0) {
                kept++;
                assertEquals(1 / 0.7f, y[3 * i], 1e-6f);
            }
        }
        // 0.7 ± 4.5 standard deviations (sd = sqrt(0.21 / 20000) ≈ 0.0032)
        assertEquals(0.7, kept / (double) n, 0.015);

        StochasticDepth batch = new StochasticDepth(0.5, "batch").setGenerator(new Generator(12));
        int batchesKept = 0;
        for (int t = 0; t < 400; t++) {
            Tensor out = batch.call(Tensor.ones(5, 2));
            float s = out.sum().item();
            assertTrue(s == 0 || s == 20, "batch mode keeps or drops the whole batch, sum " + s);
            if (s != 0) batchesKept++;
        }
        assertEquals(200, batchesKept, 40);
    }

    @Test
    void sameSeedSameDraws() {
        Tensor x = Tensor.ones(64, 1);
        Tensor a = new StochasticDepth(0.5, "row").setGenerator(new Generator(3)).call(x);
        Tensor b = new StochasticDepth(0.5, "row").setGenerator(new Generator(3)).call(x);
        assertArrayEquals(a.toFloatArray(), b.toFloatArray());
    }

    @Test
    void gradientCheckWithFixedDraws() {
        Tensor x = Tensor.uniform(new Generator(4), -1, 1, 4, 3).requiresGrad(true);
        boolean[] keep = {true, false, true, true};
        GradCheck.assertGradients(in -> StochasticDepth.apply(in[0], keep, 0.25, "row"), x);
        // the module's own draws, replayed by a fresh generator on every evaluation
        GradCheck.assertGradients(in -> new StochasticDepth(0.5, "row").setGenerator(new Generator(8)).call(in[0]), x);
    }

    @Test
    void linearDecayRuleMatchesTorchvisionsEfficientNet() {
        float[] expected = ZooFixtures.load("stochastic_depth").get("efficientnet_b0.p").toFloatArray();
        int blocks = expected.length;
        for (int l = 0; l < blocks; l++)
            assertEquals(expected[l], (float) StochasticDepth.linearDecay(0.2, l, blocks), "block " + l);
        assertEquals(0.2, StochasticDepth.linearDecay(0.2, blocks, blocks), 0);
        assertThrows(IllegalArgumentException.class, () -> StochasticDepth.linearDecay(0.2, blocks + 1, blocks));
        assertThrows(IllegalArgumentException.class, () -> StochasticDepth.linearDecay(0.2, 0, 0));
    }
}
