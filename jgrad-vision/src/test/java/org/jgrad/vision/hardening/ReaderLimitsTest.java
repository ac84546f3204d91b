package org.jgrad.vision.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;
import org.jgrad.data.DataFormatException;
import org.jgrad.io.FileFormatException;
import org.jgrad.vision.datasets.Cifar;
import org.jgrad.vision.datasets.IdxReader;
import org.jgrad.vision.datasets.ImageFolder;
import org.jgrad.vision.image.ImageFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docs/bad-inputs.md rows for the vision readers: memory budget, strict gzip, image limits, image folders. */
class ReaderLimitsTest {
    @TempDir
    Path dir;

    @AfterEach
    void clearLimits() {
        System.clearProperty("jgrad.readBudget");
        System.clearProperty("jgrad.image.maxPixels");
    }

    private static byte[] idxHeader(int... dims) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length).put((byte) 0).put((byte) 0).put((byte) 8).put((byte) dims.length);
        for (int d : dims) b.putInt(d);
        return b.array();
    }

    private static byte[] gzip(byte[]... parts) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream z = new GZIPOutputStream(out)) {
            for (byte[] p : parts) z.write(p);
        }
        return out.toByteArray();
    }

    @Test
    void idxGzipClaimingTwoMillionImagesIsRefusedBeforeReading() throws IOException {
        Path f = Files.write(dir.resolve("train-images-idx3-ubyte.gz"), gzip(idxHeader(2_000_000, 28, 28), new byte[4096]));
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.read(f));
        assertTrue(e.getMessage().startsWith(f + ": header claims shape [2000000, 28, 28]; reading it needs 11963 MiB for the"
                + " float32 values, more than the "), e.getMessage());
    }

    @Test
    void garbageAfterTheIdxGzipMemberIsRefused() throws IOException {
        byte[] ok = gzip(idxHeader(2, 2), new byte[] {1, 2, 3, 4});
        assertEquals(4, IdxReader.read(Files.write(dir.resolve("ok.gz"), ok)).numel());
        byte[] bad = java.util.Arrays.copyOf(ok, ok.length + 5);
        Path f = Files.write(dir.resolve("bad.gz"), bad);
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.read(f));
        assertTrue(e.getMessage().contains("unexpected bytes after the end of the gzip data, at offset " + ok.length), e.getMessage());
    }

    @Test
    void sparseCifarBatchIsRefusedByTheMemoryBudget() throws IOException {
        System.setProperty("jgrad.readBudget", "64m");
        Path f = dir.resolve("data_batch_1.bin");
        try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "rw")) {
            r.setLength(3073L * 200_000); // 600 MB, sparse: nothing on disk
        }
        DataFormatException e = assertThrows(DataFormatException.class, () -> Cifar.read(List.of(f), 1, 10));
        assertTrue(e.getMessage().startsWith(f + ": 200000 images; reading them needs 2932 MiB for the float32 images, more"
                + " than the 64 MiB memory budget"), e.getMessage());
    }

    private static void png(Path f, int w, int h) throws IOException {
        Files.createDirectories(f.getParent());
        ImageIO.write(new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY), "png", f.toFile());
    }

    @Test
    void imagesOverThePixelLimitAreRefusedWithTheLimit() throws IOException {
        Path f = dir.resolve("big.png");
        png(f, 40, 30);
        System.setProperty("jgrad.image.maxPixels", "1000");
        FileFormatException e = assertThrows(FileFormatException.class, () -> ImageFiles.read(f));
        assertEquals(f + ": a 40x30 image (1200 pixels) is over jgrad's limit of 1000 pixels for image work"
                + " (-Djgrad.image.maxPixels raises it; JGRAD_JAVA_OPTS for the jgrad command); scale the image down first",
                e.getMessage());
        assertEquals(1L << 26, ImageFiles.DEFAULT_MAX_PIXELS);
    }

    @Test
    void oneClassImageFolderIsRefused() throws IOException {
        png(dir.resolve("root/cat/a.png"), 4, 4);
        png(dir.resolve("root/cat/b.png"), 4, 4);
        DataFormatException e = assertThrows(DataFormatException.class, () -> ImageFolder.load(dir.resolve("root"), 0, 0, 0));
        assertEquals(dir.resolve("root") + ": only one class ('cat'): a classifier needs at least two sub-folders of images,"
                + " one per class", e.getMessage());
    }

    @Test
    void danglingAndLoopingLinksAreReported() throws IOException {
        Path root = dir.resolve("root");
        png(root.resolve("cat/a.png"), 4, 4);
        png(root.resolve("dog/a.png"), 4, 4);
        Path dangling = Files.createSymbolicLink(root.resolve("dog/b.png"), dir.resolve("gone.png"));
        FileSystemException e = assertThrows(FileSystemException.class, () -> ImageFolder.load(root, 0, 0, 0));
        assertEquals(dangling + ": a symbolic link to " + dir.resolve("gone.png") + ", which does not exist (a dangling link);"
                + " remove it or fix its target", e.getMessage());
        Files.delete(dangling);
        Path loop = Files.createSymbolicLink(root.resolve("bird"), root.resolve("bird"));
        FileSystemException l = assertThrows(FileSystemException.class, () -> ImageFolder.load(root, 0, 0, 0));
        assertTrue(l.getMessage().startsWith(loop + ": a symbolic link to " + loop + " that cannot be followed"), l.getMessage());
    }

    @Test
    void unreadableFolderOrImageIsExplained() throws IOException {
        Path root = dir.resolve("root");
        png(root.resolve("cat/a.png"), 4, 4);
        png(root.resolve("dog/a.png"), 4, 4);
        Path img = root.resolve("dog/a.png");
        Files.setPosixFilePermissions(img, PosixFilePermissions.fromString("---------"));
        assumeTrue(!Files.isReadable(img), "running as root: permissions are not enforced");
        try {
            FileSystemException e = assertThrows(FileSystemException.class, () -> ImageFolder.load(root, 0, 0, 0));
            assertEquals(img + ": permission denied: jgrad may not read this image (check its permissions, e.g. with ls -l)",
                    e.getMessage());
        } finally {
            Files.setPosixFilePermissions(img, PosixFilePermissions.fromString("rw-r--r--"));
        }
    }
}
