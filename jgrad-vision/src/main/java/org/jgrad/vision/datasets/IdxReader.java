package org.jgrad.vision.datasets;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jgrad.internal.TensorData;
import org.jgrad.io.MemoryBudget;
import org.jgrad.io.StrictGzipInputStream;
import org.jgrad.data.DataFormatException;
import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;

/**
 * Reads IDX files, the format of MNIST and Fashion-MNIST, raw or gzipped (detected by content,
 * not by name). Header: two zero bytes, a type code, the number of dimensions, then each size
 * as a big-endian int32; then the values big-endian, row-major.
 *
 * <p>Sizes are checked before memory is allocated: against the file length for raw files; for
 * gzipped files against the size the gzip trailer states (and the most deflate can inflate a file of
 * that length to); a gzipped claim that does not agree is read into an array that grows in bounded
 * chunks, so a header claiming more elements than the stream holds fails with an "unexpected end"
 * error instead of a huge allocation; and a claim larger
 * than the reader's {@link MemoryBudget} is refused before reading. Gzip is read strictly: bytes after
 * the compressed data fail (the JDK's stream would ignore them), as trailing bytes of a raw file do.
 */
public final class IdxReader {
    private IdxReader() {}

    /** Largest element count accepted (the limit of Java arrays). */
    static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;
    private static final int CHUNK = 1 << 20;
    /** Deflate's largest compression ratio is about 1032:1; a gzip file cannot inflate to more than this times its size. */
    private static final long MAX_DEFLATE_RATIO = 1100;

    /**
     * Reads a file as float32 values with the file's shape (unsigned bytes become 0..255). Use
     * {@link #readLabels} for label files.
     */
    public static Tensor read(Path file) throws IOException {
        boolean gz = isGzip(file);
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            InputStream in = raw;
            if (gz) {
                try {
                    in = new BufferedInputStream(new StrictGzipInputStream(raw), 1 << 16);
                } catch (IOException e) {
                    throw new DataFormatException(file + ": not a valid gzip stream: " + e.getMessage(), e);
                }
            }
            return read(in, file.toString(), Files.size(file), gz, gz ? gzipTrailerSize(file) : -1);
        }
    }

    /**
     * The uncompressed size modulo 2³² that a gzip file's last four bytes state (ISIZE, RFC 1952; of the
     * last member if there are several), or -1 for a file too short to have one.
     */
    private static long gzipTrailerSize(Path file) throws IOException {
        try (var ch = Files.newByteChannel(file)) {
            long size = ch.size();
            if (size < 18) return -1;
            var b = java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            ch.position(size - 4);
            while (b.hasRemaining()) if (ch.read(b) < 0) return -1;
            return b.getInt(0) & 0xFFFFFFFFL;
        }
    }

    /** Reads a 1-D label file as int64. */
    public static Tensor readLabels(Path file) throws IOException {
        Tensor t = read(file);
        if (t.dim() != 1)
            throw new DataFormatException(file + ": a label file must be 1-D, this one has shape " + Shape.str(t.shape()));
        return t.toLong();
    }

    private static boolean isGzip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    private static Tensor read(InputStream in, String name, long fileSize, boolean gz, long gzipTrailerSize)
            throws IOException {
        Counting c = new Counting(in, name);
        int z0 = c.u8(), z1 = c.u8();
        if (z0 != 0 || z1 != 0)
            throw new DataFormatException(name + ": bad IDX magic number at offset 0: expected 0x0000 followed by type and rank, found 0x"
                    + String.format("%02x%02x", z0, z1));
        int type = c.u8(), rank = c.u8();
        int size = switch (type) {
            case 0x08, 0x09 -> 1;
            case 0x0B -> 2;
            case 0x0C, 0x0D -> 4;
            case 0x0E -> 8;
            default -> throw new DataFormatException(name + ": unknown IDX data type 0x" + Integer.toHexString(type)
                    + " at offset 2 (expected 08, 09, 0b, 0c, 0d or 0e)");
        };
        if (rank == 0 || rank > 8)
            throw new DataFormatException(name + ": IDX rank " + rank + " at offset 3 is not supported (1..8)");
        int[] shape = new int[rank];
        long n = 1;
        for (int i = 0; i < rank; i++) {
            long d = c.i32() & 0xFFFFFFFFL;
            if (d > MAX_ELEMENTS)
                throw new DataFormatException(name + ": dimension " + i + " at offset " + (4 + 4 * i) + " claims " + d + " entries");
            shape[i] = (int) d;
            n *= d;
            if (n > MAX_ELEMENTS)
                throw new DataFormatException(name + ": header claims " + n + "+ elements, more than a tensor can hold");
        }
        // The float32 result, plus the growing copy of a gzipped read: refused before any of it is allocated,
        // as a 1 MB .gz can honestly inflate to gigabytes.
        long need = gz ? 8 * n : 4 * n;
        if (!MemoryBudget.allows(need))
            throw new DataFormatException(name + ": header claims shape " + Shape.str(shape) + "; reading it "
                    + MemoryBudget.refusal(need, "the float32 values"));
        long expected = 4 + 4L * rank + n * size;
        if (!gz && fileSize < expected)
            throw new DataFormatException(name + ": truncated: header claims shape " + Shape.str(shape) + " (" + expected
                    + " bytes in all) but the file has only " + fileSize + " bytes");
        if (!gz && fileSize > expected)
            throw new DataFormatException(name + ": " + (fileSize - expected) + " unexpected bytes after the data at offset " + expected);
        // The values are read in chunks either way (no n-byte staging array). The result is allocated at
        // its full size when the claim is checked: against the length of a raw file, or for gzip against
        // the trailer's ISIZE and deflate's largest ratio (about 1032:1). Otherwise it grows as the data
        // arrives, which for Fashion-MNIST's 188 MB left 250 MB of discarded copies in the old generation.
        boolean checked = !gz || (gzipTrailerSize == (expected & 0xFFFFFFFFL) && expected <= MAX_DEFLATE_RATIO * fileSize);
        float[] out = readChunked(c, (int) n, type, checked);
        if (gz && !c.atEnd())
            throw new DataFormatException(name + ": unexpected bytes after the data at offset " + c.pos + " (decompressed)");
        return TensorData.wrap(out, shape);
    }

    /**
     * Reads n values chunk by chunk into an array of n values if the claim was {@code checked}, else into one
     * that grows as the data arrives, so that a lying header cannot force a huge allocation.
     */
    private static float[] readChunked(Counting c, int n, int type, boolean checked) throws IOException {
        float[] out = new float[checked ? n : Math.min(n, CHUNK)];
        int done = 0;
        while (done < n) {
            int len = Math.min(n - done, CHUNK);
            if (done + len > out.length)
                out = java.util.Arrays.copyOf(out, (int) Math.min(n, Math.max(2L * out.length, (long) done + len)));
            fill(c, out, done, len, type);
            done += len;
        }
        return out;
    }

    private static float[] fill(Counting c, float[] out, int from, int len, int type) throws IOException {
        switch (type) {
            case 0x08 -> {
                byte[] buf = c.bytes(len);
                for (int i = 0; i < len; i++) out[from + i] = buf[i] & 0xFF;
            }
            case 0x09 -> {
                byte[] buf = c.bytes(len);
                for (int i = 0; i < len; i++) out[from + i] = buf[i];
            }
            case 0x0B -> { for (int i = 0; i < len; i++) out[from + i] = (short) ((c.u8() << 8) | c.u8()); }
            case 0x0C -> { for (int i = 0; i < len; i++) out[from + i] = c.i32(); }
            case 0x0D -> { for (int i = 0; i < len; i++) out[from + i] = Float.intBitsToFloat(c.i32()); }
            case 0x0E -> { for (int i = 0; i < len; i++)
                    out[from + i] = (float) Double.longBitsToDouble(((long) c.i32() << 32) | (c.i32() & 0xFFFFFFFFL)); }
            default -> throw new AssertionError(type);
        }
        return out;
    }

    /** A stream that knows its position, for error messages. */
    private static final class Counting {
        final InputStream in;
        final String name;
        long pos;

        Counting(InputStream in, String name) {
            this.in = in;
            this.name = name;
        }

        private DataFormatException truncated(long at) {
            return new DataFormatException(name + ": truncated: unexpected end of data at offset " + at);
        }

        int u8() throws IOException {
            int b = next();
            if (b < 0) throw truncated(pos);
            pos++;
            return b;
        }

        /** Whether the data has ended; reading the gzip trailer can still find the file cut off or corrupt. */
        boolean atEnd() throws IOException {
            try {
                return in.read() < 0;
            } catch (EOFException e) {
                throw new DataFormatException(name + ": truncated: the gzip trailer after offset " + pos
                        + " (decompressed) is cut off", e);
            } catch (java.util.zip.ZipException e) {
                throw corrupt(pos, e);
            }
        }

        private int next() throws IOException {
            try {
                return in.read();
            } catch (EOFException e) {
                return -1; // GZIPInputStream reports a cut-off stream this way
            } catch (java.util.zip.ZipException e) {
                throw corrupt(pos, e);
            }
        }

        private DataFormatException corrupt(long at, java.util.zip.ZipException e) {
            return new DataFormatException(name + ": corrupt compressed data near offset " + at + " (decompressed): "
                    + e.getMessage(), e);
        }

        int i32() throws IOException {
            return (u8() << 24) | (u8() << 16) | (u8() << 8) | u8();
        }

        byte[] bytes(int len) throws IOException {
            byte[] b = new byte[len];
            int got = 0;
            try {
                while (got < len) {
                    int r = in.read(b, got, len - got);
                    if (r < 0) break;
                    got += r;
                }
            } catch (EOFException e) {
                // cut-off gzip stream: reported as truncation below
            } catch (java.util.zip.ZipException e) {
                throw corrupt(pos + got, e);
            }
            if (got < len) throw truncated(pos + got);
            pos += len;
            return b;
        }
    }
}
