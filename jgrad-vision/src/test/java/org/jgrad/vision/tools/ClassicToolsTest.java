package org.jgrad.vision.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.jgrad.vision.classic.CrossValidation;
import org.jgrad.vision.classic.LinearLoss;
import org.jgrad.vision.classic.Metric;
import org.junit.jupiter.api.Test;

/** Accuracy of the classic classifiers on the bundled digits (stratified 90/10 split). */
class ClassicToolsTest {
    @Test
    void knnOnDigits() throws IOException {
        ClassicData data = ClassicData.load("digits", 0, 0);
        assertEquals(1797, data.trainSize() + data.testSize());
        assertTrue(data.testSize() > 170 && data.testSize() < 185, "about 10% held out per class");
        for (Metric m : Metric.values()) {
            KnnTool.Result r = KnnTool.run(data, 3, m);
            System.out.println(r.summary());
            assertTrue(r.accuracy() >= 0.96, r.summary());
        }
    }

    @Test
    void kChosenByCrossValidationOnTheTrainingSplit() throws IOException {
        ClassicData data = ClassicData.load("digits", 0, 0);
        CrossValidation.KChoice c = KnnTool.chooseK(data, new int[] {1, 3, 5, 7, 9}, Metric.L2, 5, 0);
        System.out.println("5-fold CV accuracy per k " + java.util.Arrays.toString(c.ks()) + ": "
                + java.util.Arrays.toString(c.accuracy()) + " -> k = " + c.bestK());
        for (double a : c.accuracy()) assertTrue(a > 0.95);
        assertTrue(KnnTool.run(data, c.bestK(), Metric.L2).accuracy() >= 0.96);
    }

    @Test
    void linearClassifiersOnDigits() throws IOException {
        ClassicData data = ClassicData.load("digits", 0, 0);
        for (LinearLoss loss : LinearLoss.values()) {
            LinearTool.Result r = LinearTool.run(data, loss, 1e-3, 30, loss == LinearLoss.SVM ? 0.01 : 0.1, 0);
            System.out.println(r.summary());
            assertTrue(r.testAccuracy() >= 0.93, r.summary());
        }
    }

    @Test
    void unknownDatasetIsAClearError() {
        var e = assertThrows(IllegalArgumentException.class, () -> ClassicData.load("cifar-100", 0, 0));
        assertTrue(e.getMessage().contains("cifar-100"));
    }
}
