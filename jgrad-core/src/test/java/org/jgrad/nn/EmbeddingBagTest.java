package org.jgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.jgrad.autograd.GradCheck;
import org.jgrad.autograd.NoGrad;
import org.jgrad.nn.functional.F;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** EmbeddingBag against PyTorch (make_embedding_bag_fixtures.py), its gradients, shapes and bad input. */
class EmbeddingBagTest {

    /** The fixture cases with the settings they were written with (the script's CASES). */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"sum_weighted, sum, false, 2, ", "mean_last_offset, mean, true, 2, ", "max_2d, max, false, , ",
        "max_padding, max, false, 4, ", "mean_2d_max_norm, mean, false, , 1.0", "sum_2d_weighted, sum, false, , "})
    void matchesPyTorch(String name, String mode, boolean lastOffset, Integer pad, Double maxNorm) {
        Map<String, Tensor> f = SeqFixtures.group(SeqFixtures.load("embedding_bag"), name);
        EmbeddingBag bag = new EmbeddingBag(10, 5, maxNorm, 2.0, mode, lastOffset, pad, null);
        try (var g = NoGrad.enter()) {
            bag.weight().copyInPlace(f.get("weight"));
        }
        Tensor psw = f.containsKey("per_sample_weights") ? f.get("per_sample_weights").copy().requiresGrad(true) : null;
        Tensor y = bag.forward(f.get("idx"), f.get("offsets"), psw);
        y.mul(f.get("gy")).sum().backward();
        SeqFixtures.assertNormwise(f.get("y"), y, name + " output");
        SeqFixtures.assertNormwise(f.get("dweight"), bag.weight().grad(), name + " weight gradient");
        if (psw != null) SeqFixtures.assertNormwise(f.get("dper_sample_weights"), psw.grad(), name + " per-sample weight gradient");
        if (maxNorm != null) SeqFixtures.assertNormwise(f.get("weight_after"), bag.weight(), name + " renormalized weight");
        if (pad != null) assertEquals(0f, bag.weight().grad().select(0, pad).abs().sum().item(), name + ": the padding row");
    }

    @Test
    void gradientChecks() {
        Generator gen = new Generator(3);
        Tensor idx = Tensor.ofLongs(0, 2, 2, 4, 1, 3, 0), offsets = Tensor.ofLongs(0, 3, 3, 5);
        for (String mode : new String[] {"sum", "mean", "max"})
            GradCheck.assertGradients(in -> F.embeddingBag(idx, in[0], offsets, mode, null, false, 1),
                    Tensor.randn(gen, 5, 3).requiresGrad(true));
        GradCheck.assertGradients(in -> F.embeddingBag(idx, in[0], offsets, "sum", in[1], false, 4),
                Tensor.randn(gen, 5, 3).requiresGrad(true), Tensor.randn(gen, 7).requiresGrad(true));
        Tensor rows = Tensor.ofLongs(1, 0, 3, 3, 2, 4).reshape(2, 3);
        GradCheck.assertGradients(in -> F.embeddingBag(rows, in[0], null, "sum", in[1], false, null),
                Tensor.randn(gen, 5, 3).requiresGrad(true), Tensor.randn(gen, 2, 3).requiresGrad(true));
    }

    /** A bag's mean equals the mean of Embedding's rows, and a 2-D input the same bags given by offsets. */
    @Test
    void agreesWithEmbeddingAndBetweenItsTwoInputForms() {
        EmbeddingBag bag = new EmbeddingBag(20, 4, null, 2.0, "mean", false, null, new Generator(4));
        Tensor rows = Tensor.ofLongs(3, 7, 7, 1, 19, 0).reshape(2, 3);
        Tensor a = bag.call(rows);
        Tensor b = bag.forward(rows.reshape(6), Tensor.ofLongs(0, 3), null);
        Tensor c = bag.forward(rows.reshape(6), Tensor.ofLongs(0, 3, 6), null);
        Tensor viaEmbedding = F.embedding(rows, bag.weight()).mean(1, false);
        assertArrayEquals(new int[] {2, 4}, a.shape());
        assertArrayEquals(viaEmbedding.toFloatArray(), a.toFloatArray(), 1e-6f);
        assertArrayEquals(a.toFloatArray(), b.toFloatArray(), 0f);
        assertArrayEquals(new int[] {3, 4}, c.shape());
        assertEquals(0f, c.select(0, 2).abs().sum().item(), "an empty last bag gives zeros");
        var csr = EmbeddingBag.fromPretrained(bag.weight(), true, null, 2.0, "mean", true, null);
        assertArrayEquals(a.toFloatArray(), csr.forward(rows.reshape(6), Tensor.ofLongs(0, 3, 6), null).toFloatArray(), 0f);
        assertFalse(csr.weight().requiresGrad());
    }

    @Test
    void initAndRepr() {
        EmbeddingBag e = new EmbeddingBag(100, 8, 1.0, 1.0, "sum", true, -1, new Generator(1));
        assertEquals(99, e.paddingIdx());
        assertEquals(0f, e.weight().select(0, 99).abs().sum().item());
        assertEquals("EmbeddingBag(100, 8, max_norm=1.0, norm_type=1.0, mode=sum, padding_idx=99)", e.toString());
        assertEquals("EmbeddingBag(10, 3, mode=mean)", new EmbeddingBag(10, 3).toString());
        assertNull(new EmbeddingBag(10, 3).paddingIdx());
        assertEquals(java.util.Set.of("weight"), e.stateDict().keySet());
    }

    @Test
    void refusesBadInputNamingIt() {
        EmbeddingBag sum = new EmbeddingBag(10, 4, null, 2.0, "sum", false, null, new Generator(2));
        Tensor idx = Tensor.ofLongs(1, 2, 3, 4);
        assertMessage(() -> sum.forward(idx, null, null), "needs offsets");
        assertMessage(() -> sum.forward(idx.reshape(2, 2), Tensor.ofLongs(0, 1), null), "offsets must be null");
        assertMessage(() -> sum.forward(idx, Tensor.ofLongs(1, 2), null), "offsets[0] must be 0");
        assertMessage(() -> sum.forward(idx, Tensor.ofLongs(0, 3, 2), null), "offsets[2] = 2 < offsets[1] = 3");
        assertMessage(() -> sum.forward(idx, Tensor.ofLongs(0, 5), null), "beyond the input's 4 indices");
        assertMessage(() -> sum.forward(idx, Tensor.ofLongs(0, 2), Tensor.ones(3)), "must have the input's shape [4]");
        assertMessage(() -> sum.forward(idx, Tensor.of(0f, 2f), null), "offsets must be 1-D int64");
        assertMessage(() -> sum.forward(idx.reshape(1, 2, 2), null, null), "1-D (with offsets) or 2-D");
        var oob = assertThrows(IndexOutOfBoundsException.class, () -> sum.forward(Tensor.ofLongs(1, 10), Tensor.ofLongs(0), null));
        assertTrue(oob.getMessage().contains("embedding_bag: index 10 at position 1"), oob.getMessage());
        EmbeddingBag mean = new EmbeddingBag(10, 4, null, 2.0, "mean", true, null, new Generator(2));
        assertMessage(() -> mean.forward(idx, Tensor.ofLongs(0, 2, 4), Tensor.ones(4)), "only with mode 'sum', got 'mean'");
        assertMessage(() -> mean.forward(idx, Tensor.ofLongs(0, 2), null), "the last offset is the input's length 4, got 2");
        assertMessage(() -> mean.forward(idx.reshape(2, 2), null, null), "include_last_offset goes with a 1-D input");
        assertMessage(() -> new EmbeddingBag(10, 4, null, 2.0, "median", false, null, null), "'sum', 'mean' or 'max', got 'median'");
        assertMessage(() -> new EmbeddingBag(10, 4, null, 2.0, "sum", false, 10, null), "padding_idx 10");
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable run, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, run);
        assertTrue(e.getMessage().contains(part), "'" + part + "' not in: " + e.getMessage());
    }
}
