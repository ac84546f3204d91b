package org.jgrad.vision.datasets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jgrad.data.DataFormatException;
import org.jgrad.data.TensorDataset;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;

/**
 * MNIST and Fashion-MNIST from their IDX files: images as float32 [N, 1, 28, 28] scaled to [0, 1],
 * labels int64. Looked up in {@code $JGRAD_DATA/<name>}, {@code ~/.jgrad/datasets/<name>} and
 * {@code /usr/share/datasets/<name>} (where Debian's {@code dataset-fashion-mnist} package
 * installs Fashion-MNIST), raw or {@code .gz}.
 */
public final class MnistDatasets {
    private MnistDatasets() {}

    /** Class names of Fashion-MNIST, by label. */
    public static final List<String> FASHION_CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    /** The official train and test splits. */
    public record TrainTest(TensorDataset train, TensorDataset test) {}

    /** Fashion-MNIST from the first folder that has its files. */
    public static TrainTest fashionMnist() throws IOException {
        return load(find("fashion-mnist"));
    }

    /** MNIST from the first folder that has its files. */
    public static TrainTest mnist() throws IOException {
        return load(find("mnist"));
    }

    /** Folders searched for a dataset called {@code name}, in order. */
    public static List<Path> searchPath(String name) {
        List<Path> dirs = new ArrayList<>();
        String env = System.getenv("JGRAD_DATA");
        if (env != null && !env.isBlank()) dirs.add(Path.of(env, name));
        dirs.add(Path.of(System.getProperty("user.home"), ".jgrad", "datasets", name));
        dirs.add(Path.of("/usr/share/datasets", name));
        return dirs;
    }

    /** The first folder on the search path holding the four IDX files; a clear error listing the folders if none does. */
    public static Path find(String name) throws IOException {
        List<Path> dirs = searchPath(name);
        for (Path d : dirs) if (file(d, "train-images-idx3-ubyte") != null) return d;
        String hint = name.equals("fashion-mnist") ? " (on Debian: apt-get install dataset-fashion-mnist)" : "";
        throw new java.io.FileNotFoundException("dataset " + name + " not found: looked for train-images-idx3-ubyte[.gz] in "
                + dirs + hint + "; set JGRAD_DATA to the folder that contains '" + name + "'");
    }

    private static Path file(Path dir, String base) {
        Path raw = dir.resolve(base), gz = dir.resolve(base + ".gz");
        return Files.isRegularFile(raw) ? raw : Files.isRegularFile(gz) ? gz : null;
    }

    /** Loads the four files {@code train/t10k-images-idx3-ubyte} and {@code -labels-idx1-ubyte} from {@code dir}. */
    public static TrainTest load(Path dir) throws IOException {
        return new TrainTest(split(dir, "train"), split(dir, "t10k"));
    }

    private static TensorDataset split(Path dir, String prefix) throws IOException {
        Path img = file(dir, prefix + "-images-idx3-ubyte"), lab = file(dir, prefix + "-labels-idx1-ubyte");
        if (img == null || lab == null)
            throw new java.io.FileNotFoundException(dir + ": missing " + (img == null ? prefix + "-images-idx3-ubyte[.gz]"
                    : prefix + "-labels-idx1-ubyte[.gz]"));
        Tensor images = IdxReader.read(img);
        Tensor labels = IdxReader.readLabels(lab);
        if (images.dim() != 3)
            throw new DataFormatException(img + ": expected 3-D images [N, H, W], found shape " + Shape.str(images.shape()));
        if (images.size(0) != labels.size(0))
            throw new DataFormatException(img + " has " + images.size(0) + " images but " + lab + " has " + labels.size(0) + " labels");
        toUnitRange(TensorData.floats(images));
        return new TensorDataset(images.reshape(images.size(0), 1, images.size(1), images.size(2)), labels);
    }

    /**
     * Pixel values 0–255 to 0–1, in a method of its own: run inline, this loop's 47 million iterations made C2
     * compile the whole of {@link #split} with everything it inlines, 1.5 s of the one C2 compiler thread at the
     * start of a program's first epoch, while the training kernels waited for it (docs/performance.md, "Warm-up").
     */
    private static void toUnitRange(float[] d) {
        for (int i = 0; i < d.length; i++) d[i] *= 1f / 255f;
    }
}
