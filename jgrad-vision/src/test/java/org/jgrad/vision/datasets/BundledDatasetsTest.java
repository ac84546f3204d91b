package org.jgrad.vision.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jgrad.data.TensorDataset;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

class BundledDatasetsTest {

    @Test
    void digitsHave1797ImagesOfTenClasses() {
        TensorDataset d = BundledDatasets.digits();
        assertArrayEquals(new int[] {1797, 1, 8, 8}, d.inputTensor().shape());
        long[] y = d.targetTensor().toLongArray();
        int[] counts = new int[10];
        for (long v : y) counts[(int) v]++;
        for (int c : counts) assertTrue(c > 170 && c < 190, "class sizes are about 180");
        assertEquals(1f, d.inputTensor().max().item());
        assertEquals(0f, d.inputTensor().min().item());
        // first image of sklearn's digits: row 0 is 0,0,5,13,9,1,0,0 (scaled by 1/16)
        assertEquals(5f / 16, d.inputTensor().get(0, 0, 0, 2), 1e-6f);
        assertEquals(0L, y[0]);
    }

    @Test
    void irisHas150FlowersOfThreeSpecies() {
        TensorDataset d = BundledDatasets.iris();
        assertArrayEquals(new int[] {150, 4}, d.inputTensor().shape());
        assertEquals(5.1f, d.inputTensor().get(0, 0), 1e-6f);
        assertEquals(2L, d.targetTensor().toLongArray()[149]);
    }

    /** Runs when Debian's dataset-fashion-mnist package is installed (.ci/run installs it). */
    @Test
    void realFashionMnistFilesLoad() throws IOException {
        Path dir = Path.of("/usr/share/datasets/fashion-mnist");
        assumeTrue(Files.isDirectory(dir), "dataset-fashion-mnist is not installed");
        MnistDatasets.TrainTest tt = MnistDatasets.load(dir);
        assertArrayEquals(new int[] {60000, 1, 28, 28}, tt.train().inputTensor().shape());
        assertArrayEquals(new int[] {10000, 1, 28, 28}, tt.test().inputTensor().shape());
        Tensor y = tt.test().targetTensor();
        int[] counts = new int[10];
        for (long v : y.toLongArray()) counts[(int) v]++;
        for (int c : counts) assertEquals(1000, c, "Fashion-MNIST's test set has 1000 images per class");
        float max = tt.train().inputTensor().max().item();
        assertTrue(max <= 1f && max > 0.99f);
    }
}
