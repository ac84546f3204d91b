package org.jgrad.vision.filters;

import org.jgrad.ops.Conv2dOptions;
import org.jgrad.ops.ConvOps;
import org.jgrad.ops.PoolOps;
import org.jgrad.ops.Pool2dOptions;
import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;

/**
 * Filtering [C, H, W] images: every channel with the same 2-D kernel, with "same" zero padding
 * and a stride, plus pooling.
 */
public final class Filters {
    private Filters() {}

    /**
     * Cross-correlates each channel with {@code kernel} [kH, kW] (see {@link FilterKernels} on flipping),
     * zero-padding by {@code kH−1} rows and {@code kW−1} columns split as PyTorch's {@code "same"}
     * does (the odd one bottom/right). With stride 1 the output has the input's size; with stride
     * s it has {@code ⌈H/s⌉ × ⌈W/s⌉} pixels, the samples of the stride-1 result at multiples of s.
     */
    public static Tensor filter2d(Tensor image, Tensor kernel, int stride) {
        if (image.dim() != 3)
            throw new IllegalArgumentException("filter2d: expected an image [C, H, W], got " + Shape.str(image.shape()));
        if (kernel.dim() != 2 || kernel.numel() == 0)
            throw new IllegalArgumentException("filter2d: expected a non-empty 2-D kernel [kH, kW], got "
                    + Shape.str(kernel.shape()));
        if (stride < 1) throw new IllegalArgumentException("filter2d: stride must be >= 1, got " + stride);
        int c = image.size(0), kh = kernel.size(0), kw = kernel.size(1);
        // one kernel per channel, applied depthwise (groups = C), so channels never mix
        Tensor weight = kernel.detach().contiguous().reshape(1, 1, kh, kw).expand(c, 1, kh, kw).contiguous();
        Conv2dOptions o = Conv2dOptions.defaults().stride(stride).groups(c)
                .padding((kh - 1) / 2, kh - 1 - (kh - 1) / 2, (kw - 1) / 2, kw - 1 - (kw - 1) / 2);
        return ConvOps.conv2d(image.detach(), weight, null, o);
    }

    /** Pixelwise {@code sqrt(a² + b²)}, e.g. the gradient magnitude from the x and y derivatives. */
    public static Tensor magnitude(Tensor a, Tensor b) {
        if (!Shape.same(a.shape(), b.shape()))
            throw new IllegalArgumentException("magnitude: shapes differ: " + Shape.str(a.shape()) + " and "
                    + Shape.str(b.shape()));
        return a.square().add(b.square()).sqrt();
    }

    /** The Sobel gradient magnitude {@code |(f ⋆ Sx, f ⋆ Sy)|} with "same" padding (the lectures' edge detection). */
    public static Tensor sobelMagnitude(Tensor image) {
        return magnitude(filter2d(image, FilterKernels.sobelX(), 1), filter2d(image, FilterKernels.sobelY(), 1));
    }

    /** k×k max pooling of each channel with the given stride and no padding (Example 2.5 uses k = 3, stride 1). */
    public static Tensor maxPool(Tensor image, int k, int stride) {
        checkPool("maxPool", image, k, stride);
        return PoolOps.maxPool2d(image.detach(), Pool2dOptions.of(k).stride(stride));
    }

    /** k×k average pooling of each channel with the given stride and no padding. */
    public static Tensor avgPool(Tensor image, int k, int stride) {
        checkPool("avgPool", image, k, stride);
        return PoolOps.avgPool2d(image.detach(), Pool2dOptions.of(k).stride(stride));
    }

    private static void checkPool(String op, Tensor image, int k, int stride) {
        if (image.dim() != 3)
            throw new IllegalArgumentException(op + ": expected an image [C, H, W], got " + Shape.str(image.shape()));
        if (k < 1 || stride < 1)
            throw new IllegalArgumentException(op + ": kernel and stride must be >= 1, got " + k + " and " + stride);
        if (k > image.size(1) || k > image.size(2))
            throw new IllegalArgumentException(op + ": window " + k + "x" + k + " is larger than the image "
                    + Shape.str(image.shape()));
    }
}
