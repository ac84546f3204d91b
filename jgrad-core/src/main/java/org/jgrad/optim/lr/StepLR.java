package org.jgrad.optim.lr;

import org.jgrad.optim.Optimizer;

/** Multiplies the rate by {@code gamma} every {@code stepSize} epochs, like {@code StepLR}: lr = base·γ^⌊epoch/stepSize⌋. */
public final class StepLR extends LRScheduler {
    private final int stepSize;
    private final double gamma;

    /** With gamma 0.1. */
    public StepLR(Optimizer optimizer, int stepSize) {
        this(optimizer, stepSize, 0.1);
    }

    public StepLR(Optimizer optimizer, int stepSize, double gamma) {
        if (stepSize <= 0) throw new IllegalArgumentException("StepLR: step_size must be positive, got " + stepSize);
        this.stepSize = stepSize;
        this.gamma = gamma;
        super(optimizer);
    }

    @Override
    protected double[] computeLr() {
        double[] lr = currentLrs();
        if (lastEpoch == 0 || lastEpoch % stepSize != 0) return lr;
        for (int i = 0; i < lr.length; i++) lr[i] *= gamma;
        return lr;
    }

    @Override
    protected double[] closedFormLr() {
        double[] lr = baseLrs.clone();
        for (int i = 0; i < lr.length; i++) lr[i] *= Math.pow(gamma, Math.floorDiv(lastEpoch, stepSize));
        return lr;
    }
}
