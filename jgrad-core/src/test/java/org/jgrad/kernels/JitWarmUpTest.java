package org.jgrad.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class JitWarmUpTest {
    @Test
    void runsProductsWithinItsBudgetAndStartsOnce() {
        long t0 = System.nanoTime();
        int products = JitWarmUp.run();
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertTrue(products >= 3, "products " + products);
        // the budget plus one round of three small products, with room for a loaded CI machine
        assertTrue(seconds < JitWarmUp.BUDGET_NANOS / 1e9 + 5, "took " + seconds + " s");
        JitWarmUp.startInBackground();
        JitWarmUp.startInBackground(); // a second call is a no-op
        long warmers = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("jgrad-jit-warm-up")).count();
        assertTrue(warmers <= 1, "warm-up threads: " + warmers);
    }

    /** The warm-up's one image must take the passes a training batch of LeNet-5 takes, or it warms other kernels. */
    @Test
    void leNetLayersOfOneImageTakeTheBatchesPaths() {
        for (int i = 0; i < JitWarmUp.LeNetPasses.LAYERS.length; i++) {
            Im2col.Geometry geo = JitWarmUp.LeNetPasses.LAYERS[i];
            int o = JitWarmUp.LeNetPasses.CHANNELS[i];
            ConvPlan one = new ConvPlan(geo, 1, o, 1), batch = new ConvPlan(geo, 64, o, 1);
            String layer = "LeNet layer " + i + " " + geo;
            assertEquals(batch.gridForward, one.gridForward, layer + ": forward");
            assertEquals(batch.gridWeight, one.gridWeight, layer + ": weight gradient");
            assertEquals(batch.gridInput, one.gridInput, layer + ": input gradient");
            assertEquals(batch.depthwise, one.depthwise, layer + ": depthwise");
            assertTrue(!one.batchParallel, layer + ": one image must stay on the warm-up's thread");
        }
    }
}
