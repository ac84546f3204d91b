package org.jgrad.vision.tools;

import java.io.IOException;
import java.util.Locale;
import org.jgrad.tensor.Tensor;
import org.jgrad.vision.classic.CrossValidation;
import org.jgrad.vision.classic.KNearestNeighbors;
import org.jgrad.vision.classic.Metric;

/** The {@code jgrad knn} command as an API: k-NN accuracy and timing on a dataset. */
public final class KnnTool {
    private KnnTool() {}

    /**
     * What {@link #run} measured.
     *
     * @param dataset dataset name
     * @param trainSize training samples memorised
     * @param testSize test samples classified
     * @param k voting neighbours
     * @param metric distance
     * @param accuracy fraction of test samples classified correctly
     * @param fitSeconds time to memorise (and, for L2, pack) the training set
     * @param predictSeconds time to classify the test set
     */
    public record Result(String dataset, int trainSize, int testSize, int k, Metric metric, double accuracy,
            double fitSeconds, double predictSeconds) {
        /** One line for a terminal. */
        public String summary() {
            return String.format(Locale.ROOT, "%s k-NN k=%d %s: accuracy %.2f%% on %d test samples (%d train); fit %.2fs,"
                    + " predict %.2fs", dataset, k, metric, 100 * accuracy, testSize, trainSize, fitSeconds, predictSeconds);
        }
    }

    /** k-NN on the whole of {@code dataset} (see {@link ClassicData#load}). */
    public static Result run(String dataset, int k, Metric metric) throws IOException {
        return run(dataset, k, metric, 0, 0);
    }

    /** k-NN on the first {@code maxTrain} training and {@code maxTest} test samples (0 = all). */
    public static Result run(String dataset, int k, Metric metric, int maxTrain, int maxTest) throws IOException {
        return run(ClassicData.load(dataset, maxTrain, maxTest), k, metric);
    }

    /** k-NN on already loaded data. */
    public static Result run(ClassicData data, int k, Metric metric) {
        long t0 = System.nanoTime();
        KNearestNeighbors knn = new KNearestNeighbors(k, metric).fit(data.trainX(), data.trainY());
        long t1 = System.nanoTime();
        Tensor p = knn.predict(data.testX()); // votes among min(k, training samples)
        long t2 = System.nanoTime();
        return new Result(data.name(), data.trainSize(), data.testSize(), k, metric, ClassicData.accuracy(p, data.testY()),
                (t1 - t0) / 1e9, (t2 - t1) / 1e9);
    }

    /**
     * Chooses k among {@code ks} by {@code folds}-fold cross-validation on the training split only
     * (the test split stays unseen), with the shuffling seeded by {@code seed}.
     */
    public static CrossValidation.KChoice chooseK(ClassicData data, int[] ks, Metric metric, int folds, long seed) {
        return CrossValidation.chooseK(data.trainX(), data.trainY(), ks, metric, folds, seed);
    }
}
