package org.jgrad.vision.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PNGs of known bytes decode to exactly those bytes / 255: no sRGB gamma on grey images (AWT's
 * {@code getRGB} turns a stored 3 into 28), none on colour ones, and the channel conversions a
 * model's input needs are exact too.
 */
class ExactDecodeTest {
    @TempDir
    Path dir;

    private Path write(String name, byte[] bytes) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, bytes);
        return f;
    }

    private static float[] over255(int... v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) out[i] = v[i] / 255f;
        return out;
    }

    @Test
    void greyPngDecodesToItsBytes() throws IOException {
        int[] px = {0, 1, 3, 28, 127, 128, 254, 255};
        Path f = write("grey.png", PngBytes.png(4, 2, PngBytes.GREY, 8, px));
        Tensor t = ImageFiles.read(f);
        assertArrayEquals(new int[] {1, 2, 4}, t.shape());
        assertArrayEquals(over255(px), t.toFloatArray(), 0f);
        assertEquals(3 / 255f, t.get(0, 0, 2), 0f, "a stored 3 is 3/255, not sRGB-brightened 28/255");
        // the pitfall this guards against, on this JDK: AWT's getRGB converts linear grey to sRGB
        assertEquals(28, javax.imageio.ImageIO.read(f.toFile()).getRGB(2, 0) & 0xFF, "getRGB brightens 3 to 28");
        Tensor asRgb = ImageFiles.read(f, 3);
        assertArrayEquals(new int[] {3, 2, 4}, asRgb.shape());
        for (int c = 0; c < 3; c++) assertArrayEquals(over255(px), asRgb.select(0, c).contiguous().toFloatArray(), 0f);
    }

    @Test
    void sixteenBitGreyAndGreyWithAlphaKeepTheirSamples() throws IOException {
        int[] px = {0, 771, 65535, 32768};
        Tensor t = ImageFiles.read(write("g16.png", PngBytes.png(2, 2, PngBytes.GREY, 16, px)));
        float[] expected = new float[px.length];
        for (int i = 0; i < px.length; i++) expected[i] = px[i] / 65535f;
        assertArrayEquals(expected, t.toFloatArray(), 0f);
        Tensor ga = ImageFiles.read(write("ga.png", PngBytes.png(2, 1, PngBytes.GREY_ALPHA, 8, new int[] {3, 255, 200, 0})));
        assertArrayEquals(new int[] {1, 1, 2}, ga.shape());
        assertArrayEquals(over255(3, 200), ga.toFloatArray(), 0f, "alpha dropped, grey kept as stored");
    }

    @Test
    void rgbPngDecodesToItsBytesAndGreysToBt601Luma() throws IOException {
        // two pixels: (3, 128, 255) and (10, 20, 30)
        Path f = write("rgb.png", PngBytes.png(2, 1, PngBytes.RGB, 8, new int[] {3, 128, 255, 10, 20, 30}));
        Tensor t = ImageFiles.read(f);
        assertArrayEquals(new int[] {3, 1, 2}, t.shape());
        assertArrayEquals(over255(3, 10, 128, 20, 255, 30), t.toFloatArray(), 0f);
        Tensor grey = ImageFiles.read(f, 1);
        assertArrayEquals(new int[] {1, 1, 2}, grey.shape());
        assertEquals((0.299f * 3 + 0.587f * 128 + 0.114f * 255) / 255f, grey.get(0, 0, 0), 1e-6f);
        assertEquals((0.299f * 10 + 0.587f * 20 + 0.114f * 30) / 255f, grey.get(0, 0, 1), 1e-6f);
    }
}
