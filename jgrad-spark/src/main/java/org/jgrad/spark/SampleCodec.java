package org.jgrad.spark;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import org.jgrad.data.Sample;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.DType;
import org.jgrad.tensor.Tensor;

/**
 * One {@link Sample} as bytes, the form in which samples cross Spark's shuffle: jgrad tensors are not
 * {@code Serializable}, and a {@code byte[]} needs no class of ours on the other side. Layout (big
 * endian): for the input and then the target, a dtype byte (0 float32, 1 int64), a rank byte, the
 * dims as ints, the elements. Decoding checks every count against the bytes left.
 */
final class SampleCodec {
    private SampleCodec() {}

    private static final int MAX_RANK = 8;

    /** The sample's bytes. */
    static byte[] encode(Sample s) {
        if (s == null || s.input() == null || s.target() == null)
            throw new IllegalArgumentException("jgrad-spark: a null sample, input or target in the training data");
        int n = size(s.input()) + size(s.target());
        ByteBuffer b = ByteBuffer.allocate(n);
        put(b, s.input());
        put(b, s.target());
        return b.array();
    }

    /** Decodes {@link #encode}'s bytes; {@code where} names the record in an error. */
    static Sample decode(byte[] bytes, String where) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        try {
            Tensor in = get(b, where, "input"), target = get(b, where, "target");
            if (b.hasRemaining())
                throw new IllegalArgumentException("jgrad-spark: " + where + " has " + b.remaining()
                        + " bytes after its target");
            return new Sample(in, target);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("jgrad-spark: " + where + " ends early (" + bytes.length + " bytes)");
        }
    }

    private static int size(Tensor t) {
        if (t.dim() > MAX_RANK)
            throw new IllegalArgumentException("jgrad-spark: a sample tensor of rank " + t.dim() + " (at most " + MAX_RANK + ")");
        int elem = switch (t.dtype()) {
            case FLOAT32 -> 4;
            case INT64 -> 8;
            default -> throw new IllegalArgumentException("jgrad-spark: sample tensors must be float32 or int64, got " + t.dtype());
        };
        long n = 2 + 4L * t.dim() + (long) elem * t.numel();
        if (n > Integer.MAX_VALUE / 2)
            throw new IllegalArgumentException("jgrad-spark: a sample of " + t.numel() + " elements is too large");
        return (int) n;
    }

    private static void put(ByteBuffer b, Tensor t) {
        b.put((byte) (t.dtype() == DType.FLOAT32 ? 0 : 1));
        b.put((byte) t.dim());
        for (int d : t.shape()) b.putInt(d);
        if (t.dtype() == DType.FLOAT32) b.asFloatBuffer().put(t.toFloatArray());
        else b.asLongBuffer().put(t.toLongArray());
        b.position(b.position() + (t.dtype() == DType.FLOAT32 ? 4 : 8) * t.numel());
    }

    private static Tensor get(ByteBuffer b, String where, String what) {
        int dtype = b.get(), rank = b.get();
        if (dtype != 0 && dtype != 1)
            throw new IllegalArgumentException("jgrad-spark: " + where + "'s " + what + " has dtype code " + dtype
                    + " at byte " + (b.position() - 2) + " (expected 0 float32 or 1 int64)");
        if (rank < 0 || rank > MAX_RANK)
            throw new IllegalArgumentException("jgrad-spark: " + where + "'s " + what + " has rank " + rank
                    + " (expected 0 to " + MAX_RANK + ")");
        int[] shape = new int[rank];
        long numel = 1;
        for (int i = 0; i < rank; i++) {
            shape[i] = b.getInt();
            if (shape[i] < 0)
                throw new IllegalArgumentException("jgrad-spark: " + where + "'s " + what + " has dim " + i + " = " + shape[i]);
            numel *= shape[i];
        }
        long need = numel * (dtype == 0 ? 4 : 8);
        if (need > b.remaining())
            throw new IllegalArgumentException("jgrad-spark: " + where + "'s " + what + " claims shape "
                    + java.util.Arrays.toString(shape) + " (" + need + " bytes) but " + b.remaining() + " bytes are left");
        if (dtype == 0) {
            float[] v = new float[(int) numel];
            b.asFloatBuffer().get(v);
            b.position(b.position() + 4 * v.length);
            return TensorData.wrap(v, shape);
        }
        long[] v = new long[(int) numel];
        b.asLongBuffer().get(v);
        b.position(b.position() + 8 * v.length);
        return TensorData.wrapLongs(v, shape);
    }
}
