package org.jgrad.keras;

/**
 * TensorFlow's {@code padding="same"}: the output has ⌈in/stride⌉ positions, and the padding this
 * needs, {@code max((out − 1)·stride + (k − 1)·dilation + 1 − in, 0)}, is split with the smaller half
 * before (top/left) and the larger after (bottom/right). It depends on the input size when the stride
 * is above 1, so layers compute it per call.
 */
final class TfSame {
    private TfSame() {}

    /** {before, after} padding along one axis. */
    static int[] padding(int in, int kernel, int stride, int dilation) {
        int out = (in + stride - 1) / stride;
        int total = Math.max((out - 1) * stride + (kernel - 1) * dilation + 1 - in, 0);
        return new int[] {total / 2, total - total / 2};
    }
}
