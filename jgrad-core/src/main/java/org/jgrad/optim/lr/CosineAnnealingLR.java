package org.jgrad.optim.lr;

import org.jgrad.optim.Optimizer;

/**
 * Cosine annealing from the base rate to {@code etaMin} over {@code tMax} epochs, like
 * {@code CosineAnnealingLR}. The closed form is
 * {@code η = η_min + (base − η_min)·(1 + cos(π·epoch/T_max))/2}; past T_max it rises again
 * (period 2·T_max). {@link #step()} uses PyTorch's recursive form, which equals the closed form
 * up to rounding when no other schedule changes the rate.
 */
public final class CosineAnnealingLR extends LRScheduler {
    private final int tMax;
    private final double etaMin;

    /** Annealing to 0. */
    public CosineAnnealingLR(Optimizer optimizer, int tMax) {
        this(optimizer, tMax, 0.0);
    }

    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin) {
        if (tMax <= 0) throw new IllegalArgumentException("CosineAnnealingLR: T_max must be positive, got " + tMax);
        this.tMax = tMax;
        this.etaMin = etaMin;
        super(optimizer);
    }

    @Override
    protected double[] computeLr() {
        double[] lr = currentLrs();
        if (lastEpoch == 0) return lr;
        if (stepCount() == 1 && lastEpoch > 0) return closedFormLr();
        for (int i = 0; i < lr.length; i++) {
            if (Math.floorMod(lastEpoch - 1 - tMax, 2 * tMax) == 0) {
                lr[i] += (baseLrs[i] - etaMin) * (1 - Math.cos(Math.PI / tMax)) / 2;
            } else {
                lr[i] = (1 + Math.cos(Math.PI * lastEpoch / tMax)) / (1 + Math.cos(Math.PI * (lastEpoch - 1) / tMax))
                        * (lr[i] - etaMin) + etaMin;
            }
        }
        return lr;
    }

    @Override
    protected double[] closedFormLr() {
        double[] lr = new double[baseLrs.length];
        for (int i = 0; i < lr.length; i++)
            lr[i] = etaMin + (baseLrs[i] - etaMin) * (1 + Math.cos(Math.PI * lastEpoch / tMax)) / 2;
        return lr;
    }
}
