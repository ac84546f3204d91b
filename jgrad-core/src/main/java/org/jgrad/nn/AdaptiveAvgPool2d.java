package org.jgrad.nn;

import org.jgrad.ops.PoolOps;
import org.jgrad.tensor.Tensor;

/**
 * Adaptive avg pooling to a fixed output size whatever the input size, like
 * {@code torch.nn.AdaptiveAvgPool2d}: output {@code (i, j)} pools rows
 * {@code [⌊i·H/outH⌋, ⌈(i+1)·H/outH⌉)} and the columns alike, so an output larger than the input
 * repeats values (this is how torchvision's VGG accepts 32×32 images).
 */
public class AdaptiveAvgPool2d extends Module {
    private final int outH, outW;
    private final boolean tuple;

    /** A square {@code size×size} output, printed as {@code output_size=size}. */
    public AdaptiveAvgPool2d(int size) {
        this(size, size, false);
    }

    /** An {@code outH×outW} output, printed as {@code output_size=(outH, outW)}. */
    public AdaptiveAvgPool2d(int outH, int outW) {
        this(outH, outW, true);
    }

    private AdaptiveAvgPool2d(int outH, int outW, boolean tuple) {
        if (outH <= 0 || outW <= 0)
            throw new IllegalArgumentException("AdaptiveAvgPool2d: output size must be positive, got ("
                    + outH + ", " + outW + ")");
        this.outH = outH;
        this.outW = outW;
        this.tuple = tuple;
    }

    /** The output height and width. */
    public int[] outputSize() {
        return new int[] {outH, outW};
    }

    @Override
    public Tensor forward(Tensor input) {
        return PoolOps.adaptiveAvgPool2d(input, outH, outW);
    }

    @Override
    public String extraRepr() {
        return "output_size=" + PyTuple.intOrPair(outH, outW, tuple);
    }
}
