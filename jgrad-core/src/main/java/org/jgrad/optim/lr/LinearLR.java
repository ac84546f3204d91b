package org.jgrad.optim.lr;

import org.jgrad.optim.Optimizer;

/**
 * Scales the rate linearly from {@code startFactor}·base to {@code endFactor}·base over
 * {@code totalIters} steps, then holds it, like {@code LinearLR}; the usual learning-rate warmup.
 * Closed form: {@code base·(start + (end − start)·min(epoch, total)/total)}.
 *
 * <pre>{@code
 * var warmup = LinearLR.warmup(opt, 5);   // 1/5, 2/5, ..., 1 × lr
 * }</pre>
 */
public final class LinearLR extends LRScheduler {
    private final double startFactor, endFactor;
    private final int totalIters;

    /** PyTorch's defaults: from 1/3 to 1 over 5 steps. */
    public LinearLR(Optimizer optimizer) {
        this(optimizer, 1.0 / 3, 1.0, 5);
    }

    public LinearLR(Optimizer optimizer, double startFactor, double endFactor, int totalIters) {
        if (!(startFactor > 0 && startFactor <= 1))
            throw new IllegalArgumentException("LinearLR: starting multiplicative factor expected to be greater than 0 "
                    + "and less or equal to 1, got " + startFactor);
        if (!(endFactor >= 0 && endFactor <= 1))
            throw new IllegalArgumentException("LinearLR: ending multiplicative factor expected to be between 0 and 1, got "
                    + endFactor);
        if (totalIters <= 0) throw new IllegalArgumentException("LinearLR: total_iters must be positive, got " + totalIters);
        this.startFactor = startFactor;
        this.endFactor = endFactor;
        this.totalIters = totalIters;
        super(optimizer);
    }

    /**
     * A warmup over {@code warmupIters} epochs: the rate is base·1/W, 2/W, ..., W/W at epochs
     * 0 .. W−1, then stays at the base rate.
     */
    public static LinearLR warmup(Optimizer optimizer, int warmupIters) {
        if (warmupIters <= 0) throw new IllegalArgumentException("LinearLR.warmup: warmupIters must be positive, got " + warmupIters);
        return new LinearLR(optimizer, 1.0 / warmupIters, 1.0, Math.max(warmupIters - 1, 1));
    }

    @Override
    protected double[] computeLr() {
        double[] lr = currentLrs();
        if (lastEpoch == 0) {
            for (int i = 0; i < lr.length; i++) lr[i] *= startFactor;
            return lr;
        }
        if (lastEpoch > totalIters) return lr;
        double f = 1.0 + (endFactor - startFactor) / (totalIters * startFactor + (lastEpoch - 1) * (endFactor - startFactor));
        for (int i = 0; i < lr.length; i++) lr[i] *= f;
        return lr;
    }

    @Override
    protected double[] closedFormLr() {
        double f = startFactor + (endFactor - startFactor) * Math.min(totalIters, lastEpoch) / totalIters;
        double[] lr = baseLrs.clone();
        for (int i = 0; i < lr.length; i++) lr[i] *= f;
        return lr;
    }
}
