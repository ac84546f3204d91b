package org.jgrad.nn.loss;

import org.jgrad.tensor.Tensor;

/**
 * Huber loss, like {@code nn.HuberLoss}: {@code 0.5·d²} for {@code |d| < δ}, {@code δ·(|d| − 0.5·δ)}
 * beyond; the gradient is the error clipped to [−δ, δ].
 */
public final class HuberLoss implements Loss {
    private final double delta;
    private final Reduction reduction;

    /** δ = 1, mean reduction. */
    public HuberLoss() {
        this(1.0, Reduction.MEAN);
    }

    /** With the given threshold δ &gt; 0 and reduction. */
    public HuberLoss(double delta, Reduction reduction) {
        if (!(delta > 0)) throw new IllegalArgumentException("HuberLoss: delta must be > 0, got " + delta);
        this.delta = delta;
        this.reduction = reduction;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return Losses.huberLoss(input, target, delta, reduction);
    }

    /** The threshold between the quadratic and the linear part. */
    public double delta() {
        return delta;
    }

    @Override
    public Reduction reduction() {
        return reduction;
    }

    @Override
    public String toString() {
        return "HuberLoss()";
    }
}
