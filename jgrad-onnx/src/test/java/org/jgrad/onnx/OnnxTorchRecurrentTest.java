package org.jgrad.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jgrad.autograd.GradCheck;
import org.jgrad.autograd.NoGrad;
import org.jgrad.onnx.proto.OnnxProto.AttributeProto;
import org.jgrad.onnx.proto.OnnxProto.GraphProto;
import org.jgrad.onnx.proto.OnnxProto.ModelProto;
import org.jgrad.onnx.proto.OnnxProto.NodeProto;
import org.jgrad.onnx.proto.OnnxProto.OperatorSetIdProto;
import org.jgrad.onnx.proto.OnnxProto.TensorProto;
import org.jgrad.onnx.proto.OnnxProto.TypeProto;
import org.jgrad.onnx.proto.OnnxProto.ValueInfoProto;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ONNX recurrent nodes in: token-id models with a 2-layer bidirectional LSTM and GRU exported by
 * PyTorch's {@code torch.onnx.export} (written by {@code make_torch_recurrent.py} next to the
 * fixtures) reproduce PyTorch's outputs and fine-tune; the imported LSTM/GRU node passes a gradient
 * check; and what jgrad's cells cannot compute is refused naming the node and the attribute.
 */
class OnnxTorchRecurrentTest {
    @TempDir
    Path dir;

    private Path fixture(String name) throws Exception {
        Path p = dir.resolve(name);
        try (InputStream in = getClass().getResourceAsStream(name)) {
            assertNotNull(in, name);
            Files.copy(in, p);
        }
        return p;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"lstm", "gru"})
    void pytorchExportedRecurrentModelReproducesPyTorch(String cell) throws Exception {
        OnnxModel m = Onnx.load(fixture("torch_" + cell + ".onnx"));
        m.eval();
        ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(fixture("torch_" + cell + ".input.i64"))).order(ByteOrder.LITTLE_ENDIAN);
        long[] ids = new long[in.remaining() / 8];
        in.asLongBuffer().get(ids);
        ByteBuffer out = ByteBuffer.wrap(Files.readAllBytes(fixture("torch_" + cell + ".output.f32"))).order(ByteOrder.LITTLE_ENDIAN);
        float[] expected = new float[out.remaining() / 4];
        out.asFloatBuffer().get(expected);
        Tensor x = Tensor.ofLongs(ids).reshape(2, 6);
        float[] actual;
        try (NoGrad g = NoGrad.enter()) {
            actual = m.call(x).toFloatArray();
        }
        double err = Norms.relativeError(actual, expected);
        System.out.printf("onnx: PyTorch-exported %s model: jgrad vs PyTorch relative error %.3g%n", cell, err);
        assertTrue(err <= 1e-5, "relative error " + err);

        // The recurrent weights (W, R, B of both layers) and the embedding are parameters, and train.
        m.train();
        long recurrent = m.namedParameters().keySet().stream().filter(k -> k.contains(cell.toUpperCase())).count();
        assertEquals(6, recurrent, "W, R and B of two layers: " + m.namedParameters().keySet());
        assertTrue(m.namedParameters().containsKey("embed.weight"), m.namedParameters().keySet().toString());
        m.call(x).square().sum().backward();
        for (var p : m.namedParameters().entrySet()) assertNotNull(p.getValue().grad(), p.getKey() + " gets a gradient");
    }

    private static AttributeProto attr(String name, long v) {
        return GraphBuilder.attr(name, v);
    }

    private static ValueInfoProto floatInput(String name, int... dims) {
        var s = org.jgrad.onnx.proto.OnnxProto.TensorShapeProto.newBuilder();
        for (int d : dims) s.addDim(org.jgrad.onnx.proto.OnnxProto.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(s))).build();
    }

    /** A file with one LSTM or GRU node (hidden 2, input 3) with the given extra attributes and inputs. */
    private Path oneNode(String op, List<AttributeProto> extra, boolean peepholes) throws Exception {
        int g = op.equals("LSTM") ? 4 : 3;
        GraphProto.Builder graph = GraphProto.newBuilder().addInput(floatInput("X", 5, 1, 3));
        Generator gen = new Generator(1);
        graph.addInitializer(GraphBuilder.tensorProto(Tensor.randn(gen, 1, g * 2, 3), "W"));
        graph.addInitializer(GraphBuilder.tensorProto(Tensor.randn(gen, 1, g * 2, 2), "R"));
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName("the_" + op.toLowerCase())
                .addAllInput(List.of("X", "W", "R")).addOutput("Y").addAttribute(attr("hidden_size", 2)).addAllAttribute(extra);
        if (peepholes) {
            graph.addInitializer(GraphBuilder.tensorProto(Tensor.randn(gen, 1, 6), "P"));
            n.addAllInput(List.of("", "", "", "", "P"));
        }
        graph.addNode(n).addOutput(floatInput("Y", 5, 1, 1, 2));
        ModelProto m = ModelProto.newBuilder().setIrVersion(8).addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(17))
                .setGraph(graph).build();
        Path p = dir.resolve(op + extra.size() + peepholes + ".onnx");
        Files.write(p, m.toByteArray());
        return p;
    }

    @Test
    void unsupportedRecurrentSettingsAreRefusedNamingNodeAndAttribute() throws Exception {
        // The plain node loads: the refusals below come from their attributes alone.
        Onnx.load(oneNode("LSTM", List.of(), false));
        Onnx.load(oneNode("GRU", List.of(attr("linear_before_reset", 1)), false));
        record Bad(String op, List<AttributeProto> attrs, boolean peepholes, String named) {}
        for (Bad b : List.of(
                new Bad("LSTM", List.of(), true, "'P' (peephole"),
                new Bad("LSTM", List.of(attr("input_forget", 1)), false, "'input_forget'"),
                new Bad("LSTM", List.of(GraphBuilder.attr("clip", 3.0)), false, "'clip'"),
                new Bad("LSTM", List.of(GraphBuilder.attr("activations", "Sigmoid", "Relu", "Tanh")), false, "'activations'"),
                new Bad("GRU", List.of(), false, "'linear_before_reset'"))) {
            OnnxFormatException e = assertThrows(OnnxFormatException.class, () -> Onnx.load(oneNode(b.op(), b.attrs(), b.peepholes())),
                    b.named());
            assertTrue(e.getMessage().contains("the_" + b.op().toLowerCase()) && e.getMessage().contains(b.named()), e.getMessage());
        }
    }

    private static OpImporter.Kernel kernel(String op, AttributeProto... attrs) throws Exception {
        NodeProto n = NodeProto.newBuilder().setOpType(op).setName("n").addAllAttribute(List.of(attrs)).build();
        return OpImporter.compile(op, new NodeAttributes(n, Path.of("test.onnx"), "node", null), 17);
    }

    @Test
    void importedBidirectionalLstmWithLengthsPassesGradientCheck() throws Exception {
        OpImporter.Kernel k = kernel("LSTM", attr("hidden_size", 2), GraphBuilder.attr("direction", "bidirectional"));
        Generator g = new Generator(7);
        Tensor x = Tensor.randn(g, 4, 3, 3).requiresGrad(true);
        Tensor w = Tensor.randn(g, 2, 8, 3).mul(0.5f).requiresGrad(true);
        Tensor r = Tensor.randn(g, 2, 8, 2).mul(0.5f).requiresGrad(true);
        Tensor b = Tensor.randn(g, 2, 16).mul(0.5f).requiresGrad(true);
        Tensor lens = Tensor.ofLongs(4, 2, 3);
        Tensor h0 = Tensor.randn(g, 2, 3, 2).requiresGrad(true), c0 = Tensor.randn(g, 2, 3, 2).requiresGrad(true);
        GradCheck.assertGradients(in -> {
            Tensor[] o = k.runAll(new Tensor[] {in[0], in[1], in[2], in[3], lens, in[4], in[5]}, true);
            return Tensor.cat(0, o[0].reshape(-1), o[1].reshape(-1), o[2].reshape(-1));
        }, x, w, r, b, h0, c0);
    }

    @Test
    void importedBatchFirstGruPassesGradientCheck() throws Exception {
        OpImporter.Kernel k = kernel("GRU", attr("hidden_size", 3), attr("linear_before_reset", 1), attr("layout", 1),
                GraphBuilder.attr("direction", "reverse"));
        Generator g = new Generator(8);
        Tensor x = Tensor.randn(g, 2, 4, 3).requiresGrad(true);
        Tensor w = Tensor.randn(g, 1, 9, 3).mul(0.5f).requiresGrad(true);
        Tensor r = Tensor.randn(g, 1, 9, 3).mul(0.5f).requiresGrad(true);
        Tensor b = Tensor.randn(g, 1, 18).mul(0.5f).requiresGrad(true);
        Tensor h0 = Tensor.randn(g, 2, 1, 3).requiresGrad(true);
        GradCheck.assertGradients(in -> {
            Tensor[] o = k.runAll(new Tensor[] {in[0], in[1], in[2], in[3], null, in[4]}, true);
            return Tensor.cat(0, o[0].reshape(-1), o[1].reshape(-1));
        }, x, w, r, b, h0);
    }
}
