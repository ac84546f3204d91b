package org.jgrad.nn.loss;

import org.jgrad.tensor.Tensor;

/**
 * Squared error near zero and absolute error beyond {@code beta}, like {@code nn.SmoothL1Loss}:
 * less sensitive to outliers than {@link MSELoss}, smoother at zero than {@link L1Loss}.
 */
public final class SmoothL1Loss implements Loss {
    private final double beta;
    private final Reduction reduction;

    /** β = 1, mean reduction. */
    public SmoothL1Loss() {
        this(1.0, Reduction.MEAN);
    }

    /** With the given threshold β ≥ 0 and reduction. */
    public SmoothL1Loss(double beta, Reduction reduction) {
        if (!(beta >= 0)) throw new IllegalArgumentException("SmoothL1Loss: beta must be >= 0, got " + beta);
        this.beta = beta;
        this.reduction = reduction;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return Losses.smoothL1Loss(input, target, beta, reduction);
    }

    /** The threshold between the quadratic and the linear part. */
    public double beta() {
        return beta;
    }

    @Override
    public Reduction reduction() {
        return reduction;
    }

    @Override
    public String toString() {
        return "SmoothL1Loss()";
    }
}
