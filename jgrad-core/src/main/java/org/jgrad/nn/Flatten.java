package org.jgrad.nn;

import org.jgrad.tensor.Tensor;

/** Flattens dims {@code start_dim..end_dim} into one, like {@code torch.nn.Flatten} (defaults 1 and -1: keep the batch). */
public class Flatten extends Module {
    private final int startDim, endDim;

    public Flatten() {
        this(1, -1);
    }

    public Flatten(int startDim, int endDim) {
        this.startDim = startDim;
        this.endDim = endDim;
    }

    @Override
    public Tensor forward(Tensor input) {
        return input.flatten(startDim, endDim);
    }

    @Override
    public String extraRepr() {
        return "start_dim=" + startDim + ", end_dim=" + endDim;
    }
}
