package org.jgrad.nn;

import org.jgrad.nn.functional.F;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;

/**
 * Randomized leaky ReLU: in training each negative element is scaled by its own slope drawn from
 * U(lower, upper); in evaluation by the fixed mean slope (lower + upper)/2. Defaults 1/8 and 1/3.
 */
public class RReLU extends Module implements Stochastic {
    private final double lower, upper;
    private Generator generator;

    /** RReLU with PyTorch's defaults lower = 1/8, upper = 1/3. */
    public RReLU() {
        this(1.0 / 8, 1.0 / 3);
    }

    /** RReLU with slopes drawn from U(lower, upper) in training. */
    public RReLU(double lower, double upper) {
        if (!(lower <= upper))
            throw new IllegalArgumentException("RReLU: lower " + lower + " is greater than upper " + upper);
        this.lower = lower;
        this.upper = upper;
    }

    @Override
    public RReLU setGenerator(Generator gen) {
        this.generator = gen;
        return this;
    }

    @Override
    public Generator generator() {
        return generator != null ? generator : DefaultGenerator.get();
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.rrelu(input, lower, upper, isTraining(), generator());
    }

    @Override
    public String extraRepr() {
        return "lower=" + PyRepr.pyFloat(lower) + ", upper=" + PyRepr.pyFloat(upper);
    }
}
