package org.jgrad.hardening;

import static org.jgrad.hardening.FuzzContract.require;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.jgrad.data.CsvDataset;
import org.jgrad.data.DataFormatException;
import org.jgrad.data.TensorDataset;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes {@link CsvDataset#read(Path, CsvDataset.Options)}. The first input byte picks the options
 * (and whether the file is a {@code .gz}, and if so whether the rest is gzipped properly or taken
 * as raw, most likely corrupt, compressed bytes); the rest is the file.
 */
class CsvDatasetFuzzTest {
    private static final Path CSV = FuzzContract.scratch(".csv");
    private static final Path GZ = FuzzContract.scratch(".csv.gz");

    @FuzzTest(maxDuration = "5s")
    @Timeout(10)
    void read(byte[] data) {
        if (data.length == 0) return;
        int o = data[0] & 0xFF;
        byte[] body = Arrays.copyOfRange(data, 1, data.length);
        CsvDataset.Options opt = CsvDataset.Options.defaults();
        switch (o & 3) {
            case 1 -> opt = opt.header(true);
            case 2 -> opt = opt.header(false);
            default -> {}
        }
        if ((o & 4) != 0) opt = opt.regression(true);
        if ((o & 8) != 0) opt = opt.delimiter(';');
        if ((o & 16) != 0) opt = opt.label(0);
        boolean gz = (o & 32) != 0;
        byte[] file = gz && (o & 64) != 0 ? gzip(body) : body;
        Path path = gz ? GZ : CSV;
        CsvDataset.Options options = opt;
        // The reader may legitimately hold what a gzip stream expands to (raw compressed bytes included).
        long size = gz ? Math.max(body.length, FuzzContract.gunzippedSize(file, 1L << 30)) : body.length;
        CsvDataset.Result r = FuzzContract.run(size, DataFormatException.class,
                () -> CsvDataset.read(FuzzContract.write(path, file), options));
        if (r == null) return;
        TensorDataset ds = r.dataset();
        require(ds.size() > 0, "empty dataset returned");
        require(ds.inputTensor().dim() == 2, "inputs are not 2-D");
        require(ds.inputTensor().size(1) == r.featureNames().size(), "feature names disagree with columns");
        require(ds.targetTensor().size(0) == ds.size(), "targets disagree with inputs");
    }

    private static byte[] gzip(byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
