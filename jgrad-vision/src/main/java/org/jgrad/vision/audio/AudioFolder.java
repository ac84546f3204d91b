package org.jgrad.vision.audio;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.jgrad.data.DataFormatException;
import org.jgrad.data.TensorDataset;
import org.jgrad.internal.TensorData;
import org.jgrad.io.MemoryBudget;
import org.jgrad.tensor.Tensor;

/**
 * A folder of labelled recordings with its own test split: {@code train/<class>/*.wav} and
 * {@code test/<class>/*.wav} (the layout {@link SpeechDigits#generate} writes), read into log-mel feature
 * maps ({@link LogMelFeatures}). Classes are the sub-folders of {@code train}, in sorted order; a test
 * class without training examples is an error. Files are read in parallel.
 */
public final class AudioFolder {
    private AudioFolder() {}

    /**
     * The two splits and the class names.
     *
     * @param train training feature maps {@code [N, 1, nMels, frames]} and labels
     * @param test test ones
     * @param classNames class names by label
     */
    public record Result(TensorDataset train, TensorDataset test, List<String> classNames) {}

    /** Whether {@code dir} has {@code train/} and {@code test/} folders whose class folders hold WAV files. */
    public static boolean looksLikeAudioFolder(Path dir) {
        return hasWav(dir.resolve("train")) && hasWav(dir.resolve("test"));
    }

    private static boolean hasWav(Path split) {
        if (!Files.isDirectory(split)) return false;
        try (Stream<Path> classes = Files.list(split)) {
            return classes.filter(Files::isDirectory).anyMatch(c -> !wavs(c).isEmpty());
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Reads both splits.
     *
     * @throws DataFormatException for a bad WAV file (naming it), a folder without classes or files, or a test
     *     class unknown to training
     */
    public static Result load(Path dir, LogMelFeatures features) throws IOException {
        List<String> classes = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir.resolve("train"))) {
            s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().forEach(classes::add);
        }
        if (classes.isEmpty()) throw new DataFormatException(dir.resolve("train") + ": no class folders");
        return new Result(split(dir.resolve("train"), classes, features, false), split(dir.resolve("test"), classes, features,
                true), List.copyOf(classes));
    }

    private static TensorDataset split(Path dir, List<String> classes, LogMelFeatures features, boolean isTest)
            throws IOException {
        List<Path> files = new ArrayList<>();
        List<Long> labels = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path c : s.filter(Files::isDirectory).sorted().toList()) {
                int label = classes.indexOf(c.getFileName().toString());
                if (label < 0)
                    throw new DataFormatException(c + ": class '" + c.getFileName() + "' has no training examples (the"
                            + " training classes are " + classes + ")");
                for (Path f : wavs(c)) {
                    files.add(f);
                    labels.add((long) label);
                }
            }
        }
        if (files.isEmpty()) throw new DataFormatException(dir + ": no .wav files in its class folders");
        int[] shape = features.shape();
        int per = shape[0] * shape[1] * shape[2];
        long need = (long) files.size() * per * 4;
        if (!MemoryBudget.allows(need))
            throw new DataFormatException(dir + ": " + files.size() + " recordings; their features " + MemoryBudget.refusal(need,
                    "the feature maps"));
        float[] x = new float[files.size() * per];
        IOException[] failure = new IOException[1];
        IntStream.range(0, files.size()).parallel().forEach(i -> {
            try {
                float[] f = TensorData.floats(features.apply(WavFile.read(files.get(i))));
                System.arraycopy(f, 0, x, i * per, per);
            } catch (IOException e) {
                synchronized (failure) {
                    if (failure[0] == null) failure[0] = e;
                }
            }
        });
        if (failure[0] != null) throw failure[0];
        long[] y = labels.stream().mapToLong(Long::longValue).toArray();
        return new TensorDataset(TensorData.wrap(x, files.size(), shape[0], shape[1], shape[2]), TensorData.wrapLongs(y, y.length));
    }

    private static List<Path> wavs(Path classDir) {
        try (Stream<Path> s = Files.list(classDir)) {
            return s.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".wav")
                    && !p.getFileName().toString().startsWith(".")).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
