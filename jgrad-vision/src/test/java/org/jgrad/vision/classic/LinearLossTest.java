package org.jgrad.vision.classic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

class LinearLossTest {
    /** The cs231n linear-classification demo of seed 003. */
    static final float[] W = {1, 2, 2, -4, 3, -1}, B = {0, 0.5f, -0.5f};
    static final float[] X = {0.5f, 0.4f, 0.8f, 0.3f, 0.3f, 0.8f, -0.4f, 0.3f, -0.3f, 0.7f, -0.7f, 0.2f, 0.7f, -0.4f,
        0.5f, -0.6f, -0.4f, -0.5f};
    static final int[] Y = {0, 0, 0, 1, 1, 1, 2, 2, 2};

    /** The demo through the public API: tensors in and out. */
    static LinearLoss.Result demo(LinearLoss loss, double lambda) {
        long[] y = new long[Y.length];
        for (int i = 0; i < y.length; i++) y[i] = Y[i];
        return loss.evaluate(Tensor.fromArray(W, 3, 2), Tensor.fromArray(B, 3), Tensor.fromArray(X, 9, 2),
                Tensor.ofLongs(y), lambda);
    }

    @Test
    void reproducesTheDemoTable() {
        LinearLoss.Result r = demo(LinearLoss.SVM, 0.1);
        float[] scores = {1.3f, -0.1f, 0.6f, 1.4f, 0.9f, 1.6f, 1.9f, -2.1f, -0.4f, 0.2f, -1.5f, -2.0f, 1.1f, -2.9f, -2.1f,
            -0.3f, -1.7f, -2.8f, -0.1f, 3.5f, 2.0f, -0.7f, 3.9f, 1.6f, -1.4f, 1.7f, -1.2f};
        assertArrayEquals(new int[] {9, 3}, r.scores().shape());
        assertArrayEquals(scores, r.scores().toFloatArray(), 1e-5f);
        assertArrayEquals(new double[] {0.30, 1.70, 0.00, 3.20, 6.80, 2.40, 2.50, 3.30, 4.70}, r.perSample(), 1e-5);
        assertEquals(2.77, r.dataLoss(), 0.005);
        assertEquals(3.50, r.regLoss(), 1e-5); // λΣW² with b left out
        assertEquals(6.27, r.total(), 0.005);
    }

    @Test
    void demoGradientsAreTheDataGradientPlusHalfLambdaW() {
        LinearLoss.Result r = demo(LinearLoss.SVM, 0.1);
        // the demo's table: w[0,0] −0.38, w[0,1] 0.07, w[1,0] 0.51, w[1,1] −0.58, w[2,0] 0.17, w[2,1] 0.36; b 0.11 −0.11 0.00
        float[] demoW = {-0.38f, 0.07f, 0.51f, -0.58f, 0.17f, 0.36f};
        assertArrayEquals(new float[] {0.11f, -0.11f, 0.00f}, r.gradB().toFloatArray(), 0.005f); // b is not regularised
        assertArrayEquals(new int[] {3, 2}, r.gradW().shape());
        float[] halfLambda = new float[6], data = r.dataGradW().toFloatArray(), full = r.gradW().toFloatArray();
        for (int i = 0; i < 6; i++) halfLambda[i] = data[i] + 0.05f * W[i];
        assertArrayEquals(demoW, halfLambda, 0.005f);
        // neither the data gradient alone nor the true gradient 2λW of the displayed loss reproduces it
        assertTrue(Math.abs(data[0] - demoW[0]) > 0.04 && Math.abs(full[0] - demoW[0]) > 0.1);
        assertArrayEquals(new float[] {-0.4333f, -0.0333f, 0.4111f, -0.3778f, 0.0222f, 0.4111f}, data, 1e-4f);
    }

    @Test
    void softmaxLossOfTheDemo() {
        // numpy: mean(-log softmax(S)[y]) = 1.8366403938626412
        assertEquals(1.8366404, demo(LinearLoss.SOFTMAX, 0).dataLoss(), 1e-5);
    }

    @Test
    void gradientsMatchCentralDifferences() {
        Random rnd = new Random(3);
        int c = 4, d = 5, n = 7;
        float[] w = new float[c * d], b = new float[c], x = new float[n * d];
        int[] y = new int[n];
        for (int i = 0; i < w.length; i++) w[i] = (float) rnd.nextGaussian();
        for (int i = 0; i < c; i++) b[i] = (float) rnd.nextGaussian();
        for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian();
        for (int i = 0; i < n; i++) y[i] = rnd.nextInt(c);
        for (LinearLoss loss : LinearLoss.values()) {
            LinearLoss.Raw r = loss.evaluate(w, b, c, d, x, n, y, 0.3);
            float h = 1e-3f; // small enough that no hinge crosses its kink
            for (int i = 0; i < w.length; i++) {
                float keep = w[i];
                w[i] = keep + h;
                double up = loss.evaluate(w, b, c, d, x, n, y, 0.3).total();
                w[i] = keep - h;
                double down = loss.evaluate(w, b, c, d, x, n, y, 0.3).total();
                w[i] = keep;
                assertEquals((up - down) / (2 * h), r.gradW()[i], 2e-2, loss + " W[" + i + "]");
            }
            for (int i = 0; i < c; i++) {
                float keep = b[i];
                b[i] = keep + h;
                double up = loss.evaluate(w, b, c, d, x, n, y, 0.3).total();
                b[i] = keep - h;
                double down = loss.evaluate(w, b, c, d, x, n, y, 0.3).total();
                b[i] = keep;
                assertEquals((up - down) / (2 * h), r.gradB()[i], 2e-2, loss + " b[" + i + "]");
            }
        }
    }

    @Test
    void sgdSeparatesTheDemoPoints() {
        for (LinearLoss loss : LinearLoss.values()) {
            LinearClassifier clf = new LinearClassifier(Tensor.fromArray(W, 3, 2), Tensor.fromArray(B, 3));
            Tensor x = Tensor.fromArray(X, 9, 2), y = Tensor.ofLongs(0, 0, 0, 1, 1, 1, 2, 2, 2);
            double[] h = clf.fit(x, y, loss, 0.001, 300, 0.5, 9, new Generator(0));
            assertTrue(h[299] < h[0], loss + " loss falls");
            assertArrayEquals(y.toLongArray(), clf.predict(x).toLongArray(), loss.toString());
            assertArrayEquals(new int[] {3, 2}, clf.weight().shape());
        }
    }
}
