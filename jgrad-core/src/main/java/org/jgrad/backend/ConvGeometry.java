package org.jgrad.backend;

/**
 * One 2-D convolution's shape, as the backend takes it: {@code batch} images of [channels, height,
 * width], a weight [outChannels, channels/groups, kernelH, kernelW], strides, the leading padding
 * (top, left; trailing padding is folded into outH/outW), dilation and the output size.
 *
 * <p>Kernel taps that read only padding for every output position may be left out: the convolution
 * then runs over the {@code tapsH×tapsW} window of taps starting at ({@code tapH0}, {@code tapW0}),
 * which gives the same output, and the weight gradient of the taps left out is zero (its exact value).
 * With every tap used, the window is the whole kernel.
 */
public record ConvGeometry(int batch, int channels, int height, int width, int outChannels, int groups, int kernelH,
        int kernelW, int strideH, int strideW, int padTop, int padLeft, int dilationH, int dilationW, int outH, int outW,
        int tapH0, int tapW0, int tapsH, int tapsW) {

    /** Whether the convolution runs over fewer taps than the kernel has. */
    public boolean reduced() {
        return tapsH != kernelH || tapsW != kernelW;
    }

    /** Elements of the input [batch, channels, height, width]. */
    public int inputLength() {
        return batch * channels * height * width;
    }

    /** Elements of the weight [outChannels, channels/groups, kernelH, kernelW]. */
    public int weightLength() {
        return outChannels * (channels / groups) * kernelH * kernelW;
    }
}
