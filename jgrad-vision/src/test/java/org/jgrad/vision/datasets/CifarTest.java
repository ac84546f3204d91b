package org.jgrad.vision.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jgrad.data.DataFormatException;
import org.jgrad.data.TensorDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CifarTest {

    /** {@code n} records; record r has label r % 10 and pixel i = (r + i) mod 256. */
    static byte[] batch(int n, int labelBytes) {
        int rec = labelBytes + Cifar.PIXELS;
        byte[] b = new byte[n * rec];
        for (int r = 0; r < n; r++) {
            if (labelBytes == 2) b[r * rec] = (byte) 99; // coarse label, ignored
            b[r * rec + labelBytes - 1] = (byte) (r % 10);
            for (int i = 0; i < Cifar.PIXELS; i++) b[r * rec + labelBytes + i] = (byte) (r + i);
        }
        return b;
    }

    static Path cifar10Folder(Path dir, int perBatch) throws IOException {
        Files.createDirectories(dir);
        for (int i = 1; i <= 5; i++) Files.write(dir.resolve("data_batch_" + i + ".bin"), batch(perBatch, 1));
        Files.write(dir.resolve("test_batch.bin"), batch(perBatch, 1));
        return dir;
    }

    @Test
    void readsPlanesLabelsAndScale(@TempDir Path dir) throws IOException {
        MnistDatasets.TrainTest tt = Cifar.loadCifar10(cifar10Folder(dir.resolve("cifar-10-batches-bin"), 3));
        assertArrayEquals(new int[] {15, 3, 32, 32}, tt.train().inputTensor().shape());
        assertArrayEquals(new int[] {3, 3, 32, 32}, tt.test().inputTensor().shape());
        assertArrayEquals(new long[] {0, 1, 2}, tt.test().targetTensor().toLongArray());
        // record 1: red plane starts at byte 1, green at 1 + 1024 -> (1 + 1024) mod 256 = 1
        assertEquals(1 / 255f, tt.test().inputTensor().get(1, 0, 0, 0));
        assertEquals((1 + 1024 + 5) % 256 / 255f, tt.test().inputTensor().get(1, 1, 0, 5));
        assertEquals((2 + 2048 + 32 * 31 + 31) % 256 / 255f, tt.test().inputTensor().get(2, 2, 31, 31));
    }

    @Test
    void cifar100UsesTheFineLabel(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("train.bin");
        Files.write(f, batch(4, 2));
        TensorDataset d = Cifar.read(List.of(f), 2, 100);
        assertArrayEquals(new long[] {0, 1, 2, 3}, d.targetTensor().toLongArray());
    }

    @Test
    void truncatedFileNamesFileAndOffset(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("data_batch_1.bin");
        byte[] full = batch(2, 1);
        Files.write(f, java.util.Arrays.copyOf(full, full.length - 100));
        DataFormatException e = assertThrows(DataFormatException.class, () -> Cifar.read(List.of(f), 1, 10));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("offset 3073"), e.getMessage());
    }

    @Test
    void labelOutOfRangeIsReported(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("b.bin");
        byte[] b = batch(2, 1);
        b[3073] = 10;
        Files.write(f, b);
        DataFormatException e = assertThrows(DataFormatException.class, () -> Cifar.read(List.of(f), 1, 10));
        assertTrue(e.getMessage().contains("offset 3073") && e.getMessage().contains("label 10"), e.getMessage());
    }

    @Test
    void missingFilesAreListed(@TempDir Path dir) throws IOException {
        cifar10Folder(dir, 1);
        Files.delete(dir.resolve("data_batch_4.bin"));
        var e = assertThrows(java.io.FileNotFoundException.class, () -> Cifar.loadCifar10(dir));
        assertTrue(e.getMessage().contains("data_batch_4.bin"), e.getMessage());
    }
}
