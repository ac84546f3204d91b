package org.jgrad.vision.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.jgrad.data.DataFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderTest {

    static void write(Path file, int w, int h, int rgb, String format) throws IOException {
        Files.createDirectories(file.getParent());
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.setRGB(x, y, rgb);
        ImageIO.write(img, format, file.toFile());
    }

    @Test
    void classesAreSortedSubFoldersAndImagesAreResizedToTheFirst(@TempDir Path root) throws IOException {
        write(root.resolve("cat/a.png"), 4, 3, 0xff0000, "png");
        write(root.resolve("cat/b.jpg"), 8, 6, 0xff0000, "jpg");
        write(root.resolve("ant/c.png"), 4, 3, 0x0000ff, "png");
        Files.writeString(root.resolve("ant/notes.txt"), "not an image, ignored");
        ImageFolder.Result r = ImageFolder.load(root, 0, 0, 0);
        assertEquals(List.of("ant", "cat"), r.classNames());
        assertArrayEquals(new int[] {3, 3, 3, 4}, r.dataset().inputTensor().shape());
        assertArrayEquals(new long[] {0, 1, 1}, r.dataset().targetTensor().toLongArray());
        assertEquals(1f, r.dataset().inputTensor().get(0, 2, 0, 0)); // blue ant
        assertEquals(1f, r.dataset().inputTensor().get(1, 0, 1, 1)); // red cat
    }

    @Test
    void grayscaleConversionUsesLuma(@TempDir Path root) throws IOException {
        write(root.resolve("x/a.png"), 2, 2, 0xff0000, "png");
        write(root.resolve("y/a.png"), 2, 2, 0x0000ff, "png");
        ImageFolder.Result r = ImageFolder.load(root, 1, 5, 5);
        assertArrayEquals(new int[] {2, 1, 5, 5}, r.dataset().inputTensor().shape());
        assertEquals(0.299f, r.dataset().inputTensor().get(0, 0, 2, 2), 1e-6);
    }

    @Test
    void anUnreadableImageIsNamed(@TempDir Path root) throws IOException {
        write(root.resolve("ok/a.png"), 2, 2, 0, "png");
        write(root.resolve("other/a.png"), 2, 2, 0, "png");
        Path bad = root.resolve("ok/broken.png");
        Files.writeString(bad, "this is not a PNG");
        DataFormatException e = assertThrows(DataFormatException.class, () -> ImageFolder.load(root, 0, 0, 0));
        assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());
    }

    @Test
    void aFolderWithoutImagesSaysWhatItExpected(@TempDir Path root) throws IOException {
        Files.createDirectories(root.resolve("empty"));
        DataFormatException e = assertThrows(DataFormatException.class, () -> ImageFolder.load(root, 0, 0, 0));
        assertTrue(e.getMessage().contains("one sub-folder per class"), e.getMessage());
    }
}
