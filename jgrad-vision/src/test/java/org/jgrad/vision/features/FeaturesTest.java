package org.jgrad.vision.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jgrad.data.Dataset;
import org.jgrad.data.TensorDataset;
import org.jgrad.internal.TensorData;
import org.jgrad.nn.Linear;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Features as a Transform: batches, datasets, and what a Linear layer takes. */
class FeaturesTest {
    static final Tensor IMAGES = Tensor.rand(new Generator(11), 40, 28, 28);
    static final Tensor LABELS = TensorData.wrapLongs(new long[40], 40);

    @Test
    void aBatchIsEachImageOnItsOwn() {
        for (ImageFeature f : new ImageFeature[] {new Hog(9, 4, 2), ColorHistogram.intensity(16), new PixelFeatures()}) {
            Tensor all = Features.extract(f, IMAGES);
            assertArrayEquals(new int[] {40, f.length(1, 28, 28)}, all.shape(), f.name());
            for (int i : new int[] {0, 17, 39})
                assertArrayEquals(f.apply(IMAGES.select(0, i)).toFloatArray(), all.select(0, i).contiguous().toFloatArray(),
                        f.name() + " image " + i);
        }
    }

    @Test
    void aDatasetOfImagesBecomesADatasetOfFeatureVectors() {
        TensorDataset images = new TensorDataset(IMAGES, LABELS);
        Hog hog = new Hog(9, 4, 2);
        TensorDataset eager = Features.extract(hog, images);
        Dataset lazy = images.map(hog);
        assertEquals(40, eager.size());
        assertArrayEquals(new int[] {1296}, lazy.get(3).input().shape());
        assertArrayEquals(eager.get(3).input().toFloatArray(), lazy.get(3).input().toFloatArray());
        Tensor scores = new Linear(1296, 10).call(lazy.getBatch(new int[] {0, 1, 2}).inputs());
        assertArrayEquals(new int[] {3, 10}, scores.shape());
    }

    /** A feature written outside this package: row means of the image, in tensor ops. */
    record RowMeans() implements ImageFeature {
        @Override
        public String name() {
            return "row means";
        }

        @Override
        public int length(int channels, int height, int width) {
            return channels * height;
        }

        @Override
        public Tensor apply(Tensor image) {
            return image.mean(image.dim() - 1, false).reshape(-1);
        }
    }

    @Test
    void anyImageFeatureWorksOnABatch() {
        Tensor all = Features.extract(new RowMeans(), IMAGES);
        assertArrayEquals(new int[] {40, 28}, all.shape());
        for (int i : new int[] {0, 39})
            assertArrayEquals(IMAGES.select(0, i).mean(1, false).toFloatArray(), all.select(0, i).contiguous().toFloatArray());
    }

    @Test
    void badBatches() {
        var e = assertThrows(IllegalArgumentException.class, () -> Features.extract(new Hog(), Tensor.zeros(28, 28)));
        assertTrue(e.getMessage().contains("[N, H, W] or [N, C, H, W]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Features.extract(new Hog(), Tensor.zeros(0, 1, 28, 28)));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
    }
}
