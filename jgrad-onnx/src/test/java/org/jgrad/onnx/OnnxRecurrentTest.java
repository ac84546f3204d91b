package org.jgrad.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jgrad.autograd.NoGrad;
import org.jgrad.nn.DefaultGenerator;
import org.jgrad.nn.Embedding;
import org.jgrad.nn.GRU;
import org.jgrad.nn.LSTM;
import org.jgrad.nn.Linear;
import org.jgrad.nn.Module;
import org.jgrad.nn.RNN;
import org.jgrad.nn.RnnOutputs;
import org.jgrad.onnx.proto.OnnxProto.ModelProto;
import org.jgrad.onnx.proto.OnnxProto.NodeProto;
import org.jgrad.ops.RecurrentOps;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Export of recurrent models beyond the zoo's: stacked and bidirectional layers, batch-first and
 * time-major inputs, padded batches, given initial states, every output PyTorch's modules return
 * ({@code output}, {@code h_n}, {@code c_n}), an embedding with {@code max_norm}, a ReLU RNN without
 * biases, and a recurrent op fed by a projection of the model's own. Each is checked against ONNX
 * Runtime and against its re-import, on a batch of another size than the traced one, and the file's
 * nodes are checked to be one ONNX recurrent node per layer.
 */
class OnnxRecurrentTest {
    @TempDir
    Path dir;

    /** Token ids, 0 the padding: an embedding with max_norm, a 2-layer bidirectional batch-first LSTM over a padded batch. */
    static final class PaddedBiLstm extends Module {
        final Embedding embed = registerModule("embed", new Embedding(20, 6, 0, 1.5, 2.0, DefaultGenerator.get()));
        final LSTM lstm = registerModule("lstm", new LSTM(6, 5, 2, true, true, 0, true, DefaultGenerator.get()));
        final Linear head = registerModule("head", new Linear(20, 3));

        @Override
        public Tensor forward(Tensor ids) {
            int n = ids.size(0), t = ids.size(1);
            long[] v = ids.contiguous().toLongArray();
            int[] lengths = new int[n];
            for (int b = 0; b < n; b++) {
                int len = t;
                while (len > 1 && v[b * t + len - 1] == 0) len--;
                lengths[b] = len;
            }
            RnnOutputs o = lstm.forwardPadded(embed.call(ids), lengths, null, null);
            return head.call(Tensor.cat(1, o.output().mean(new int[] {1}, false), o.h().select(0, 3), o.c().select(0, 0)));
        }
    }

    /** Floats [N, T, 4] run time-major through a 2-layer bidirectional GRU. */
    static final class TimeMajorGru extends Module {
        final GRU gru = registerModule("gru", new GRU(4, 6, 2, true, false, 0, true, DefaultGenerator.get()));

        @Override
        public Tensor forward(Tensor x) {
            RnnOutputs o = gru.callOutputs(x.transpose(0, 1));
            Tensor h = o.h().sum(new int[] {0}, false);
            return o.output().select(0, o.output().size(0) - 1).add(Tensor.cat(1, h, h.neg()));
        }
    }

    /** A bidirectional ReLU RNN without biases whose initial state the model computes from its input. */
    static final class ReluRnnWithState extends Module {
        final RNN rnn = registerModule("rnn", new RNN(3, 4, 1, "relu", false, true, 0, true, DefaultGenerator.get()));
        final Linear state = registerModule("state", new Linear(3, 4));

        @Override
        public Tensor forward(Tensor x) {
            Tensor h = state.call(x.select(1, 0)).tanh();
            RnnOutputs o = rnn.callOutputs(x, Tensor.stack(0, h, h.neg()));
            return o.output().reshape(x.size(0), -1).sum(new int[] {1}, true).add(o.h().select(0, 1));
        }
    }

    /** An LSTM layer op fed by a projection the model computes itself, run in reverse. */
    static final class DirectLayer extends Module {
        final Tensor whh = registerParameter("whh", Tensor.uniform(new Generator(4), -0.5f, 0.5f, 8, 2));
        final Tensor bhh = registerParameter("bhh", Tensor.uniform(new Generator(5), -0.5f, 0.5f, 8));

        @Override
        public Tensor forward(Tensor x) {
            Tensor xp = x.transpose(0, 1).mul(2f).tanh();
            int n = x.size(0);
            RecurrentOps.LayerResult r = RecurrentOps.layer(RecurrentOps.Mode.LSTM, xp, Tensor.zeros(n, 2),
                    Tensor.zeros(n, 2), whh, bhh, null, true);
            return r.h().add(r.c()).add(r.output().sum(new int[] {0}, false));
        }
    }

    private static Tensor ids(int n, int t, long seed) {
        Generator g = new Generator(seed);
        long[] v = new long[n * t];
        for (int b = 0; b < n; b++) {
            int len = 1 + (int) (g.nextDouble() * t);
            for (int i = 0; i < len; i++) v[b * t + i] = 1 + (long) (g.nextDouble() * 19);
        }
        return Tensor.ofLongs(v).reshape(n, t);
    }

    /** Exports, runs in ONNX Runtime and re-imports; returns the file's nodes. */
    private List<NodeProto> roundTrip(String name, Module m, Tensor example, Tensor x) throws Exception {
        Path file = dir.resolve(name + ".onnx");
        Onnx.export(m, example, file);
        m.eval();
        float[] expected;
        try (NoGrad g = NoGrad.enter()) {
            expected = m.call(x).toFloatArray();
        }
        double norm = 0;
        for (float v : expected) norm += v * v;
        assertTrue(norm > 1e-6, name + ": the outputs are not all zero");
        if (!OrtRunner.available())
            System.out.println("onnx: " + name + ": ONNX Runtime cannot load here, its check is skipped: " + OrtRunner.why());
        else {
            double err = Norms.relativeError(OrtRunner.run(Files.readAllBytes(file), x), expected);
            System.out.printf("onnx: %s: ONNX Runtime vs jgrad relative error %.3g%n", name, err);
            assertTrue(err <= 1e-5, name + ": ONNX Runtime's relative error " + err);
        }
        OnnxModel loaded = Onnx.load(file);
        loaded.eval();
        float[] actual;
        try (NoGrad g = NoGrad.enter()) {
            actual = loaded.call(x).toFloatArray();
        }
        double err = Norms.relativeError(actual, expected);
        System.out.printf("onnx: %s: imported vs original relative error %.3g%n", name, err);
        assertTrue(err <= 1e-5, name + ": the imported model's relative error " + err);
        assertEquals(m.namedParameters().keySet(), loaded.namedParameters().keySet(), name + ": parameter names");
        return BadOnnxFiles.parse(Files.readAllBytes(file)).getGraph().getNodeList();
    }

    private static List<NodeProto> ofType(List<NodeProto> nodes, String type) {
        List<NodeProto> r = new ArrayList<>();
        for (NodeProto n : nodes) if (n.getOpType().equals(type)) r.add(n);
        return r;
    }

    private static String direction(NodeProto n) {
        for (var a : n.getAttributeList()) if (a.getName().equals("direction")) return a.getS().toStringUtf8();
        return "forward";
    }

    @Test
    void paddedBidirectionalLstmWithMaxNorm() throws Exception {
        DefaultGenerator.manualSeed(21);
        List<NodeProto> nodes = roundTrip("padded_bilstm", new PaddedBiLstm(), ids(2, 7, 1), ids(4, 5, 2)); // the steps are free too
        List<NodeProto> lstm = ofType(nodes, "LSTM");
        assertEquals(2, lstm.size(), "one ONNX LSTM per layer");
        for (NodeProto n : lstm) {
            assertEquals("bidirectional", direction(n));
            assertEquals(5, n.getInputCount(), "X, W, R, B and sequence_lens; the zero initial states are left out");
        }
        assertEquals(0, ofType(nodes, "MatMul").size() + ofType(nodes, "Gemm").size() - 1,
                "the input projections are folded into the LSTM nodes (only the head's Gemm is left)");
        assertEquals(1, ofType(nodes, "ReduceL2").size(), "max_norm is applied to the gathered rows");
    }

    @Test
    void timeMajorBidirectionalGru() throws Exception {
        DefaultGenerator.manualSeed(22);
        Generator g = new Generator(3);
        List<NodeProto> nodes = roundTrip("time_major_gru", new TimeMajorGru(), Tensor.randn(g, 2, 5, 4), Tensor.randn(g, 3, 5, 4));
        List<NodeProto> gru = ofType(nodes, "GRU");
        assertEquals(2, gru.size());
        for (NodeProto n : gru) {
            assertEquals("bidirectional", direction(n));
            assertTrue(n.getAttributeList().stream().anyMatch(a -> a.getName().equals("linear_before_reset") && a.getI() == 1));
        }
    }

    @Test
    void reluRnnWithComputedInitialStateAndNoBias() throws Exception {
        DefaultGenerator.manualSeed(23);
        Generator g = new Generator(4);
        List<NodeProto> nodes = roundTrip("relu_rnn", new ReluRnnWithState(), Tensor.randn(g, 2, 4, 3), Tensor.randn(g, 3, 4, 3));
        List<NodeProto> rnn = ofType(nodes, "RNN");
        // The states are computed from the batch, so each direction is its own node with its state passed in.
        assertEquals(2, rnn.size());
        assertEquals(List.of("forward", "reverse"), rnn.stream().map(OnnxRecurrentTest::direction).toList());
        for (NodeProto n : rnn) assertEquals(6, n.getInputCount(), "X, W, R, no B, no sequence_lens, initial_h");
    }

    @Test
    void recurrentOpOnAProjectionTheModelComputes() throws Exception {
        Generator g = new Generator(5);
        List<NodeProto> nodes = roundTrip("direct_layer", new DirectLayer(), Tensor.randn(g, 2, 6, 8), Tensor.randn(g, 3, 6, 8));
        List<NodeProto> lstm = ofType(nodes, "LSTM");
        assertEquals(1, lstm.size());
        assertEquals("reverse", direction(lstm.get(0)));
    }

    @Test
    void paddedBatchWhoseLengthsAreNotFromTokenIdsIsRefused() {
        DefaultGenerator.manualSeed(24);
        LSTM lstm = new LSTM(3, 4, 1, true, true, 0, false, DefaultGenerator.get());
        Module m = new Module() {
            {
                registerModule("lstm", lstm);
            }

            @Override
            public Tensor forward(Tensor x) {
                return lstm.forwardPadded(x, new int[] {2, 3}, null, null).output();
            }
        };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Onnx.toBytes(m, Tensor.randn(new Generator(1), 2, 3, 3)));
        assertTrue(e.getMessage().contains("padded batch") && e.getMessage().contains("[2, 3]"), e.getMessage());
    }

    @Test
    void fileNodesHaveNoDeadComputations() {
        DefaultGenerator.manualSeed(21);
        ModelProto m = BadOnnxFiles.parse(Onnx.toBytes(new PaddedBiLstm(), ids(2, 7, 1)));
        java.util.Set<String> read = new java.util.HashSet<>(List.of("output"));
        for (NodeProto n : m.getGraph().getNodeList()) read.addAll(n.getInputList());
        for (NodeProto n : m.getGraph().getNodeList())
            assertTrue(n.getOutputList().stream().anyMatch(read::contains), n.getName() + " computes nothing that is read");
    }
}
