package org.jgrad.nn;

import org.jgrad.nn.functional.F;
import org.jgrad.tensor.Tensor;

/** x for x > 0, α(eˣ − 1) otherwise: smooth, with negative outputs that pull mean activations to zero. */
public class ELU extends Module {
    private final double alpha;

    /** ELU with α = 1. */
    public ELU() {
        this(1.0);
    }

    /** ELU with the given α (the value approached for very negative inputs is −α). */
    public ELU(double alpha) {
        this.alpha = alpha;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.elu(input, alpha);
    }

    @Override
    public String extraRepr() {
        return "alpha=" + PyRepr.pyFloat(alpha);
    }
}
