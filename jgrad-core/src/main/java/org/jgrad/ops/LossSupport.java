package org.jgrad.ops;

import org.jgrad.internal.TensorData;
import org.jgrad.kernels.Parallel;
import org.jgrad.tensor.DType;
import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;

/** Shared input handling of the fused loss ops: dense reads, class-layout geometry, checks. */
final class LossSupport {
    private LossSupport() {}

    /**
     * The values in row-major order starting at index 0. Shares the storage when the tensor is
     * already dense, so the fused loops can index from zero without an offset.
     */
    static float[] dense(Tensor t) {
        return t.isDense() ? TensorData.floats(t) : t.toFloatArray();
    }

    static long[] denseLongs(Tensor t) {
        return t.isDense() ? TensorData.longs(t) : t.toLongArray();
    }

    /** Elements per task below which splitting rows across threads costs more than it saves. */
    private static final int GRAIN = 1 << 15;

    /**
     * Runs {@code body} over row ranges of [0, rows), on several threads when the rows hold enough
     * elements ({@code c} each); every row is independent and writes only its own outputs.
     */
    static void forRows(int rows, int c, Parallel.RangeBody body) {
        Parallel.forRange(rows, Math.max(1, GRAIN / Math.max(c, 1)), body);
    }

    static void requireFloat(String op, String what, Tensor t) {
        if (t.dtype() != DType.FLOAT32)
            throw new IllegalArgumentException(op + ": " + what + " must be float32, got " + t.dtype().pyName()
                    + " of shape " + Shape.str(t.shape()));
    }

    static void requireLong(String op, String what, Tensor t) {
        if (t.dtype() != DType.INT64)
            throw new IllegalArgumentException(op + ": " + what + " must be an int64 tensor of class indices, got "
                    + t.dtype().pyName() + " of shape " + Shape.str(t.shape()));
    }

    /**
     * Geometry of an input laid out as PyTorch's class-dim convention: [C] (one sample), [N, C] or
     * [N, C, d1, ...]. Element (n, c, s) sits at {@code (n*C + c)*S + s}, where S is the product of
     * the trailing dims.
     */
    record ClassLayout(int n, int c, int s, int[] sampleShape) {
        static ClassLayout of(String op, Tensor input) {
            int[] sh = input.shape();
            if (sh.length == 0)
                throw new IllegalArgumentException(op + ": input must have a class dimension, got a 0-d tensor");
            if (sh.length == 1) return new ClassLayout(1, sh[0], 1, new int[0]);
            int s = 1;
            for (int i = 2; i < sh.length; i++) s *= sh[i];
            int[] sample = new int[sh.length - 1];
            sample[0] = sh[0];
            System.arraycopy(sh, 2, sample, 1, sh.length - 2);
            return new ClassLayout(sh[0], sh[1], s, sample);
        }

        int rows() {
            return n * s;
        }

        /** Flat index of class 0 of row {@code r = n*S + s}; class k is {@code s} elements further per step. */
        int base(int r) {
            return s == 1 ? r * c : (r / s) * c * s + r % s;
        }
    }

    static float[] classWeights(String op, Tensor weight, int c) {
        if (weight == null) return null;
        requireFloat(op, "weight", weight);
        if (weight.dim() != 1 || weight.size(0) != c)
            throw new IllegalArgumentException(op + ": weight should be a 1-D tensor of size " + c
                    + " (one per class), got shape " + Shape.str(weight.shape()));
        return weight.toFloatArray();
    }

    static void requireShape(String op, String what, Tensor t, int[] expected) {
        if (!Shape.same(t.shape(), expected))
            throw new IllegalArgumentException(op + ": expected " + what + " of shape " + Shape.str(expected) + ", got "
                    + Shape.str(t.shape()));
    }

    /** Tensor values broadcast to {@code shape}, dense; null stays null. */
    static float[] broadcastDense(String op, String what, Tensor t, int[] shape) {
        if (t == null) return null;
        requireFloat(op, what, t);
        if (!Shape.same(Shape.broadcast(op, t.shape(), shape), shape))
            throw new IllegalArgumentException(op + ": " + what + " of shape " + Shape.str(t.shape())
                    + " cannot be broadcast to the input shape " + Shape.str(shape));
        return t.detach().expand(shape).toFloatArray();
    }
}
