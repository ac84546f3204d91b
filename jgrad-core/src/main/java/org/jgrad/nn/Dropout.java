package org.jgrad.nn;

import org.jgrad.nn.functional.F;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;

/**
 * Inverted dropout: in training each element is zeroed with probability p and the survivors are
 * scaled by 1/(1 − p), so the layer is the identity in evaluation mode.
 */
public class Dropout extends Module implements Stochastic {
    private final double p;
    private Generator generator;

    /** Dropout with p = 0.5. */
    public Dropout() {
        this(0.5);
    }

    /** Dropout that zeroes each element with probability {@code p} in [0, 1]. */
    public Dropout(double p) {
        if (!(p >= 0 && p <= 1))
            throw new IllegalArgumentException("Dropout: probability has to be between 0 and 1, but got " + p);
        this.p = p;
    }

    @Override
    public Dropout setGenerator(Generator gen) {
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
        return F.dropout(input, p, isTraining(), generator());
    }

    @Override
    public String extraRepr() {
        return "p=" + PyRepr.pyFloat(p) + ", inplace=False";
    }
}
