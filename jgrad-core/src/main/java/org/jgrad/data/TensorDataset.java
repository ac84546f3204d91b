package org.jgrad.data;

import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;

/**
 * A dataset over two tensors whose first dimension indexes samples, like {@code TensorDataset}:
 * sample i is {@code (inputs[i], targets[i])}. Batches are gathered with one row copy each.
 */
public final class TensorDataset implements Dataset {
    private final Tensor inputs, targets;

    /**
     * Pairs {@code inputs[i]} with {@code targets[i]}. Both are detached from any autograd graph;
     * contiguous tensors are shared, not copied, so later in-place changes to them show in the dataset.
     *
     * @throws IllegalArgumentException when either tensor is a scalar or their first dimensions differ
     */
    public TensorDataset(Tensor inputs, Tensor targets) {
        if (inputs.dim() == 0 || targets.dim() == 0)
            throw new IllegalArgumentException("TensorDataset: inputs " + Shape.str(inputs.shape()) + " and targets "
                    + Shape.str(targets.shape()) + " need a first (sample) dimension");
        if (inputs.size(0) != targets.size(0))
            throw new IllegalArgumentException("TensorDataset: size mismatch between tensors: inputs have "
                    + inputs.size(0) + " samples " + Shape.str(inputs.shape()) + ", targets have " + targets.size(0)
                    + " " + Shape.str(targets.shape()));
        this.inputs = inputs.detach().contiguous();
        this.targets = targets.detach().contiguous();
    }

    /** All inputs, samples along dim 0. */
    public Tensor inputTensor() {
        return inputs;
    }

    /** All targets, samples along dim 0. */
    public Tensor targetTensor() {
        return targets;
    }

    @Override
    public int size() {
        return inputs.size(0);
    }

    @Override
    public Sample get(int index) {
        checkIndex(index);
        return new Sample(inputs.select(0, index), targets.select(0, index));
    }

    private void checkIndex(int index) {
        if (index < 0 || index >= size())
            throw new IndexOutOfBoundsException("TensorDataset: index " + index + " out of range for " + size() + " samples");
    }

    @Override
    public Batch getBatch(int[] indices) {
        long[] idx = new long[indices.length];
        for (int i = 0; i < indices.length; i++) {
            checkIndex(indices[i]);
            idx[i] = indices[i];
        }
        Tensor ix = TensorData.wrapLongs(idx, idx.length);
        return new Batch(inputs.indexSelect(0, ix), targets.indexSelect(0, ix));
    }
}
