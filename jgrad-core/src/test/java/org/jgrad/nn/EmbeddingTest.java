package org.jgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.jgrad.autograd.GradCheck;
import org.jgrad.autograd.NoGrad;
import org.jgrad.nn.functional.F;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Embedding against PyTorch (padding_idx, max_norm), its gradient, shapes and bad input. */
class EmbeddingTest {

    @Test
    void paddingRowGetsNoGradientAsInPyTorch() {
        Map<String, Tensor> all = SeqFixtures.load("embedding");
        Map<String, Tensor> f = SeqFixtures.group(all, "pad");
        Embedding e = new Embedding(10, 5, 3, null, 2, null);
        SeqFixtures.loadParameters(e, f);
        Tensor y = e.call(all.get("idx"));
        y.mul(f.get("gy")).sum().backward();
        SeqFixtures.assertNormwise(f.get("y"), y, "output");
        SeqFixtures.assertNormwise(f.get("dweight"), e.weight().grad(), "weight gradient");
        assertEquals(0f, e.weight().grad().select(0, 3).abs().sum().item());
    }

    @Test
    void maxNormRenormalizesLookedUpRowsAsPyTorch() {
        Map<String, Tensor> all = SeqFixtures.load("embedding");
        Map<String, Tensor> f = SeqFixtures.group(all, "norm");
        Embedding e = new Embedding(10, 5, null, 1.5, 2, null);
        try (var g = NoGrad.enter()) {
            e.weight().copyInPlace(f.get("weight_before"));
        }
        Tensor y = e.call(all.get("idx"));
        y.mul(f.get("gy")).sum().backward();
        SeqFixtures.assertNormwise(f.get("y"), y, "output");
        SeqFixtures.assertNormwise(f.get("weight"), e.weight(), "renormalized weight");
        SeqFixtures.assertNormwise(f.get("dweight"), e.weight().grad(), "weight gradient");
    }

    @Test
    void initAndShapes() {
        Embedding e = new Embedding(100, 8, -1, null, 2, new Generator(1));
        assertEquals(99, e.paddingIdx());
        assertEquals(0f, e.weight().select(0, 99).abs().sum().item());
        float[] w = e.weight().toFloatArray();
        double sq = 0;
        for (float v : w) sq += v * v;
        assertEquals(1.0, sq / (w.length - 8), 0.15);               // N(0, 1)
        assertArrayEquals(new int[] {2, 3, 8}, e.call(Tensor.zerosLong(2, 3)).shape());
        assertArrayEquals(new int[] {8}, e.call(Tensor.zerosLong()).shape());
        assertEquals("Embedding(100, 8, padding_idx=99)", e.toString());
        Embedding frozen = Embedding.fromPretrained(Tensor.ones(4, 2), true, null);
        assertFalse(frozen.weight().requiresGrad());
        assertArrayEquals(new int[] {1, 2}, F.embedding(Tensor.ofLongs(2), frozen.weight()).shape());
    }

    @Test
    void gradientCheck() {
        Generator gen = new Generator(2);
        Tensor idx = Tensor.ofLongs(0, 2, 2, 4, 1).reshape(5);
        GradCheck.assertGradients(in -> F.embedding(idx, in[0]), Tensor.randn(gen, 5, 3).requiresGrad(true));
    }

    @Test
    void refusesBadIndicesNamingThem() {
        Embedding e = new Embedding(10, 4);
        var ex = assertThrows(IndexOutOfBoundsException.class, () -> e.call(Tensor.ofLongs(1, 10)));
        assertTrue(ex.getMessage().contains("index 10 at position 1") && ex.getMessage().contains("10 rows"),
                ex.getMessage());
        var ia = assertThrows(IllegalArgumentException.class, () -> e.call(Tensor.of(1f, 2f)));
        assertTrue(ia.getMessage().contains("int64"), ia.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Embedding(10, 4, 10, null, 2, null));
        assertThrows(IllegalArgumentException.class, () -> new Embedding(10, 4, null, -1.0, 2, null));
    }
}
