package org.jgrad.vision.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jgrad.autograd.NoGrad;
import org.jgrad.internal.TensorData;
import org.jgrad.nn.Module;
import org.jgrad.nn.loss.CrossEntropyLoss;
import org.jgrad.optim.Adam;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

class RecurrentModelsTest {

    @Test
    void languageModelShapesNamesAndSampling() {
        for (String cell : List.of("lstm", "gru")) {
            var m = (CharLanguageModel) Models.create(cell, 20, 1);
            Tensor ids = TensorData.wrapLongs(new long[] {1, 2, 3, 4, 5, 6}, 2, 3);
            assertArrayEquals(new int[] {2, 20, 3}, m.call(ids).shape(), cell);
            var keys = m.stateDict().keySet();
            assertTrue(keys.containsAll(List.of("encoder.weight", "rnn.weight_ih_l0", "rnn.weight_hh_l1", "decoder.weight")),
                    keys.toString());
            long[] a = m.sample(Tensor.ofLongs(1, 2), 30, 0.8, new Generator(3)).toLongArray(), b = m.sample(Tensor.ofLongs(1, 2), 30, 0.8,
                    new Generator(3)).toLongArray();
            assertArrayEquals(a, b, "the same generator gives the same text");
            for (long v : a) assertTrue(v >= 0 && v < 20);
            assertTrue(m.isTraining(), "sampling restores the mode");
        }
    }

    /** Sampling step by step carries the state: the scores of a step equal the whole sequence's at that position. */
    @Test
    void stepwiseStateEqualsTheWholeSequence() {
        var m = (CharLanguageModel) Models.create("lstm", 7, 1);
        m.eval();
        long[] seq = {3, 1, 4, 1, 5};
        try (var ng = NoGrad.enter()) {
            Tensor whole = m.call(TensorData.wrapLongs(seq, 1, 5));
            Tensor prefix = m.call(TensorData.wrapLongs(java.util.Arrays.copyOf(seq, 4), 1, 4));
            assertArrayEquals(prefix.toFloatArray(), whole.narrow(2, 0, 4).contiguous().toFloatArray(), 1e-5f);
        }
    }

    /** A tiny language model learns a repeating text: the loss falls well below the uniform log(vocab). */
    @Test
    void learnsARepeatingText() {
        org.jgrad.nn.DefaultGenerator.manualSeed(0);
        Module m = new CharLanguageModel("gru", 4, 8, 16, 1, 0);
        long[] x = new long[4 * 12], y = new long[4 * 12];
        for (int i = 0; i < x.length; i++) {
            x[i] = i % 4;
            y[i] = (i + 1) % 4;
        }
        Tensor in = TensorData.wrapLongs(x, 4, 12), target = TensorData.wrapLongs(y, 4, 12);
        var opt = new Adam(m.parameters(), 0.05);
        var loss = new CrossEntropyLoss();
        double last = 0;
        for (int step = 0; step < 60; step++) {
            opt.zeroGrad();
            Tensor l = loss.forward(m.call(in), target);
            l.backward();
            opt.step();
            last = l.item();
        }
        assertTrue(last < 0.2, "loss " + last + " (uniform: " + Math.log(4) + ")");
    }

    @Test
    void classifierReadsOnlyTheWordsBeforeThePadding() {
        var m = (TextClassifier) Models.create("lstm_classifier", 3, 1);
        m.eval();
        try (var ng = NoGrad.enter()) {
            Tensor a = m.call(TensorData.wrapLongs(new long[] {5, 6, 7, 0, 0, 0}, 1, 6));
            Tensor b = m.call(TensorData.wrapLongs(new long[] {5, 6, 7}, 1, 3));
            assertArrayEquals(b.toFloatArray(), a.toFloatArray(), 1e-6f);
            assertArrayEquals(new int[] {2, 3}, m.call(TensorData.wrapLongs(new long[] {1, 2, 0, 3, 4, 5}, 2, 3)).shape());
        }
        assertEquals(10000 * 64L, m.stateDict().get("encoder.weight").numel());
    }
}
