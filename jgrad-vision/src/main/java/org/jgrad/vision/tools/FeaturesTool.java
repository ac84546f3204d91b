package org.jgrad.vision.tools;

import java.io.IOException;
import java.util.Locale;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.jgrad.vision.classic.KNearestNeighbors;
import org.jgrad.vision.classic.LinearClassifier;
import org.jgrad.vision.classic.LinearLoss;
import org.jgrad.vision.classic.Metric;
import org.jgrad.vision.features.BagOfVisualWords;
import org.jgrad.vision.features.ColorHistogram;
import org.jgrad.vision.features.Features;
import org.jgrad.vision.features.Hog;
import org.jgrad.vision.features.ImageFeature;
import org.jgrad.vision.features.PatchDescriptor;
import org.jgrad.vision.features.PixelFeatures;

/**
 * The {@code jgrad features} command as an API: hand-made features of a dataset's images fed to a
 * classic classifier, timed, and LeNet-5 trained for the same wall time — the lectures' comparison of
 * the pre-deep-learning pipeline with a ConvNet that learns its features.
 */
public final class FeaturesTool {
    private FeaturesTool() {}

    /** Which features. */
    public enum Kind {
        /** The raw pixel values, flattened: the baseline every feature must beat. */
        PIXELS,
        /** A per-channel colour (or, for greyscale, intensity) histogram ({@link org.jgrad.vision.features.ColorHistogram}). */
        COLOR,
        /** Histograms of oriented gradients, as scikit-image computes them ({@link org.jgrad.vision.features.Hog}). */
        HOG,
        /** A bag of visual words over HoG patch descriptors, with a spatial pyramid. */
        BOVW;

        /** Parses {@code pixels}, {@code color}/{@code colour}/{@code histogram}, {@code hog}, {@code bovw}. */
        public static Kind of(String s) {
            return switch (s == null ? "" : s.trim().toLowerCase(Locale.ROOT)) {
                case "pixels", "raw" -> PIXELS;
                case "color", "colour", "histogram", "intensity" -> COLOR;
                case "hog" -> HOG;
                case "bovw", "bag-of-words", "bow" -> BOVW;
                default -> throw new IllegalArgumentException("--kind must be hog, color, bovw or pixels, got '" + s + "'");
            };
        }

        /** The command-line spelling. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Which classifier takes the features. */
    public enum Classifier {
        /** A linear classifier trained with the multiclass SVM (hinge) loss. */
        LINEAR_SVM,
        /** A linear classifier trained with the softmax (cross-entropy) loss. */
        SOFTMAX,
        /** k-nearest neighbours on the feature vectors. */
        KNN;

        /** Parses {@code linear-svm}/{@code svm}, {@code softmax}, {@code knn}. */
        public static Classifier of(String s) {
            return switch (s == null ? "" : s.trim().toLowerCase(Locale.ROOT)) {
                case "linear-svm", "svm" -> LINEAR_SVM;
                case "softmax" -> SOFTMAX;
                case "knn", "k-nn" -> KNN;
                default -> throw new IllegalArgumentException("--classifier must be linear-svm, softmax or knn, got '" + s
                        + "'");
            };
        }

        /** The command-line spelling. */
        public String label() {
            return this == LINEAR_SVM ? "linear-svm" : name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Everything a run needs.
     *
     * @param kind the features
     * @param classifier the classifier
     * @param hogCell HoG cell side in pixels
     * @param hogBlock HoG block side in cells
     * @param bins histogram bins per channel
     * @param words bag-of-words vocabulary size
     * @param patch bag-of-words patch side (0 = 8, or 4 for images under 16 pixels)
     * @param pyramid spatial pyramid levels of the bag of words
     * @param lambda L2 regularisation of the linear classifiers
     * @param epochs SGD epochs of the linear classifiers
     * @param lr SGD learning rate
     * @param k neighbours of k-NN
     * @param cnn also train LeNet-5 for the same wall time
     * @param seed seed of everything random
     */
    public record Options(Kind kind, Classifier classifier, int hogCell, int hogBlock, int bins, int words, int patch,
            int pyramid, double lambda, int epochs, double lr, int k, boolean cnn, long seed) {
        /**
         * HoG with 4-pixel cells in 2×2 blocks, 32 bins, 200 words with a one-level pyramid, λ 1e-4, 10 epochs,
         * lr 0.5, k 5, with LeNet-5, seed 0.
         */
        public static Options defaults(Kind kind, Classifier classifier) {
            return new Options(kind, classifier, 4, 2, 32, 200, 0, 1, 1e-4, 10, 0.5, 5, true, 0);
        }

        /** The same without the LeNet-5 comparison. */
        public Options withoutCnn() {
            return new Options(kind, classifier, hogCell, hogBlock, bins, words, patch, pyramid, lambda, epochs, lr, k, false,
                    seed);
        }
    }

    /**
     * What a run measured.
     *
     * @param dataset dataset name
     * @param feature the feature extractor's description
     * @param featureLength values per image
     * @param classifier the classifier
     * @param accuracy test accuracy
     * @param featureSeconds learning the vocabulary (bag of words) and extracting train and test features
     * @param trainSeconds training the classifier
     * @param predictSeconds classifying the test set
     * @param cnn LeNet-5 trained for featureSeconds + trainSeconds, or null
     */
    public record Result(String dataset, String feature, int featureLength, Classifier classifier, double accuracy,
            double featureSeconds, double trainSeconds, double predictSeconds, TimedLeNet.Result cnn) {
        /** Features plus training: the budget LeNet-5 gets. */
        public double pipelineSeconds() {
            return featureSeconds + trainSeconds;
        }

        /** The lines a terminal shows. */
        public String summary() {
            StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                    "%s: %s, %d features + %s: test accuracy %.2f%% (features %.1f s, training %.1f s, prediction %.1f s)%n",
                    dataset, feature, featureLength, classifier.label(), 100 * accuracy, featureSeconds, trainSeconds,
                    predictSeconds));
            if (cnn != null) {
                s.append(cnn.summary()).append(System.lineSeparator());
                s.append(System.lineSeparator());
                String row = "%-34s %10s %9s %9s%n";
                s.append(String.format(Locale.ROOT, row, "method", "features", "accuracy", "time"));
                s.append(String.format(Locale.ROOT, row, feature.replaceAll("\\(.*", "").trim() + " + " + classifier.label(),
                        featureLength, pct(accuracy), secs(pipelineSeconds())));
                s.append(String.format(Locale.ROOT, row, "LeNet-5, same wall time", "learned", pct(cnn.accuracy()),
                        secs(cnn.trainSeconds())));
            }
            return s.toString().stripTrailing();
        }

        private static String pct(double a) {
            return String.format(Locale.ROOT, "%.2f%%", 100 * a);
        }

        private static String secs(double t) {
            return String.format(Locale.ROOT, "%.1f s", t);
        }
    }

    /** Runs on the whole of {@code dataset} (see {@link ImageData#load}). */
    public static Result run(String dataset, Options o) throws IOException {
        return run(ImageData.load(dataset, 0, 0), o);
    }

    /** Runs on already loaded images. */
    public static Result run(ImageData data, Options o) {
        long t0 = System.nanoTime();
        ImageFeature feature = feature(data, o);
        Tensor train = Features.extract(feature, data.train().inputTensor());
        Tensor test = Features.extract(feature, data.test().inputTensor());
        long t1 = System.nanoTime();
        int n = train.size(0), m = test.size(0), d = train.size(1);
        Tensor ty = data.train().targetTensor(), vy = data.test().targetTensor();
        Tensor predicted;
        long t2, t3;
        if (o.classifier() == Classifier.KNN) {
            KNearestNeighbors knn = new KNearestNeighbors(o.k(), Metric.L2).fit(train, ty);
            t2 = System.nanoTime();
            predicted = knn.predict(test); // votes among min(k, training samples)
        } else {
            float[] tx = train.toFloatArray(), vx = test.toFloatArray();
            Standardiser st = new Standardiser(tx, n, d);
            st.apply(tx, n);
            st.apply(vx, m);
            Generator gen = new Generator(o.seed());
            LinearClassifier clf = new LinearClassifier(Math.max(2, data.classes()), d, gen);
            clf.fit(TensorData.wrap(tx, n, d), ty, o.classifier() == Classifier.SOFTMAX ? LinearLoss.SOFTMAX : LinearLoss.SVM,
                    o.lambda(), o.epochs(), o.lr(), LinearTool.BATCH_SIZE, gen);
            t2 = System.nanoTime();
            predicted = clf.predict(TensorData.wrap(vx, m, d));
        }
        t3 = System.nanoTime();
        Result r = new Result(data.name(), feature.toString(), d, o.classifier(), ClassicData.accuracy(predicted, vy),
                (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9, null);
        if (!o.cnn()) return r;
        TimedLeNet.Result cnn = TimedLeNet.run(data, r.pipelineSeconds(), o.seed());
        return new Result(r.dataset(), r.feature(), r.featureLength(), r.classifier(), r.accuracy(), r.featureSeconds(),
                r.trainSeconds(), r.predictSeconds(), cnn);
    }

    /** The feature extractor the options describe, fitted to the training images where it learns (bag of words). */
    static ImageFeature feature(ImageData data, Options o) {
        int h = data.train().inputTensor().size(2), w = data.train().inputTensor().size(3);
        return switch (o.kind()) {
            case PIXELS -> new PixelFeatures();
            // Grey images get the intensity histogram, colour images one histogram per RGB channel.
            case COLOR -> new ColorHistogram(o.bins(), ColorHistogram.Mode.PER_CHANNEL,
                    data.train().inputTensor().size(1) == 1 ? ColorHistogram.Space.GRAY : ColorHistogram.Space.AS_IS, 0f, 1f);
            case HOG -> new Hog(9, o.hogCell(), o.hogBlock());
            case BOVW -> {
                int patch = o.patch() > 0 ? o.patch() : Math.min(h, w) < 16 ? 4 : 8;
                yield BagOfVisualWords.fit(data.train().inputTensor(), new BagOfVisualWords.Settings(patch,
                        Math.max(1, patch / 2), PatchDescriptor.HOG, o.words(), o.pyramid(), 100_000, o.seed()));
            }
        };
    }

    /**
     * Per-feature standardisation from the training rows, then a common 1/√d so every sample has a
     * mean squared norm near 1 whatever d is: one learning rate then suits 32 histogram bins and
     * 1,296 HoG values alike. Features constant on the training set are only centred.
     */
    private static final class Standardiser {
        final float[] mean, scale;
        final int d;

        Standardiser(float[] x, int n, int d) {
            this.d = d;
            double[] s = new double[d], s2 = new double[d];
            for (int i = 0; i < n; i++)
                for (int p = 0; p < d; p++) {
                    double v = x[i * d + p];
                    s[p] += v;
                    s2[p] += v * v;
                }
            mean = new float[d];
            scale = new float[d];
            double common = 1 / Math.sqrt(d);
            for (int p = 0; p < d; p++) {
                double mu = s[p] / n, var = Math.max(0, s2[p] / n - mu * mu);
                mean[p] = (float) mu;
                scale[p] = (float) (var > 1e-12 ? common / Math.sqrt(var) : common);
            }
        }

        void apply(float[] x, int n) {
            for (int i = 0; i < n; i++) for (int p = 0; p < d; p++) x[i * d + p] = (x[i * d + p] - mean[p]) * scale[p];
        }
    }
}
