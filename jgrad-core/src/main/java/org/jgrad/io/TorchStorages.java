package org.jgrad.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Tensor;

/**
 * Reads a checkpoint's storages (raw arrays of one element type at a file offset, already checked to lie
 * in the file) into jgrad's float32 or int64 arrays, and copies tensor views out of them.
 */
final class TorchStorages {
    private static final int CHUNK = 1 << 20; // a multiple of every element size

    private TorchStorages() {}

    /** A storage's elements, widened: a {@code float[]} for floating types, a {@code long[]} otherwise. */
    static Object read(FileChannel ch, Path file, Pickled.Storage s, long fileOffset, ByteOrder order) throws IOException {
        int n = (int) s.numel(); // the caller has checked it against the budget and the array limit
        float[] f = s.type().isFloat ? new float[n] : null;
        long[] l = f == null ? new long[n] : null;
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(CHUNK, Math.max(8, (long) n * s.type().size))).order(order);
        int perChunk = buf.capacity() / s.type().size;
        long pos = fileOffset;
        for (int done = 0; done < n; ) {
            int k = Math.min(n - done, perChunk);
            buf.clear().limit(k * s.type().size);
            while (buf.hasRemaining()) {
                int r = ch.read(buf, pos);
                if (r < 0) throw new PyTorchFormatException(file, pos, "file ended early (was it truncated while being read?)");
                pos += r;
            }
            buf.flip();
            convert(s.type(), buf, k, f, l, done);
            done += k;
        }
        return f != null ? f : l;
    }

    private static void convert(TorchStorageType t, ByteBuffer b, int k, float[] f, long[] l, int off) {
        switch (t) {
            case FloatStorage -> b.asFloatBuffer().get(f, off, k);
            case LongStorage -> b.asLongBuffer().get(l, off, k);
            case DoubleStorage -> { for (int i = 0; i < k; i++) f[off + i] = (float) b.getDouble(8 * i); }
            case HalfStorage -> { for (int i = 0; i < k; i++) f[off + i] = Float.float16ToFloat(b.getShort(2 * i)); }
            // bfloat16 is the top half of a float32, so widening is exact.
            case BFloat16Storage -> { for (int i = 0; i < k; i++) f[off + i] = Float.intBitsToFloat(b.getShort(2 * i) << 16); }
            case IntStorage -> { for (int i = 0; i < k; i++) l[off + i] = b.getInt(4 * i); }
            case ShortStorage -> { for (int i = 0; i < k; i++) l[off + i] = b.getShort(2 * i); }
            case CharStorage -> { for (int i = 0; i < k; i++) l[off + i] = b.get(i); }
            case ByteStorage -> { for (int i = 0; i < k; i++) l[off + i] = b.get(i) & 0xFF; }
            case BoolStorage -> { for (int i = 0; i < k; i++) l[off + i] = b.get(i) != 0 ? 1 : 0; }
        }
    }

    /** True if the view is the whole storage in row-major order, so the storage's array can become the tensor. */
    static boolean coversWholeStorage(Pickled.TensorView v) {
        if (v.storageOffset() != 0 || v.numel() != v.storage().numel()) return false;
        long expected = 1;
        for (int i = v.shape().length - 1; i >= 0; i--) {
            if (v.shape()[i] != 1 && v.strides()[i] != expected) return false;
            expected *= v.shape()[i];
        }
        return true;
    }

    /** A new contiguous tensor with the view's elements (its geometry was checked against the storage). */
    static Tensor copyView(Pickled.TensorView v, Object storage) {
        int n = (int) v.numel();
        int[] shape = v.shape();
        int rank = shape.length;
        int[] idx = new int[rank];
        if (storage instanceof float[] src) {
            float[] out = new float[n];
            long pos = v.storageOffset();
            for (int i = 0; i < n; i++) {
                out[i] = src[(int) pos];
                pos = advance(idx, shape, v.strides(), pos);
            }
            return TensorData.wrap(out, shape);
        }
        long[] src = (long[]) storage;
        long[] out = new long[n];
        long pos = v.storageOffset();
        for (int i = 0; i < n; i++) {
            out[i] = src[(int) pos];
            pos = advance(idx, shape, v.strides(), pos);
        }
        return TensorData.wrapLongs(out, shape);
    }

    // Row-major odometer over the view's index, returning the next element's storage position.
    private static long advance(int[] idx, int[] shape, long[] strides, long pos) {
        for (int d = idx.length - 1; d >= 0; d--) {
            if (++idx[d] < shape[d]) return pos + strides[d];
            pos -= (long) (shape[d] - 1) * strides[d];
            idx[d] = 0;
        }
        return pos;
    }

    /** The view as a tensor over the storage's own array (only for views that cover it whole). */
    static Tensor wrapWhole(Pickled.TensorView v, Object storage) {
        return storage instanceof float[] f ? TensorData.wrap(f, v.shape()) : TensorData.wrapLongs((long[]) storage, v.shape());
    }
}
