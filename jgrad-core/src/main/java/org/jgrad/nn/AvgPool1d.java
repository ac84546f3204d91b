package org.jgrad.nn;

import org.jgrad.ops.PoolOps;
import org.jgrad.tensor.Tensor;

/**
 * Average pooling over the last dim of [N, C, L] (or [C, L]), like {@code torch.nn.AvgPool1d}; stride
 * defaults to the kernel. Printed with one-element tuples, as PyTorch stores this layer's settings.
 */
public class AvgPool1d extends Module {
    private final int kernelSize, stride, padding;
    private final boolean ceilMode, countIncludePad;

    /** A window of {@code k} with stride {@code k}. */
    public AvgPool1d(int kernelSize) {
        this(kernelSize, kernelSize, 0, false, true);
    }

    /** A window of {@code k} with the given stride. */
    public AvgPool1d(int kernelSize, int stride) {
        this(kernelSize, stride, 0, false, true);
    }

    /** All of PyTorch's settings. */
    public AvgPool1d(int kernelSize, int stride, int padding, boolean ceilMode, boolean countIncludePad) {
        if (kernelSize < 1 || stride < 1 || padding < 0)
            throw new IllegalArgumentException("AvgPool1d: expected kernel_size, stride >= 1 and padding >= 0, got "
                    + "kernel_size=" + kernelSize + ", stride=" + stride + ", padding=" + padding);
        this.kernelSize = kernelSize;
        this.stride = stride;
        this.padding = padding;
        this.ceilMode = ceilMode;
        this.countIncludePad = countIncludePad;
    }

    @Override
    public Tensor forward(Tensor input) {
        return PoolOps.avgPool1d(input, kernelSize, stride, padding, ceilMode, countIncludePad);
    }

    @Override
    public String extraRepr() {
        return "kernel_size=" + PyTuple.of(kernelSize) + ", stride=" + PyTuple.of(stride) + ", padding="
                + PyTuple.of(padding);
    }
}
