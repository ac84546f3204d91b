package org.jgrad.ops;

import org.jgrad.backend.Storage;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.DType;
import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;

/**
 * Shared input handling of the fused loss ops: dense operands for the backend, class-layout geometry,
 * checks.
 */
final class LossSupport {
    private LossSupport() {}

    /**
     * The values in row-major order from the result's offset, cut from the graph: the tensor itself
     * when already contiguous (no copy), else a contiguous copy. Float32 or int64.
     */
    static Tensor dense(Tensor t) {
        return t.detach().contiguous();
    }

    /** The storage handle of a {@link #dense} tensor, or null for null. */
    static Storage data(Tensor dense) {
        return dense == null ? null : TensorData.storage(dense);
    }

    /** The offset of a {@link #dense} tensor, 0 for null. */
    static int offset(Tensor dense) {
        return dense == null ? 0 : dense.offset();
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

    /** The class weights [C] checked and {@link #dense}, or null for none. */
    static Tensor classWeights(String op, Tensor weight, int c) {
        if (weight == null) return null;
        requireFloat(op, "weight", weight);
        if (weight.dim() != 1 || weight.size(0) != c)
            throw new IllegalArgumentException(op + ": weight should be a 1-D tensor of size " + c
                    + " (one per class), got shape " + Shape.str(weight.shape()));
        return dense(weight);
    }

    static void requireShape(String op, String what, Tensor t, int[] expected) {
        if (!Shape.same(t.shape(), expected))
            throw new IllegalArgumentException(op + ": expected " + what + " of shape " + Shape.str(expected) + ", got "
                    + Shape.str(t.shape()));
    }

    /** Tensor values broadcast to {@code shape}, {@link #dense}; null stays null. */
    static Tensor broadcastDense(String op, String what, Tensor t, int[] shape) {
        if (t == null) return null;
        requireFloat(op, what, t);
        if (!Shape.same(Shape.broadcast(op, t.shape(), shape), shape))
            throw new IllegalArgumentException(op + ": " + what + " of shape " + Shape.str(t.shape())
                    + " cannot be broadcast to the input shape " + Shape.str(shape));
        return dense(t.detach().expand(shape));
    }
}
