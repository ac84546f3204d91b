package org.jgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.jgrad.autograd.GradCheck;
import org.jgrad.nn.functional.F;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * LayerNorm, MultiheadAttention, the Transformer encoder and the positional encoding against PyTorch
 * (make_seq_fixtures.py): outputs and the gradients of inputs and parameters within a normwise
 * relative error of 1e-5; gradient checks; shapes and bad input.
 */
class AttentionLayersTest {

    @Test
    void layerNormMatchesPyTorch() {
        Map<String, Tensor> all = SeqFixtures.load("layer_norm");
        for (String tag : List.of("a", "b", "c")) {
            Map<String, Tensor> f = SeqFixtures.group(all, tag);
            LayerNorm m = switch (tag) {
                case "a" -> new LayerNorm(6);
                case "b" -> new LayerNorm(new int[] {4, 6}, 1e-5, true);
                default -> new LayerNorm(new int[] {6}, 1e-5, false);
            };
            if (m.weight() != null) SeqFixtures.loadParameters(m, f);
            Tensor x = f.get("x").copy().requiresGrad(true);
            Tensor y = m.call(x);
            y.mul(f.get("gy")).sum().backward();
            SeqFixtures.assertNormwise(f.get("y"), y, "layer norm " + tag);
            SeqFixtures.assertNormwise(f.get("dx"), x.grad(), "layer norm " + tag + " dx");
            if (m.weight() != null) SeqFixtures.assertParameterGrads(m, f, "layer norm " + tag);
        }
    }

    @Test
    void layerNormGradientCheck() {
        Generator gen = new Generator(1);
        GradCheck.assertGradients(in -> F.layerNorm(in[0], new int[] {5}, in[1], in[2], 1e-5),
                Tensor.randn(gen, 3, 5).requiresGrad(true), Tensor.randn(gen, 5).requiresGrad(true),
                Tensor.randn(gen, 5).requiresGrad(true));
    }

    @Test
    void attentionMatchesPyTorch() {
        Map<String, Tensor> all = SeqFixtures.load("attention");
        for (String tag : List.of("self", "masked", "cross")) {
            Map<String, Tensor> f = SeqFixtures.group(all, tag);
            MultiheadAttention m = new MultiheadAttention(8, 2, 0, true, tag.equals("masked"), null);
            SeqFixtures.loadParameters(m, f);
            Tensor q = f.get("q").copy().requiresGrad(true);
            Tensor k = tag.equals("cross") ? f.get("k").copy().requiresGrad(true) : q;
            Tensor v = tag.equals("cross") ? f.get("v").copy().requiresGrad(true) : q;
            MultiheadAttention.Result r = tag.equals("masked")
                    ? m.attend(q, k, v, all.get("pad"), all.get("causal"), true)
                    : m.attend(q, k, v, null, null, true, !tag.equals("cross"));
            r.output().mul(f.get("gy")).sum().add(r.weights().mul(f.get("gw")).sum()).backward();
            double worst = SeqFixtures.assertNormwise(f.get("y"), r.output(), tag + " output");
            worst = Math.max(worst, SeqFixtures.assertNormwise(f.get("w"), r.weights(), tag + " weights"));
            worst = Math.max(worst, SeqFixtures.assertNormwise(f.get("dq"), q.grad(), tag + " dq"));
            if (tag.equals("cross")) {
                worst = Math.max(worst, SeqFixtures.assertNormwise(f.get("dk"), k.grad(), tag + " dk"));
                worst = Math.max(worst, SeqFixtures.assertNormwise(f.get("dv"), v.grad(), tag + " dv"));
            }
            worst = Math.max(worst, SeqFixtures.assertParameterGrads(m, f, tag));
            System.out.printf("MultiheadAttention %s: worst normwise relative error %.2e%n", tag, worst);
        }
    }

    @Test
    void transformerEncoderMatchesPyTorch() {
        Map<String, Tensor> all = SeqFixtures.load("transformer");
        for (String tag : List.of("post", "pre", "stack")) {
            Map<String, Tensor> f = SeqFixtures.group(all, tag);
            TransformerEncoderLayer layer = new TransformerEncoderLayer(8, 2, 16, 0.0, tag.equals("pre") ? "gelu" : "relu",
                    1e-5, !tag.equals("post"), tag.equals("pre"), new Generator(1));
            Module m = tag.equals("stack") ? new TransformerEncoder(layer, 2, new LayerNorm(8)) : layer;
            SeqFixtures.loadParameters(m, f);
            Tensor x = f.get("x").copy().requiresGrad(true);
            Tensor y = switch (tag) {
                case "post" -> m.call(x);
                case "pre" -> layer.forward(x, null, all.get("pad"));
                default -> ((TransformerEncoder) m).forward(x, all.get("causal"), all.get("pad"));
            };
            y.mul(f.get("gy")).sum().backward();
            double worst = SeqFixtures.assertNormwise(f.get("y"), y, tag + " output");
            worst = Math.max(worst, SeqFixtures.assertNormwise(f.get("dx"), x.grad(), tag + " dx"));
            worst = Math.max(worst, SeqFixtures.assertParameterGrads(m, f, tag));
            System.out.printf("Transformer encoder %s: worst normwise relative error %.2e%n", tag, worst);
        }
    }

    @Test
    void attentionGradientCheckWithMasks() {
        Generator gen = new Generator(2);
        MultiheadAttention m = new MultiheadAttention(4, 2, 0, true, true, gen);
        Tensor pad = Tensor.of(new float[][] {{0, 0, 1}, {0, 0, 0}});
        Tensor x = Tensor.randn(gen, 2, 3, 4).requiresGrad(true);
        Tensor w = m.parameter("in_proj_weight").copy().requiresGrad(true);
        GradCheck.assertGradients(in -> {
            m.setParameter("in_proj_weight", in[1]);
            return m.attend(in[0], in[0], in[0], pad, MultiheadAttention.causalMask(3), false).output();
        }, x, w);
    }

    @Test
    void positionalEncodingIsTheTutorialsTable() {
        Tensor pe = SeqFixtures.load("positional_encoding").get("pe");
        SeqFixtures.assertNormwise(pe, PositionalEncoding.table(6, 8), "sinusoidal table");
        PositionalEncoding enc = new PositionalEncoding(8, 0.0, 10, true);
        Tensor x = Tensor.zeros(2, 6, 8);
        SeqFixtures.assertNormwise(pe, enc.call(x).select(0, 1), "added to a batch-first input");
        assertThrows(IllegalArgumentException.class, () -> enc.call(Tensor.zeros(2, 11, 8)));
    }

    @Test
    void shapesAndNames() {
        Generator gen = new Generator(3);
        TransformerEncoder enc = new TransformerEncoder(
                new TransformerEncoderLayer(16, 4, 32, 0.1, "relu", 1e-5, true, true, gen), 3, null);
        assertArrayEquals(new int[] {2, 7, 16}, enc.call(Tensor.randn(gen, 2, 7, 16)).shape());
        assertTrue(enc.stateDict().containsKey("layers.2.self_attn.out_proj.weight"));
        assertTrue(enc.stateDict().containsKey("layers.0.norm2.bias"));
        assertEquals(enc.stateDict().get("layers.0.linear1.weight").toString(),
                enc.stateDict().get("layers.2.linear1.weight").toString(), "the copies start equal, as PyTorch's deep copies");
        MultiheadAttention mha = new MultiheadAttention(16, 4);
        MultiheadAttention.Result r = mha.callOutputs(Tensor.randn(gen, 7, 16));        // unbatched self-attention
        assertArrayEquals(new int[] {7, 16}, r.output().shape());
        assertArrayEquals(new int[] {7, 7}, r.weights().shape());
        assertNull(mha.attend(Tensor.randn(gen, 7, 2, 16), Tensor.randn(gen, 5, 2, 16), Tensor.randn(gen, 5, 2, 16),
                null, null, false).weights());
        assertEquals("LayerNorm((16,), eps=1e-05, elementwise_affine=True)", new LayerNorm(16).toString());
        Tensor causal = MultiheadAttention.causalMask(3);
        assertEquals(Float.NEGATIVE_INFINITY, causal.get(0, 1));
        assertEquals(0f, causal.get(2, 1));
    }

    @Test
    void refusesBadInputNamingIt() {
        MultiheadAttention m = new MultiheadAttention(8, 2);
        var e = assertThrows(IllegalArgumentException.class, () -> m.callOutputs(Tensor.zeros(5, 3, 6)));
        assertTrue(e.getMessage().contains("[5, 3, 6]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> m.attend(Tensor.zeros(5, 3, 8), Tensor.zeros(5, 3, 8),
                Tensor.zeros(5, 3, 8), Tensor.zeros(3, 4), null, false));
        assertTrue(e.getMessage().contains("key_padding_mask must be [3, 5]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new MultiheadAttention(10, 3));
        assertTrue(e.getMessage().contains("multiple of num_heads"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new LayerNorm(6).call(Tensor.zeros(2, 5)));
        assertTrue(e.getMessage().contains("[2, 5]") && e.getMessage().contains("[6]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new TransformerEncoderLayer(8, 2, 16, 0, "tanh", 1e-5, false, false, null));
        assertTrue(e.getMessage().contains("'tanh'"), e.getMessage());
    }
}
