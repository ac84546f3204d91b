package org.jgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jgrad.autograd.GradCheck;
import org.jgrad.io.Weights;
import org.jgrad.ops.RecurrentOps;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * RNN, LSTM, GRU and their cells against PyTorch (make_seq_fixtures.py): outputs, final states and
 * the gradients of the input, the initial states and every parameter, within a normwise relative
 * error of 1e-5; packed sequences; a PyTorch state dict; gradient checks; shapes and bad input.
 */
class RecurrentLayersTest {
    static final int T = 5, B = 3, I = 4, H = 6;

    /** The layer of fixture case {@code tag}, with the fixture's configuration (see the script's main). */
    private static RNNBase layer(String kind, String tag) {
        record Cfg(int layers, boolean bidir, boolean batchFirst, boolean bias, String nonlin) {}
        Cfg c = switch (kind + tag) {
            case "lstma", "grua", "rnna" -> new Cfg(1, false, false, true, "tanh");
            case "lstmb", "grub", "rnnb" -> new Cfg(2, true, true, true, "tanh");
            case "lstmc" -> new Cfg(2, false, false, true, "tanh");
            case "gruc" -> new Cfg(2, false, true, true, "tanh");
            case "rnnc" -> new Cfg(2, false, false, true, "relu");
            case "lstmd" -> new Cfg(1, true, true, false, "tanh");
            case "grud" -> new Cfg(1, true, false, true, "tanh");
            case "rnnd" -> new Cfg(1, true, false, true, "relu");
            default -> throw new IllegalArgumentException(kind + tag);
        };
        return switch (kind) {
            case "lstm" -> new LSTM(I, H, c.layers, c.bias, c.batchFirst, 0, c.bidir, null);
            case "gru" -> new GRU(I, H, c.layers, c.bias, c.batchFirst, 0, c.bidir, null);
            default -> new RNN(I, H, c.layers, c.nonlin, c.bias, c.batchFirst, 0, c.bidir, null);
        };
    }

    /** Runs a fixture case and checks every output and gradient; returns the worst relative error. */
    static double checkAgainstFixture(RNNBase m, Map<String, Tensor> f, String what) {
        SeqFixtures.loadParameters(m, f);
        Tensor x = f.get("x").copy().requiresGrad(true);
        List<Tensor> in = new ArrayList<>(List.of(x));
        Tensor h0 = f.containsKey("h0") ? f.get("h0").copy().requiresGrad(true) : null;
        Tensor c0 = f.containsKey("c0") ? f.get("c0").copy().requiresGrad(true) : null;
        if (h0 != null) in.add(h0);
        if (c0 != null) in.add(c0);
        RnnOutputs o = m.callOutputs(in.toArray(Tensor[]::new));
        Tensor loss = o.output().mul(f.get("gy")).sum().add(o.h().mul(f.get("ghn")).sum());
        if (o.c() != null) loss = loss.add(o.c().mul(f.get("gcn")).sum());
        loss.backward();
        double worst = SeqFixtures.assertNormwise(f.get("y"), o.output(), what + " output");
        worst = Math.max(worst, SeqFixtures.assertNormwise(f.get("hn"), o.h(), what + " h_n"));
        if (f.containsKey("cn")) worst = Math.max(worst, SeqFixtures.assertNormwise(f.get("cn"), o.c(), what + " c_n"));
        else assertNull(o.c());
        worst = Math.max(worst, SeqFixtures.assertNormwise(f.get("dx"), x.grad(), what + " dx"));
        if (h0 != null) worst = Math.max(worst, SeqFixtures.assertNormwise(f.get("dh0"), h0.grad(), what + " dh0"));
        if (c0 != null) worst = Math.max(worst, SeqFixtures.assertNormwise(f.get("dc0"), c0.grad(), what + " dc0"));
        return Math.max(worst, SeqFixtures.assertParameterGrads(m, f, what));
    }

    @ParameterizedTest(name = "{0} case {1}")
    @CsvSource({"lstm,a", "lstm,b", "lstm,c", "lstm,d", "gru,a", "gru,b", "gru,c", "gru,d", "rnn,a", "rnn,b", "rnn,c",
        "rnn,d"})
    void matchesPyTorch(String kind, String tag) {
        Map<String, Tensor> f = SeqFixtures.group(SeqFixtures.load(kind), tag);
        RNNBase m = layer(kind, tag);
        double worst = checkAgainstFixture(m, f, kind + " " + tag + " " + m);
        System.out.printf("%s case %s (%s): worst normwise relative error %.2e%n", kind, tag, m, worst);
    }

    @Test
    void packedLstmMatchesPyTorch() {
        Map<String, Tensor> f = SeqFixtures.load("lstm_packed");
        int[] lengths = {5, 3, 4};
        assertArrayEquals(new long[] {5, 3, 4}, f.get("lengths").toLongArray());
        LSTM m = new LSTM(I, H, 2, true, false, 0, true, null);
        SeqFixtures.loadParameters(m, f);
        Tensor x = f.get("x").copy().requiresGrad(true);
        Tensor h0 = f.get("h0").copy().requiresGrad(true), c0 = f.get("c0").copy().requiresGrad(true);
        PackedSequence p = PackedSequence.pack(x, lengths, false, false);
        assertArrayEquals(new int[] {3, 3, 3, 2, 1}, p.batchSizes());
        assertArrayEquals(new int[] {0, 2, 1}, p.sortedIndices());
        assertArrayEquals(new int[] {12, I}, p.data().shape());
        RNNBase.PackedOutputs o = m.forwardPacked(p, h0, c0);
        PackedSequence.Padded y = o.output().pad(false);
        assertArrayEquals(lengths, y.lengths());
        y.padded().mul(f.get("gy")).sum().add(o.h().mul(f.get("ghn")).sum()).add(o.c().mul(f.get("gcn")).sum())
                .backward();
        double worst = SeqFixtures.assertNormwise(f.get("y"), y.padded(), "packed output");
        worst = Math.max(worst, SeqFixtures.assertNormwise(f.get("hn"), o.h(), "packed h_n"));
        worst = Math.max(worst, SeqFixtures.assertNormwise(f.get("cn"), o.c(), "packed c_n"));
        worst = Math.max(worst, SeqFixtures.assertNormwise(f.get("dx"), x.grad(), "packed dx"));
        worst = Math.max(worst, SeqFixtures.assertNormwise(f.get("dh0"), h0.grad(), "packed dh0"));
        worst = Math.max(worst, SeqFixtures.assertNormwise(f.get("dc0"), c0.grad(), "packed dc0"));
        worst = Math.max(worst, SeqFixtures.assertParameterGrads(m, f, "packed"));
        System.out.printf("packed 2-layer bidirectional LSTM: worst normwise relative error %.2e%n", worst);

        // the same through lengths and masking on the padded batch
        m.zeroGrad();
        Tensor x2 = f.get("x").copy().requiresGrad(true);
        RnnOutputs o2 = m.forwardPadded(x2, lengths, f.get("h0"), f.get("c0"));
        o2.output().mul(f.get("gy")).sum().add(o2.h().mul(f.get("ghn")).sum()).add(o2.c().mul(f.get("gcn")).sum())
                .backward();
        SeqFixtures.assertNormwise(f.get("y"), o2.output(), "padded output");
        SeqFixtures.assertNormwise(f.get("hn"), o2.h(), "padded h_n");
        SeqFixtures.assertNormwise(f.get("dx"), x2.grad(), "padded dx");
        SeqFixtures.assertParameterGrads(m, f, "padded");
    }

    @Test
    void packedBatchFirstGruMatchesPyTorch() {
        Map<String, Tensor> f = SeqFixtures.load("gru_packed");
        GRU m = new GRU(I, H, 1, true, true, 0, true, null);
        SeqFixtures.loadParameters(m, f);
        Tensor x = f.get("x").copy().requiresGrad(true);
        RNNBase.PackedOutputs o = m.forwardPacked(PackedSequence.pack(x, new int[] {5, 3, 4}, true, false), null, null);
        Tensor y = o.output().pad(true).padded();
        y.mul(f.get("gy")).sum().add(o.h().mul(f.get("ghn")).sum()).backward();
        SeqFixtures.assertNormwise(f.get("y"), y, "packed GRU output");
        SeqFixtures.assertNormwise(f.get("hn"), o.h(), "packed GRU h_n");
        SeqFixtures.assertNormwise(f.get("dx"), x.grad(), "packed GRU dx");
        SeqFixtures.assertParameterGrads(m, f, "packed GRU");
    }

    @Test
    void cellsMatchPyTorch() {
        Map<String, Tensor> all = SeqFixtures.load("cells");
        for (String kind : List.of("lstm", "gru", "rnn")) {
            Map<String, Tensor> f = SeqFixtures.group(all, kind);
            RNNCellBase m = switch (kind) {
                case "lstm" -> new LSTMCell(I, H, true, null);
                case "gru" -> new GRUCell(I, H, true, null);
                default -> new RNNCell(I, H, true, "relu", null);
            };
            SeqFixtures.loadParameters(m, f);
            Tensor x = f.get("x").copy().requiresGrad(true), h = f.get("h0").copy().requiresGrad(true);
            Tensor c = kind.equals("lstm") ? f.get("c0").copy().requiresGrad(true) : null;
            RnnOutputs o = c == null ? m.callOutputs(x, h) : m.callOutputs(x, h, c);
            Tensor loss = o.h().mul(f.get("gh1")).sum();
            if (c != null) loss = loss.add(o.c().mul(f.get("gc1")).sum());
            loss.backward();
            SeqFixtures.assertNormwise(f.get("h1"), o.h(), kind + " cell h'");
            if (c != null) SeqFixtures.assertNormwise(f.get("c1"), o.c(), kind + " cell c'");
            SeqFixtures.assertNormwise(f.get("dx"), x.grad(), kind + " cell dx");
            SeqFixtures.assertNormwise(f.get("dh0"), h.grad(), kind + " cell dh");
            if (c != null) SeqFixtures.assertNormwise(f.get("dc0"), c.grad(), kind + " cell dc");
            SeqFixtures.assertParameterGrads(m, f, kind + " cell");
        }
    }

    @Test
    void loadsAPyTorchStateDictUnchanged() throws Exception {
        LSTM m = new LSTM(I, H, 2, true, false, 0, true, new Generator(1));
        LoadResult r = Weights.load(m, SeqFixtures.resource("lstm_state_dict.pth"));
        assertTrue(r.missingKeys().isEmpty() && r.unexpectedKeys().isEmpty(), r.toString());
        Map<String, Tensor> f = SeqFixtures.load("lstm_state_dict");
        RnnOutputs o = m.callOutputs(f.get("x"));
        SeqFixtures.assertNormwise(f.get("y"), o.output(), "output after loading the .pth");
        SeqFixtures.assertNormwise(f.get("hn"), o.h(), "h_n after loading the .pth");
        SeqFixtures.assertNormwise(f.get("cn"), o.c(), "c_n after loading the .pth");
        assertEquals(List.of("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0", "weight_ih_l0_reverse",
                "weight_hh_l0_reverse", "bias_ih_l0_reverse", "bias_hh_l0_reverse", "weight_ih_l1", "weight_hh_l1",
                "bias_ih_l1", "bias_hh_l1", "weight_ih_l1_reverse", "weight_hh_l1_reverse", "bias_ih_l1_reverse",
                "bias_hh_l1_reverse"), List.copyOf(m.stateDict().keySet()));
    }

    @ParameterizedTest(name = "{0} reverse={1} lengths={2}")
    @CsvSource({"LSTM,false,false", "LSTM,true,true", "GRU,false,true", "GRU,true,false", "RNN_TANH,true,true",
        "RNN_RELU,false,false"})
    void layerOpGradientCheck(RecurrentOps.Mode mode, boolean reverse, boolean masked) {
        Generator gen = new Generator(3);
        int t = 4, b = 3, h = 3, gh = mode.gates() * h;
        // for ReLU keep pre-activations away from 0 (GradCheck steps across kinks otherwise)
        float scale = mode == RecurrentOps.Mode.RNN_RELU ? 0.3f : 1f;
        Tensor xp = Tensor.uniform(gen, -1, 1, t, b, gh).add(mode == RecurrentOps.Mode.RNN_RELU ? 0.6f : 0f)
                .requiresGrad(true);
        Tensor h0 = Tensor.uniform(gen, 0, 1, b, h).requiresGrad(true);
        Tensor c0 = mode == RecurrentOps.Mode.LSTM ? Tensor.uniform(gen, -1, 1, b, h).requiresGrad(true) : null;
        Tensor whh = Tensor.uniform(gen, -scale, scale, gh, h).requiresGrad(true);
        Tensor bhh = Tensor.uniform(gen, -scale, scale, gh).requiresGrad(true);
        int[] lengths = masked ? new int[] {4, 1, 2} : null;
        boolean lstm = c0 != null;
        Tensor[] inputs = lstm ? new Tensor[] {xp, h0, whh, bhh, c0} : new Tensor[] {xp, h0, whh, bhh};
        GradCheck.assertGradients(in -> {
            RecurrentOps.LayerResult r = RecurrentOps.layer(mode, in[0], in[1], lstm ? in[4] : null, in[2], in[3],
                    lengths, reverse);
            Tensor all = Tensor.cat(0, r.output().flatten(), r.h().flatten());
            return lstm ? Tensor.cat(0, all, r.c().flatten()) : all;
        }, inputs);
    }

    @Test
    void networkGradientCheckThroughDropoutFreeStack() {
        Generator gen = new Generator(4);
        LSTM m = new LSTM(2, 3, 2, true, true, 0, true, gen);
        Tensor x = Tensor.uniform(gen, -1, 1, 2, 3, 2).requiresGrad(true);
        Tensor w = m.parameter("weight_hh_l1_reverse");
        GradCheck.assertGradients(in -> {
            m.setParameter("weight_hh_l1_reverse", in[1]);
            return m.callOutputs(in[0]).output();
        }, x, w.copy().requiresGrad(true));
    }

    @Test
    void shapesOfEveryLayout() {
        Generator gen = new Generator(5);
        LSTM lstm = new LSTM(4, 7, 3, true, true, 0.2, true, gen);
        RnnOutputs o = lstm.callOutputs(Tensor.randn(gen, 2, 9, 4));
        assertArrayEquals(new int[] {2, 9, 14}, o.output().shape());
        assertArrayEquals(new int[] {6, 2, 7}, o.h().shape());
        assertArrayEquals(new int[] {6, 2, 7}, o.c().shape());
        o = new GRU(4, 5).callOutputs(Tensor.randn(gen, 9, 4));          // unbatched
        assertArrayEquals(new int[] {9, 5}, o.output().shape());
        assertArrayEquals(new int[] {1, 5}, o.h().shape());
        assertNull(o.c());
        assertArrayEquals(new int[] {9, 2, 5}, new RNN(4, 5).call(Tensor.randn(gen, 9, 2, 4)).shape());
        assertArrayEquals(new int[] {2, 6}, new GRUCell(4, 6).call(Tensor.randn(gen, 2, 4)).shape());
        assertArrayEquals(new int[] {6}, new RNNCell(4, 6).call(Tensor.randn(gen, 4)).shape());
        assertEquals("LSTM(4, 7, num_layers=3, batch_first=True, dropout=0.2, bidirectional=True)", lstm.toString());
        assertEquals(4 * 7 * (4 + 7 + 2) * 2 + 2 * 4 * 7 * (14 + 7 + 2) * 2,
                lstm.parameters().stream().mapToInt(Tensor::numel).sum());
    }

    @Test
    void initializedUniformlyWithinOneOverRootH() {
        LSTM m = new LSTM(10, 16, 1, true, false, 0, false, new Generator(6));
        for (Tensor p : m.parameters())
            for (float v : p.toFloatArray()) assertTrue(Math.abs(v) <= 0.25f, "value " + v + " outside ±1/√16");
        float[] w = m.parameter("weight_ih_l0").toFloatArray();
        double sq = 0;
        for (float v : w) sq += v * v;
        assertEquals(0.25 * 0.25 / 3, sq / w.length, 0.004);
    }

    @Test
    void dropoutBetweenLayersOnlyInTraining() {
        Generator gen = new Generator(7);
        LSTM m = new LSTM(3, 4, 2, true, false, 0.5, false, gen);
        Tensor x = Tensor.randn(gen, 5, 2, 3);
        m.setGenerator(new Generator(1));
        Tensor a = m.call(x);
        m.setGenerator(new Generator(2));
        Tensor b = m.call(x);
        assertTrue(a.sub(b).abs().max().item() > 0, "training outputs should differ with the dropout mask");
        m.eval();
        assertTrue(m.call(x).allClose(m.call(x), 0, 0));
    }

    @Test
    void paddedStepsAreZeroAndStatesStopAtEachLength() {
        Generator gen = new Generator(8);
        GRU m = new GRU(3, 4, 1, true, true, 0, false, gen);
        Tensor x = Tensor.randn(gen, 2, 6, 3);
        RnnOutputs o = m.forwardPadded(x, new int[] {6, 2}, null, null);
        assertEquals(0f, o.output().select(0, 1).narrow(0, 2, 4).abs().sum().item());
        RnnOutputs shortOne = m.callOutputs(x.select(0, 1).narrow(0, 0, 2).unsqueeze(0));
        assertTrue(shortOne.h().select(1, 0).allClose(o.h().select(1, 1), 1e-6f, 1e-6f));
    }

    @Test
    void refusesBadInputNamingIt() {
        LSTM m = new LSTM(4, 6, 2);
        var e = assertThrows(IllegalArgumentException.class, () -> m.call(Tensor.zeros(5, 3, 7)));
        assertTrue(e.getMessage().contains("7 features") && e.getMessage().contains("[5, 3, 7]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> m.callOutputs(Tensor.zeros(5, 3, 4), Tensor.zeros(1, 3, 6)));
        assertTrue(e.getMessage().contains("h0 must be [2, 3, 6]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> m.forwardPadded(Tensor.zeros(5, 3, 4), new int[] {5, 0, 2},
                null, null));
        assertTrue(e.getMessage().contains("length 0 of batch row 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PackedSequence.pack(Tensor.zeros(5, 3, 4),
                new int[] {2, 5, 1}, false, true));
        assertTrue(e.getMessage().contains("decreasing"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new GRU(4, 6).callOutputs(Tensor.zeros(5, 3, 4),
                Tensor.zeros(1, 3, 6), Tensor.zeros(1, 3, 6)));
        assertTrue(e.getMessage().contains("GRU"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new RNN(4, 6, 1, "sigmoid"));
        assertTrue(e.getMessage().contains("'sigmoid'"), e.getMessage());
    }
}
