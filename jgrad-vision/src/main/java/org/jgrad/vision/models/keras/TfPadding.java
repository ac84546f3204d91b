package org.jgrad.vision.models.keras;

import java.util.Arrays;
import org.jgrad.nn.ZeroPad2d;
import org.jgrad.nn.functional.F;
import org.jgrad.tensor.Tensor;

/**
 * TensorFlow's {@code padding="same"} where PyTorch's symmetric padding cannot say it: with a stride
 * of 2 TensorFlow pads {@code max((⌈n/s⌉ − 1)·s + k − n, 0)} per axis, the odd one at the bottom and
 * right, so the amounts depend on the input's size. Keras' {@code imagenet_utils.correct_pad}, which
 * MobileNet-v2 and NASNet put in front of their stride-2 convolutions and poolings as a
 * {@code ZeroPadding2D}, computes the same amounts for odd kernels. These functions pad the input
 * they are given, so one model serves every input size as Keras' would when built for it. timm's
 * {@code padding="same"} poolings ({@code MaxPool2dSame}, {@code AvgPool2dSame}) pad the same way.
 */
public final class TfPadding {
    private TfPadding() {}

    /** Zero padding as TensorFlow's "same" for a {@code kernel}×{@code kernel} window with {@code stride}. */
    public static Tensor zeroSame(Tensor x, int kernel, int stride) {
        return ZeroPad2d.tensorflowSame(x.size(2), x.size(3), kernel, stride).forward(x);
    }

    /**
     * Keras' {@code MaxPooling2D(kernel, strides=stride, padding="same")}: TensorFlow leaves padded
     * positions out of the maximum, i.e. pads with −∞, then takes valid windows.
     */
    public static Tensor maxPoolSame(Tensor x, int kernel, int stride) {
        int[] p = ZeroPad2d.tensorflowSame(x.size(2), x.size(3), kernel, stride).padding(); // left, right, top, bottom
        Tensor padded = padWith(x, Float.NEGATIVE_INFINITY, p[0], p[1], p[2], p[3]);
        return F.maxPool2d(padded, kernel, stride, 0);
    }

    /** Pads [N, C, H, W] with {@code value} on each side (non-negative amounts). */
    public static Tensor padWith(Tensor x, float value, int left, int right, int top, int bottom) {
        Tensor h = cat(x, 2, value, top, bottom);
        return cat(h, 3, value, left, right);
    }

    private static Tensor cat(Tensor x, int dim, float value, int before, int after) {
        if (before == 0 && after == 0) return x;
        Tensor[] parts = new Tensor[(before > 0 ? 1 : 0) + 1 + (after > 0 ? 1 : 0)];
        int i = 0;
        if (before > 0) parts[i++] = Tensor.full(value, sized(x, dim, before));
        parts[i++] = x;
        if (after > 0) parts[i] = Tensor.full(value, sized(x, dim, after));
        return Tensor.cat(dim, parts);
    }

    private static int[] sized(Tensor x, int dim, int n) {
        int[] s = Arrays.copyOf(x.shape(), x.dim());
        s[dim] = n;
        return s;
    }
}
