package org.jgrad.nn;

import org.jgrad.nn.functional.F;
import org.jgrad.tensor.Tensor;

/**
 * The perceptron's Heaviside step: 1 where x > threshold, else 0. Its gradient is zero, so a
 * network of step units does not learn by backpropagation; it is here for the perceptron examples.
 */
public class Step extends Module {
    private final double threshold;

    /** The step at 0: 1 for x > 0. */
    public Step() {
        this(0.0);
    }

    /** The step at {@code threshold}: 1 for x > threshold. */
    public Step(double threshold) {
        this.threshold = threshold;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.step(input, threshold);
    }

    @Override
    public String extraRepr() {
        return "threshold=" + PyRepr.pyFloat(threshold);
    }
}
