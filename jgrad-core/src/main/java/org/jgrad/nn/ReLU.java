package org.jgrad.nn;

import org.jgrad.tensor.Tensor;

/** max(0, x), elementwise. */
public class ReLU extends Module {
    /** The ReLU layer. */
    public ReLU() {}

    @Override
    public Tensor forward(Tensor input) {
        return input.relu();
    }
}
