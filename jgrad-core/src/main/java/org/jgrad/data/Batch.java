package org.jgrad.data;

import org.jgrad.tensor.Tensor;

/**
 * A minibatch: inputs stacked along a new first dimension, targets likewise (int64 class labels
 * stay int64, so they feed straight into a cross-entropy loss).
 */
public record Batch(Tensor inputs, Tensor targets) {
    /** Number of examples in the batch. */
    public int size() {
        return inputs.size(0);
    }
}
