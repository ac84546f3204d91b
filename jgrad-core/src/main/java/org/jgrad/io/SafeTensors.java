package org.jgrad.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.DType;
import org.jgrad.tensor.Tensor;

/**
 * Reads and writes <a href="https://github.com/huggingface/safetensors">safetensors</a> files, the
 * weight format of Hugging Face and PyTorch: an 8-byte little-endian header length {@code N}, {@code N}
 * bytes of UTF-8 JSON describing each tensor's dtype, shape and byte range, then the raw
 * little-endian data. Loading executes nothing and allocates nothing until the whole header has been
 * checked against the file's size.
 *
 * <h2>Writing</h2>
 * {@link #save} writes float32 tensors as {@code F32} and int64 tensors as {@code I64}, in the layout
 * the reference writer uses, so the same input gives byte-identical files: tensors sorted by dtype
 * alignment, largest first ({@code I64} before {@code F32}), then by name in UTF-8 byte order; header
 * entries in that same order, preceded by {@code __metadata__} only when metadata is non-empty; header
 * padded with spaces to a multiple of 8 bytes. The file is replaced atomically ({@link AtomicFiles}).
 *
 * <h2>Reading</h2>
 * {@link #load} returns float32 tensors for {@code F32}, and for {@code F16}, {@code BF16}, {@code F64}
 * (converted, {@code F64} rounded to nearest); int64 tensors for {@code I64}, and for {@code I32},
 * {@code U32}, {@code I16}, {@code U16}, {@code I8}, {@code U8} (value-preserving) and {@code BOOL}
 * (0 or 1). Other dtypes ({@code U64}, the FP8/FP6/FP4 formats) are rejected. Narrow types widen in
 * memory: a {@code U8} file loads into eight times its size.
 *
 * <p>Every problem with the file is reported as a {@link SafeTensorsException} naming the file, the
 * tensor and the byte offset. Checked, in this order: the file holds at least 8 bytes; the header
 * length is at most {@value #MAX_HEADER_BYTES} bytes and fits in the file; the header is one strict
 * JSON object ({@link Json}) starting at its first byte, without duplicate keys; {@code __metadata__}
 * maps strings to strings; each tensor entry has exactly the keys {@code dtype}, {@code shape},
 * {@code data_offsets}, a known dtype, non-negative dimensions whose product does not overflow, and
 * offsets {@code [begin, end]} with {@code begin <= end <= data section length} and
 * {@code end - begin == numel * dtype size}; the tensors tile the data section exactly, without overlap,
 * gap or trailing bytes (as the reference requires); and each fits a jgrad tensor (at most
 * 2<sup>31</sup>-1 elements).
 */
public final class SafeTensors {
    /** The largest header accepted, the reference implementation's limit. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    /** The header key of the free-form string metadata. */
    public static final String METADATA_KEY = "__metadata__";

    // Large enough that per-read overhead vanishes next to disk bandwidth, small enough to stay in L2/L3.
    private static final int CHUNK = 1 << 22;

    private SafeTensors() {}

    /** The file dtypes jgrad reads; {@code rank} is the reference writer's sort order (by alignment). */
    enum FileDType {
        BOOL(1, 0), U8(1, 1), I8(1, 2), I16(2, 5), U16(2, 6), F16(2, 7), BF16(2, 8),
        I32(4, 9), U32(4, 10), F32(4, 11), F64(8, 12), I64(8, 13);

        final int size;
        final int rank;

        FileDType(int size, int rank) {
            this.size = size;
            this.rank = rank;
        }

        boolean isFloat() {
            return this == F16 || this == BF16 || this == F32 || this == F64;
        }
    }

    private static final Set<String> KNOWN_UNSUPPORTED =
            Set.of("U64", "F8_E5M2", "F8_E4M3", "F8_E8M0", "F6_E2M3", "F6_E3M2", "F4", "C64");

    // ------------------------------------------------------------------ writing

    /** Saves {@code tensors} without metadata; see {@link #save(Map, Path, Map)}. */
    public static void save(Map<String, Tensor> tensors, Path file) throws IOException {
        save(tensors, file, null);
    }

    /**
     * Writes {@code tensors} to {@code file} in the layout described in the class documentation,
     * atomically replacing any existing file. Views of any layout are accepted; their elements are
     * written in row-major order. Autograd state is not saved.
     *
     * @param metadata free-form strings stored in {@code __metadata__}, in iteration order; null or
     *     empty writes no {@code __metadata__} entry (as the reference does for {@code None})
     * @throws IllegalArgumentException if a name is {@value #METADATA_KEY}, or a name, key or value is
     *     null or holds an unpaired surrogate
     * @throws IOException if writing fails; {@code file} is then unchanged
     */
    public static void save(Map<String, Tensor> tensors, Path file, Map<String, String> metadata) throws IOException {
        save(tensors, file, metadata, t -> false);
    }

    /**
     * As {@link #save(Map, Path, Map)}, but the int64 tensors {@code doubleBits} accepts hold IEEE-754
     * double bits ({@link Double#doubleToLongBits}) and are written as {@code F64}, so other readers
     * see the numbers; {@link #load(Path, java.util.function.Predicate)} reads them back exactly.
     */
    static void save(Map<String, Tensor> tensors, Path file, Map<String, String> metadata,
            java.util.function.Predicate<Tensor> doubleBits) throws IOException {
        Objects.requireNonNull(tensors, "tensors");
        Objects.requireNonNull(file, "file");
        List<Entry> entries = new ArrayList<>(tensors.size());
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            String name = e.getKey();
            Tensor t = e.getValue();
            if (name == null) throw new IllegalArgumentException("save: tensor name is null");
            if (name.equals(METADATA_KEY))
                throw new IllegalArgumentException("save: '" + METADATA_KEY + "' is reserved and cannot name a tensor");
            if (t == null) throw new IllegalArgumentException("save: tensor '" + name + "' is null");
            FileDType dt = t.dtype() == DType.INT64 ? (doubleBits.test(t) ? FileDType.F64 : FileDType.I64) : FileDType.F32;
            entries.add(new Entry(name, name.getBytes(StandardCharsets.UTF_8), dt, t));
        }
        entries.sort(WRITE_ORDER);
        byte[] header = header(entries, metadata);

        AtomicFiles.write(file, ch -> {
            ByteBuffer buf = ByteBuffer.allocateDirect(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
            buf.putLong(header.length).flip();
            writeFully(ch, buf);
            writeFully(ch, ByteBuffer.wrap(header));
            for (Entry e : entries) writeData(ch, buf, e.tensor);
        });
    }

    private record Entry(String name, byte[] utf8, FileDType dtype, Tensor tensor) {}

    // The reference sorts with Rust's String order, which is UTF-8 byte order (not Java's UTF-16 order).
    private static final Comparator<Entry> WRITE_ORDER = Comparator
            .comparingInt((Entry e) -> -e.dtype.rank)
            .thenComparing((a, b) -> Arrays.compareUnsigned(a.utf8, b.utf8));

    private static byte[] header(List<Entry> entries, Map<String, String> metadata) {
        StringBuilder sb = new StringBuilder(64 + 96 * entries.size()).append('{');
        boolean first = true;
        if (metadata != null && !metadata.isEmpty()) {
            Json.writeString(sb, METADATA_KEY);
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
        if (padded > MAX_HEADER_BYTES)
            throw new IllegalArgumentException("save: header would be " + padded + " bytes, over the "
                    + MAX_HEADER_BYTES + "-byte limit readers enforce");
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
                int k = Math.min(n - done, CHUNK / 8);
                buf.clear();
                buf.asLongBuffer().put(src, base + done, k);
                buf.limit(k * 8);
                writeFully(ch, buf);
                done += k;
            }
        } else {
            float[] src = inPlace ? TensorData.floats(t) : t.toFloatArray();
            for (int done = 0; done < n; ) {
                int k = Math.min(n - done, CHUNK / 4);
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

    // ------------------------------------------------------------------ reading

    /** A validated header entry: everything needed to allocate and fill one tensor. */
    private record Spec(String name, FileDType dtype, int[] shape, long begin, long end) {}

    /**
     * Reads a safetensors file into new tensors.
     *
     * @throws SafeTensorsException if the file is malformed, truncated or not representable (see the
     *     class documentation); nothing has been allocated for tensor data at that point
     * @throws IOException if the file cannot be read
     */
    public static SafeTensorsFile load(Path file) throws IOException {
        return load(file, name -> false);
    }

    /**
     * As {@link #load(Path)}, but the {@code F64} tensors whose names {@code exactF64} accepts load as
     * int64 tensors of their IEEE-754 bits instead of rounding to float32 (for hyperparameters that a
     * resumed run must get back exactly).
     */
    static SafeTensorsFile load(Path file, java.util.function.Predicate<String> exactF64) throws IOException {
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
            if (n < 0 || n > MAX_HEADER_BYTES)
                throw new SafeTensorsException(file, null, 0, "header length " + Long.toUnsignedString(n)
                        + " exceeds the " + MAX_HEADER_BYTES + "-byte limit");
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
                if (m.getKey().equals(METADATA_KEY)) readMetadata(file, m.getValue(), metadata);
                else specs.add(spec(file, m.getKey(), m.getValue(), dataLen));
            }
            checkCoverage(file, specs, dataStart, dataLen);

            // Only now, with every size proven to fit in the file, is tensor memory allocated.
            Spec[] byOffset = specs.toArray(Spec[]::new);
            Arrays.sort(byOffset, BY_OFFSET);
            Map<String, Tensor> read = new HashMap<>(specs.size() * 2);
            ByteBuffer buf = ByteBuffer.allocateDirect((int) Math.max(8, Math.min(CHUNK, (dataLen + 7) & ~7L)))
                    .order(ByteOrder.LITTLE_ENDIAN);
            Scratch scratch = new Scratch();
            for (Spec s : byOffset) {
                Spec as = s.dtype == FileDType.F64 && exactF64.test(s.name)
                        ? new Spec(s.name, FileDType.I64, s.shape, s.begin, s.end) : s; // same bytes, kept as bits
                read.put(s.name, readTensor(ch, buf, scratch, as, dataStart, file));
            }
            LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>(specs.size() * 2);
            for (Spec s : specs) tensors.put(s.name, read.get(s.name));
            return new SafeTensorsFile(tensors, metadata);
        }
    }

    private static final Comparator<Spec> BY_OFFSET =
            Comparator.comparingLong(Spec::begin).thenComparingLong(Spec::end);

    private static void readMetadata(Path file, Json.Value v, Map<String, String> out) throws SafeTensorsException {
        if (!(v instanceof Json.Obj obj))
            throw new SafeTensorsException(file, null, v.offset(), "'" + METADATA_KEY + "' must be an object of strings");
        for (Map.Entry<String, Json.Value> m : obj.members().entrySet()) {
            if (!(m.getValue() instanceof Json.Str s))
                throw new SafeTensorsException(file, null, m.getValue().offset(),
                        "'" + METADATA_KEY + "' value for key " + SafeTensorsException.quote(m.getKey())
                                + " must be a string");
            out.put(m.getKey(), s.value());
        }
    }

    private static Spec spec(Path file, String name, Json.Value v, long dataLen) throws SafeTensorsException {
        if (!(v instanceof Json.Obj obj))
            throw new SafeTensorsException(file, name, v.offset(), "entry must be an object with dtype, shape, data_offsets");
        for (Map.Entry<String, Json.Value> m : obj.members().entrySet()) {
            String k = m.getKey();
            if (!k.equals("dtype") && !k.equals("shape") && !k.equals("data_offsets"))
                throw new SafeTensorsException(file, name, m.getValue().offset(),
                        "unexpected key " + SafeTensorsException.quote(k));
        }
        Json.Value dtv = required(file, name, obj, "dtype");
        if (!(dtv instanceof Json.Str dts))
            throw new SafeTensorsException(file, name, dtv.offset(), "dtype must be a string");
        FileDType dtype = dtype(file, name, dts);

        Json.Value shv = required(file, name, obj, "shape");
        if (!(shv instanceof Json.Arr sha))
            throw new SafeTensorsException(file, name, shv.offset(), "shape must be an array of integers");
        int[] shape = new int[sha.items().size()];
        long numel = 1;
        long maxDim = 0;
        for (int i = 0; i < shape.length; i++) {
            Json.Value d = sha.items().get(i);
            if (!(d instanceof Json.Int di))
                throw new SafeTensorsException(file, name, d.offset(), "shape must be an array of integers");
            if (di.value() < 0)
                throw new SafeTensorsException(file, name, d.offset(), "negative dimension " + di.value() + " in shape");
            try {
                numel = Math.multiplyExact(numel, di.value());
            } catch (ArithmeticException e) {
                throw new SafeTensorsException(file, name, d.offset(), "element count of the shape overflows 64 bits");
            }
            maxDim = Math.max(maxDim, di.value());
            shape[i] = (int) di.value(); // only kept if maxDim passes the check below

        }
        long nbytes;
        try {
            nbytes = Math.multiplyExact(numel, dtype.size);
        } catch (ArithmeticException e) {
            throw new SafeTensorsException(file, name, shv.offset(), "byte size of the shape overflows 64 bits");
        }

        Json.Value ofv = required(file, name, obj, "data_offsets");
        if (!(ofv instanceof Json.Arr ofa) || ofa.items().size() != 2
                || !(ofa.items().get(0) instanceof Json.Int b) || !(ofa.items().get(1) instanceof Json.Int e))
            throw new SafeTensorsException(file, name, ofv.offset(), "data_offsets must be [begin, end] integers");
        long begin = b.value(), end = e.value();
        if (begin < 0 || end < begin)
            throw new SafeTensorsException(file, name, ofv.offset(),
                    "data_offsets [" + begin + ", " + end + "] must satisfy 0 <= begin <= end");
        if (end > dataLen)
            throw new SafeTensorsException(file, name, ofv.offset(), "data_offsets [" + begin + ", " + end
                    + "] run past the end of the data section (" + dataLen + " bytes)");
        if (end - begin != nbytes)
            throw new SafeTensorsException(file, name, ofv.offset(), "data_offsets [" + begin + ", " + end + "] span "
                    + (end - begin) + " bytes but shape " + Arrays.toString(longs(sha)) + " of " + dtype + " needs "
                    + nbytes);
        // After the offsets, so that a header merely disagreeing with its data is reported as such.
        if (maxDim > Integer.MAX_VALUE)
            throw new SafeTensorsException(file, name, shv.offset(), "shape " + Arrays.toString(longs(sha))
                    + " has a dimension over 2^31-1, more than a jgrad tensor holds");
        if (numel > Integer.MAX_VALUE)
            throw new SafeTensorsException(file, name, shv.offset(), "shape " + Arrays.toString(longs(sha))
                    + " has " + numel + " elements, more than a jgrad tensor holds (2^31-1)");
        return new Spec(name, dtype, shape, begin, end);
    }

    private static long[] longs(Json.Arr a) {
        return a.items().stream().mapToLong(x -> ((Json.Int) x).value()).toArray();
    }

    private static Json.Value required(Path file, String name, Json.Obj obj, String key) throws SafeTensorsException {
        Json.Value v = obj.members().get(key);
        if (v == null) throw new SafeTensorsException(file, name, obj.offset(), "missing '" + key + "'");
        return v;
    }

    private static FileDType dtype(Path file, String name, Json.Str s) throws SafeTensorsException {
        try {
            return FileDType.valueOf(s.value());
        } catch (IllegalArgumentException e) {
            String why = KNOWN_UNSUPPORTED.contains(s.value()) ? "unsupported dtype " : "unknown dtype ";
            throw new SafeTensorsException(file, name, s.offset(), why + SafeTensorsException.quote(s.value()));
        }
    }

    // The reference requires the tensors to tile [0, dataLen) exactly; so do we, naming the culprit.
    private static void checkCoverage(Path file, List<Spec> specs, long dataStart, long dataLen)
            throws SafeTensorsException {
        Spec[] sorted = specs.toArray(Spec[]::new);
        Arrays.sort(sorted, BY_OFFSET);
        long covered = 0;
        Spec prev = null;
        for (Spec s : sorted) {
            if (s.begin < covered)
                throw new SafeTensorsException(file, s.name, dataStart + s.begin, "data [" + s.begin + ", " + s.end
                        + ") overlaps tensor " + SafeTensorsException.quote(prev.name) + " [" + prev.begin + ", " + prev.end + ")");
            if (s.begin > covered)
                throw new SafeTensorsException(file, s.name, dataStart + covered, "data section bytes [" + covered
                        + ", " + s.begin + ") before this tensor belong to no tensor");
            covered = s.end;
            prev = s;
        }
        if (covered != dataLen)
            throw new SafeTensorsException(file, null, dataStart + covered, (dataLen - covered)
                    + " trailing bytes after the last tensor's data");
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
        int n = (int) ((s.end - s.begin) / s.dtype.size);
        float[] f = s.dtype.isFloat() ? new float[n] : null;
        long[] l = f == null ? new long[n] : null;
        // Chunks hold whole elements: the capacity is a multiple of 8 and every dtype size divides 8.
        int perChunk = buf.capacity() / s.dtype.size;
        long pos = dataStart + s.begin;
        for (int done = 0; done < n; ) {
            int k = Math.min(n - done, perChunk);
            buf.clear().limit(k * s.dtype.size);
            readFully(ch, buf, pos, file);
            buf.flip();
            convert(s.dtype, buf, k, f, l, done, scratch);
            done += k;
            pos += (long) k * s.dtype.size;
        }
        return f != null ? TensorData.wrap(f, s.shape) : TensorData.wrapLongs(l, s.shape);
    }

    // One small method per loop: the JIT compiles and vectorizes each on its own (a single method with
    // every loop loaded F16 files about 5x slower), and no loop makes a call per element.
    private static void convert(FileDType dt, ByteBuffer buf, int k, float[] f, long[] l, int off, Scratch sc) {
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
                if (dt == FileDType.I32) widenSigned(sc.ints, l, off, k);
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
