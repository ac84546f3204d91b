package org.jgrad.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.DType;
import org.jgrad.tensor.Tensor;

/**
 * Writes safetensors files for {@link SafeTensors#save}: the reference writer's order (dtype alignment,
 * then UTF-8 name order), its header layout and padding, then the data in chunks through a direct
 * buffer, the whole file replaced atomically.
 */
final class SafeTensorsWriter {
    private SafeTensorsWriter() {}

    /** See {@link SafeTensors#save(Map, Path, Map, Predicate)}. */
    static void save(Map<String, Tensor> tensors, Path file, Map<String, String> metadata, Predicate<Tensor> doubleBits)
            throws IOException {
        Objects.requireNonNull(tensors, "tensors");
        Objects.requireNonNull(file, "file");
        List<Entry> entries = new ArrayList<>(tensors.size());
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            String name = e.getKey();
            Tensor t = e.getValue();
            if (name == null) throw new IllegalArgumentException("save: tensor name is null");
            if (name.equals(SafeTensors.METADATA_KEY))
                throw new IllegalArgumentException("save: '" + SafeTensors.METADATA_KEY + "' is reserved and cannot name a tensor");
            if (t == null) throw new IllegalArgumentException("save: tensor '" + name + "' is null");
            SafeTensorsDType dt = t.dtype() == DType.INT64 ? (doubleBits.test(t) ? SafeTensorsDType.F64 : SafeTensorsDType.I64) : SafeTensorsDType.F32;
            entries.add(new Entry(name, name.getBytes(StandardCharsets.UTF_8), dt, t));
        }
        entries.sort(WRITE_ORDER);
        byte[] header = header(entries, metadata);

        AtomicFiles.write(file, ch -> {
            ByteBuffer buf = ByteBuffer.allocateDirect(SafeTensors.CHUNK).order(ByteOrder.LITTLE_ENDIAN);
            buf.putLong(header.length).flip();
            writeFully(ch, buf);
            writeFully(ch, ByteBuffer.wrap(header));
            for (Entry e : entries) writeData(ch, buf, e.tensor);
        });
    }

    private record Entry(String name, byte[] utf8, SafeTensorsDType dtype, Tensor tensor) {}

    // The reference sorts with Rust's String order, which is UTF-8 byte order (not Java's UTF-16 order).
    private static final Comparator<Entry> WRITE_ORDER = Comparator
            .comparingInt((Entry e) -> -e.dtype.rank)
            .thenComparing((a, b) -> Arrays.compareUnsigned(a.utf8, b.utf8));

    private static byte[] header(List<Entry> entries, Map<String, String> metadata) {
        StringBuilder sb = new StringBuilder(64 + 96 * entries.size()).append('{');
        boolean first = true;
        if (metadata != null && !metadata.isEmpty()) {
            Json.writeString(sb, SafeTensors.METADATA_KEY);
            sb.append(":{");
            boolean firstMeta = true;
            for (Map.Entry<String, String> m : metadata.entrySet()) {
                if (m.getKey() == null || m.getValue() == null)
                    throw new IllegalArgumentException("save: metadata keys and values must not be null, got "
                            + m.getKey() + "=" + m.getValue());
                if (!firstMeta) sb.append(',');
                firstMeta = false;
                Json.writeString(sb, m.getKey());
                sb.append(':');
                Json.writeString(sb, m.getValue());
            }
            sb.append('}');
            first = false;
        }
        long offset = 0;
        for (Entry e : entries) {
            if (!first) sb.append(',');
            first = false;
            int[] shape = e.tensor.shape();
            long bytes = (long) e.tensor.numel() * e.dtype.size;
            Json.writeString(sb, e.name);
            sb.append(":{\"dtype\":\"").append(e.dtype.name()).append("\",\"shape\":[");
            for (int i = 0; i < shape.length; i++) sb.append(i == 0 ? "" : ",").append(shape[i]);
            sb.append("],\"data_offsets\":[").append(offset).append(',').append(offset + bytes).append("]}");
            offset += bytes;
        }
        sb.append('}');
        byte[] json = sb.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) & ~7;
        if (padded > SafeTensors.MAX_HEADER_BYTES)
            throw new IllegalArgumentException("save: header would be " + padded + " bytes, over the "
                    + SafeTensors.MAX_HEADER_BYTES + "-byte limit readers enforce");
        byte[] out = Arrays.copyOf(json, padded);
        Arrays.fill(out, json.length, padded, (byte) ' ');
        return out;
    }

    private static void writeData(FileChannel ch, ByteBuffer buf, Tensor t) throws IOException {
        int n = t.numel();
        if (n == 0) return;
        boolean inPlace = t.isContiguous();
        int base = inPlace ? t.offset() : 0;
        if (t.dtype() == DType.INT64) {
            long[] src = inPlace ? TensorData.longs(t) : t.toLongArray();
            for (int done = 0; done < n; ) {
                int k = Math.min(n - done, SafeTensors.CHUNK / 8);
                buf.clear();
                buf.asLongBuffer().put(src, base + done, k);
                buf.limit(k * 8);
                writeFully(ch, buf);
                done += k;
            }
        } else {
            float[] src = inPlace ? TensorData.floats(t) : t.toFloatArray();
            for (int done = 0; done < n; ) {
                int k = Math.min(n - done, SafeTensors.CHUNK / 4);
                buf.clear();
                buf.asFloatBuffer().put(src, base + done, k);
                buf.limit(k * 4);
                writeFully(ch, buf);
                done += k;
            }
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) ch.write(buf);
    }
}
