package org.jgrad.vision.tools;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import org.jgrad.data.Splits;
import org.jgrad.data.Subset;
import org.jgrad.data.TensorDataset;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.jgrad.vision.datasets.BundledDatasets;
import org.jgrad.vision.datasets.MnistDatasets;

/**
 * Train and test sets as flat samples for the classic classifiers.
 *
 * @param name the dataset's name
 * @param trainX [n, d] float32 samples, each flattened
 * @param trainY [n] int64 labels
 * @param testX [m, d] float32 samples
 * @param testY [m] int64 labels
 * @param dim d, values per sample
 * @param classes number of classes
 */
public record ClassicData(String name, Tensor trainX, Tensor trainY, Tensor testX, Tensor testY, int dim, int classes) {

    /** Training samples. */
    public int trainSize() {
        return trainY.size(0);
    }

    /** Test samples. */
    public int testSize() {
        return testY.size(0);
    }

    /**
     * Loads {@code "digits"} (bundled, 1797 8×8 images, stratified 90/10 split with seed 0, as in the
     * lectures' 90/10 examples), {@code "fashion-mnist"} or {@code "mnist"} (official 60k/10k splits).
     * {@code maxTrain}/{@code maxTest} keep only the first samples of each split (0 = all).
     *
     * @throws IOException when an MNIST-style dataset is not installed (the message says where it looked)
     */
    public static ClassicData load(String dataset, int maxTrain, int maxTest) throws IOException {
        String name = dataset == null ? "" : dataset.trim().toLowerCase(Locale.ROOT);
        return switch (name) {
            case "digits" -> {
                TensorDataset all = BundledDatasets.digits();
                List<Subset> parts = Splits.stratifiedSplit(all, all.targetTensor(), new Generator(0), 0.9, 0.1);
                yield of(name, gather(all, parts.get(0).indices()), gather(all, parts.get(1).indices()), maxTrain, maxTest);
            }
            case "fashion-mnist", "fashion" -> {
                MnistDatasets.TrainTest tt = MnistDatasets.fashionMnist();
                yield of("fashion-mnist", tt.train(), tt.test(), maxTrain, maxTest);
            }
            case "mnist" -> {
                MnistDatasets.TrainTest tt = MnistDatasets.mnist();
                yield of(name, tt.train(), tt.test(), maxTrain, maxTest);
            }
            default -> throw new IllegalArgumentException("unknown dataset '" + dataset
                    + "'; expected digits, fashion-mnist or mnist");
        };
    }

    private static TensorDataset gather(TensorDataset all, int[] idx) {
        long[] l = new long[idx.length];
        for (int i = 0; i < idx.length; i++) l[i] = idx[i];
        Tensor ix = TensorData.wrapLongs(l, l.length);
        return new TensorDataset(all.inputTensor().indexSelect(0, ix), all.targetTensor().indexSelect(0, ix));
    }

    private static ClassicData of(String name, TensorDataset train, TensorDataset test, int maxTrain, int maxTest) {
        int n = limit(train.size(), maxTrain), m = limit(test.size(), maxTest);
        int d = train.inputTensor().numel() / train.size();
        float[] tx = java.util.Arrays.copyOf(train.inputTensor().contiguous().toFloatArray(), n * d);
        float[] vx = java.util.Arrays.copyOf(test.inputTensor().contiguous().toFloatArray(), m * d);
        long[] ty = labels(train.targetTensor(), n), vy = labels(test.targetTensor(), m);
        long c = 0;
        for (long v : ty) c = Math.max(c, v + 1);
        for (long v : vy) c = Math.max(c, v + 1);
        return new ClassicData(name, TensorData.wrap(tx, n, d), TensorData.wrapLongs(ty, n), TensorData.wrap(vx, m, d),
                TensorData.wrapLongs(vy, m), d, (int) c);
    }

    private static int limit(int size, int max) {
        if (max < 0) throw new IllegalArgumentException("sample limit must be >= 0 (0 = all), got " + max);
        return max == 0 ? size : Math.min(size, max);
    }

    private static long[] labels(Tensor t, int n) {
        long[] l = t.contiguous().toLongArray();
        long[] y = new long[n];
        // as ints, as the classifiers read them
        for (int i = 0; i < n; i++) y[i] = (int) l[i];
        return y;
    }

    /** Fraction of int64 predictions [N] equal to the labels [N]. */
    static double accuracy(Tensor predicted, Tensor truth) {
        long[] p = predicted.contiguous().toLongArray(), t = truth.contiguous().toLongArray();
        int right = 0;
        for (int i = 0; i < t.length; i++) if (p[i] == t[i]) right++;
        return (double) right / t.length;
    }
}
