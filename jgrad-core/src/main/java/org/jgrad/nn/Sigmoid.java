package org.jgrad.nn;

import org.jgrad.nn.functional.F;
import org.jgrad.tensor.Tensor;

/**
 * The logistic function 1/(1 + e^{−βx}); β = 1 is PyTorch's {@code Sigmoid()}, other values give the
 * steeper or flatter curves of the lectures' σ(a) = 1/(1 + e^{−βa}).
 */
public class Sigmoid extends Module {
    private final double beta;

    /** The standard logistic function (β = 1). */
    public Sigmoid() {
        this(1.0);
    }

    /** The logistic function with slope β. */
    public Sigmoid(double beta) {
        this.beta = beta;
    }

    /** The slope β. */
    public double beta() {
        return beta;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.sigmoid(input, beta);
    }

    @Override
    public String extraRepr() {
        return beta == 1 ? "" : "beta=" + PyRepr.pyFloat(beta);
    }
}
