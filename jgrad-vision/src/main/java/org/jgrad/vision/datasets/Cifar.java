package org.jgrad.vision.datasets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jgrad.data.DataFormatException;
import org.jgrad.data.TensorDataset;
import org.jgrad.internal.TensorData;
import org.jgrad.io.MemoryBudget;
import org.jgrad.tensor.Tensor;

/**
 * CIFAR-10 and CIFAR-100 from their binary versions ({@code cifar-10-binary.tar.gz},
 * {@code cifar-100-binary.tar.gz}, unpacked): images as float32 {@code [N, 3, 32, 32]} in [0, 1],
 * labels int64. A CIFAR-10 record is 1 label byte + 3,072 pixel bytes (red, green, blue planes of
 * 32×32, row-major); a CIFAR-100 record has 2 label bytes (coarse, fine) and this reader uses the
 * fine one. Looked up in {@code $JGRAD_DATA/<folder>} and {@code ~/.jgrad/datasets/<folder>}.
 */
public final class Cifar {
    private Cifar() {}

    /** Bytes of pixels in one record. */
    public static final int PIXELS = 3 * 32 * 32;

    /** CIFAR-10 class names, by label (as in {@code batches.meta.txt}). */
    public static final List<String> CIFAR10_CLASSES = List.of("airplane", "automobile", "bird", "cat", "deer", "dog",
            "frog", "horse", "ship", "truck");

    /** Folders searched for {@code folder} (e.g. {@code cifar-10-batches-bin}), in order. */
    public static List<Path> searchPath(String folder) {
        List<Path> dirs = new ArrayList<>();
        String env = System.getenv("JGRAD_DATA");
        if (env != null && !env.isBlank()) dirs.add(Path.of(env, folder));
        dirs.add(Path.of(System.getProperty("user.home"), ".jgrad", "datasets", folder));
        return dirs;
    }

    /** CIFAR-10 from the first folder on the search path holding {@code data_batch_1.bin}. */
    public static MnistDatasets.TrainTest cifar10() throws IOException {
        List<Path> dirs = searchPath("cifar-10-batches-bin");
        for (Path d : dirs) if (Files.isRegularFile(d.resolve("data_batch_1.bin"))) return loadCifar10(d);
        throw new java.io.FileNotFoundException("dataset cifar10 not found: looked for data_batch_1.bin in " + dirs
                + "; unpack cifar-10-binary.tar.gz (https://www.cs.toronto.edu/~kriz/cifar.html) into ~/.jgrad/datasets"
                + " or set JGRAD_DATA to the folder that contains 'cifar-10-batches-bin'");
    }

    /** True when {@code dir} holds CIFAR-10 binary batches. */
    public static boolean isCifar10Folder(Path dir) {
        return Files.isRegularFile(dir.resolve("data_batch_1.bin")) && Files.isRegularFile(dir.resolve("test_batch.bin"));
    }

    /** Loads {@code data_batch_1..5.bin} (train) and {@code test_batch.bin} (test) from {@code dir}. */
    public static MnistDatasets.TrainTest loadCifar10(Path dir) throws IOException {
        List<Path> train = new ArrayList<>();
        for (int i = 1; i <= 5; i++) train.add(dir.resolve("data_batch_" + i + ".bin"));
        List<Path> missing = new ArrayList<>();
        for (Path p : train) if (!Files.isRegularFile(p)) missing.add(p.getFileName());
        if (!Files.isRegularFile(dir.resolve("test_batch.bin"))) missing.add(Path.of("test_batch.bin"));
        if (!missing.isEmpty()) throw new java.io.FileNotFoundException(dir + ": missing CIFAR-10 files " + missing);
        return new MnistDatasets.TrainTest(read(train, 1, 10), read(List.of(dir.resolve("test_batch.bin")), 1, 10));
    }

    /**
     * Reads and concatenates binary batch files.
     *
     * @param labelBytes 1 for CIFAR-10, 2 for CIFAR-100 (the last label byte is used)
     * @param numClasses labels must be below this
     * @throws DataFormatException naming the file and byte offset of a truncated record or a bad label
     */
    public static TensorDataset read(List<Path> files, int labelBytes, int numClasses) throws IOException {
        if (labelBytes != 1 && labelBytes != 2)
            throw new IllegalArgumentException("Cifar.read: labelBytes must be 1 or 2, got " + labelBytes);
        int record = labelBytes + PIXELS;
        long total = 0;
        for (Path f : files) total += recordsIn(f, Files.size(f), record);
        if (total * PIXELS > Integer.MAX_VALUE - 8) throw new DataFormatException("CIFAR files too large: " + total + " images");
        long largest = 0;
        for (Path f : files) largest = Math.max(largest, Files.size(f));
        // The float32 images plus one file's bytes at a time: refused before allocating (a sparse file
        // of hundreds of megabytes costs nothing on disk).
        long need = total * PIXELS * 4 + total * 8 + largest;
        if (!MemoryBudget.allows(need))
            throw new DataFormatException(files.get(0) + (files.size() > 1 ? " and " + (files.size() - 1) + " more" : "")
                    + ": " + total + " images; reading them " + MemoryBudget.refusal(need, "the float32 images"));
        float[] x = new float[(int) total * PIXELS];
        long[] y = new long[(int) total];
        int n = 0;
        for (Path f : files) {
            byte[] bytes = Files.readAllBytes(f);
            int count = recordsIn(f, bytes.length, record);
            for (int r = 0; r < count; r++, n++) {
                int off = r * record;
                int label = bytes[off + labelBytes - 1] & 0xff;
                if (label >= numClasses)
                    throw new DataFormatException(f + ": label " + label + " at offset " + (off + labelBytes - 1)
                            + " is not below " + numClasses);
                y[n] = label;
                for (int i = 0; i < PIXELS; i++) x[n * PIXELS + i] = (bytes[off + labelBytes + i] & 0xff) / 255f;
            }
        }
        return new TensorDataset(TensorData.wrap(x, (int) total, 3, 32, 32), TensorData.wrapLongs(y, (int) total));
    }

    private static int recordsIn(Path f, long length, int record) throws DataFormatException {
        if (length == 0) throw new DataFormatException(f + ": empty file");
        if (length % record != 0) {
            long offset = length / record * record;
            throw new DataFormatException(f + ": truncated record at offset " + offset + " (file is " + length
                    + " bytes; records are " + record + " bytes)");
        }
        if (length / record > Integer.MAX_VALUE) throw new DataFormatException(f + ": too many records");
        return (int) (length / record);
    }
}
