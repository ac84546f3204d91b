package org.jgrad.nn;

import org.jgrad.tensor.Tensor;

/** Flattens dims {@code start_dim..end_dim} into one, like {@code torch.nn.Flatten} (defaults 1 and -1: keep the batch). */
public class Flatten extends Module {
    private final int startDim, endDim;

    /** Flattens everything but the batch dim. */
    public Flatten() {
        this(1, -1);
    }

    /** Flattens dims {@code startDim..endDim} (negative counts from the end). */
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
