package org.jgrad.vision.hardening;

import static org.jgrad.vision.hardening.FuzzContract.require;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import org.jgrad.data.DataFormatException;
import org.jgrad.tensor.Tensor;
import org.jgrad.vision.datasets.IdxReader;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes {@link IdxReader#read} on raw and gzipped files (the reader tells them apart by content).
 * A result that is 1-D is also read as labels.
 */
class IdxReaderFuzzTest {
    private static final Path FILE = FuzzContract.scratch(".idx");

    @FuzzTest(maxDuration = "5s")
    @Timeout(10)
    void read(byte[] data) {
        // The reader may legitimately hold what a gzip stream expands to.
        long size = Math.max(data.length, FuzzContract.gunzippedSize(data, 1L << 30));
        Tensor t = FuzzContract.run(size, DataFormatException.class, () -> IdxReader.read(FuzzContract.write(FILE, data)));
        if (t == null) return;
        long numel = 1;
        for (int d : t.shape()) numel *= d;
        require(t.dim() >= 1 && t.dim() <= 8, "rank " + t.dim());
        require(numel == t.numel() && numel <= size, "numel " + t.numel() + " for a " + size + "-byte input");
        if (t.dim() == 1) {
            Tensor labels = FuzzContract.run(size, DataFormatException.class, () -> IdxReader.readLabels(FILE));
            require(labels != null && labels.numel() == t.numel(), "labels disagree with values");
        }
    }
}
