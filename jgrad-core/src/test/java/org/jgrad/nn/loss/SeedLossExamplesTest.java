package org.jgrad.nn.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.jgrad.internal.TensorData;
import org.jgrad.nn.Regularization;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The lectures' loss examples (seeds 000 and 003), computed through jgrad's losses. */
class SeedLossExamplesTest {
    /** Seed 003: class scores of three examples; the slide prints one example per column. */
    private static final float[][] SCORE_COLUMNS = {
            {3.2f, 1.3f, 2.2f},   // cat
            {5.1f, 4.9f, 2.5f},   // car
            {-1.7f, 2.0f, -3.1f}, // frog
    };
    private static final long CAT = 0, CAR = 1, FROG = 2;

    private static Tensor scoresPerExample() {
        return Tensor.of(SCORE_COLUMNS).t().contiguous(); // [example, class]
    }

    @Test
    void seed003MulticlassSvmLossesAre2point9And0And12point9() {
        Tensor labels = Tensor.ofLongs(CAT, CAR, FROG);
        Tensor perExample = new MultiClassHingeLoss(Reduction.NONE).forward(scoresPerExample(), labels);
        assertArrayEquals(new float[] {2.9f, 0f, 12.9f}, perExample.toFloatArray(), 1e-5f);
        // L = (1/N) Σ L_i
        assertEquals((2.9 + 0 + 12.9) / 3, new MultiClassHingeLoss().forward(scoresPerExample(), labels).item(), 1e-5);
    }

    @Test
    void pytorchMultiMarginLossIsTheSeedSvmLossDividedByTheClassCount() {
        Tensor labels = Tensor.ofLongs(CAT, CAR, FROG);
        Tensor perExample = new MultiMarginLoss(Reduction.NONE).forward(scoresPerExample(), labels);
        assertArrayEquals(new float[] {2.9f / 3, 0f, 12.9f / 3}, perExample.toFloatArray(), 1e-5f);
        Tensor summed = new MultiMarginLoss(Reduction.SUM).forward(scoresPerExample(), labels);
        assertEquals(2.9 + 12.9, summed.item() * 3, 1e-4);
    }

    @Test
    void seed003SoftmaxProbabilitiesAndCrossEntropyOfTheCatExample() {
        Tensor logits = Tensor.of(3.2f, 5.1f, -1.7f);
        double z = Math.exp(3.2) + Math.exp(5.1) + Math.exp(-1.7);
        assertEquals(24.5, Math.exp(3.2), 0.05);
        assertEquals(164.0, Math.exp(5.1), 0.05);
        assertEquals(0.13, Math.exp(3.2) / z, 0.005);
        assertEquals(0.87, Math.exp(5.1) / z, 0.005);
        assertEquals(0.00, Math.exp(-1.7) / z, 0.005);
        double expected = -Math.log(Math.exp(3.2) / z); // 2.0404, the slide's −ln(0.13) = 2.04 rounded
        Tensor loss = new CrossEntropyLoss().forward(logits, TensorData.wrapLongs(new long[] {CAT}));
        assertEquals(expected, loss.item(), 1e-5);
        assertEquals(2.04, loss.item(), 0.005);
    }

    @Test
    void seed003CrossEntropyOfAllThreeExamples() {
        Tensor labels = Tensor.ofLongs(CAT, CAR, FROG);
        Tensor per = new CrossEntropyLoss(Reduction.NONE).forward(scoresPerExample(), labels);
        float[][] s = {{3.2f, 5.1f, -1.7f}, {1.3f, 4.9f, 2.0f}, {2.2f, 2.5f, -3.1f}};
        int[] y = {0, 1, 2};
        for (int i = 0; i < 3; i++) {
            double z = 0;
            for (float v : s[i]) z += Math.exp(v);
            assertEquals(Math.log(z) - s[i][y[i]], per.get(i), 1e-5, "example " + i);
        }
    }

    /** Seed 000: two networks' predicted (dog, cat) probabilities for the same three rows. */
    @Test
    void seed000SoftmaxCrossEntropyTables() {
        Tensor labels = Tensor.ofLongs(0, 1, 0); // dog, cat, dog
        Tensor nn1 = Tensor.of(new float[][] {{0.9f, 0.1f}, {0.1f, 0.9f}, {0.4f, 0.6f}});
        Tensor nn2 = Tensor.of(new float[][] {{0.6f, 0.4f}, {0.3f, 0.7f}, {0.1f, 0.9f}});
        double ce1 = -(Math.log(0.9) + Math.log(0.9) + Math.log(0.4)) / 3; // 0.3756
        double ce2 = -(Math.log(0.6) + Math.log(0.7) + Math.log(0.1)) / 3; // 1.0567
        // NLL on log-probabilities, and cross-entropy on logits whose softmax gives those probabilities
        assertEquals(ce1, new NLLLoss().forward(nn1.log(), labels).item(), 1e-6);
        assertEquals(ce2, new NLLLoss().forward(nn2.log(), labels).item(), 1e-6);
        assertEquals(ce1, new CrossEntropyLoss().forward(nn1.log(), labels).item(), 1e-6);
        assertEquals(ce2, new CrossEntropyLoss().forward(nn2.log(), labels).item(), 1e-6);
        // ... and with the one-hot rows of the tables as probability targets
        Tensor oneHot = Tensor.of(new float[][] {{1, 0}, {0, 1}, {1, 0}});
        assertEquals(ce1, new CrossEntropyLoss().forward(nn1.log(), oneHot).item(), 1e-6);
        assertEquals(0.3756, ce1, 1e-4);
        assertEquals(1.0567, ce2, 1e-4);
        // Both networks misclassify one row in three (classification error 1/3 = 0.33), yet NN1's
        // cross-entropy is lower: it is more confident where it is right.
        assertEquals(1, nn1.argmax(1, false).ne(labels.toFloat()).sum().item(), 0);
        assertEquals(1, nn2.argmax(1, false).ne(labels.toFloat()).sum().item(), 0);
    }

    @Test
    void seed000BinaryCrossEntropyFormOfTheTables() {
        // E(y, ŷ) = −Σ y log ŷ + (1−y) log(1−ŷ) over both output nodes: twice the categorical CE for two classes
        Tensor nn1 = Tensor.of(new float[][] {{0.9f, 0.1f}, {0.1f, 0.9f}, {0.4f, 0.6f}});
        Tensor oneHot = Tensor.of(new float[][] {{1, 0}, {0, 1}, {1, 0}});
        Tensor perRow = new BCELoss(Reduction.NONE).forward(nn1, oneHot).sum(1, false);
        assertArrayEquals(new float[] {(float) (-2 * Math.log(0.9)), (float) (-2 * Math.log(0.9)), (float) (-2 * Math.log(0.4))},
                perRow.toFloatArray(), 1e-5f);
    }

    /**
     * Seed 003, the linear-classifier demo: W, b and nine 2-D points; the table's per-point SVM
     * losses, "Total data loss: 2.77", "Regularization loss: 3.50" (L2 strength 0.1, weights
     * only) and "Total loss: 6.27", and the bias gradients it prints (0.11, −0.11, 0.00).
     */
    @Test
    void seed003LinearClassifierDemo() {
        Tensor w = Tensor.of(new float[][] {{1, 2}, {2, -4}, {3, -1}}).requiresGrad(true);
        Tensor b = Tensor.of(0f, 0.5f, -0.5f).requiresGrad(true);
        Tensor x = Tensor.of(new float[][] {{0.5f, 0.4f}, {0.8f, 0.3f}, {0.3f, 0.8f}, {-0.4f, 0.3f}, {-0.3f, 0.7f},
                {-0.7f, 0.2f}, {0.7f, -0.4f}, {0.5f, -0.6f}, {-0.4f, -0.5f}});
        Tensor y = Tensor.ofLongs(0, 0, 0, 1, 1, 1, 2, 2, 2);
        Tensor scores = x.matmul(w.t()).add(b); // s = W x + b
        assertArrayEquals(new float[] {1.3f, -0.1f, 0.6f}, scores.detach().select(0, 0).toFloatArray(), 1e-6f);
        Tensor perPoint = new MultiClassHingeLoss(Reduction.NONE).forward(scores, y);
        assertArrayEquals(new float[] {0.30f, 1.70f, 0.00f, 3.20f, 6.80f, 2.40f, 2.50f, 3.30f, 4.70f}, perPoint.toFloatArray(), 1e-5f);
        Tensor dataLoss = new MultiClassHingeLoss().forward(scores, y);
        Tensor regLoss = Regularization.l2(List.of(w)).mul(0.1f);
        Tensor total = dataLoss.add(regLoss);
        assertEquals(2.77, dataLoss.item(), 0.005);
        assertEquals(3.50, regLoss.item(), 1e-6);
        assertEquals(6.27, total.item(), 0.005);
        total.backward();
        assertArrayEquals(new float[] {0.11f, -0.11f, 0.00f}, b.grad().toFloatArray(), 0.005f);
        // The demo's weight gradients are not checked: they equal the data gradient plus 0.05·W,
        // which does not match the derivative 0.2·W of the 0.1·ΣW² it reports as the penalty.
    }
}
