package org.jgrad.nn;

import org.jgrad.ops.NormOps;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;

/**
 * Channel dropout, like {@code torch.nn.Dropout2d}: in training each whole feature map of
 * [N, C, H, W] (or [C, H, W]) is zeroed with probability p and the kept ones are scaled by 1/(1 − p);
 * the identity in evaluation mode. Neighbouring pixels are strongly correlated, so dropping whole
 * maps regularizes convolutional features where element-wise dropout barely does.
 */
public class Dropout2d extends Module implements Stochastic {
    private final double p;
    private Generator generator;

    /** p = 0.5. */
    public Dropout2d() {
        this(0.5);
    }

    /** Zeroes each channel with probability {@code p} in [0, 1]. */
    public Dropout2d(double p) {
        if (!(p >= 0 && p <= 1))
            throw new IllegalArgumentException("Dropout2d: probability has to be between 0 and 1, but got " + p);
        this.p = p;
    }

    @Override
    public Dropout2d setGenerator(Generator gen) {
        this.generator = gen;
        return this;
    }

    @Override
    public Generator generator() {
        return generator != null ? generator : Random.defaultGenerator();
    }

    /** The drop probability. */
    public double p() {
        return p;
    }

    @Override
    public Tensor forward(Tensor input) {
        return NormOps.dropout2d(input, (float) p, isTraining(), generator());
    }

    @Override
    public String extraRepr() {
        return "p=" + PyRepr.pyFloat(p) + ", inplace=False";
    }
}
