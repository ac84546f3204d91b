package org.jgrad.optim.lr;

import java.util.Arrays;
import org.jgrad.optim.Optimizer;

/**
 * Multiplies the rate by {@code gamma} at each milestone epoch, like {@code MultiStepLR}; a
 * milestone listed twice applies γ twice.
 */
public final class MultiStepLR extends LRScheduler {
    private final int[] milestones;
    private final double gamma;

    /** With gamma 0.1. */
    public MultiStepLR(Optimizer optimizer, int... milestones) {
        this(optimizer, milestones, 0.1);
    }

    public MultiStepLR(Optimizer optimizer, int[] milestones, double gamma) {
        int[] sorted = milestones.clone();
        Arrays.sort(sorted);
        this.milestones = sorted;
        this.gamma = gamma;
        super(optimizer);
    }

    @Override
    protected double[] computeLr() {
        double[] lr = currentLrs();
        int hits = 0;
        for (int m : milestones) if (m == lastEpoch) hits++;
        if (hits == 0) return lr;
        for (int i = 0; i < lr.length; i++) lr[i] *= Math.pow(gamma, hits);
        return lr;
    }

    @Override
    protected double[] closedFormLr() {
        int passed = 0; // bisect_right: milestones ≤ lastEpoch
        for (int m : milestones) if (m <= lastEpoch) passed++;
        double[] lr = baseLrs.clone();
        for (int i = 0; i < lr.length; i++) lr[i] *= Math.pow(gamma, passed);
        return lr;
    }
}
