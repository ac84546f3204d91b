package org.jgrad.vision.tools;

import java.io.IOException;
import java.util.Locale;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.jgrad.vision.classic.LinearClassifier;
import org.jgrad.vision.classic.LinearLoss;

/** The {@code jgrad linear} command as an API: train a linear classifier on a dataset and test it. */
public final class LinearTool {
    private LinearTool() {}

    /** Minibatch size of {@link #run}. */
    public static final int BATCH_SIZE = 64;

    /**
     * What {@link #run} measured.
     *
     * @param dataset dataset name
     * @param loss SVM or softmax
     * @param lambda L2 regularisation strength
     * @param epochs passes over the training set
     * @param lr learning rate
     * @param trainAccuracy accuracy on the training split after training
     * @param testAccuracy accuracy on the test split
     * @param finalLoss mean total loss over the last epoch's batches
     * @param trainSeconds training time
     */
    public record Result(String dataset, LinearLoss loss, double lambda, int epochs, double lr, double trainAccuracy,
            double testAccuracy, double finalLoss, double trainSeconds) {
        /** One line for a terminal. */
        public String summary() {
            return String.format(Locale.ROOT, "%s linear %s (lambda %g, %d epochs, lr %g): test accuracy %.2f%%, train %.2f%%,"
                    + " loss %.4f, %.2fs", dataset, loss, lambda, epochs, lr, 100 * testAccuracy, 100 * trainAccuracy,
                    finalLoss, trainSeconds);
        }
    }

    /** Trains on the whole training split of {@code dataset} (see {@link ClassicData#load}) with seed 0. */
    public static Result run(String dataset, LinearLoss loss, double lambda, int epochs, double lr) throws IOException {
        return run(ClassicData.load(dataset, 0, 0), loss, lambda, epochs, lr, 0);
    }

    /**
     * Trains on already loaded data. Inputs are centred by the training split's per-feature mean
     * first (cs231n's preprocessing: without it every score shares a large common offset that SGD
     * is slow to undo); weights start from N(0, 0.001²) and batches of {@value #BATCH_SIZE} are
     * shuffled, both from {@code seed}.
     */
    public static Result run(ClassicData data, LinearLoss loss, double lambda, int epochs, double lr, long seed) {
        int d = data.dim(), n = data.trainSize(), m = data.testSize();
        float[] trainX = data.trainX().contiguous().toFloatArray();
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) for (int p = 0; p < d; p++) mean[p] += trainX[i * d + p];
        for (int p = 0; p < d; p++) mean[p] /= n;
        Tensor tx = TensorData.wrap(centred(trainX, n, d, mean), n, d);
        Tensor vx = TensorData.wrap(centred(data.testX().contiguous().toFloatArray(), m, d, mean), m, d);
        Generator gen = new Generator(seed);
        LinearClassifier clf = new LinearClassifier(data.classes(), d, gen);
        long t0 = System.nanoTime();
        double[] history = clf.fit(tx, data.trainY(), loss, lambda, epochs, lr, BATCH_SIZE, gen);
        double secs = (System.nanoTime() - t0) / 1e9;
        return new Result(data.name(), loss, lambda, epochs, lr, ClassicData.accuracy(clf.predict(tx), data.trainY()),
                ClassicData.accuracy(clf.predict(vx), data.testY()), epochs == 0 ? Double.NaN : history[epochs - 1],
                secs);
    }

    private static float[] centred(float[] x, int n, int d, double[] mean) {
        float[] out = new float[n * d];
        for (int i = 0; i < n; i++) for (int p = 0; p < d; p++) out[i * d + p] = (float) (x[i * d + p] - mean[p]);
        return out;
    }
}
