package org.jgrad.vision.datasets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.jgrad.data.DataFormatException;
import org.jgrad.data.TensorDataset;
import org.jgrad.io.FileFormatException;
import org.jgrad.tensor.Tensor;
import org.jgrad.vision.image.Color;
import org.jgrad.vision.image.ImageFiles;
import org.jgrad.vision.image.Resize;

/**
  * A labelled image dataset laid out as one sub-folder per class, like torchvision's
  * {@code ImageFolder}: {@code root/cat/001.png}, {@code root/dog/xyz.jpg}. Classes are the
  * sub-folder names in sorted order; images are decoded exactly by {@link ImageFiles} and loaded into
  * memory as float32 {@code [N, C, H, W]} in [0, 1] (bilinear resizing as PyTorch's, when sizes differ).
  */
public final class ImageFolder {
    private ImageFolder() {}

    /** The images, and the class names by label. */
    public record Result(TensorDataset dataset, List<String> classNames) {}

    private static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg", ".gif", ".bmp");

    /** True when {@code dir} has at least one sub-folder holding an image file. */
    public static boolean looksLikeImageFolder(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return false;
        for (Path c : classDirs(dir)) if (!imageFiles(c).isEmpty()) return true;
        return false;
    }

    /**
      * Loads every image. {@code channels} 0 picks 1 when all images are gray and 3 otherwise;
      * {@code height}/{@code width} 0 take the first image's size (others are resized to it).
      *
      * @throws DataFormatException naming the file when an image cannot be decoded, or when the folder has no images
      */
    public static Result load(Path root, int channels, int height, int width) throws IOException {
        if (!Files.isDirectory(root)) throw new java.io.FileNotFoundException(root + ": no such folder");
        List<Path> classes = classDirs(root);
        List<String> names = new ArrayList<>();
        List<Tensor> images = new ArrayList<>();
        List<Long> labels = new ArrayList<>();
        for (Path c : classes) {
            List<Path> files = imageFiles(c);
            if (files.isEmpty()) continue;
            long label = names.size();
            names.add(c.getFileName().toString());
            for (Path f : files) {
                images.add(read(f));
                labels.add(label);
            }
        }
        if (images.isEmpty())
            throw new DataFormatException(root + ": no images found (expected one sub-folder per class holding "
                    + String.join("/", EXTENSIONS) + " files)");
        int ch = channels != 0 ? channels : images.stream().allMatch(t -> t.size(0) == 1) ? 1 : 3;
        int h = height != 0 ? height : images.get(0).size(1), w = width != 0 ? width : images.get(0).size(2);
        Tensor[] xs = new Tensor[images.size()];
        for (int i = 0; i < xs.length; i++) {
            Tensor t = Color.toChannels(images.get(i), ch);
            xs[i] = t.size(1) == h && t.size(2) == w ? t : Resize.bilinear(t, h, w);
            images.set(i, null); // the decoded image is no longer needed
        }
        long[] y = labels.stream().mapToLong(Long::longValue).toArray();
        return new Result(new TensorDataset(Tensor.stack(0, xs), Tensor.wrapLongs(y, y.length)), names);
    }

    // Dataset readers report bad files as DataFormatException (a FileFormatException too).
    private static Tensor read(Path f) throws IOException {
        try {
            return ImageFiles.read(f);
        } catch (DataFormatException e) {
            throw e;
        } catch (FileFormatException e) {
            throw new DataFormatException(e.getMessage(), e);
        }
    }

    private static List<Path> classDirs(Path root) throws IOException {
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        }
    }

    private static List<Path> imageFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).filter(p -> {
                String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                return EXTENSIONS.stream().anyMatch(n::endsWith);
            }).sorted().toList();
        }
    }
}
