package org.jgrad.nn.loss;

import org.jgrad.tensor.Tensor;

/**
 * Binary cross-entropy of probabilities in [0, 1], like {@code nn.BCELoss}: each log is clamped
 * at −100, so a confident wrong prediction costs 100, not infinity. Prefer
 * {@link BCEWithLogitsLoss} on raw scores: it is stable where sigmoid + BCE saturates.
 */
public final class BCELoss implements Loss {
    private final Tensor weight;
    private final Reduction reduction;

    /** No weight, mean reduction. */
    public BCELoss() {
        this(null, Reduction.MEAN);
    }

    public BCELoss(Reduction reduction) {
        this(null, reduction);
    }

    /** {@code weight} (broadcast to the input) may be null. */
    public BCELoss(Tensor weight, Reduction reduction) {
        this.weight = weight;
        this.reduction = reduction;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return Losses.binaryCrossEntropy(input, target, weight, reduction);
    }

    public Tensor weight() {
        return weight;
    }

    @Override
    public Reduction reduction() {
        return reduction;
    }

    @Override
    public String toString() {
        return "BCELoss()";
    }
}
