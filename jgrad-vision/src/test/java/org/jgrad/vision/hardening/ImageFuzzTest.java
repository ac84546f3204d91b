package org.jgrad.vision.hardening;

import static org.jgrad.vision.hardening.FuzzContract.require;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import org.jgrad.io.FileFormatException;
import org.jgrad.tensor.Tensor;
import org.jgrad.vision.image.ImageFiles;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes {@link ImageFiles#read(Path)} (PNG, JPEG, GIF, BMP through javax.imageio, behind jgrad's
 * header size check), the project's one image decoder: ImageFolder and {@code jgrad predict} read
 * through it.
 */
class ImageFuzzTest {
    private static final Path FILE = FuzzContract.scratch(".img");

    @FuzzTest(maxDuration = "5s")
    @Timeout(10)
    void read(byte[] data) {
        // The size check lets a file hold up to max(2^20, 1024 per byte) pixels; the decoder's image
        // (4 bytes a pixel) and the tensor (12) may take that much, and no more.
        long pixels = Math.max(1L << 20, 1024L * data.length);
        long budgetBytes = data.length + pixels * 16 / FuzzContract.ALLOCATION_PER_BYTE;
        Tensor t = FuzzContract.run(budgetBytes, FileFormatException.class, () -> ImageFiles.read(FuzzContract.write(FILE, data)));
        if (t == null) return;
        require(t.dim() == 3 && (t.size(0) == 1 || t.size(0) == 3), "shape");
        require((long) t.size(1) * t.size(2) <= pixels, "more pixels than the size check allows");
    }
}
