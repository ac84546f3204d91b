package org.jgrad.onnx;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.IdentityHashMap;
import java.util.Map;
import org.jgrad.internal.TensorData;
import org.jgrad.onnx.proto.OnnxProto.AttributeProto;
import org.jgrad.onnx.proto.OnnxProto.GraphProto;
import org.jgrad.onnx.proto.OnnxProto.NodeProto;
import org.jgrad.onnx.proto.OnnxProto.TensorProto;
import org.jgrad.tensor.DType;
import org.jgrad.tensor.Tensor;

/**
 * The ONNX graph under construction during an export: nodes in order, initializers (named weights
 * and anonymous constants) and fresh value names. Each tensor becomes one initializer however often
 * it is used.
 */
final class GraphBuilder {
    private final GraphProto.Builder graph = GraphProto.newBuilder();
    private final Map<Tensor, String> initializers = new IdentityHashMap<>();
    private final java.util.Set<String> usedNames = new java.util.HashSet<>();
    private final Map<Tensor, String> stateNames = new IdentityHashMap<>();
    /** Initializers that are constants the export made (shapes, indices), not the model's weights. */
    private final java.util.Set<String> madeConstants = new java.util.HashSet<>();
    private int fresh;

    /** Parameters and buffers by identity, so that each initializer gets its state-dict name. */
    void stateNames(Map<Tensor, String> names) {
        stateNames.putAll(names);
    }

    GraphProto.Builder graph() {
        return graph;
    }

    /** A value name not used yet, starting with {@code hint}. */
    String freshName(String hint) {
        String name;
        do name = hint + "_" + fresh++; while (!usedNames.add(name));
        return name;
    }

    /** Reserves {@code name} (a parameter's state-dict name); false if it is taken. */
    boolean reserve(String name) {
        return usedNames.add(name);
    }

    /** Appends a node with one output and returns the output's name. */
    String node(String opType, String[] inputs, String output, AttributeProto... attributes) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(opType).setName(opType + "_" + graph.getNodeCount());
        for (String in : inputs) n.addInput(in == null ? "" : in);
        n.addOutput(output);
        for (AttributeProto a : attributes) n.addAttribute(a);
        graph.addNode(n);
        return output;
    }

    /** Appends a node with several outputs (an empty name for an output nobody reads). */
    void node(String opType, String[] inputs, String[] outputs, AttributeProto... attributes) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(opType).setName(opType + "_" + graph.getNodeCount());
        for (String in : inputs) n.addInput(in == null ? "" : in);
        for (String out : outputs) n.addOutput(out == null ? "" : out);
        for (AttributeProto a : attributes) n.addAttribute(a);
        graph.addNode(n);
    }

    /**
     * Drops the nodes that no graph output depends on (an input projection folded into a recurrent
     * node leaves its matrix product unread) and the constants only they read. The model's weights
     * stay, read or not.
     */
    void prune(java.util.Collection<String> graphOutputs) {
        java.util.Set<String> live = new java.util.HashSet<>(graphOutputs);
        java.util.List<NodeProto> kept = new java.util.ArrayList<>();
        for (int i = graph.getNodeCount() - 1; i >= 0; i--) {
            NodeProto n = graph.getNode(i);
            boolean needed = false;
            for (String out : n.getOutputList()) needed |= !out.isEmpty() && live.contains(out);
            if (!needed) continue;
            kept.add(n);
            live.addAll(n.getInputList());
        }
        java.util.Collections.reverse(kept);
        if (kept.size() < graph.getNodeCount()) graph.clearNode().addAllNode(kept);
        java.util.List<TensorProto> weights = new java.util.ArrayList<>();
        boolean dropped = false;
        for (TensorProto t : graph.getInitializerList()) {
            if (madeConstants.contains(t.getName()) && !live.contains(t.getName())) {
                dropped = true;
                initializers.values().remove(t.getName());
            } else weights.add(t);
        }
        if (dropped) graph.clearInitializer().addAllInitializer(weights);
    }

    /** Appends a node whose output gets a fresh name. */
    String node(String opType, String[] inputs, AttributeProto... attributes) {
        return node(opType, inputs, freshName(opType), attributes);
    }

    /** The initializer holding {@code t}'s values, added on first use under {@code name} (or a fresh one). */
    String initializer(Tensor t, String name) {
        String known = initializers.get(t);
        if (known != null) return known;
        if (name == null) name = stateNames.get(t);
        String n = name != null && reserve(name) ? name : freshName(name != null ? name : "const");
        if (name == null) madeConstants.add(n);
        graph.addInitializer(tensorProto(t, n));
        initializers.put(t, n);
        return n;
    }

    /** The initializer that holds {@code t}, or null if it was not used. */
    String initializerOf(Tensor t) {
        return initializers.get(t);
    }

    /** A new int64 constant (shapes, axes, pads). */
    String longs(long... values) {
        return initializer(TensorData.wrapLongs(values.clone(), values.length), null);
    }

    /** A new int64 0-d constant (Range's bounds). */
    String longScalar(long value) {
        return initializer(TensorData.wrapLongs(new long[] {value}), null);
    }

    /** A new float32 scalar constant. */
    String scalar(double value) {
        return initializer(Tensor.scalar((float) value), null);
    }

    static TensorProto tensorProto(Tensor t, String name) {
        TensorProto.Builder b = TensorProto.newBuilder().setName(name);
        for (int d : t.shape()) b.addDims(d);
        Tensor c = t.detach().contiguous();
        if (c.dtype() == DType.INT64) {
            long[] v = c.toLongArray();
            ByteBuffer buf = ByteBuffer.allocate(v.length * 8).order(ByteOrder.LITTLE_ENDIAN);
            for (long x : v) buf.putLong(x);
            b.setDataType(TensorProto.DataType.INT64_VALUE).setRawData(UnsafeByteOperations.unsafeWrap(buf.array()));
        } else {
            float[] v = c.toFloatArray();
            ByteBuffer buf = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            buf.asFloatBuffer().put(v);
            // The buffer is fresh and never written again: wrapping it saves a copy of every weight.
            b.setDataType(TensorProto.DataType.FLOAT_VALUE).setRawData(UnsafeByteOperations.unsafeWrap(buf.array()));
        }
        return b.build();
    }

    static AttributeProto attr(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    static AttributeProto attr(String name, double value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF((float) value).build();
    }

    static AttributeProto attr(String name, String value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
                .setS(ByteString.copyFromUtf8(value)).build();
    }

    static AttributeProto attr(String name, String... values) {
        AttributeProto.Builder b = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRINGS);
        for (String v : values) b.addStrings(ByteString.copyFromUtf8(v));
        return b.build();
    }

    static AttributeProto attr(String name, long... values) {
        AttributeProto.Builder b = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) b.addInts(v);
        return b.build();
    }
}
