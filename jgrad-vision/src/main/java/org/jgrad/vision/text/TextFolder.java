package org.jgrad.vision.text;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.jgrad.data.DataFormatException;
import org.jgrad.data.Splits;
import org.jgrad.data.Subset;
import org.jgrad.data.TensorDataset;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;

/**
 * Labelled documents for a text classifier: one sub-folder per class holding {@code .txt} files (UTF-8).
 * A stratified {@code testFraction} of the documents, drawn with the seed, is held out; the word
 * vocabulary ({@link WordVocabulary}) is built from the training documents only, and every document
 * becomes its first {@code maxTokens} word ids, padded with 0: {@code [documents, maxTokens]} int64.
 */
public final class TextFolder {
    private TextFolder() {}

    /**
     * The two parts, the class names and the vocabulary.
     *
     * @param train training documents as padded word ids, with labels
     * @param test held-out documents
     * @param classNames class names (the sorted sub-folder names) by label
     * @param vocabulary the words, from the training documents
     */
    public record Result(TensorDataset train, TensorDataset test, List<String> classNames, WordVocabulary vocabulary) {}

    /** Whether {@code dir} has at least two sub-folders that hold {@code .txt} files. */
    public static boolean looksLikeTextFolder(Path dir) {
        if (!Files.isDirectory(dir)) return false;
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).filter(c -> !texts(c).isEmpty()).count() >= 2;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Reads, splits and encodes the documents.
     *
     * @throws DataFormatException for a file that is not UTF-8 (naming it and the offset), or fewer than two
     *     classes with documents
     */
    public static Result load(Path dir, int maxWords, int maxTokens, double testFraction, long seed) throws IOException {
        List<String> classes = new ArrayList<>();
        List<String> docs = new ArrayList<>();
        List<Long> labels = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path c : s.filter(Files::isDirectory).sorted().toList()) {
                List<Path> files = texts(c);
                if (files.isEmpty()) continue;
                classes.add(c.getFileName().toString());
                for (Path f : files) {
                    docs.add(TextFiles.readUtf8(f));
                    labels.add((long) classes.size() - 1);
                }
            }
        }
        if (classes.size() < 2)
            throw new DataFormatException(dir + ": a text folder needs at least two class folders with .txt files, found "
                    + classes.size());
        long[] y = labels.stream().mapToLong(Long::longValue).toArray();
        long[] idx = new long[y.length];
        for (int i = 0; i < idx.length; i++) idx[i] = i;
        TensorDataset all = new TensorDataset(TensorData.wrapLongs(idx, idx.length), TensorData.wrapLongs(y, y.length));
        List<Subset> parts = Splits.stratifiedSplit(all, all.targetTensor(), new Generator(seed), 1 - testFraction, testFraction);
        List<String> trainDocs = new ArrayList<>();
        for (int i : parts.get(0).indices()) trainDocs.add(docs.get(i));
        WordVocabulary v = WordVocabulary.build(trainDocs, maxWords);
        return new Result(encode(parts.get(0).indices(), docs, y, v, maxTokens), encode(parts.get(1).indices(), docs, y, v,
                maxTokens), List.copyOf(classes), v);
    }

    private static TensorDataset encode(int[] which, List<String> docs, long[] y, WordVocabulary v, int maxTokens) {
        long[] x = new long[which.length * maxTokens], labels = new long[which.length];
        for (int k = 0; k < which.length; k++) {
            long[] ids = v.ids(docs.get(which[k]), maxTokens);
            System.arraycopy(ids, 0, x, k * maxTokens, ids.length);
            labels[k] = y[which[k]];
        }
        return new TensorDataset(TensorData.wrapLongs(x, which.length, maxTokens), TensorData.wrapLongs(labels, labels.length));
    }

    private static List<Path> texts(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".txt"))
                    .sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
