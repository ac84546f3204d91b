package org.jgrad.vision.datasets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import org.jgrad.internal.TensorData;
import org.jgrad.io.MemoryBudget;
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
  *
  * <p>Refused with a message: fewer than two classes (a classifier needs two), a symbolic link that
  * dangles or loops (instead of skipping it unnoticed), a folder or image that cannot be read for lack
  * of permission (named, with the reason), and more decoded pixels than the {@link MemoryBudget}.
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
        long decodedBytes = 0;
        for (Path c : classes) {
            List<Path> files = imageFiles(c);
            if (files.isEmpty()) continue;
            long label = names.size();
            names.add(c.getFileName().toString());
            for (Path f : files) {
                Tensor img = read(f);
                decodedBytes += 4L * img.numel();
                if (!MemoryBudget.allows(decodedBytes))
                    throw new DataFormatException(root + ": after " + images.size() + " images (at " + f + "), holding"
                            + " them decoded " + MemoryBudget.refusal(decodedBytes, "the decoded images"));
                images.add(img);
                labels.add(label);
            }
        }
        if (images.isEmpty())
            throw new DataFormatException(root + ": no images found (expected one sub-folder per class holding "
                    + String.join("/", EXTENSIONS) + " files)");
        if (names.size() < 2)
            throw new DataFormatException(root + ": only one class ('" + names.get(0) + "'): a classifier needs at least"
                    + " two sub-folders of images, one per class");
        int ch = channels != 0 ? channels : images.stream().allMatch(t -> t.size(0) == 1) ? 1 : 3;
        int h = height != 0 ? height : images.get(0).size(1), w = width != 0 ? width : images.get(0).size(2);
        long tensorBytes = 8L * images.size() * ch * h * w; // the per-image tensors, then the stacked copy
        if (!MemoryBudget.allows(tensorBytes))
            throw new DataFormatException(root + ": " + images.size() + " images of " + ch + "x" + h + "x" + w + " "
                    + MemoryBudget.refusal(tensorBytes, "the float32 tensors"));
        Tensor[] xs = new Tensor[images.size()];
        for (int i = 0; i < xs.length; i++) {
            Tensor t = Color.toChannels(images.get(i), ch);
            xs[i] = t.size(1) == h && t.size(2) == w ? t : Resize.bilinear(t, h, w);
            images.set(i, null); // the decoded image is no longer needed
        }
        long[] y = labels.stream().mapToLong(Long::longValue).toArray();
        return new Result(new TensorDataset(Tensor.stack(0, xs), TensorData.wrapLongs(y, y.length)), names);
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
        List<Path> out = new ArrayList<>();
        for (Path p : list(root)) {
            if (p.getFileName().toString().startsWith(".")) continue;
            checkLink(p);
            if (Files.isDirectory(p)) out.add(p);
        }
        return out;
    }

    private static List<Path> imageFiles(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path p : list(dir)) {
            String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
            if (!EXTENSIONS.stream().anyMatch(n::endsWith)) continue;
            checkLink(p);
            if (Files.isRegularFile(p)) out.add(p);
        }
        return out;
    }

    /** The folder's entries, sorted; a folder jgrad may not read is named with the reason. */
    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        } catch (AccessDeniedException e) {
            throw new AccessDeniedException(dir.toString(), null, "permission denied: jgrad may not list this folder"
                    + " (check its permissions, e.g. with ls -ld)");
        }
    }

    /** A symbolic link whose target is missing, or that loops, is an error rather than an entry silently skipped. */
    private static void checkLink(Path p) throws IOException {
        if (!Files.isSymbolicLink(p) || Files.exists(p)) return;
        String target;
        try {
            target = Files.readSymbolicLink(p).toString();
        } catch (IOException e) {
            target = "?";
        }
        try {
            p.toRealPath();
        } catch (NoSuchFileException e) {
            throw new FileSystemException(p.toString(), null, "a symbolic link to " + target + ", which does not exist"
                    + " (a dangling link); remove it or fix its target");
        } catch (FileSystemException e) {
            throw new FileSystemException(p.toString(), null, "a symbolic link to " + target + " that cannot be followed ("
                    + (e.getReason() != null ? e.getReason() : "a loop of links") + "); remove it or fix its target");
        }
    }
}
