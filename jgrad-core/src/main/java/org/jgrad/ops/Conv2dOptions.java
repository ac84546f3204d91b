package org.jgrad.ops;

import org.jgrad.autograd.OpAttributes;

/**
 * Stride, padding, dilation and groups of a 2-D convolution, as an immutable value with
 * PyTorch's defaults (stride 1, no padding, dilation 1, one group). Each method returns a copy
 * with one setting changed:
 *
 * <pre>{@code
 * ConvOps.conv2d(x, w, b, Conv2dOptions.defaults().stride(2).padding(1));
 * ConvOps.conv2d(x, w, b, Conv2dOptions.defaults().padding("same").dilation(2));
 * ConvOps.conv2d(x, w, null, Conv2dOptions.defaults().padding(0, 1, 0, 1).groups(x.size(1)));  // depthwise
 * }</pre>
 *
 * @param strideH vertical stride (≥ 1)
 * @param strideW horizontal stride (≥ 1)
 * @param padTop zero rows added above the input (for {@link PaddingMode#EXPLICIT})
 * @param padBottom zero rows added below
 * @param padLeft zero columns added on the left
 * @param padRight zero columns added on the right
 * @param dilationH vertical spacing between kernel taps (≥ 1)
 * @param dilationW horizontal spacing between kernel taps (≥ 1)
 * @param groups number of channel groups; input and output channels must both divide by it
 * @param paddingMode explicit amounts, or PyTorch's {@code "same"} / {@code "valid"}
 */
public record Conv2dOptions(int strideH, int strideW, int padTop, int padBottom, int padLeft, int padRight,
        int dilationH, int dilationW, int groups, PaddingMode paddingMode) implements OpAttributes {

    /** How the padding is chosen. */
    public enum PaddingMode {
        /** The four amounts in the options. */
        EXPLICIT,
        /**
         * PyTorch's {@code padding="same"}: output size equals input size; needs stride 1. The total
         * padding {@code dilation·(k−1)} is split with the odd element on the bottom/right.
         */
        SAME,
        /** PyTorch's {@code padding="valid"}: no padding. */
        VALID
    }

    /**
     * Checks the settings as PyTorch's {@code Conv2d} does.
     *
     * @throws IllegalArgumentException naming the setting, for a stride, dilation or group count below 1,
     *     a negative padding, or no padding mode
     */
    public Conv2dOptions {
        if (strideH < 1 || strideW < 1)
            throw new IllegalArgumentException("Conv2dOptions: stride must be >= 1, got (" + strideH + ", " + strideW + ")");
        if (dilationH < 1 || dilationW < 1)
            throw new IllegalArgumentException("Conv2dOptions: dilation must be >= 1, got (" + dilationH + ", "
                    + dilationW + ")");
        if (padTop < 0 || padBottom < 0 || padLeft < 0 || padRight < 0)
            throw new IllegalArgumentException("Conv2dOptions: padding must be >= 0, got (top " + padTop + ", bottom "
                    + padBottom + ", left " + padLeft + ", right " + padRight + ")");
        if (groups < 1) throw new IllegalArgumentException("Conv2dOptions: groups must be >= 1, got " + groups);
        if (paddingMode == null) throw new IllegalArgumentException("Conv2dOptions: paddingMode must not be null");
    }

    private static final Conv2dOptions DEFAULTS = new Conv2dOptions(1, 1, 0, 0, 0, 0, 1, 1, 1, PaddingMode.EXPLICIT);

    /** Stride 1, no padding, dilation 1, one group. */
    public static Conv2dOptions defaults() {
        return DEFAULTS;
    }

    /** The same stride in both directions. */
    public Conv2dOptions stride(int s) {
        return stride(s, s);
    }

    /** Vertical and horizontal stride. */
    public Conv2dOptions stride(int sH, int sW) {
        return new Conv2dOptions(sH, sW, padTop, padBottom, padLeft, padRight, dilationH, dilationW, groups, paddingMode);
    }

    /** The same zero padding on all four sides. */
    public Conv2dOptions padding(int p) {
        return padding(p, p, p, p);
    }

    /** {@code pH} rows above and below, {@code pW} columns left and right (PyTorch's {@code padding=(pH, pW)}). */
    public Conv2dOptions padding(int pH, int pW) {
        return padding(pH, pH, pW, pW);
    }

    /** Each side separately. */
    public Conv2dOptions padding(int top, int bottom, int left, int right) {
        return new Conv2dOptions(strideH, strideW, top, bottom, left, right, dilationH, dilationW, groups,
                PaddingMode.EXPLICIT);
    }

    /** {@code "same"} or {@code "valid"}, as PyTorch accepts for {@code padding}. */
    public Conv2dOptions padding(String mode) {
        PaddingMode m = switch (mode == null ? "" : mode) {
            case "same" -> PaddingMode.SAME;
            case "valid" -> PaddingMode.VALID;
            default -> throw new IllegalArgumentException("Conv2dOptions: padding must be \"same\" or \"valid\", got "
                    + (mode == null ? "null" : "\"" + mode + "\""));
        };
        return new Conv2dOptions(strideH, strideW, 0, 0, 0, 0, dilationH, dilationW, groups, m);
    }

    /** The same dilation in both directions. */
    public Conv2dOptions dilation(int d) {
        return dilation(d, d);
    }

    /** Vertical and horizontal dilation. */
    public Conv2dOptions dilation(int dH, int dW) {
        return new Conv2dOptions(strideH, strideW, padTop, padBottom, padLeft, padRight, dH, dW, groups, paddingMode);
    }

    /** Channel groups: {@code g} = input channels gives a depthwise convolution. */
    public Conv2dOptions groups(int g) {
        return new Conv2dOptions(strideH, strideW, padTop, padBottom, padLeft, padRight, dilationH, dilationW, g,
                paddingMode);
    }

    /**
     * The explicit {top, bottom, left, right} padding for a kernel of {@code kH×kW}: the stored amounts,
     * zeros for {@code "valid"}, or PyTorch's split for {@code "same"}.
     *
     * @throws IllegalArgumentException for {@code "same"} with a stride other than 1
     */
    public int[] resolvePadding(int kH, int kW) {
        return switch (paddingMode) {
            case EXPLICIT -> new int[] {padTop, padBottom, padLeft, padRight};
            case VALID -> new int[4];
            case SAME -> {
                if (strideH != 1 || strideW != 1)
                    throw new IllegalArgumentException("conv2d: padding=\"same\" is not supported for strided "
                            + "convolutions (stride (" + strideH + ", " + strideW + "))");
                int th = dilationH * (kH - 1), tw = dilationW * (kW - 1);
                yield new int[] {th / 2, th - th / 2, tw / 2, tw - tw / 2};
            }
        };
    }
}
