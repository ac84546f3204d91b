package org.jgrad.vision.hardening;

import static org.jgrad.vision.hardening.FuzzContract.require;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.Stream;
import org.jgrad.io.FileFormatException;
import org.jgrad.tensor.Tensor;
import org.jgrad.vision.datasets.ImageFolder;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes {@link ImageFolder#load} over a folder built from the input: the first byte says how many
 * files (1 to 4, bits 0-1), which of the class folders {@code a} and {@code b} each goes into (bits
 * 2-5) and their extension (bits 6-7: png, bmp, gif, jpg); the rest is cut into that many equal parts,
 * the files' bytes. Whatever loads must be a well-formed dataset of at least two classes.
 */
class ImageFolderFuzzTest {
    private static final Path ROOT = FuzzContract.scratch("").resolveSibling("folder");
    private static final String[] EXT = {".png", ".bmp", ".gif", ".jpg"};

    @FuzzTest(maxDuration = "5s")
    @Timeout(20)
    void load(byte[] data) {
        if (data.length < 2) return;
        int b = data[0] & 0xFF, files = 1 + (b & 3);
        byte[] body = Arrays.copyOfRange(data, 1, data.length);
        rebuild(b, files, body);
        // As in ImageFuzzTest: each file may decode to max(2^20, 1024 per byte) pixels; the decoded
        // image, its tensor, a resized copy and the stacked dataset take a few tens of bytes a pixel.
        long pixels = Math.max(1L << 20, 1024L * body.length);
        long budgetBytes = (files * pixels * 48) / FuzzContract.ALLOCATION_PER_BYTE;
        ImageFolder.Result r = FuzzContract.run(budgetBytes, FileFormatException.class, () -> ImageFolder.load(ROOT, 0, 0, 0));
        if (r == null) return;
        Tensor x = r.dataset().inputTensor();
        require(r.classNames().size() >= 2, "fewer than two classes: " + r.classNames());
        require(x.dim() == 4 && (x.size(1) == 1 || x.size(1) == 3), "shape " + Arrays.toString(x.shape()));
        require(x.size(0) == r.dataset().targetTensor().numel() && x.size(0) <= files, "sample count");
        for (long y : r.dataset().targetTensor().toLongArray()) require(y >= 0 && y < r.classNames().size(), "label " + y);
    }

    private static void rebuild(int b, int files, byte[] body) {
        try {
            if (Files.exists(ROOT))
                try (Stream<Path> s = Files.walk(ROOT)) {
                    for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
                }
            int part = body.length / files;
            for (int i = 0; i < files; i++) {
                Path dir = Files.createDirectories(ROOT.resolve(((b >> (2 + i)) & 1) == 0 ? "a" : "b"));
                byte[] bytes = Arrays.copyOfRange(body, i * part, i == files - 1 ? body.length : (i + 1) * part);
                Files.write(dir.resolve(i + EXT[(b >> 6) & 3]), bytes);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
