package org.jgrad.nn;

import org.jgrad.ops.Pool2dOptions;
import org.jgrad.ops.PoolOps;
import org.jgrad.tensor.Tensor;

/**
 * 2-D average pooling over [N, C, H, W] (or [C, H, W]), like {@code torch.nn.AvgPool2d}; the stride
 * defaults to the kernel size and zero padding is counted in the average unless
 * {@code countIncludePad} is off.
 */
public class AvgPool2d extends Module {
    private final Pool2dOptions options;
    private final boolean tuple;

    /** A {@code k×k} window with stride {@code k}. */
    public AvgPool2d(int kernelSize) {
        this(kernelSize, kernelSize, 0);
    }

    /** A {@code k×k} window with the given stride. */
    public AvgPool2d(int kernelSize, int stride) {
        this(kernelSize, stride, 0);
    }

    /** A {@code k×k} window with the given stride and zero padding. */
    public AvgPool2d(int kernelSize, int stride, int padding) {
        this(kernelSize, stride, padding, false, true);
    }

    /** PyTorch's settings with square values. */
    public AvgPool2d(int kernelSize, int stride, int padding, boolean ceilMode, boolean countIncludePad) {
        this(Pool2dOptions.of(kernelSize).stride(stride).padding(padding).ceilMode(ceilMode)
                .countIncludePad(countIncludePad), false);
    }

    /** Any window (dilation must be 1); printed with tuples. */
    public AvgPool2d(Pool2dOptions options) {
        this(options, true);
    }

    private AvgPool2d(Pool2dOptions options, boolean tuple) {
        if (options == null) throw new IllegalArgumentException("AvgPool2d: options must not be null");
        if (options.dilationH() != 1 || options.dilationW() != 1)
            throw new IllegalArgumentException("AvgPool2d: average pooling has no dilation, got ("
                    + options.dilationH() + ", " + options.dilationW() + ")");
        this.options = options;
        this.tuple = tuple;
    }

    /** The window settings. */
    public Pool2dOptions options() {
        return options;
    }

    @Override
    public Tensor forward(Tensor input) {
        return PoolOps.avgPool2d(input, options);
    }

    @Override
    public String extraRepr() {
        Pool2dOptions o = options;
        return "kernel_size=" + PyTuple.intOrPair(o.kernelH(), o.kernelW(), tuple)
                + ", stride=" + PyTuple.intOrPair(o.strideH(), o.strideW(), tuple)
                + ", padding=" + PyTuple.intOrPair(o.padH(), o.padW(), tuple);
    }
}
