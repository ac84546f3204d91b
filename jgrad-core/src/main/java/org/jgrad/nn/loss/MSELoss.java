package org.jgrad.nn.loss;

import org.jgrad.tensor.Tensor;

/** Mean squared error {@code (x − y)²}, like {@code nn.MSELoss}. */
public final class MSELoss implements Loss {
    private final Reduction reduction;

    /** With {@link Reduction#MEAN}. */
    public MSELoss() {
        this(Reduction.MEAN);
    }

    public MSELoss(Reduction reduction) {
        this.reduction = reduction;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return Losses.mseLoss(input, target, reduction);
    }

    @Override
    public Reduction reduction() {
        return reduction;
    }

    @Override
    public String toString() {
        return "MSELoss()";
    }
}
