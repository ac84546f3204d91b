package org.jgrad.ops;

import org.jgrad.autograd.OpAttributes;

/**
 * Window settings of a 2-D max or average pooling, as an immutable value with PyTorch's defaults:
 * stride equal to the kernel, no padding, dilation 1, floor rounding, padding counted in the
 * average, no divisor override. Each method returns a copy with one setting changed:
 *
 * <pre>{@code
 * PoolOps.maxPool2d(x, Pool2dOptions.of(3).stride(2).padding(1).ceilMode(true));
 * PoolOps.avgPool2d(x, Pool2dOptions.of(2).countIncludePad(false));
 * }</pre>
 *
 * @param kernelH window height (≥ 1)
 * @param kernelW window width (≥ 1)
 * @param strideH vertical step (≥ 1)
 * @param strideW horizontal step (≥ 1)
 * @param padH rows of padding above and below (at most half the kernel); max pooling pads with −∞,
 *     average pooling with zeros
 * @param padW columns of padding left and right
 * @param dilationH spacing between window taps (max pooling only, as in PyTorch)
 * @param dilationW spacing between window taps
 * @param ceilMode round the output size up instead of down; as in PyTorch a last window that would
 *     start in the right/bottom padding is dropped
 * @param countIncludePad average pooling: divide by the full window size including padding (PyTorch's
 *     default) rather than by the number of input elements the window covers
 * @param divisorOverride average pooling: divide by this instead (0 = no override)
 */
public record Pool2dOptions(int kernelH, int kernelW, int strideH, int strideW, int padH, int padW, int dilationH,
        int dilationW, boolean ceilMode, boolean countIncludePad, int divisorOverride) implements OpAttributes {

    /**
     * Checks the settings as PyTorch's pooling layers do.
     *
     * @throws IllegalArgumentException naming the setting, for a kernel, stride or dilation below 1, or a
     *     negative padding
     */
    public Pool2dOptions {
        if (kernelH < 1 || kernelW < 1)
            throw new IllegalArgumentException("Pool2dOptions: kernel size must be >= 1, got (" + kernelH + ", " + kernelW + ")");
        if (strideH < 1 || strideW < 1)
            throw new IllegalArgumentException("Pool2dOptions: stride must be >= 1, got (" + strideH + ", " + strideW + ")");
        if (padH < 0 || padW < 0)
            throw new IllegalArgumentException("Pool2dOptions: padding must be >= 0, got (" + padH + ", " + padW + ")");
        if (dilationH < 1 || dilationW < 1)
            throw new IllegalArgumentException("Pool2dOptions: dilation must be >= 1, got (" + dilationH + ", "
                    + dilationW + ")");
    }

    /** A square {@code k×k} window with stride {@code k}. */
    public static Pool2dOptions of(int k) {
        return of(k, k);
    }

    /** A {@code kH×kW} window with stride {@code (kH, kW)}. */
    public static Pool2dOptions of(int kH, int kW) {
        return new Pool2dOptions(kH, kW, kH, kW, 0, 0, 1, 1, false, true, 0);
    }

    /** The same stride in both directions. */
    public Pool2dOptions stride(int s) {
        return stride(s, s);
    }

    /** Vertical and horizontal stride. */
    public Pool2dOptions stride(int sH, int sW) {
        return new Pool2dOptions(kernelH, kernelW, sH, sW, padH, padW, dilationH, dilationW, ceilMode, countIncludePad,
                divisorOverride);
    }

    /** The same padding on all sides (at most half the kernel). */
    public Pool2dOptions padding(int p) {
        return padding(p, p);
    }

    /** {@code pH} rows above and below, {@code pW} columns left and right. */
    public Pool2dOptions padding(int pH, int pW) {
        return new Pool2dOptions(kernelH, kernelW, strideH, strideW, pH, pW, dilationH, dilationW, ceilMode,
                countIncludePad, divisorOverride);
    }

    /** The same dilation in both directions (max pooling only). */
    public Pool2dOptions dilation(int d) {
        return dilation(d, d);
    }

    /** Vertical and horizontal dilation (max pooling only). */
    public Pool2dOptions dilation(int dH, int dW) {
        return new Pool2dOptions(kernelH, kernelW, strideH, strideW, padH, padW, dH, dW, ceilMode, countIncludePad,
                divisorOverride);
    }

    /** Round the output size up (PyTorch's {@code ceil_mode}). */
    public Pool2dOptions ceilMode(boolean on) {
        return new Pool2dOptions(kernelH, kernelW, strideH, strideW, padH, padW, dilationH, dilationW, on,
                countIncludePad, divisorOverride);
    }

    /** Average pooling: count padding in the divisor (PyTorch's {@code count_include_pad}). */
    public Pool2dOptions countIncludePad(boolean on) {
        return new Pool2dOptions(kernelH, kernelW, strideH, strideW, padH, padW, dilationH, dilationW, ceilMode, on,
                divisorOverride);
    }

    /** Divide every average by {@code d} (non-zero), like PyTorch's {@code divisor_override}. */
    public Pool2dOptions divisorOverride(int d) {
        if (d == 0) throw new IllegalArgumentException("Pool2dOptions: divisor override must be non-zero");
        return new Pool2dOptions(kernelH, kernelW, strideH, strideW, padH, padW, dilationH, dilationW, ceilMode,
                countIncludePad, d);
    }
}
