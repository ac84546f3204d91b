package org.jgrad.nn.loss;

import org.jgrad.tensor.Tensor;

/**
 * The multiclass SVM loss exactly as the lectures define it (Weston–Watkins 1999):
 * {@code L_i = Σ_{j≠y_i} max(0, s_j − s_{y_i} + 1)}, reduced over samples (the mean by default,
 * {@code L = (1/N) Σ L_i}). Unlike {@link MultiMarginLoss} it does not divide by the number of
 * classes. Not in PyTorch; it equals {@code C · MultiMarginLoss()}.
 */
public final class MultiClassHingeLoss implements Loss {
    private final double margin;
    private final Reduction reduction;

    /** Margin 1, mean over samples. */
    public MultiClassHingeLoss() {
        this(1.0, Reduction.MEAN);
    }

    public MultiClassHingeLoss(Reduction reduction) {
        this(1.0, reduction);
    }

    public MultiClassHingeLoss(double margin, Reduction reduction) {
        this.margin = margin;
        this.reduction = reduction;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return Losses.multiClassHingeLoss(input, target, margin, reduction);
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
        return "MultiClassHingeLoss()";
    }
}
