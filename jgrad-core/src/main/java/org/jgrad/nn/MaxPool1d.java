package org.jgrad.nn;

import org.jgrad.ops.PoolOps;
import org.jgrad.tensor.Tensor;

/** Max pooling over the last dim of [N, C, L] (or [C, L]), like {@code torch.nn.MaxPool1d}; stride defaults to the kernel. */
public class MaxPool1d extends Module {
    private final int kernelSize, stride, padding, dilation;
    private final boolean ceilMode;

    /** A window of {@code k} with stride {@code k}. */
    public MaxPool1d(int kernelSize) {
        this(kernelSize, kernelSize, 0, 1, false);
    }

    /** A window of {@code k} with the given stride. */
    public MaxPool1d(int kernelSize, int stride) {
        this(kernelSize, stride, 0, 1, false);
    }

    /** All of PyTorch's settings. */
    public MaxPool1d(int kernelSize, int stride, int padding, int dilation, boolean ceilMode) {
        if (kernelSize < 1 || stride < 1 || dilation < 1 || padding < 0)
            throw new IllegalArgumentException("MaxPool1d: expected kernel_size, stride, dilation >= 1 and padding >= 0, got "
                    + "kernel_size=" + kernelSize + ", stride=" + stride + ", padding=" + padding + ", dilation=" + dilation);
        this.kernelSize = kernelSize;
        this.stride = stride;
        this.padding = padding;
        this.dilation = dilation;
        this.ceilMode = ceilMode;
    }

    @Override
    public Tensor forward(Tensor input) {
        return PoolOps.maxPool1d(input, kernelSize, stride, padding, dilation, ceilMode);
    }

    @Override
    public String extraRepr() {
        return "kernel_size=" + kernelSize + ", stride=" + stride + ", padding=" + padding + ", dilation=" + dilation
                + ", ceil_mode=" + PyRepr.pyBool(ceilMode);
    }
}
