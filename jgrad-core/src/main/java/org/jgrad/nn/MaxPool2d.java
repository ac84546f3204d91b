package org.jgrad.nn;

import org.jgrad.ops.Pool2dOptions;
import org.jgrad.ops.PoolOps;
import org.jgrad.tensor.Tensor;

/**
 * 2-D max pooling over [N, C, H, W] (or [C, H, W]), like {@code torch.nn.MaxPool2d}; the stride
 * defaults to the kernel size. Output size per axis {@code ⌊(W + 2P − D·(F−1) − 1)/S⌋ + 1} (rounded up
 * with {@code ceil_mode}).
 */
public class MaxPool2d extends Module {
    private final Pool2dOptions options;
    private final boolean tuple;

    /** A {@code k×k} window with stride {@code k}. */
    public MaxPool2d(int kernelSize) {
        this(kernelSize, kernelSize, 0);
    }

    /** A {@code k×k} window with the given stride. */
    public MaxPool2d(int kernelSize, int stride) {
        this(kernelSize, stride, 0);
    }

    /** A {@code k×k} window with the given stride and padding (padded with −∞). */
    public MaxPool2d(int kernelSize, int stride, int padding) {
        this(kernelSize, stride, padding, 1, false);
    }

    /** All of PyTorch's settings with square values. */
    public MaxPool2d(int kernelSize, int stride, int padding, int dilation, boolean ceilMode) {
        this(Pool2dOptions.of(kernelSize).stride(stride).padding(padding).dilation(dilation).ceilMode(ceilMode), false);
    }

    /** Any window; printed with tuples, as PyTorch prints a layer built from tuples. */
    public MaxPool2d(Pool2dOptions options) {
        this(options, true);
    }

    private MaxPool2d(Pool2dOptions options, boolean tuple) {
        if (options == null) throw new IllegalArgumentException("MaxPool2d: options must not be null");
        this.options = options;
        this.tuple = tuple;
    }

    /** The window settings. */
    public Pool2dOptions options() {
        return options;
    }

    @Override
    public Tensor forward(Tensor input) {
        return PoolOps.maxPool2d(input, options);
    }

    @Override
    public String extraRepr() {
        Pool2dOptions o = options;
        return "kernel_size=" + PyTuple.intOrPair(o.kernelH(), o.kernelW(), tuple)
                + ", stride=" + PyTuple.intOrPair(o.strideH(), o.strideW(), tuple)
                + ", padding=" + PyTuple.intOrPair(o.padH(), o.padW(), tuple)
                + ", dilation=" + PyTuple.intOrPair(o.dilationH(), o.dilationW(), tuple)
                + ", ceil_mode=" + PyRepr.pyBool(o.ceilMode());
    }
}
