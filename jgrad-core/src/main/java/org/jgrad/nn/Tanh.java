package org.jgrad.nn;

import org.jgrad.tensor.Tensor;

/** tanh(x), elementwise. */
public class Tanh extends Module {
    /** The tanh layer. */
    public Tanh() {}

    @Override
    public Tensor forward(Tensor input) {
        return input.tanh();
    }
}
