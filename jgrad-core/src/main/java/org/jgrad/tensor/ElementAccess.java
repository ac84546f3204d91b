package org.jgrad.tensor;

import static org.jgrad.tensor.TensorBackends.elementwise;

import org.jgrad.backend.FloatStorage;
import org.jgrad.backend.LongStorage;
import org.jgrad.backend.Storage;

/**
 * {@link Tensor}'s element access: one element read or written at an index, and the copies of all
 * elements out into Java arrays, each a backend call over the tensor's storage and geometry.
 */
final class ElementAccess {
    private ElementAccess() {}

    /** The storage position of the element at {@code idx} (negative indices count from the end). */
    static int flatIndex(Tensor t, String op, int[] idx) {
        int[] shape = t.shape;
        if (idx.length != shape.length)
            throw new IllegalArgumentException(op + ": expected " + shape.length + " indices for shape "
                    + Shape.str(shape) + ", got " + idx.length);
        int p = t.offset;
        for (int i = 0; i < idx.length; i++) {
            int k = idx[i];
            if (k < -shape[i] || k >= shape[i])
                throw new IndexOutOfBoundsException(op + ": index " + k + " is out of bounds for dimension " + i
                        + " with size " + shape[i] + " (shape " + Shape.str(shape) + ")");
            if (k < 0) k += shape[i];
            p += k * t.strides[i];
        }
        return p;
    }

    static float get(Tensor t, int[] idx) {
        return elementwise().readFloat(t.storage, flatIndex(t, "get", idx));
    }

    static long getLong(Tensor t, int[] idx) {
        return elementwise().readLong(t.storage, flatIndex(t, "getLong", idx));
    }

    static void set(Tensor t, float value, int[] idx) {
        if (t.dtype == DType.FLOAT32) InPlace.check(t, "set");
        elementwise().writeFloat(t.storage, flatIndex(t, "set", idx), value);
    }

    static void setLong(Tensor t, long value, int[] idx) {
        if (t.dtype == DType.FLOAT32) InPlace.check(t, "setLong");
        elementwise().writeLong(t.storage, flatIndex(t, "setLong", idx), value);
    }

    static float item(Tensor t) {
        if (t.numel() != 1)
            throw new IllegalStateException("item: only a one-element tensor can be converted to a scalar, got shape "
                    + Shape.str(t.shape));
        return get(t, new int[t.shape.length]);
    }

    static float[] toFloatArray(Tensor t) {
        float[] out = new float[t.numel()];
        copyOut(t, FloatStorage.wrap(out), 0);
        return out;
    }

    static long[] toLongArray(Tensor t) {
        long[] out = new long[t.numel()];
        copyOut(t, LongStorage.wrap(out), 0);
        return out;
    }

    static void copyTo(Tensor t, float[] dst) {
        if (dst == null) throw new NullPointerException("copyTo: destination array is null");
        if (dst.length != t.numel())
            throw new IllegalArgumentException("copyTo: destination has " + dst.length + " elements, the tensor of shape "
                    + Shape.str(t.shape) + " has " + t.numel());
        copyOut(t, FloatStorage.wrap(dst), 0);
    }

    static void copyTo(Tensor t, float[] dst, int dstOffset) {
        if (dst == null) throw new NullPointerException("copyTo: destination array is null");
        int n = t.numel();
        if (dstOffset < 0 || dstOffset > dst.length - n)
            throw new IndexOutOfBoundsException("copyTo: " + n + " elements of a tensor of shape " + Shape.str(t.shape)
                    + " do not fit a destination of " + dst.length + " elements from offset " + dstOffset);
        copyOut(t, FloatStorage.wrap(dst), dstOffset);
    }

    /** The elements row-major into {@code dst} from {@code dstOffset}, converted to its element type. */
    private static void copyOut(Tensor t, Storage dst, int dstOffset) {
        elementwise().copyToContiguous(t.storage, t.offset, t.shape, t.strides, dst, dstOffset);
    }

    static boolean allClose(Tensor a, Tensor b, float rtol, float atol) {
        if (!Shape.same(a.shape, b.shape)) return false;
        Tensor x = contiguousFloats(a), y = contiguousFloats(b);
        return elementwise().allClose(x.storage, x.offset, y.storage, y.offset, a.numel(), rtol, atol);
    }

    /** The values as a contiguous float32 tensor off the graph: {@code t} itself when it already is one. */
    private static Tensor contiguousFloats(Tensor t) {
        return t.dtype == DType.FLOAT32 && t.isContiguous() ? t : Tensor.wrap(toFloatArray(t), t.shape);
    }
}
