package org.jgrad.vision.tools;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import org.jgrad.vision.classic.LinearLoss;
import org.jgrad.vision.classic.Metric;
import org.jgrad.vision.datasets.MnistDatasets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The classic classifiers on a slice of Fashion-MNIST (10k train, 1k test, to keep the suite fast);
 * runs where Debian's dataset-fashion-mnist package is installed. The full 60k/10k numbers are in
 * the report of the change that added these tools.
 */
class FashionMnistClassicTest {
    private static ClassicData data;

    @BeforeAll
    static void load() throws IOException {
        boolean present;
        try {
            MnistDatasets.find("fashion-mnist");
            present = true;
        } catch (IOException e) {
            present = false;
        }
        assumeTrue(present, "Fashion-MNIST is not installed");
        data = ClassicData.load("fashion-mnist", 10_000, 1_000);
    }

    @Test
    void knn() {
        KnnTool.Result r = KnnTool.run(data, 3, Metric.L2);
        System.out.println(r.summary());
        assertTrue(r.accuracy() > 0.78, r.summary());
    }

    @Test
    void linear() {
        LinearTool.Result r = LinearTool.run(data, LinearLoss.SOFTMAX, 1e-4, 3, 0.05, 0);
        System.out.println(r.summary());
        assertTrue(r.testAccuracy() > 0.75, r.summary());
    }
}
