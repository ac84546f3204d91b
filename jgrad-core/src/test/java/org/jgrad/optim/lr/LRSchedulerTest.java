package org.jgrad.optim.lr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.function.Function;
import org.jgrad.optim.Optimizer;
import org.jgrad.optim.ParamGroup;
import org.jgrad.optim.SGD;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Learning-rate sequences: the rate after construction (epoch 0) and after each step. */
class LRSchedulerTest {
    private static SGD sgd(double lr) {
        return new SGD(List.of(Tensor.zeros(2).requiresGrad(true)), lr);
    }

    private static double[] run(SGD opt, LRScheduler s, int epochs) {
        double[] lrs = new double[epochs];
        for (int e = 0; e < epochs; e++) {
            lrs[e] = opt.paramGroups().get(0).lr();
            assertEquals(lrs[e], s.getLastLr()[0], 0, "getLastLr at epoch " + e);
            assertEquals(e, s.lastEpoch());
            s.step();
        }
        return lrs;
    }

    private static double[] sequence(double lr, Function<SGD, LRScheduler> make, int epochs) {
        SGD opt = sgd(lr);
        return run(opt, make.apply(opt), epochs);
    }

    @Test
    void stepLR() {
        assertArrayEquals(new double[] {0.05, 0.05, 0.05, 0.005, 0.005, 0.005, 0.0005},
                sequence(0.05, o -> new StepLR(o, 3, 0.1), 7), 1e-15);
    }

    @Test
    void multiStepLR() {
        assertArrayEquals(new double[] {0.05, 0.05, 0.005, 0.005, 0.005, 0.0005, 0.0005},
                sequence(0.05, o -> new MultiStepLR(o, 2, 5), 7), 1e-15);
        // a repeated milestone applies gamma twice
        assertArrayEquals(new double[] {1, 0.25, 0.25}, sequence(1, o -> new MultiStepLR(o, new int[] {1, 1}, 0.5), 3), 1e-15);
    }

    @Test
    void exponentialLR() {
        assertArrayEquals(new double[] {1, 0.5, 0.25, 0.125}, sequence(1, o -> new ExponentialLR(o, 0.5), 4), 1e-15);
    }

    @Test
    void cosineAnnealingFollowsTheClosedFormIncludingTheRiseAfterTMax() {
        double base = 0.1, etaMin = 0.001;
        int tMax = 10;
        double[] got = sequence(base, o -> new CosineAnnealingLR(o, tMax, etaMin), 25);
        for (int e = 0; e < got.length; e++)
            assertEquals(etaMin + (base - etaMin) * (1 + Math.cos(Math.PI * e / tMax)) / 2, got[e], 1e-12, "epoch " + e);
        assertEquals(etaMin, got[10], 1e-12);
        assertEquals(base, got[20], 1e-12);
    }

    @Test
    void linearLRAndWarmup() {
        // PyTorch docs: lr 0.05, start_factor 0.5, total_iters 4
        assertArrayEquals(new double[] {0.025, 0.03125, 0.0375, 0.04375, 0.05, 0.05},
                sequence(0.05, o -> new LinearLR(o, 0.5, 1.0, 4), 6), 1e-15);
        assertArrayEquals(new double[] {0.2, 0.4, 0.6, 0.8, 1.0, 1.0}, sequence(1, o -> LinearLR.warmup(o, 5), 6), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> new LinearLR(sgd(1), 0, 1, 4));
    }

    @Test
    void sequentialWarmupThenDecay() {
        SGD opt = sgd(1);
        LinearLR warmup = LinearLR.warmup(opt, 3);
        ExponentialLR decay = new ExponentialLR(opt, 0.5);
        SequentialLR s = new SequentialLR(opt, List.of(warmup, decay), 3);
        assertArrayEquals(new double[] {1 / 3.0, 2 / 3.0, 1, 1, 0.5, 0.25}, run(opt, s, 6), 1e-15);
    }

    @Test
    void sequentialWarmupThenCosine() {
        SGD opt = sgd(0.1);
        SequentialLR s = new SequentialLR(opt, List.of(LinearLR.warmup(opt, 2), new CosineAnnealingLR(opt, 4)), 2);
        double[] got = run(opt, s, 7);
        double[] expected = {0.05, 0.1, 0.1, 0.1 * (1 + Math.cos(Math.PI / 4)) / 2, 0.05, 0.1 * (1 + Math.cos(3 * Math.PI / 4)) / 2, 0};
        assertArrayEquals(expected, got, 1e-12);
    }

    @Test
    void chainedSchedulersMultiply() {
        SGD opt = sgd(1);
        var s = new ChainedScheduler(List.of(new LinearLR(opt, 0.5, 1.0, 2), new ExponentialLR(opt, 0.9)));
        assertArrayEquals(new double[] {0.5, 0.675, 0.81, 0.729}, run(opt, s, 4), 1e-12);
    }

    @Test
    void everyGroupFollowsItsOwnBaseRate() {
        Tensor a = Tensor.zeros(1).requiresGrad(true), b = Tensor.zeros(1).requiresGrad(true);
        SGD opt = new SGD(List.of(new ParamGroup(List.of(a)).lr(1), new ParamGroup(List.of(b)).lr(0.1)), 0.5);
        StepLR s = new StepLR(opt, 1, 0.5);
        s.step();
        assertArrayEquals(new double[] {0.5, 0.05}, s.getLastLr(), 1e-15);
        assertEquals(1.0, opt.paramGroups().get(0).get("initial_lr"));
    }

    @Test
    void jumpToAnEpochUsesTheClosedForm() {
        SGD opt = sgd(1);
        StepLR s = new StepLR(opt, 2, 0.1);
        s.step(5);
        assertEquals(0.01, s.getLastLr()[0], 1e-15);
    }

    @Test
    void stateDictResumesTheSchedule() {
        SGD opt = sgd(0.1);
        Function<Optimizer, LRScheduler> make = o -> new SequentialLR(o, List.of(LinearLR.warmup(o, 3), new CosineAnnealingLR(o, 10)), 3);
        LRScheduler s = make.apply(opt);
        for (int i = 0; i < 5; i++) s.step();
        var optState = opt.stateDict();
        var schedState = s.stateDict();
        SGD opt2 = sgd(0.1);
        LRScheduler s2 = make.apply(opt2);
        opt2.loadStateDict(optState);
        s2.loadStateDict(schedState);
        for (int i = 0; i < 6; i++) {
            s.step();
            s2.step();
            assertArrayEquals(s.getLastLr(), s2.getLastLr(), "step " + i);
            assertEquals(opt.paramGroups().get(0).lr(), opt2.paramGroups().get(0).lr());
        }
    }

    // ------------------------------------------------------------------ ReduceLROnPlateau

    private static double[] plateau(ReduceLROnPlateau s, SGD opt, double... metrics) {
        double[] lrs = new double[metrics.length];
        for (int i = 0; i < metrics.length; i++) {
            s.step(metrics[i]);
            lrs[i] = opt.paramGroups().get(0).lr();
            assertEquals(lrs[i], s.getLastLr()[0]);
        }
        return lrs;
    }

    @Test
    void plateauReducesAfterPatienceRunsOut() {
        SGD opt = sgd(1);
        var s = new ReduceLROnPlateau(opt).factor(0.5).patience(2);
        assertArrayEquals(new double[] {1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.25},
                plateau(s, opt, 10, 9, 9, 9, 9, 8, 8, 8, 8), 1e-15);
    }

    @Test
    void plateauCooldownAndMinLr() {
        SGD opt = sgd(1);
        var s = new ReduceLROnPlateau(opt).factor(0.5).patience(2).cooldown(2).minLr(0.4);
        assertArrayEquals(new double[] {1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.5, 0.4},
                plateau(s, opt, 10, 9, 9, 9, 9, 8, 8, 8, 8, 8), 1e-15);
    }

    @Test
    void plateauMaxModeWithAbsoluteThreshold() {
        SGD opt = sgd(1);
        var s = new ReduceLROnPlateau(opt).mode(ReduceLROnPlateau.Mode.MAX).patience(1)
                .threshold(0.1, ReduceLROnPlateau.ThresholdMode.ABS);
        // 0.55 and 0.6 improve on 0.5 by no more than 0.1: two bad epochs
        assertArrayEquals(new double[] {1, 1, 0.1, 0.1}, plateau(s, opt, 0.5, 0.55, 0.6, 0.8), 1e-15);
        assertEquals(0.8, s.best());
        var sd = s.stateDict();
        var s2 = new ReduceLROnPlateau(sgd(1));
        s2.loadStateDict(sd);
        assertEquals(0.8, s2.best());
    }
}
