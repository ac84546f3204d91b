package org.jgrad.backend;

/**
 * Where the windows of a 2-D pooling lie: {@code planes} independent [height, width] planes (the
 * N·C planes of an [N, C, H, W] input, contiguous one after another), pooled into [outH, outW]
 * each by kernelH×kernelW windows with the given strides, zero-based symmetric padding and
 * dilation (PyTorch's {@code max_pool2d}/{@code avg_pool2d} arguments, resolved to numbers).
 */
public record PoolGeometry(int planes, int height, int width, int outH, int outW, int kernelH, int kernelW,
        int strideH, int strideW, int padH, int padW, int dilationH, int dilationW) {

    /** Elements of one input plane. */
    public int inPlane() {
        return height * width;
    }

    /** Elements of one output plane. */
    public int outPlane() {
        return outH * outW;
    }
}
