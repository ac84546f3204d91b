package org.jgrad.nn;

import org.jgrad.nn.functional.F;
import org.jgrad.tensor.Tensor;

/** x for x > 0, negative_slope·x otherwise (default slope 0.01), against dying ReLUs. */
public class LeakyReLU extends Module {
    private final double negativeSlope;

    /** Leaky ReLU with PyTorch's default slope 0.01. */
    public LeakyReLU() {
        this(0.01);
    }

    /** Leaky ReLU with the given slope for negative inputs. */
    public LeakyReLU(double negativeSlope) {
        this.negativeSlope = negativeSlope;
    }

    /** The slope for negative inputs. */
    public double negativeSlope() {
        return negativeSlope;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.leakyRelu(input, negativeSlope);
    }

    @Override
    public String extraRepr() {
        return "negative_slope=" + PyRepr.pyFloat(negativeSlope);
    }
}
