package org.jgrad.vision.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.jgrad.data.DataFormatException;
import org.jgrad.tensor.DType;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
    @TempDir Path dir;

    /** An IDX ubyte file with the given dims and values. */
    static byte[] idx(int[] dims, int... values) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(0);
        b.write(0);
        b.write(0x08);
        b.write(dims.length);
        for (int d : dims) {
            b.write(d >>> 24);
            b.write(d >>> 16);
            b.write(d >>> 8);
            b.write(d);
        }
        for (int v : values) b.write(v);
        return b.toByteArray();
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (OutputStream o = new GZIPOutputStream(b)) {
            o.write(raw);
        }
        return b.toByteArray();
    }

    Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    @Test
    void readsRawAndGzippedImagesAndLabels() throws IOException {
        byte[] images = idx(new int[] {2, 2, 3}, 0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255);
        for (Path p : new Path[] {write("img", images), write("img.gz", gzip(images))}) {
            Tensor t = IdxReader.read(p);
            assertArrayEquals(new int[] {2, 2, 3}, t.shape());
            assertEquals(255f, t.get(1, 1, 2));
            assertEquals(5f, t.get(0, 1, 2));
        }
        Tensor labels = IdxReader.readLabels(write("lab.gz", gzip(idx(new int[] {3}, 7, 0, 9))));
        assertEquals(DType.INT64, labels.dtype());
        assertArrayEquals(new long[] {7, 0, 9}, labels.toLongArray());
    }

    @Test
    void rejectsWrongMagicWithFileAndOffset() throws IOException {
        byte[] b = idx(new int[] {1}, 5);
        b[1] = 8;
        Path p = write("bad", b);
        var e = assertThrows(DataFormatException.class, () -> IdxReader.read(p));
        assertTrue(e.getMessage().contains(p.toString()) && e.getMessage().contains("magic") && e.getMessage().contains("offset 0"),
                e.getMessage());
    }

    @Test
    void everyTruncationFailsCleanlyRawAndGzipped() throws IOException {
        byte[] full = idx(new int[] {3, 2, 2}, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
        for (int len = 0; len < full.length; len++) {
            byte[] cut = Arrays.copyOf(full, len);
            Path raw = write("cut" + len, cut);
            var e = assertThrows(DataFormatException.class, () -> IdxReader.read(raw), "raw prefix " + len);
            assertTrue(e.getMessage().startsWith(raw.toString()), e.getMessage());
            Path gz = write("cut" + len + ".gz", gzip(cut));
            assertThrows(DataFormatException.class, () -> IdxReader.read(gz), "gz prefix " + len);
        }
    }

    @Test
    void hugeClaimedSizeIsNotBelieved() throws IOException {
        byte[] lying = idx(new int[] {60000, 60000, 28}, 1, 2, 3);
        var e = assertThrows(DataFormatException.class, () -> IdxReader.read(write("lie", lying)));
        assertTrue(e.getMessage().contains("elements"), e.getMessage());
        // Within the memory budget (larger claims are refused before reading: ReaderLimitsTest), so the
        // stream's end is what exposes the lie.
        byte[] lyingGz = gzip(idx(new int[] {1 << 24}, 1, 2, 3));
        var e2 = assertThrows(DataFormatException.class, () -> IdxReader.read(write("lie.gz", lyingGz)));
        assertTrue(e2.getMessage().contains("truncated"), e2.getMessage());
    }

    @Test
    void aGzipTrailerThatAgreesWithALyingHeaderStillFails() throws IOException {
        // 1,000 values claimed, 3 present; the trailer's ISIZE patched to the claimed 1,008 bytes, so the
        // reader allocates the whole claim at once: the stream's end (or its length check) still exposes it.
        byte[] gz = gzip(idx(new int[] {1000}, 1, 2, 3));
        int isize = 4 + 4 + 1000;
        for (int i = 0; i < 4; i++) gz[gz.length - 4 + i] = (byte) (isize >>> (8 * i));
        assertThrows(DataFormatException.class, () -> IdxReader.read(write("isize.gz", gz)));
    }

    @Test
    void trailingBytesAndUnknownTypesAreRejected() throws IOException {
        byte[] extra = idx(new int[] {2}, 1, 2, 3);
        var e = assertThrows(DataFormatException.class, () -> IdxReader.read(write("extra", extra)));
        assertTrue(e.getMessage().contains("unexpected bytes"), e.getMessage());
        byte[] type = idx(new int[] {1}, 1);
        type[2] = 0x42;
        var e2 = assertThrows(DataFormatException.class, () -> IdxReader.read(write("type", type)));
        assertTrue(e2.getMessage().contains("data type 0x42"), e2.getMessage());
    }

    @Test
    void imageLabelCountMismatchNamesBothFiles() throws IOException {
        Path d = Files.createDirectories(dir.resolve("ds"));
        Files.write(d.resolve("train-images-idx3-ubyte"), idx(new int[] {2, 1, 1}, 1, 2));
        Files.write(d.resolve("train-labels-idx1-ubyte"), idx(new int[] {3}, 0, 1, 2));
        Files.write(d.resolve("t10k-images-idx3-ubyte"), idx(new int[] {1, 1, 1}, 1));
        Files.write(d.resolve("t10k-labels-idx1-ubyte"), idx(new int[] {1}, 0));
        var e = assertThrows(DataFormatException.class, () -> MnistDatasets.load(d));
        assertTrue(e.getMessage().contains("2 images") && e.getMessage().contains("3 labels"), e.getMessage());
    }
}
