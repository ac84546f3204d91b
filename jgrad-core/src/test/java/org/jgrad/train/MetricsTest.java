package org.jgrad.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

class MetricsTest {

    @Test
    void accuracyAndTopK() {
        Tensor logits = Tensor.of(new float[][] {{0.1f, 0.7f, 0.2f}, {0.5f, 0.3f, 0.2f}, {0.2f, 0.3f, 0.5f}, {0.4f, 0.4f, 0.2f}});
        Tensor y = Tensor.ofLongs(1, 1, 0, 1);
        // row 3 ties 0 and 1: arg-max picks 0, so it is a miss at k=1
        assertEquals(0.25, Metrics.accuracy(logits, y), 1e-12);
        assertEquals(0.75, Metrics.topKAccuracy(logits, y, 2), 1e-12);
        assertEquals(1.0, Metrics.topKAccuracy(logits, y, 3), 1e-12);
        var e = assertThrows(IllegalArgumentException.class, () -> Metrics.accuracy(logits, Tensor.ofLongs(1, 2)));
        assertTrue(e.getMessage().contains("2 targets for 4 predictions"), e.getMessage());
    }

    @Test
    void regressionMetrics() {
        Tensor p = Tensor.of(2.5f, 0.0f, 2f, 8f), t = Tensor.of(3f, -0.5f, 2f, 7f);
        assertEquals(0.375, Metrics.mse(p, t), 1e-7);
        assertEquals(0.5, Metrics.mae(p, t), 1e-7);
        assertEquals(0.9486081370449679, Metrics.r2(p, t), 1e-6); // sklearn's r2_score doc example
    }

    @Test
    void confusionMatrixCountsAndScores() {
        // sklearn's confusion_matrix example: y_true [2,0,2,2,0,1], y_pred [0,0,2,2,0,2]
        ConfusionMatrix cm = new ConfusionMatrix(List.of("ant", "bird", "cat"));
        cm.add(Tensor.ofLongs(0, 0, 2, 2, 0, 2), Tensor.ofLongs(2, 0, 2, 2, 0, 1));
        assertEquals(2, cm.count(0, 0));
        assertEquals(1, cm.count(1, 2));
        assertEquals(1, cm.count(2, 0));
        assertEquals(2, cm.count(2, 2));
        assertEquals(4.0 / 6, cm.accuracy(), 1e-12);
        assertEquals(2.0 / 3, cm.precision(0), 1e-12);
        assertEquals(1.0, cm.recall(0), 1e-12);
        assertEquals(0.8, cm.f1(0), 1e-12);
        assertEquals(0.0, cm.f1(1), 1e-12);
        String table = cm.toString();
        assertTrue(table.contains("true\\pred") && table.contains("cat") && table.contains("accuracy 0.6667"), table);
        assertThrows(IndexOutOfBoundsException.class, () -> cm.add(Tensor.ofLongs(3), Tensor.ofLongs(0)));
    }
}
