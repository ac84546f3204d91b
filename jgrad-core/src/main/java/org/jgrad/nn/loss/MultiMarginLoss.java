package org.jgrad.nn.loss;

import org.jgrad.tensor.Tensor;

/**
 * Multiclass hinge (SVM) loss, like {@code nn.MultiMarginLoss}: per sample
 * {@code (w[y]/C)·Σ_{j≠y} max(0, margin − x_y + x_j)^p}.
 *
 * <p>PyTorch divides each sample's sum by the number of classes C. The lectures' Weston–Watkins
 * loss {@code Σ_{j≠y} max(0, s_j − s_y + 1)} has no such division: use {@link MultiClassHingeLoss},
 * or multiply this loss (p = 1, margin = 1) by C.
 */
public final class MultiMarginLoss implements Loss {
    private final int p;
    private final double margin;
    private final Tensor weight;
    private final Reduction reduction;

    /** p = 1, margin 1, no weights, mean reduction. */
    public MultiMarginLoss() {
        this(1, 1.0, null, Reduction.MEAN);
    }

    public MultiMarginLoss(Reduction reduction) {
        this(1, 1.0, null, reduction);
    }

    /** All options, in PyTorch's order; p is 1 or 2, {@code weight} [C] may be null. */
    public MultiMarginLoss(int p, double margin, Tensor weight, Reduction reduction) {
        if (p != 1 && p != 2) throw new IllegalArgumentException("MultiMarginLoss: only p == 1 and p == 2 are supported, got " + p);
        this.p = p;
        this.margin = margin;
        this.weight = weight;
        this.reduction = reduction;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return Losses.multiMarginLoss(input, target, p, margin, weight, reduction);
    }

    public int p() {
        return p;
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
        return "MultiMarginLoss()";
    }
}
