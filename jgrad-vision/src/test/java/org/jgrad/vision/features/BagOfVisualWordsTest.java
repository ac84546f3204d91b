package org.jgrad.vision.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jgrad.tensor.Tensor;
import org.jgrad.vision.datasets.BundledDatasets;
import org.junit.jupiter.api.Test;

/** On the bundled 8×8 digits: 4×4 patches every 2 pixels, nine a digit. */
class BagOfVisualWordsTest {
    static final Tensor DIGITS = BundledDatasets.digits().inputTensor(); // [1797, 1, 8, 8]

    static BagOfVisualWords.Settings settings(PatchDescriptor d, int words, int pyramid) {
        return new BagOfVisualWords.Settings(4, 2, d, words, pyramid, 100_000, 0);
    }

    @Test
    void aBagIsANormalisedHistogramOfItsPatchesWords() {
        for (PatchDescriptor d : PatchDescriptor.values()) {
            BagOfVisualWords bag = BagOfVisualWords.fit(DIGITS.narrow(0, 0, 500), settings(d, 20, 0));
            assertEquals(d == PatchDescriptor.HOG ? 36 : 16, bag.vocabulary().dim(), d.toString());
            Tensor f = Features.extract(bag, DIGITS.narrow(0, 500, 100));
            assertArrayEquals(new int[] {100, 20}, f.shape());
            float[] v = f.toFloatArray();
            for (int i = 0; i < 100; i++) {
                double s = 0;
                int nonZero = 0;
                for (int j = 0; j < 20; j++) {
                    s += v[i * 20 + j];
                    // Nine patches: every count is a multiple of 1/9.
                    float nine = v[i * 20 + j] * 9;
                    assertEquals(Math.round(nine), nine, 1e-5, "image " + i);
                    if (v[i * 20 + j] > 0) nonZero++;
                }
                assertEquals(1, s, 1e-6, "image " + i);
                assertTrue(nonZero >= 1 && nonZero <= 9);
            }
            assertTrue(bag.trainingInertia() > 0);
        }
    }

    @Test
    void theWordsAreTheNearestCentroids() {
        BagOfVisualWords bag = BagOfVisualWords.fit(DIGITS.narrow(0, 0, 300), settings(PatchDescriptor.PIXELS, 12, 0));
        Tensor img = DIGITS.select(0, 400);
        float[] x = img.contiguous().toFloatArray();
        float[] expected = new float[12];
        float[] desc = new float[16], buf = new float[16];
        for (int top = 0; top <= 4; top += 2)
            for (int left = 0; left <= 4; left += 2) {
                PatchDescriptor.PIXELS.describe(null, x, 0, 1, 8, 8, top, left, 4, buf, desc, 0);
                expected[bag.vocabulary().nearest(desc, 0)] += 1f / 9;
            }
        assertArrayEquals(expected, bag.apply(img).toFloatArray(), 1e-6f);
    }

    @Test
    void spatialPyramidLengthAndWeights() {
        BagOfVisualWords bag = BagOfVisualWords.fit(DIGITS.narrow(0, 0, 300), settings(PatchDescriptor.HOG, 10, 1));
        assertEquals(10 * (1 + 4), bag.length(1, 8, 8));
        float[] v = bag.apply(DIGITS.select(0, 0)).toFloatArray();
        double level0 = 0, level1 = 0;
        for (int i = 0; i < 10; i++) level0 += v[i];
        for (int i = 10; i < 50; i++) level1 += v[i];
        // Lazebnik's weights for L = 1: ½ for the whole image, ½ for the 2×2 grid; the whole sums to 1.
        assertEquals(0.5, level0, 1e-6);
        assertEquals(0.5, level1, 1e-6);
        assertEquals(10 * (1 + 4 + 16), BagOfVisualWords.fit(DIGITS.narrow(0, 0, 300), settings(PatchDescriptor.HOG, 10, 2))
                .length(1, 8, 8));
    }

    @Test
    void theSameSeedLearnsTheSameVocabulary() {
        var a = BagOfVisualWords.fit(DIGITS.narrow(0, 0, 200), settings(PatchDescriptor.PIXELS, 8, 0));
        var b = BagOfVisualWords.fit(DIGITS.narrow(0, 0, 200), settings(PatchDescriptor.PIXELS, 8, 0));
        assertArrayEquals(a.vocabulary().centroids().toFloatArray(), b.vocabulary().centroids().toFloatArray());
    }

    @Test
    void manyPatchesAreSampledAndClusteredByMiniBatches() {
        // 1,797 digits × 49 patches (every pixel) = 88,053 > 50,000: a sample of 60,000 goes to mini-batch k-means.
        var s = new BagOfVisualWords.Settings(2, 1, PatchDescriptor.PIXELS, 16, 0, 60_000, 3);
        BagOfVisualWords bag = BagOfVisualWords.fit(DIGITS, s);
        assertEquals(16, bag.vocabulary().size());
        assertTrue(bag.trainingInertia() > 0 && Double.isFinite(bag.trainingInertia()));
    }

    @Test
    void badInputsSayWhatIsWrong() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new BagOfVisualWords.Settings(4, 2, PatchDescriptor.HOG, 0, 0, 1000, 0));
        assertTrue(e.getMessage().contains("0 words"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> BagOfVisualWords.fit(DIGITS.narrow(0, 0, 10), new BagOfVisualWords.Settings(16, 2, PatchDescriptor.HOG, 4, 0, 1000, 0)));
        assertTrue(e.getMessage().contains("smaller than one 16x16 patch"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> BagOfVisualWords.fit(DIGITS.narrow(0, 0, 2), settings(PatchDescriptor.HOG, 50, 0)));
        assertTrue(e.getMessage().contains("18 patches, fewer than the 50 words"), e.getMessage());
        BagOfVisualWords bag = BagOfVisualWords.fit(DIGITS.narrow(0, 0, 100), settings(PatchDescriptor.PIXELS, 5, 0));
        e = assertThrows(IllegalArgumentException.class, () -> bag.apply(Tensor.zeros(3, 8, 8)));
        assertTrue(e.getMessage().contains("learnt on 1-channel images, got 3 channels"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> bag.apply(Tensor.zeros(1, 0, 8)));
        assertTrue(e.getMessage().contains("empty image"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PatchDescriptor.of("sift"));
    }
}
