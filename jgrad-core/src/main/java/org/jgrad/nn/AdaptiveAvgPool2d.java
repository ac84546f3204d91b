package org.jgrad.nn;

import org.jgrad.ops.AdaptivePoolOps;
import org.jgrad.tensor.Tensor;

/**
 * Adaptive avg pooling to a fixed output size whatever the input size, like
 * {@code torch.nn.AdaptiveAvgPool2d}: output {@code (i, j)} pools rows
 * {@code [⌊i·H/outH⌋, ⌈(i+1)·H/outH⌉)} and the columns alike, so an output larger than the input
 * repeats values (this is how torchvision's VGG accepts 32×32 images).
 */
public class AdaptiveAvgPool2d extends AdaptivePool2d {

    /** A square {@code size×size} output, printed as {@code output_size=size}. */
    public AdaptiveAvgPool2d(int size) {
        super(size, size, false);
    }

    /** An {@code outH×outW} output, printed as {@code output_size=(outH, outW)}. */
    public AdaptiveAvgPool2d(int outH, int outW) {
        super(outH, outW, true);
    }

    @Override
    public Tensor forward(Tensor input) {
        return AdaptivePoolOps.adaptiveAvgPool2d(input, outH(), outW());
    }
}
