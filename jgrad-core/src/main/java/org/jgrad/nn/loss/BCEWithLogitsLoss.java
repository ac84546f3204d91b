package org.jgrad.nn.loss;

import org.jgrad.tensor.Tensor;

/**
 * Sigmoid + binary cross-entropy in one stable op, like {@code nn.BCEWithLogitsLoss}.
 * {@code posWeight} (e.g. one per class, broadcast along the last dim) trades recall for
 * precision: a value of n_negative/n_positive balances a skewed class.
 */
public final class BCEWithLogitsLoss implements Loss {
    private final Tensor weight;
    private final Tensor posWeight;
    private final Reduction reduction;

    /** No weights, mean reduction. */
    public BCEWithLogitsLoss() {
        this(null, null, Reduction.MEAN);
    }

    public BCEWithLogitsLoss(Reduction reduction) {
        this(null, null, reduction);
    }

    /** {@code weight} (broadcast to the input) and {@code posWeight} may be null. */
    public BCEWithLogitsLoss(Tensor weight, Tensor posWeight, Reduction reduction) {
        this.weight = weight;
        this.posWeight = posWeight;
        this.reduction = reduction;
    }

    /** A copy with the given positive-example weight. */
    public BCEWithLogitsLoss withPosWeight(Tensor pw) {
        return new BCEWithLogitsLoss(weight, pw, reduction);
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return Losses.binaryCrossEntropyWithLogits(input, target, weight, posWeight, reduction);
    }

    public Tensor weight() {
        return weight;
    }

    public Tensor posWeight() {
        return posWeight;
    }

    @Override
    public Reduction reduction() {
        return reduction;
    }

    @Override
    public String toString() {
        return "BCEWithLogitsLoss()";
    }
}
