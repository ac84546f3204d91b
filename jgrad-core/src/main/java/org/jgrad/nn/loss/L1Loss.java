package org.jgrad.nn.loss;

import org.jgrad.tensor.Tensor;

/** Mean absolute error {@code |x − y|}, like {@code nn.L1Loss}. */
public final class L1Loss implements Loss {
    private final Reduction reduction;

    /** With {@link Reduction#MEAN}. */
    public L1Loss() {
        this(Reduction.MEAN);
    }

    public L1Loss(Reduction reduction) {
        this.reduction = reduction;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return Losses.l1Loss(input, target, reduction);
    }

    @Override
    public Reduction reduction() {
        return reduction;
    }

    @Override
    public String toString() {
        return "L1Loss()";
    }
}
