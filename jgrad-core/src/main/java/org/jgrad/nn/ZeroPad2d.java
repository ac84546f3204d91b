package org.jgrad.nn;

import org.jgrad.tensor.Tensor;

/**
 * Pads the last two dimensions of a [N, C, H, W] (or [C, H, W]) input with zeros, like
 * {@code torch.nn.ZeroPad2d}: {@code padding = (left, right, top, bottom)}, each side on its own, so
 * the output is {@code [.., H + top + bottom, W + left + right]}. A negative side crops, as in PyTorch.
 *
 * <p>The four sides make TensorFlow's "same" padding expressible in front of a stride-2 convolution
 * or pooling: TensorFlow puts the odd extra row and column at the bottom and right, e.g. for a 3×3
 * window with stride 2 on an even-sized input {@code new ZeroPad2d(0, 1, 0, 1)} (Keras writes it
 * {@code ZeroPadding2D(((0, 1), (0, 1)))}, top/bottom first); see {@link #tensorflowSame}.
 *
 * <p>Built from {@code narrow} and {@code cat}, so the gradient is the matching crop of the output's.
 */
public class ZeroPad2d extends Module {
    private final int left, right, top, bottom;

    /** The same padding on all four sides. */
    public ZeroPad2d(int padding) {
        this(padding, padding, padding, padding);
    }

    /** Padding {@code (left, right, top, bottom)}, in PyTorch's order; negative values crop. */
    public ZeroPad2d(int left, int right, int top, int bottom) {
        this.left = left;
        this.right = right;
        this.top = top;
        this.bottom = bottom;
    }

    /**
     * The padding TensorFlow's {@code padding="same"} applies for a window {@code kernel} with
     * {@code stride} on an {@code inH×inW} input (dilation 1): in total
     * {@code max((⌈in/s⌉ − 1)·s + k − in, 0)} per axis, the smaller half before, the larger after.
     */
    public static ZeroPad2d tensorflowSame(int inH, int inW, int kernel, int stride) {
        if (inH < 1 || inW < 1 || kernel < 1 || stride < 1)
            throw new IllegalArgumentException("ZeroPad2d.tensorflowSame: sizes must be positive, got in=" + inH + "x" + inW
                    + ", kernel=" + kernel + ", stride=" + stride);
        int ph = sameTotal(inH, kernel, stride), pw = sameTotal(inW, kernel, stride);
        return new ZeroPad2d(pw / 2, pw - pw / 2, ph / 2, ph - ph / 2);
    }

    private static int sameTotal(int in, int kernel, int stride) {
        int out = (in + stride - 1) / stride;
        return Math.max((out - 1) * stride + kernel - in, 0);
    }

    /** The padding as {@code {left, right, top, bottom}}. */
    public int[] padding() {
        return new int[] {left, right, top, bottom};
    }

    @Override
    public Tensor forward(Tensor input) {
        if (input.dim() != 3 && input.dim() != 4)
            throw new IllegalArgumentException("ZeroPad2d: expected a 3-D [C, H, W] or 4-D [N, C, H, W] input, got shape "
                    + java.util.Arrays.toString(input.shape()));
        int hDim = input.dim() - 2, wDim = input.dim() - 1;
        int h = input.size(hDim), w = input.size(wDim);
        int outH = h + top + bottom, outW = w + left + right;
        if (outH < 0 || outW < 0)
            throw new IllegalArgumentException("ZeroPad2d: padding (" + left + ", " + right + ", " + top + ", " + bottom
                    + ") of an input of size " + h + "x" + w + " gives a negative output size " + outH + "x" + outW);
        Tensor x = crop(input, hDim, -top, -bottom);
        x = crop(x, wDim, -left, -right);
        x = pad(x, hDim, top, bottom);
        return pad(x, wDim, left, right);
    }

    private static Tensor crop(Tensor x, int dim, int before, int after) {
        int b = Math.max(before, 0), a = Math.max(after, 0);
        if (b == 0 && a == 0) return x;
        return x.narrow(dim, b, x.size(dim) - b - a);
    }

    private static Tensor pad(Tensor x, int dim, int before, int after) {
        int b = Math.max(before, 0), a = Math.max(after, 0);
        if (b == 0 && a == 0) return x;
        Tensor[] parts = new Tensor[(b > 0 ? 1 : 0) + 1 + (a > 0 ? 1 : 0)];
        int i = 0;
        if (b > 0) parts[i++] = Tensor.zeros(sizeWith(x, dim, b));
        parts[i++] = x;
        if (a > 0) parts[i] = Tensor.zeros(sizeWith(x, dim, a));
        return Tensor.cat(dim, parts);
    }

    private static int[] sizeWith(Tensor x, int dim, int n) {
        int[] s = x.shape().clone();
        s[dim] = n;
        return s;
    }

    @Override
    public String extraRepr() {
        return "(" + left + ", " + right + ", " + top + ", " + bottom + ")";
    }
}
