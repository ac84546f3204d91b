package org.jgrad.nn.loss;

import org.jgrad.tensor.Tensor;

/**
 * {@code x} where the target is 1 and {@code max(0, margin − x)} where it is −1, like
 * {@code nn.HingeEmbeddingLoss}; the input is usually a distance between two embeddings.
 */
public final class HingeEmbeddingLoss implements Loss {
    private final double margin;
    private final Reduction reduction;

    /** Margin 1, mean reduction. */
    public HingeEmbeddingLoss() {
        this(1.0, Reduction.MEAN);
    }

    public HingeEmbeddingLoss(double margin, Reduction reduction) {
        this.margin = margin;
        this.reduction = reduction;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return Losses.hingeEmbeddingLoss(input, target, margin, reduction);
    }

    public double margin() {
        return margin;
    }

    @Override
    public Reduction reduction() {
        return reduction;
    }

    @Override
    public String toString() {
        return "HingeEmbeddingLoss()";
    }
}
