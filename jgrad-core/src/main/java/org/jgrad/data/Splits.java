package org.jgrad.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;

/**
 * Splitting a dataset into train/validation/test parts: at random ({@link #randomSplit}, like
 * PyTorch's {@code random_split}) or keeping class proportions ({@link #stratifiedSplit}).
 */
public final class Splits {
    private Splits() {}

    /**
     * Sizes for fractions of {@code n} that sum to 1: each part gets floor(f·n), and the remainder is
     * handed out one by one from the first part, as PyTorch does.
     */
    public static int[] lengthsFor(int n, double... fractions) {
        if (fractions.length == 0) throw new IllegalArgumentException("randomSplit: no fractions given");
        double sum = 0;
        for (double f : fractions) {
            if (!(f >= 0 && f <= 1)) throw new IllegalArgumentException("randomSplit: fraction " + f + " is not in [0, 1]");
            sum += f;
        }
        if (Math.abs(sum - 1) > 1e-6)
            throw new IllegalArgumentException("randomSplit: fractions " + Arrays.toString(fractions) + " sum to " + sum + ", not 1");
        int[] len = new int[fractions.length];
        int used = 0;
        for (int i = 0; i < len.length; i++) {
            len[i] = (int) Math.floor(fractions[i] * n);
            used += len[i];
        }
        for (int i = 0; used < n; i = (i + 1) % len.length, used++) len[i]++;
        return len;
    }

    /** Splits into parts of the given fractions (e.g. 0.9, 0.1 as in the lectures) after a seeded shuffle. */
    public static List<Subset> randomSplit(Dataset data, Generator gen, double... fractions) {
        return randomSplitLengths(data, gen, lengthsFor(data.size(), fractions));
    }

    /** Splits into parts of exactly the given lengths after a seeded shuffle. */
    public static List<Subset> randomSplitLengths(Dataset data, Generator gen, int... lengths) {
        int total = 0;
        for (int l : lengths) {
            if (l < 0) throw new IllegalArgumentException("randomSplit: negative length " + l);
            total += l;
        }
        if (total != data.size())
            throw new IllegalArgumentException("randomSplit: sum of input lengths " + total + " does not equal the length of the dataset "
                    + data.size());
        long[] perm = Tensor.randperm(gen, data.size()).toLongArray();
        List<Subset> parts = new ArrayList<>();
        int pos = 0;
        for (int l : lengths) {
            int[] idx = new int[l];
            for (int i = 0; i < l; i++) idx[i] = (int) perm[pos + i];
            parts.add(new Subset(data, idx));
            pos += l;
        }
        return parts;
    }

    /**
     * Splits so that each part has (as nearly as possible) the class proportions of the whole.
     * {@code labels} is a 1-D tensor of class indices, element i the class of sample i (int64, or
     * float with integer values). Within each class, samples are shuffled and cut with
     * {@link #lengthsFor}; each part is then shuffled so classes are interleaved.
     */
    public static List<Subset> stratifiedSplit(Dataset data, Tensor labelTensor, Generator gen, double... fractions) {
        if (labelTensor.dim() != 1)
            throw new IllegalArgumentException("stratifiedSplit: labels must be a 1-D tensor, got shape "
                    + Shape.str(labelTensor.shape()));
        long[] labels = labelTensor.toLongArray();
        if (labels.length != data.size())
            throw new IllegalArgumentException("stratifiedSplit: " + labels.length + " labels for a dataset of " + data.size());
        Map<Long, List<Integer>> byClass = new LinkedHashMap<>();
        for (int i = 0; i < labels.length; i++) byClass.computeIfAbsent(labels[i], k -> new ArrayList<>()).add(i);
        List<List<Integer>> parts = new ArrayList<>();
        for (int p = 0; p < fractions.length; p++) parts.add(new ArrayList<>());
        Long[] classes = byClass.keySet().toArray(new Long[0]);
        Arrays.sort(classes);
        for (Long c : classes) {
            List<Integer> members = byClass.get(c);
            long[] perm = Tensor.randperm(gen, members.size()).toLongArray();
            int[] len = lengthsFor(members.size(), fractions);
            int pos = 0;
            for (int p = 0; p < len.length; p++)
                for (int i = 0; i < len[p]; i++) parts.get(p).add(members.get((int) perm[pos++]));
        }
        List<Subset> out = new ArrayList<>();
        for (List<Integer> part : parts) {
            long[] perm = Tensor.randperm(gen, part.size()).toLongArray();
            int[] idx = new int[part.size()];
            for (int i = 0; i < idx.length; i++) idx[i] = part.get((int) perm[i]);
            out.add(new Subset(data, idx));
        }
        return out;
    }
}
