package org.jgrad.vision.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.jgrad.autograd.NoGrad;
import org.jgrad.nn.DefaultGenerator;
import org.jgrad.nn.Module;
import org.jgrad.nn.loss.CrossEntropyLoss;
import org.jgrad.optim.Adam;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The zoo's Transformer text models; their numbers against PyTorch are in {@link DemoModelsFromPyTorchTest}. */
class TransformerModelsTest {

    private static Tensor ids(int n, int t, long... v) {
        return Tensor.ofLongs(v).reshape(n, t);
    }

    @Test
    void languageModelShapesNamesAndSampling() {
        var m = (TransformerLanguageModel) Models.create("transformer", 20, 1);
        assertEquals(100, m.context());
        assertArrayEquals(new int[] {2, 20, 3}, m.call(ids(2, 3, 1, 2, 3, 4, 5, 6)).shape());
        var keys = m.stateDict().keySet();
        assertTrue(keys.containsAll(List.of("encoder.weight", "pos.pe", "transformer.layers.1.self_attn.in_proj_weight",
                "transformer.norm.weight", "decoder.weight")), keys.toString());
        long[] a = m.sample(Tensor.ofLongs(1, 2), 30, 0.8, new Generator(3)).toLongArray();
        long[] b = m.sample(Tensor.ofLongs(1, 2), 30, 0.8, new Generator(3)).toLongArray();
        assertArrayEquals(a, b, "the same generator gives the same text");
        for (long v : a) assertTrue(v >= 0 && v < 20);
        assertTrue(m.isTraining(), "sampling restores the mode");
    }

    /** The causal mask: a position's scores do not change when later tokens do. */
    @Test
    void aPositionSeesOnlyTheTokensUpToIt() {
        DefaultGenerator.manualSeed(1);
        var m = new TransformerLanguageModel(7, 16, 2, 32, 2, 0.1, 8);
        m.eval();
        try (var ng = NoGrad.enter()) {
            Tensor whole = m.call(ids(1, 5, 3, 1, 4, 1, 5));
            Tensor other = m.call(ids(1, 5, 3, 1, 4, 6, 2));
            Tensor prefix = m.call(ids(1, 3, 3, 1, 4));
            assertArrayEquals(prefix.contiguous().toFloatArray(), whole.narrow(2, 0, 3).contiguous().toFloatArray(), 1e-5f);
            assertArrayEquals(prefix.contiguous().toFloatArray(), other.narrow(2, 0, 3).contiguous().toFloatArray(), 1e-5f);
            float[] last = whole.narrow(2, 4, 1).contiguous().toFloatArray(), lastOther = other.narrow(2, 4, 1).contiguous().toFloatArray();
            assertTrue(!Arrays.equals(last, lastOther), "the last position reads the tokens before it");
        }
    }

    /** Sampling past the context looks back over the last context tokens only. */
    @Test
    void samplingSlidesOverItsContext() {
        DefaultGenerator.manualSeed(2);
        var m = new TransformerLanguageModel(5, 8, 2, 16, 1, 0, 4);
        long[] text = m.sample(Tensor.ofLongs(1, 2, 3, 4, 0, 1), 10, 1.0, new Generator(5)).toLongArray();
        assertEquals(10, text.length);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.call(ids(1, 5, 1, 2, 3, 4, 0)));
        assertTrue(e.getMessage().contains("context of 4"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> m.sample(Tensor.ofLongs(1, 9), 3, 1.0, new Generator(5)).toLongArray());
        assertTrue(e.getMessage().contains("token 9 at position 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new TransformerLanguageModel(5, 10, 4, 16, 1, 0, 4));
        assertTrue(e.getMessage().contains("not divisible by heads 4"), e.getMessage());
    }

    /** A tiny model learns a repeating text: the loss falls well below the uniform log(vocab). */
    @Test
    void learnsARepeatingText() {
        DefaultGenerator.manualSeed(0);
        Module m = new TransformerLanguageModel(4, 16, 2, 32, 1, 0, 12);
        long[] x = new long[4 * 12], y = new long[4 * 12];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i + i / 12) % 4;
            y[i] = (i + i / 12 + 1) % 4;
        }
        Tensor in = ids(4, 12, x), target = ids(4, 12, y);
        var opt = new Adam(m.parameters(), 0.01);
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
        var m = (TransformerClassifier) Models.create("transformer_classifier", 3, 1);
        m.eval();
        try (var ng = NoGrad.enter()) {
            Tensor a = m.call(ids(1, 6, 5, 6, 7, 0, 0, 0));
            Tensor b = m.call(ids(1, 3, 5, 6, 7));
            assertArrayEquals(b.toFloatArray(), a.toFloatArray(), 1e-5f);
            Tensor c = m.call(ids(1, 3, 5, 6, 8));
            assertTrue(!Arrays.equals(b.toFloatArray(), c.toFloatArray()), "every real word counts");
            assertArrayEquals(new int[] {2, 3}, m.call(ids(2, 3, 1, 2, 0, 0, 0, 0)).shape(), "an empty document reads its first id");
        }
        assertEquals(10000 * 64L, m.stateDict().get("encoder.weight").numel());
        assertEquals(200, m.stateDict().get("pos.pe").size(0));
    }
}
