package org.jgrad.optim.lr;

import org.jgrad.optim.Optimizer;

/** Multiplies the rate by {@code gamma} every epoch, like {@code ExponentialLR}: lr = base·γ^epoch. */
public final class ExponentialLR extends LRScheduler {
    private final double gamma;

    public ExponentialLR(Optimizer optimizer, double gamma) {
        this.gamma = gamma;
        super(optimizer);
    }

    @Override
    protected double[] computeLr() {
        double[] lr = currentLrs();
        if (lastEpoch == 0) return lr;
        for (int i = 0; i < lr.length; i++) lr[i] *= gamma;
        return lr;
    }

    @Override
    protected double[] closedFormLr() {
        double[] lr = baseLrs.clone();
        for (int i = 0; i < lr.length; i++) lr[i] *= Math.pow(gamma, lastEpoch);
        return lr;
    }
}
