package org.jgrad.hardening;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.jgrad.data.CsvDataset;
import org.jgrad.data.DataFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CSV rows of docs/bad-inputs.md: label bounds, fractional/NaN labels and cells, NUL, gzip garbage, bombs. */
class CsvHardeningTest {
    @TempDir
    Path dir;

    private Path csv(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private DataFormatException refused(Path f) {
        DataFormatException e = assertThrows(DataFormatException.class, () -> CsvDataset.read(f, CsvDataset.Options.defaults()));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        return e;
    }

    @Test
    void hugeClassIndexIsRefusedNotTurnedIntoClasses() throws IOException {
        Path f = csv("big.csv", "x,label\n1,0\n2,1\n3,99999999999\n4,1\n");
        assertEquals(f + ":4: label 99999999999 in column 'label' is not a class index: whole-number labels are class indices"
                + " 0..K-1, and this file has K = 3 distinct labels ([0, 1, 99999999999]), so they must be 0..2; renumber the"
                + " classes, or give them names (e.g. c99999999999)", refused(f).getMessage());
    }

    @Test
    void negativeLabelIsRefused() throws IOException {
        assertTrue(refused(csv("neg.csv", "x,y\n1,0\n2,-1\n")).getMessage().contains(":3: label -1 in column 'y' is not a class index"));
    }

    @Test
    void fractionalAndNanLabelsAreRefused() throws IOException {
        assertTrue(refused(csv("frac.csv", "x,y\n1,0\n2,1.5\n")).getMessage().contains(":3: label '1.5' in column 'y' is not a class"));
        assertTrue(refused(csv("nan.csv", "x,y\n1,cat\n2,NaN\n")).getMessage().contains(":3: label 'NaN' in column 'y' is not a class"));
    }

    @Test
    void wholeNumbersWrittenAsDecimalsAreClassIndices() throws IOException {
        CsvDataset.Result r = CsvDataset.read(csv("pandas.csv", "x,y\n1,0.0\n2,1.0\n3,1\n"), CsvDataset.Options.defaults());
        assertArrayEquals(new long[] {0, 1, 1}, r.dataset().targetTensor().toLongArray());
        assertEquals(List.of(), r.classNames());
    }

    @Test
    void nanOrInfinityInAFeatureIsRefusedAtLoadWithItsLine() throws IOException {
        Path f = csv("nan-x.csv", "a,b,y\n1,2,0\n3,NaN,1\n");
        assertEquals(f + ":3: column 2 ('b') is 'NaN', which is NaN as a float32; jgrad refuses non-finite values when loading"
                + " (it does not skip or repair samples): clean the file", refused(f).getMessage());
        assertTrue(refused(csv("inf.csv", "a,y\n1e39,0\n2,1\n")).getMessage().contains(":2: column 1 ('a') is '1e39', which is Infinity"));
    }

    @Test
    void nulCharacterIsRefused() throws IOException {
        Path f = csv("nul.csv", "a,y\n1,0\n2\u0000,1\n");
        assertEquals(f + ":3: column 1 contains a NUL character: this is not a text CSV file", refused(f).getMessage());
    }

    @Test
    void garbageAfterTheGzipDataIsRefused() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (OutputStream z = new GZIPOutputStream(b)) {
            z.write("a,y\n1,0\n2,1\n".getBytes(StandardCharsets.UTF_8));
        }
        int end = b.size();
        b.write("trailing garbage".getBytes(StandardCharsets.UTF_8));
        Path f = Files.write(dir.resolve("g.csv.gz"), b.toByteArray());
        assertEquals(f + ": not a valid gzip file: unexpected bytes after the end of the gzip data, at offset " + end
                + " of the compressed file (not another gzip member)", refused(f).getMessage());
        // Two proper members are one stream, as gzip(1) has it.
        ByteArrayOutputStream two = new ByteArrayOutputStream();
        for (String part : List.of("a,y\n1,0\n", "2,1\n"))
            try (OutputStream z = new GZIPOutputStream(two) {
                @Override
                public void close() throws IOException {
                    finish();
                }
            }) {
                z.write(part.getBytes(StandardCharsets.UTF_8));
            }
        Path g = Files.write(dir.resolve("two.csv.gz"), two.toByteArray());
        assertEquals(2, CsvDataset.read(g, CsvDataset.Options.defaults()).dataset().size());
    }

    @Test
    void decompressionBombIsRefusedByTheMemoryBudget() throws IOException {
        // 1 MiB of zero-filled rows per write, far more rows than the budget allows once inflated.
        String prop = System.getProperty("jgrad.readBudget");
        System.setProperty("jgrad.readBudget", "8m");
        try {
            Path f = dir.resolve("bomb.csv.gz");
            byte[] rows = "0,0,0,0,0,0,0,1\n".repeat(1 << 16).getBytes(StandardCharsets.UTF_8);
            try (OutputStream z = new GZIPOutputStream(Files.newOutputStream(f))) {
                z.write("a,b,c,d,e,f,g,y\n".getBytes(StandardCharsets.UTF_8));
                for (int i = 0; i < 64; i++) z.write(rows);
            }
            assertTrue(Files.size(f) < 200_000, "a small file: " + Files.size(f));
            String m = refused(f).getMessage();
            assertTrue(m.contains("reading on needs ") && m.contains("MiB for the feature values, more than the 8 MiB memory budget"),
                    m);
        } finally {
            if (prop == null) System.clearProperty("jgrad.readBudget");
            else System.setProperty("jgrad.readBudget", prop);
        }
    }

    @Test
    void overlongCellIsRefused() throws IOException {
        Path f = csv("long.csv", "a,y\n" + "1".repeat(CsvDataset.MAX_CELL_CHARS + 1) + ",0\n");
        assertTrue(refused(f).getMessage().contains(":2: column 1 is longer than 65536 characters"));
    }

    @Test
    void crlfQuotesAndBlankLinesStillRead() throws IOException {
        CsvDataset.Result r = CsvDataset.read(csv("ok.csv", "\"a,1\",y\r\n\r\n\"1\",\"x\"\"\"\r\n2,z\r\n"),
                CsvDataset.Options.defaults());
        assertEquals(List.of("a,1"), r.featureNames());
        assertEquals(List.of("x\"", "z"), r.classNames());
        assertArrayEquals(new float[] {1, 2}, r.dataset().inputTensor().toFloatArray());
    }
}
