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
 * Train and test images kept as images ([N, C, H, W], values in [0, 1]) with int labels, for the
 * feature extractors; the splits are those of {@link ClassicData#load}.
 *
 * @param name the dataset's name
 * @param train training images and int64 labels
 * @param test test images and labels
 * @param classes number of classes
 */
public record ImageData(String name, TensorDataset train, TensorDataset test, int classes) {

    /** Labels of a split as ints. */
    public static int[] labels(TensorDataset split) {
        long[] l = split.targetTensor().contiguous().toLongArray();
        int[] y = new int[l.length];
        for (int i = 0; i < l.length; i++) y[i] = (int) l[i];
        return y;
    }

    /**
     * {@code "digits"} (bundled 8×8, stratified 90/10 split with seed 0), {@code "fashion-mnist"} or
     * {@code "mnist"} (official 60k/10k splits), keeping the first {@code maxTrain}/{@code maxTest}
     * samples of each split (0 = all).
     *
     * @throws IOException when an MNIST-style dataset is not installed (the message says where it looked)
     */
    public static ImageData load(String dataset, int maxTrain, int maxTest) throws IOException {
        String name = dataset == null ? "" : dataset.trim().toLowerCase(Locale.ROOT);
        return switch (name) {
            case "digits" -> {
                TensorDataset all = BundledDatasets.digits();
                List<Subset> parts = Splits.stratifiedSplit(all, all.targetTensor().toLongArray(), new Generator(0), 0.9, 0.1);
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

    private static ImageData of(String name, TensorDataset train, TensorDataset test, int maxTrain, int maxTest) {
        TensorDataset tr = firstImages(train, maxTrain), te = firstImages(test, maxTest);
        int c = 0;
        for (int v : labels(tr)) c = Math.max(c, v + 1);
        for (int v : labels(te)) c = Math.max(c, v + 1);
        return new ImageData(name, tr, te, c);
    }

    /** The first {@code max} samples (0 = all) with images as [N, C, H, W]. */
    private static TensorDataset firstImages(TensorDataset d, int max) {
        if (max < 0) throw new IllegalArgumentException("sample limit must be >= 0 (0 = all), got " + max);
        int n = max == 0 ? d.size() : Math.min(d.size(), max);
        Tensor x = d.inputTensor().narrow(0, 0, n), y = d.targetTensor().narrow(0, 0, n);
        if (x.dim() == 3) x = x.unsqueeze(1);
        return new TensorDataset(x.contiguous(), y.contiguous());
    }
}
