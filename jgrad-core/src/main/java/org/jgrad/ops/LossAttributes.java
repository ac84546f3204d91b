package org.jgrad.ops;

import org.jgrad.autograd.OpAttributes;
import org.jgrad.tensor.Tensor;

/**
 * Attributes of the fused loss ops, as recorded on the graph. The ops compute the unreduced loss
 * (PyTorch's {@code reduction='none'}); a criterion's {@code 'mean'} or {@code 'sum'} is the next
 * node on the graph ({@code mean}, {@code sum}, or {@code div} by the weighted count). Weight
 * tensors are constants of the op, not graph inputs; null when absent.
 */
public sealed interface LossAttributes extends OpAttributes {
    /** {@code cross_entropy} against class indices (or probabilities, then ignoreIndex is unused). */
    record CrossEntropy(Tensor weight, long ignoreIndex, double labelSmoothing) implements LossAttributes {}

    /** {@code nll_loss}. */
    record Nll(Tensor weight, long ignoreIndex) implements LossAttributes {}

    /** {@code binary_cross_entropy}. */
    record BinaryCrossEntropy(Tensor weight) implements LossAttributes {}

    /** {@code binary_cross_entropy_with_logits}. */
    record BinaryCrossEntropyWithLogits(Tensor weight, Tensor posWeight) implements LossAttributes {}

    /** {@code multi_margin_loss}; {@code divideByClasses} false is the lectures' unnormalized SVM loss. */
    record MultiMargin(int p, double margin, Tensor weight, boolean divideByClasses) implements LossAttributes {}
}
