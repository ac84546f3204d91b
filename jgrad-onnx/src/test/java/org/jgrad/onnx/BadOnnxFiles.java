package org.jgrad.onnx;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.jgrad.nn.Conv2d;
import org.jgrad.nn.DefaultGenerator;
import org.jgrad.nn.Flatten;
import org.jgrad.nn.Linear;
import org.jgrad.nn.MaxPool2d;
import org.jgrad.nn.Module;
import org.jgrad.nn.ReLU;
import org.jgrad.nn.Sequential;
import org.jgrad.onnx.proto.OnnxProto.ModelProto;
import org.jgrad.onnx.proto.OnnxProto.NodeProto;
import org.jgrad.onnx.proto.OnnxProto.StringStringEntryProto;
import org.jgrad.onnx.proto.OnnxProto.TensorProto;
import org.jgrad.tensor.Tensor;

/**
 * Small ONNX files, good and bad, for {@code OnnxBadInputsTest} and as the fuzz target's seeds
 * ({@code main} writes them into the seed folder given as its argument).
 */
final class BadOnnxFiles {
    private BadOnnxFiles() {}

    static Module mlp() {
        DefaultGenerator.manualSeed(1);
        return new Sequential(new Linear(4, 3), new ReLU(), new Linear(3, 2));
    }

    static Module cnn() {
        DefaultGenerator.manualSeed(2);
        return new Sequential(new Conv2d(1, 2, 3, 1, 1), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(2 * 2 * 2, 3));
    }

    static byte[] mlpBytes() {
        return Onnx.toBytes(mlp(), Tensor.zeros(1, 4));
    }

    static byte[] cnnBytes() {
        return Onnx.toBytes(cnn(), Tensor.zeros(1, 1, 4, 4));
    }

    static ModelProto parse(byte[] b) {
        try {
            return ModelProto.parseFrom(b);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    /** The MLP with its first weight's raw data cut short. */
    static byte[] shortRawData() {
        ModelProto.Builder m = parse(mlpBytes()).toBuilder();
        TensorProto.Builder t = m.getGraphBuilder().getInitializerBuilder(0);
        t.setRawData(t.getRawData().substring(0, 8));
        return m.build().toByteArray();
    }

    /** The MLP with a weight whose dims claim 2^40 elements. */
    static byte[] hugeDims() {
        ModelProto.Builder m = parse(mlpBytes()).toBuilder();
        m.getGraphBuilder().getInitializerBuilder(0).clearDims().addDims(1 << 20).addDims(1 << 20);
        return m.build().toByteArray();
    }

    /** The MLP with its first weight in an external file. */
    static byte[] externalData() {
        ModelProto.Builder m = parse(mlpBytes()).toBuilder();
        TensorProto.Builder t = m.getGraphBuilder().getInitializerBuilder(0);
        t.clearRawData().setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue("../../etc/passwd"));
        return m.build().toByteArray();
    }

    /** The MLP with three nodes of ops jgrad does not run (two types, one in a custom domain). */
    static byte[] unsupportedOps() {
        ModelProto.Builder m = parse(mlpBytes()).toBuilder();
        var g = m.getGraphBuilder();
        String last = g.getOutput(0).getName();
        g.getNodeBuilder(g.getNodeCount() - 1).setOutput(0, "pre");
        g.addNode(NodeProto.newBuilder().setOpType("Einsum").addInput("pre").addOutput("a"));
        g.addNode(NodeProto.newBuilder().setOpType("Einsum").addInput("a").addOutput("b"));
        g.addNode(NodeProto.newBuilder().setOpType("Frobnicate").setDomain("com.example").addInput("b").addOutput(last));
        return m.build().toByteArray();
    }

    /** The MLP adding a Range of 2^31 - 1 positions to its output (a size that only shows when it runs). */
    static byte[] hugeRange() {
        ModelProto.Builder m = parse(mlpBytes()).toBuilder();
        var g = m.getGraphBuilder();
        String last = g.getOutput(0).getName();
        g.getNodeBuilder(g.getNodeCount() - 1).setOutput(0, "pre");
        g.addInitializer(GraphBuilder.tensorProto(org.jgrad.internal.TensorData.wrapLongs(new long[] {0}), "start"));
        g.addInitializer(GraphBuilder.tensorProto(org.jgrad.internal.TensorData.wrapLongs(new long[] {Integer.MAX_VALUE}), "limit"));
        g.addInitializer(GraphBuilder.tensorProto(org.jgrad.internal.TensorData.wrapLongs(new long[] {1}), "delta"));
        g.addNode(NodeProto.newBuilder().setOpType("Range").addInput("start").addInput("limit").addInput("delta").addOutput("r"));
        g.addNode(NodeProto.newBuilder().setOpType("Cast").addInput("r").addOutput("rf").addAttribute(GraphBuilder.attr("to", 1L)));
        g.addNode(NodeProto.newBuilder().setOpType("Add").addInput("pre").addInput("rf").addOutput(last));
        return m.build().toByteArray();
    }

    /** A node that reads a value nothing defines. */
    static byte[] undefinedInput() {
        ModelProto.Builder m = parse(mlpBytes()).toBuilder();
        m.getGraphBuilder().getNodeBuilder(1).setInput(0, "nowhere");
        return m.build().toByteArray();
    }

    /** The MLP claiming opset 99. */
    static byte[] futureOpset() {
        ModelProto.Builder m = parse(mlpBytes()).toBuilder();
        m.getOpsetImportBuilder(0).setVersion(99);
        return m.build().toByteArray();
    }

    /** A Conv with a kernel_shape of three values. */
    static byte[] conv3d() {
        ModelProto.Builder m = parse(cnnBytes()).toBuilder();
        var node = m.getGraphBuilder().getNodeBuilder(0);
        for (int i = 0; i < node.getAttributeCount(); i++)
            if (node.getAttribute(i).getName().equals("strides"))
                node.setAttribute(i, node.getAttribute(i).toBuilder().addInts(1));
        return m.build().toByteArray();
    }

    static byte[] truncated() {
        byte[] b = cnnBytes();
        return Arrays.copyOf(b, b.length / 2);
    }

    static ByteString text() {
        return ByteString.copyFromUtf8("this is not an ONNX file\n");
    }

    /** Writes the seeds: {@code java ... BadOnnxFiles <folder>}. */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        Files.write(dir.resolve("mlp"), mlpBytes());
        Files.write(dir.resolve("cnn"), cnnBytes());
        Files.write(dir.resolve("short_raw_data"), shortRawData());
        Files.write(dir.resolve("huge_dims"), hugeDims());
        Files.write(dir.resolve("external_data"), externalData());
        Files.write(dir.resolve("unsupported_ops"), unsupportedOps());
        Files.write(dir.resolve("truncated"), truncated());
    }
}
