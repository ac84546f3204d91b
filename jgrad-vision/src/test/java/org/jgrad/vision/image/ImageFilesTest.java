package org.jgrad.vision.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFilesTest {
    @TempDir
    Path dir;

    private static Tensor rgbRamp(int h, int w) {
        float[] d = new float[3 * h * w];
        for (int c = 0; c < 3; c++)
            for (int i = 0; i < h * w; i++) d[c * h * w + i] = ((i * (c + 1) * 7) % 256) / 255f;
        return TensorData.wrap(d, 3, h, w);
    }

    @Test
    void pngAndBmpRoundTripExactly() throws IOException {
        Tensor img = rgbRamp(5, 7);
        for (String name : new String[] {"a.png", "a.bmp"}) {
            Path f = dir.resolve(name);
            ImageFiles.write(img, f);
            Tensor back = ImageFiles.read(f);
            assertArrayEquals(new int[] {3, 5, 7}, back.shape());
            assertArrayEquals(img.toFloatArray(), back.toFloatArray(), 1e-6f, name);
        }
    }

    @Test
    void greyStaysOneChannelAndByteRangeScales() throws IOException {
        Tensor g = TensorData.wrap(new float[] {0, 64, 128, 255}, 1, 2, 2);
        Path f = dir.resolve("g.png");
        ImageFiles.write(g, f, ImageFiles.Range.BYTE);
        Tensor back = ImageFiles.read(f, ImageFiles.Range.BYTE);
        assertArrayEquals(new int[] {1, 2, 2}, back.shape());
        assertArrayEquals(g.toFloatArray(), back.toFloatArray(), 1e-4f);
        assertEquals(128 / 255f, ImageFiles.read(f).get(0, 1, 0), 1e-6f);
    }

    @Test
    void jpegIsLossyButClose() throws IOException {
        Tensor img = Tensor.full(0.5f, 3, 16, 16);
        Path f = dir.resolve("x.JPG");
        ImageFiles.write(img, f);
        Tensor back = ImageFiles.read(f);
        assertArrayEquals(new int[] {3, 16, 16}, back.shape());
        assertEquals(0.5f, back.mean().item(), 0.02f);
    }

    @Test
    void valuesAreClampedOnWrite() throws IOException {
        Path f = dir.resolve("c.png");
        ImageFiles.write(TensorData.wrap(new float[] {-1f, 2f}, 1, 1, 2), f);
        assertArrayEquals(new float[] {0f, 1f}, ImageFiles.read(f).toFloatArray());
    }

    @Test
    void errorsNameTheFile() throws IOException {
        Path missing = dir.resolve("missing.png");
        assertThrows(NoSuchFileException.class, () -> ImageFiles.read(missing));
        Path junk = dir.resolve("junk.png");
        Files.writeString(junk, "not an image");
        IOException e = assertThrows(IOException.class, () -> ImageFiles.read(junk));
        assertTrue(e.getMessage().contains("junk.png"), e.getMessage());
        IOException e2 = assertThrows(IOException.class, () -> ImageFiles.write(Tensor.zeros(1, 2, 2), dir.resolve("a.tiff2")));
        assertTrue(e2.getMessage().contains("a.tiff2"), e2.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ImageFiles.write(Tensor.zeros(2, 2, 2), dir.resolve("b.png")));
    }

    /** A 2x2 BMP whose header says its pixels are a 1.9 GB embedded JPEG (compression 4). */
    @Test
    void bmpClaimingAHugeEmbeddedJpegIsRejectedBeforeDecoding() throws IOException {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(70).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'B').put((byte) 'M').putInt(70).putInt(0).putInt(54);
        b.putInt(40).putInt(2).putInt(2).putShort((short) 1).putShort((short) 24).putInt(4).putInt(0x726f772f);
        Path f = dir.resolve("huge.bmp");
        Files.write(f, b.array());
        var e = assertThrows(org.jgrad.io.FileFormatException.class, () -> ImageFiles.read(f));
        assertTrue(e.getMessage().contains("huge.bmp") && e.getMessage().contains("1919907631 bytes"), e.getMessage());
    }

    @Test
    void grayscaleUsesBt601() {
        Tensor rgb = TensorData.wrap(new float[] {1, 0, 0, 1, 0, 0}, 3, 1, 2);
        Tensor g = Color.grayscale(rgb);
        assertArrayEquals(new int[] {1, 1, 2}, g.shape());
        assertEquals(0.299f, g.get(0, 0, 0), 1e-6f); // pure red
        assertEquals(0.587f, g.get(0, 0, 1), 1e-6f); // pure green
        assertEquals(1f, Color.grayscale(Tensor.ones(3, 2, 2)).get(0, 1, 1), 1e-6f);
    }
}
