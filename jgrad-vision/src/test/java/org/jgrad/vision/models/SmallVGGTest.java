package org.jgrad.vision.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jgrad.autograd.NoGrad;
import org.jgrad.internal.TensorData;
import org.jgrad.nn.Module;
import org.jgrad.nn.DefaultGenerator;
import org.jgrad.nn.loss.Losses;
import org.jgrad.optim.Adam;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

class SmallVGGTest {

    @Test
    void parameterCountMatchesTheArchitecture() {
        // convs 1·32·9 + 32·32·9 + 32·64·9 + 64·64·9 (no bias), 4 BN2d + 1 BN1d (weight, bias),
        // linear 3136·256 + 256 and 256·10 + 10
        long expected = 288 + 9216 + 18432 + 36864 + 2 * (32 + 32 + 64 + 64) + 3136 * 256 + 256 + 2 * 256 + 2570;
        assertEquals(expected, Models.parameterCount("vgg_small_bn", 10, 1));
        long built = 0;
        for (Tensor p : Models.create("vgg_small_bn", 10, 1).parameters()) built += p.numel();
        assertEquals(expected, built);
        long threeChannels = expected + (3 - 1) * 32 * 9 + (7 - 10) * (256 + 1); // wider first conv, smaller head
        assertEquals(threeChannels, count(Models.create("vgg_small_bn", 7, 3)));
    }

    private static long count(Module m) {
        long n = 0;
        for (Tensor p : m.parameters()) n += p.numel();
        return n;
    }

    @Test
    void outputShapesFor28And32PixelImages() {
        Module m = Models.vggSmallBn(10);
        m.eval();
        Generator g = new Generator(1);
        try (NoGrad ignored = NoGrad.enter()) {
            assertArrayEquals(new int[] {3, 10}, m.forward(Tensor.randn(g, 3, 1, 28, 28)).shape());
            assertArrayEquals(new int[] {2, 10}, m.forward(Tensor.randn(g, 2, 1, 32, 32)).shape());
        }
    }

    @Test
    void stateDictKeysFollowTheLayerOrder() {
        List<String> keys = List.copyOf(Models.vggSmallBn(10).stateDict().keySet());
        assertEquals("features.0.weight", keys.get(0));
        assertEquals("features.1.weight", keys.get(1));
        assertEquals("features.1.running_mean", keys.get(3));
        assertEquals("features.8.weight", keys.get(12)); // conv 32 → 64 after pool (6) and dropout (7)
        assertTrue(keys.contains("classifier.0.weight"));
        assertTrue(keys.contains("classifier.1.running_var"));
        assertEquals("classifier.4.bias", keys.get(keys.size() - 1));
    }

    /** In eval mode, fresh batch norm is the identity (mean 0, var 1) and dropout is off: the forward is a plain conv net. */
    @Test
    void evalForwardOfAConstantImageIsTheSameForEveryImageOfTheBatch() {
        DefaultGenerator.manualSeed(3);
        Module m = Models.vggSmallBn(4);
        m.eval();
        try (NoGrad ignored = NoGrad.enter()) {
            Tensor x = Tensor.full(0.5f, 2, 1, 28, 28);
            float[] y = m.forward(x).toFloatArray();
            for (int j = 0; j < 4; j++) assertEquals(y[j], y[4 + j], 0f);
        }
    }

    @Test
    void learnsToSeparateTwoSimplePatterns() {
        DefaultGenerator.manualSeed(0);
        Module m = Models.vggSmallBn(2);
        m.train();
        Generator g = new Generator(5);
        // class 0: bright left half, class 1: bright right half, plus noise
        int n = 16;
        float[] px = new float[n * 28 * 28];
        long[] labels = new long[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
            for (int r = 0; r < 28; r++)
                for (int c = 0; c < 28; c++)
                    px[i * 784 + r * 28 + c] = ((c < 14) == (i % 2 == 0) ? 1f : 0f) + 0.1f * (float) g.nextGaussian();
        }
        Tensor x = Tensor.fromArray(px, n, 1, 28, 28), y = TensorData.wrapLongs(labels, n);
        Adam opt = new Adam(m.parameters(), 1e-3);
        float first = 0, last = 0;
        for (int step = 0; step < 15; step++) {
            opt.zeroGrad();
            Tensor loss = Losses.crossEntropy(m.forward(x), y);
            loss.backward();
            opt.step();
            if (step == 0) first = loss.item();
            last = loss.item();
        }
        assertTrue(last < 0.5 * first, "loss " + first + " -> " + last);
        m.eval();
        try (NoGrad ignored = NoGrad.enter()) {
            long[] pred = m.forward(x).argmax(1, false).toLongArray();
            assertArrayEquals(labels, pred);
        }
    }
}
