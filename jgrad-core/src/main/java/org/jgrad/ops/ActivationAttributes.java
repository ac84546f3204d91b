package org.jgrad.ops;

import org.jgrad.autograd.OpAttributes;
import org.jgrad.tensor.Tensor;

/** Attributes of the activations and softmaxes in {@link ActivationOps}, as recorded on the graph. */
public sealed interface ActivationAttributes extends OpAttributes {
    /** {@code leaky_relu}: the slope for x ≤ 0. */
    record LeakyRelu(double negativeSlope) implements ActivationAttributes {}

    /** {@code rrelu_with_noise}: the per-element slopes drawn for this call (a constant). */
    record RRelu(Tensor noise) implements ActivationAttributes {}

    /** {@code elu}: α. */
    record Elu(double alpha) implements ActivationAttributes {}

    /** {@code softplus}: β and the threshold above which βx passes through. */
    record Softplus(double beta, double threshold) implements ActivationAttributes {}

    /** {@code gelu}: {@code "none"} (exact) or {@code "tanh"}, PyTorch's {@code approximate}. */
    record Gelu(String approximate) implements ActivationAttributes {}

    /** {@code step}: 1 where x > threshold. */
    record Step(double threshold) implements ActivationAttributes {}

    /** {@code softmax} and {@code log_softmax}: the dim, normalized to be non-negative. */
    record Softmax(int dim) implements ActivationAttributes {}
}
