package org.jgrad.nn;

import org.jgrad.tensor.Generator;

/**
 * What {@link Dropout} and {@link Dropout2d} share (PyTorch's {@code _DropoutNd}): the drop
 * probability, the random stream, and the printout. In training the dropped units are zeroed and the
 * kept ones scaled by 1/(1 − p); in evaluation the layer is the identity.
 */
public abstract class DropoutNd extends Module implements Stochastic {
    private final double p;
    private Generator generator;

    /**
     * @param p the probability that a unit is dropped in training, in [0, 1]
     * @throws IllegalArgumentException naming the layer, when {@code p} is outside [0, 1] or NaN
     */
    protected DropoutNd(double p) {
        if (!(p >= 0 && p <= 1))
            throw new IllegalArgumentException(getClass().getSimpleName() + ": probability has to be between 0 and 1, but got " + p);
        this.p = p;
    }

    @Override
    public DropoutNd setGenerator(Generator gen) {
        this.generator = gen;
        return this;
    }

    @Override
    public Generator generator() {
        return generator != null ? generator : DefaultGenerator.get();
    }

    /** The drop probability. */
    public double p() {
        return p;
    }

    @Override
    public String extraRepr() {
        return "p=" + PyRepr.pyFloat(p) + ", inplace=False";
    }
}
