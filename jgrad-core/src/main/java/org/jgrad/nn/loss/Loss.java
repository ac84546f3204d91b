package org.jgrad.nn.loss;

import org.jgrad.tensor.Tensor;

/** A loss criterion: compares a prediction with a target and returns a differentiable tensor. */
public interface Loss {
    /** The loss of {@code input} (the prediction) against {@code target}. */
    Tensor forward(Tensor input, Tensor target);

    /** The reduction this loss applies. */
    Reduction reduction();
}
