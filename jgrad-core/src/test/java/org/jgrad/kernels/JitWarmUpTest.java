package org.jgrad.kernels;

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
}
