package org.jgrad.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Predicate;
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
 *
 * <p>The work is done by {@code SafeTensorsWriter}, {@code SafeTensorsReader} and
 * {@code SafeTensorsHeader} (the header's checks) in this package.
 */
public final class SafeTensors {
    /** The largest header accepted, the reference implementation's limit. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    /** The header key of the free-form string metadata. */
    public static final String METADATA_KEY = "__metadata__";

    // Large enough that per-read overhead vanishes next to disk bandwidth, small enough to stay in L2/L3.
    static final int CHUNK = 1 << 22;

    private SafeTensors() {}

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
     * see the numbers; {@link #load(Path, Predicate)} reads them back exactly.
     */
    static void save(Map<String, Tensor> tensors, Path file, Map<String, String> metadata, Predicate<Tensor> doubleBits)
            throws IOException {
        SafeTensorsWriter.save(tensors, file, metadata, doubleBits);
    }

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
    static SafeTensorsFile load(Path file, Predicate<String> exactF64) throws IOException {
        return SafeTensorsReader.load(file, exactF64);
    }
}
