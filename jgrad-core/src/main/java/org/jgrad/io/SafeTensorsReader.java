package org.jgrad.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import org.jgrad.internal.TensorData;
import org.jgrad.io.SafeTensorsHeader.Spec;
import org.jgrad.tensor.Tensor;

/**
 * Reads safetensors files for {@link SafeTensors#load}: the header length and JSON, checked in full
 * ({@link SafeTensorsHeader}) before any tensor memory is allocated, then each tensor's bytes in
 * chunks, converted to float32 or int64.
 */
final class SafeTensorsReader {
    private SafeTensorsReader() {}

    /** See {@link SafeTensors#load(Path, Predicate)}. */
    static SafeTensorsFile load(Path file, Predicate<String> exactF64) throws IOException {
        Objects.requireNonNull(file, "file");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8)
                throw new SafeTensorsException(file, null, -1, "file is " + size
                        + " bytes long, too short for the 8-byte header length");
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0, file);
            long n = lenBuf.flip().getLong();
            // n < 0 here means a u64 above 2^63, which is over the limit just the same.
            if (n < 0 || n > SafeTensors.MAX_HEADER_BYTES)
                throw new SafeTensorsException(file, null, 0, "header length " + Long.toUnsignedString(n)
                        + " exceeds the " + SafeTensors.MAX_HEADER_BYTES + "-byte limit");
            if (n > size - 8)
                throw new SafeTensorsException(file, null, 0, "header length " + n + " runs past the end of the file ("
                        + size + " bytes, so at most " + (size - 8) + " header bytes)");
            ByteBuffer headerBuf = ByteBuffer.allocate((int) n);
            readFully(ch, headerBuf, 8, file);
            Json.Obj root = Json.parseObject(headerBuf.array(), 8, file);

            long dataStart = 8 + n;
            long dataLen = size - dataStart;
            LinkedHashMap<String, String> metadata = new LinkedHashMap<>();
            List<Spec> specs = new ArrayList<>(root.members().size());
            for (Map.Entry<String, Json.Value> m : root.members().entrySet()) {
                if (m.getKey().equals(SafeTensors.METADATA_KEY)) SafeTensorsHeader.readMetadata(file, m.getValue(), metadata);
                else specs.add(SafeTensorsHeader.spec(file, m.getKey(), m.getValue(), dataLen));
            }
            SafeTensorsHeader.checkCoverage(file, specs, dataStart, dataLen);

            // Only now, with every size proven to fit in the file, is tensor memory allocated.
            Spec[] byOffset = specs.toArray(Spec[]::new);
            Arrays.sort(byOffset, SafeTensorsHeader.BY_OFFSET);
            Map<String, Tensor> read = new HashMap<>(specs.size() * 2);
            ByteBuffer buf = ByteBuffer.allocateDirect((int) Math.max(8, Math.min(SafeTensors.CHUNK, (dataLen + 7) & ~7L)))
                    .order(ByteOrder.LITTLE_ENDIAN);
            Scratch scratch = new Scratch();
            for (Spec s : byOffset) {
                Spec as = s.dtype() == SafeTensorsDType.F64 && exactF64.test(s.name())
                        ? new Spec(s.name(), SafeTensorsDType.I64, s.shape(), s.begin(), s.end()) : s; // same bytes, kept as bits
                read.put(s.name(), readTensor(ch, buf, scratch, as, dataStart, file));
            }
            LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>(specs.size() * 2);
            for (Spec s : specs) tensors.put(s.name(), read.get(s.name()));
            return new SafeTensorsFile(tensors, metadata);
        }
    }

    /** Per-load conversion buffers, sized to one chunk, so narrow dtypes are converted without boxing. */
    private static final class Scratch {
        byte[] bytes;
        short[] shorts;
        int[] ints;
        double[] doubles;

        byte[] bytes(int k) {
            return bytes != null && bytes.length >= k ? bytes : (bytes = new byte[k]);
        }

        short[] shorts(int k) {
            return shorts != null && shorts.length >= k ? shorts : (shorts = new short[k]);
        }

        int[] ints(int k) {
            return ints != null && ints.length >= k ? ints : (ints = new int[k]);
        }

        double[] doubles(int k) {
            return doubles != null && doubles.length >= k ? doubles : (doubles = new double[k]);
        }
    }

    private static Tensor readTensor(FileChannel ch, ByteBuffer buf, Scratch scratch, Spec s, long dataStart, Path file)
            throws IOException {
        int n = (int) ((s.end() - s.begin()) / s.dtype().size);
        float[] f = s.dtype().isFloat() ? new float[n] : null;
        long[] l = f == null ? new long[n] : null;
        // Chunks hold whole elements: the capacity is a multiple of 8 and every dtype size divides 8.
        int perChunk = buf.capacity() / s.dtype().size;
        long pos = dataStart + s.begin();
        for (int done = 0; done < n; ) {
            int k = Math.min(n - done, perChunk);
            buf.clear().limit(k * s.dtype().size);
            readFully(ch, buf, pos, file);
            buf.flip();
            convert(s.dtype(), buf, k, f, l, done, scratch);
            done += k;
            pos += (long) k * s.dtype().size;
        }
        return f != null ? TensorData.wrap(f, s.shape()) : TensorData.wrapLongs(l, s.shape());
    }

    // One small method per loop: the JIT compiles and vectorizes each on its own (a single method with
    // every loop loaded F16 files about 5x slower), and no loop makes a call per element.
    private static void convert(SafeTensorsDType dt, ByteBuffer buf, int k, float[] f, long[] l, int off, Scratch sc) {
        switch (dt) {
            case F32 -> buf.asFloatBuffer().get(f, off, k);
            case I64 -> buf.asLongBuffer().get(l, off, k);
            case F64 -> {
                buf.asDoubleBuffer().get(sc.doubles(k), 0, k);
                narrow(sc.doubles, f, off, k);
            }
            case F16, BF16, I16, U16 -> {
                buf.asShortBuffer().get(sc.shorts(k), 0, k);
                switch (dt) {
                    case F16 -> halfToFloat(sc.shorts, f, off, k);
                    case BF16 -> bfloatToFloat(sc.shorts, f, off, k);
                    case I16 -> widenSigned(sc.shorts, l, off, k);
                    default -> widenUnsigned(sc.shorts, l, off, k);
                }
            }
            case I32, U32 -> {
                buf.asIntBuffer().get(sc.ints(k), 0, k);
                if (dt == SafeTensorsDType.I32) widenSigned(sc.ints, l, off, k);
                else widenUnsigned(sc.ints, l, off, k);
            }
            case I8, U8, BOOL -> {
                buf.get(sc.bytes(k), 0, k);
                switch (dt) {
                    case I8 -> widenSigned(sc.bytes, l, off, k);
                    case U8 -> widenUnsigned(sc.bytes, l, off, k);
                    default -> bools(sc.bytes, l, off, k);
                }
            }
        }
    }

    private static void narrow(double[] src, float[] dst, int off, int k) {
        for (int i = 0; i < k; i++) dst[off + i] = (float) src[i];
    }

    private static void halfToFloat(short[] src, float[] dst, int off, int k) {
        for (int i = 0; i < k; i++) dst[off + i] = Float.float16ToFloat(src[i]);
    }

    // bfloat16 is the top half of a float32, so widening is a shift, exact for every value.
    private static void bfloatToFloat(short[] src, float[] dst, int off, int k) {
        for (int i = 0; i < k; i++) dst[off + i] = Float.intBitsToFloat(src[i] << 16);
    }

    private static void widenSigned(short[] src, long[] dst, int off, int k) {
        for (int i = 0; i < k; i++) dst[off + i] = src[i];
    }

    private static void widenUnsigned(short[] src, long[] dst, int off, int k) {
        for (int i = 0; i < k; i++) dst[off + i] = src[i] & 0xFFFF;
    }

    private static void widenSigned(int[] src, long[] dst, int off, int k) {
        for (int i = 0; i < k; i++) dst[off + i] = src[i];
    }

    private static void widenUnsigned(int[] src, long[] dst, int off, int k) {
        for (int i = 0; i < k; i++) dst[off + i] = src[i] & 0xFFFFFFFFL;
    }

    private static void widenSigned(byte[] src, long[] dst, int off, int k) {
        for (int i = 0; i < k; i++) dst[off + i] = src[i];
    }

    private static void widenUnsigned(byte[] src, long[] dst, int off, int k) {
        for (int i = 0; i < k; i++) dst[off + i] = src[i] & 0xFF;
    }

    private static void bools(byte[] src, long[] dst, int off, int k) {
        for (int i = 0; i < k; i++) dst[off + i] = src[i] != 0 ? 1 : 0;
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos, Path file) throws IOException {
        while (buf.hasRemaining()) {
            int r = ch.read(buf, pos);
            if (r < 0)
                throw new SafeTensorsException(file, null, pos, "file ended early (was it truncated while being read?)");
            pos += r;
        }
    }
}
