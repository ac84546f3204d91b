package org.jgrad.vision.features;

import java.util.Locale;
import org.jgrad.backend.ThreadPool;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;

/**
 * A bag of visual words: every image is cut into dense square patches (side {@code patch}, every
 * {@code stride} pixels), each patch is described ({@link PatchDescriptor}: HoG of the patch or
 * normalised raw pixels) and replaced by its nearest word of a vocabulary learnt by k-means on
 * training patches; the feature is the normalised histogram of words. With a spatial pyramid of
 * {@code L} levels (Lazebnik, Schmid and Ponce, 2006), the histogram is also taken over 2×2, 4×4, …
 * 2^L×2^L grids (a patch belongs to the cell of its centre), each level weighted as in the paper
 * (1/2^L for level 0, 1/2^(L−l+1) for level l ≥ 1); each level's histograms are divided by the
 * number of patches and the whole vector sums to 1. Length: words × (1 + 4 + … + 4^L).
 *
 * <p>{@link #fit} learns the vocabulary: at most {@code maxTrainingPatches} patches drawn at random
 * (seeded) from the training images, clustered by {@link KMeans} (k-means++, Lloyd) or, above
 * {@value #MINI_BATCH_ABOVE} patches, by {@link MiniBatchKMeans}. Immutable once fitted.
 */
public final class BagOfVisualWords extends ArrayImageFeature {
    /** Training patches above which the vocabulary is learnt by mini-batch k-means. */
    public static final int MINI_BATCH_ABOVE = 50_000;

    /**
     * How the bag is built.
     *
     * @param patch side of the square patches in pixels
     * @param stride pixels between patches, in both directions
     * @param descriptor what describes a patch
     * @param words vocabulary size (k of k-means)
     * @param pyramidLevels spatial pyramid levels beyond the whole image (0 = a plain bag)
     * @param maxTrainingPatches patches sampled from the training images to learn the vocabulary
     * @param seed seed of the sampling and of k-means
     */
    public record Settings(int patch, int stride, PatchDescriptor descriptor, int words, int pyramidLevels,
            int maxTrainingPatches, long seed) {
        /** Checks every value. */
        public Settings {
            if (patch < 1 || stride < 1 || words < 1 || pyramidLevels < 0 || maxTrainingPatches < 1)
                throw new IllegalArgumentException("bag of words: need patch, stride, words and maxTrainingPatches >= 1 and"
                        + " pyramidLevels >= 0, got patch " + patch + ", stride " + stride + ", " + words + " words, "
                        + pyramidLevels + " pyramid levels, " + maxTrainingPatches + " training patches");
            if (pyramidLevels > 4) throw new IllegalArgumentException("bag of words: at most 4 pyramid levels, got " + pyramidLevels);
            if (descriptor == null) throw new IllegalArgumentException("bag of words: descriptor is null");
        }

        /** 8×8 patches every 4 pixels described by their HoG, 200 words, no pyramid, 100,000 training patches, seed 0. */
        public static Settings defaults() {
            return new Settings(8, 4, PatchDescriptor.HOG, 200, 0, 100_000, 0);
        }
    }

    private final Settings settings;
    private final int channels;
    private final Codebook vocabulary;
    private final Hog patchHog;
    private final double trainingInertia;

    private BagOfVisualWords(Settings settings, int channels, Codebook vocabulary, double trainingInertia) {
        this.settings = settings;
        this.channels = channels;
        this.vocabulary = vocabulary;
        this.patchHog = PatchDescriptor.patchHog(settings.patch());
        this.trainingInertia = trainingInertia;
    }

    /** A bag with a given vocabulary (k × descriptor length), for images of {@code channels} channels. */
    public static BagOfVisualWords of(Settings settings, int channels, Codebook vocabulary) {
        int dd = settings.descriptor().length(channels, settings.patch());
        if (vocabulary.dim() != dd || vocabulary.size() != settings.words())
            throw new IllegalArgumentException("bag of words: the vocabulary has " + vocabulary.size() + " words of "
                    + vocabulary.dim() + " values, the settings need " + settings.words() + " of " + dd);
        return new BagOfVisualWords(settings, channels, vocabulary, Double.NaN);
    }

    /**
     * Learns the vocabulary from training images {@code [N, H, W]} or {@code [N, C, H, W]}.
     *
     * @throws IllegalArgumentException if the images are empty or smaller than a patch, or hold fewer
     *     patches than words
     */
    public static BagOfVisualWords fit(Tensor images, Settings s) {
        ImageShape shape = ImageShape.ofBatch("bag of words", images);
        int c = shape.channels(), h = shape.height(), w = shape.width();
        Grid grid = Grid.of(s, h, w);
        int dd = s.descriptor().length(c, s.patch());
        long available = (long) shape.count() * grid.count();
        int m = (int) Math.min(available, s.maxTrainingPatches());
        if (m < s.words())
            throw new IllegalArgumentException("bag of words: the training images hold " + available + " patches, fewer than"
                    + " the " + s.words() + " words to learn");
        Generator gen = new Generator(s.seed());
        long[] picks = new long[m];
        if (m == available) for (int i = 0; i < m; i++) picks[i] = i;
        else {
            // Distinct (image, patch) pairs by Floyd's sampling, then sorted so images are read in order.
            java.util.HashSet<Long> chosen = new java.util.HashSet<>();
            for (long j = available - m; j < available; j++) {
                long t = (long) (gen.nextDouble() * (j + 1));
                if (!chosen.add(t)) chosen.add(j);
            }
            int i = 0;
            for (long v : chosen) picks[i++] = v;
            java.util.Arrays.sort(picks);
        }
        float[] x = images.detach().contiguous().toFloatArray();
        float[] desc = new float[m * dd];
        Hog hog = PatchDescriptor.patchHog(s.patch());
        int px = shape.pixels();
        ThreadPool.forRange(m, 64, (from, to) -> {
            float[] buffer = new float[c * s.patch() * s.patch()];
            for (int i = from; i < to; i++) {
                int img = (int) (picks[i] / grid.count()), p = (int) (picks[i] % grid.count());
                s.descriptor().describe(hog, x, img * px, c, h, w, grid.top(p), grid.left(p), s.patch(), buffer, desc, i * dd);
            }
        });
        KMeans.Result r = m > MINI_BATCH_ABOVE ? new MiniBatchKMeans(s.words(), 1024, 10, s.seed()).fit(desc, m, dd)
                : new KMeans(s.words()).withSeed(s.seed()).fit(desc, m, dd);
        return new BagOfVisualWords(s, c, r.codebook(), r.inertia());
    }

    /** The settings. */
    public Settings settings() {
        return settings;
    }

    /** The vocabulary: one centroid per word. */
    public Codebook vocabulary() {
        return vocabulary;
    }

    /** k-means inertia on the training patches (NaN for a bag built by {@link #of}). */
    public double trainingInertia() {
        return trainingInertia;
    }

    @Override
    public String name() {
        return "bag of words";
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "bag of words(%d words, %dx%d %s patches every %d px, pyramid %d)",
                settings.words(), settings.patch(), settings.patch(), settings.descriptor(), settings.stride(),
                settings.pyramidLevels());
    }

    @Override
    public int length(int channels, int height, int width) {
        if (channels != this.channels)
            throw new IllegalArgumentException("bag of words: the vocabulary was learnt on " + this.channels
                    + "-channel images, got " + channels + " channels");
        Grid.of(settings, height, width);
        int cells = 0;
        for (int l = 0; l <= settings.pyramidLevels(); l++) cells += 1 << (2 * l);
        return settings.words() * cells;
    }

    @Override
    void extract(float[] image, int offset, int channels, int height, int width, float[] out, int outOffset) {
        ImageShape.check("bag of words", image, offset, channels, height, width);
        int len = length(channels, height, width), k = settings.words(), patch = settings.patch();
        Grid grid = Grid.of(settings, height, width);
        int n = grid.count(), dd = vocabulary.dim();
        float[] desc = new float[n * dd], buffer = new float[channels * patch * patch];
        for (int p = 0; p < n; p++)
            settings.descriptor().describe(patchHog, image, offset, channels, height, width, grid.top(p), grid.left(p),
                    patch, buffer, desc, p * dd);
        int[] word = new int[n];
        vocabulary.nearest(desc, 0, n, word, new float[Math.min(n, 256) * k]);
        java.util.Arrays.fill(out, outOffset, outOffset + len, 0f);
        int levels = settings.pyramidLevels(), base = outOffset;
        double total = 0;
        for (int l = 0; l <= levels; l++) {
            int side = 1 << l;
            double weight = levels == 0 ? 1 : l == 0 ? 1.0 / (1 << levels) : 1.0 / (1 << (levels - l + 1));
            float add = (float) (weight / n);
            for (int p = 0; p < n; p++) {
                int cy = grid.top(p) + patch / 2, cx = grid.left(p) + patch / 2;
                int cell = (cy * side / height) * side + cx * side / width;
                out[base + cell * k + word[p]] += add;
            }
            total += weight;
            base += side * side * k;
        }
        float norm = (float) (1 / total);
        for (int i = outOffset; i < outOffset + len; i++) out[i] *= norm;
    }

    /** Top-left corners of the dense patches of an image, row-major. */
    private record Grid(int rows, int cols, int stride) {
        static Grid of(Settings s, int h, int w) {
            if (h < s.patch() || w < s.patch())
                throw new IllegalArgumentException("bag of words: a " + h + "x" + w + " image is smaller than one "
                        + s.patch() + "x" + s.patch() + " patch");
            return new Grid((h - s.patch()) / s.stride() + 1, (w - s.patch()) / s.stride() + 1, s.stride());
        }

        int count() {
            return rows * cols;
        }

        int top(int p) {
            return p / cols * stride;
        }

        int left(int p) {
            return p % cols * stride;
        }
    }
}
