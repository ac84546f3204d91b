package org.jgrad.onnx;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jgrad.autograd.Graph;
import org.jgrad.autograd.NoGrad;
import org.jgrad.nn.Module;
import org.jgrad.onnx.proto.OnnxProto.GraphProto;
import org.jgrad.onnx.proto.OnnxProto.ModelProto;
import org.jgrad.onnx.proto.OnnxProto.OperatorSetIdProto;
import org.jgrad.onnx.proto.OnnxProto.StringStringEntryProto;
import org.jgrad.onnx.proto.OnnxProto.TensorProto;
import org.jgrad.onnx.proto.OnnxProto.TensorShapeProto;
import org.jgrad.onnx.proto.OnnxProto.TypeProto;
import org.jgrad.onnx.proto.OnnxProto.ValueInfoProto;
import org.jgrad.tensor.DType;
import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;

/**
 * Builds the ONNX model of a jgrad module from one traced forward pass in evaluation mode: the
 * example input is made to require grad so that every op downstream of it is recorded, the graph is
 * walked with {@link Graph#trace}, and each op is translated by {@link OpExporter}. Parameters and
 * buffers become initializers under their state-dict names.
 */
final class OnnxExporter {
    /** The opset written: 17 (ONNX 1.12), which every current runtime reads. */
    static final int OPSET = 17;
    /** IR version 8 goes with opset 17. */
    static final int IR_VERSION = 8;
    /** Metadata key: the initializers that are the model's parameters, one name a line. */
    static final String PARAMETERS_KEY = "jgrad.parameters";
    /** Metadata key: the initializers that are the model's buffers (batch-norm statistics), one name a line. */
    static final String BUFFERS_KEY = "jgrad.buffers";

    private OnnxExporter() {}

    static ModelProto export(Module model, Tensor exampleInput) {
        if (model == null) throw new IllegalArgumentException("Onnx.export: the model is null");
        if (exampleInput == null) throw new IllegalArgumentException("Onnx.export: the example input is null");
        if (exampleInput.dim() < 1)
            throw new IllegalArgumentException("Onnx.export: the example input needs a batch dimension, got shape "
                    + Shape.str(exampleInput.shape()));
        boolean wasTraining = model.isTraining();
        model.eval();
        try (NoGrad ignored = NoGrad.enableGrad()) {
            // Token ids (int64) stay ids: the ops that read them (an embedding) record them as an input.
            Tensor x = exampleInput.dtype() == DType.INT64 ? exampleInput.detach().contiguous().cloneData()
                    : exampleInput.detach().toFloat().contiguous().cloneData().requiresGrad(true);
            // A batch of one cannot tell a size 1 from the batch, and a view of one row is often contiguous
            // where one of more rows is not (the trace then records no copy): trace two rows where the model
            // takes them and every size of that trace is explained (else the one row, as given, by the rule of
            // one trace).
            if (x.size(0) == 1) {
                Tensor two = twoRows(x);
                ModelProto m = null;
                try {
                    m = build(model, two, model.call(two), true);
                } catch (RuntimeException e) {
                    // The single row below gives the error, if it is one.
                }
                if (m != null) return m;
            }
            return build(model, x, model.call(x), false);
        } finally {
            model.train(wasTraining);
        }
    }

    private static Tensor twoRows(Tensor x) {
        int[] shape = x.shape().clone();
        shape[0] = 2;
        if (x.dtype() == DType.INT64) {
            long[] v = x.toLongArray(), w = java.util.Arrays.copyOf(v, 2 * v.length);
            System.arraycopy(v, 0, w, v.length, v.length);
            return org.jgrad.internal.TensorData.wrapLongs(w, shape);
        }
        float[] v = x.toFloatArray(), w = java.util.Arrays.copyOf(v, 2 * v.length);
        System.arraycopy(v, 0, w, v.length, v.length);
        return Tensor.fromArray(w, shape).requiresGrad(true);
    }

    /** The model of the trace {@code x → y}; null when {@code requireFree} and the extra traces explain not every size. */
    private static ModelProto build(Module model, Tensor x, Tensor y, boolean requireFree) {
        if (y == null || y.gradFn() == null)
            throw new IllegalArgumentException("Onnx.export: the model's output does not depend on its input "
                    + "(no op was recorded between them), so there is no graph to export");
        Graph graph = Graph.trace(y);
        Map<String, Integer> problems = new LinkedHashMap<>();
        Map<String, String> reasons = new LinkedHashMap<>();
        for (Graph.Op op : graph.ops()) {
            String why = OpExporter.unsupported(op);
            if (why != null) {
                problems.merge(op.type(), 1, Integer::sum);
                reasons.putIfAbsent(op.type(), why);
            }
        }
        if (!problems.isEmpty()) {
            StringBuilder b = new StringBuilder("Onnx.export: " + model.name() + " uses ops that cannot be exported to ONNX: ");
            String sep = "";
            for (var e : problems.entrySet()) {
                b.append(sep).append(e.getKey()).append(" (").append(e.getValue()).append(e.getValue() == 1 ? " node: " : " nodes: ")
                        .append(reasons.get(e.getKey())).append(')');
                sep = ", ";
            }
            throw new IllegalArgumentException(b.toString());
        }

        GraphBuilder g = new GraphBuilder();
        Map<Tensor, String> named = new IdentityHashMap<>();
        for (var e : model.namedParameters().entrySet()) if (e.getValue() != null) named.putIfAbsent(e.getValue(), e.getKey());
        for (var e : model.namedBuffers().entrySet()) if (e.getValue() != null) named.putIfAbsent(e.getValue(), e.getKey());
        g.stateNames(named);
        FreeDims dims = FreeDims.analyze(model, x, graph, named);
        if (requireFree && !dims.active()) return null;
        ShapeExpr shapes = new ShapeExpr(g, "input");
        g.reserve("input");
        g.reserve("output");
        Map<Graph.Op, String> outputs = new IdentityHashMap<>();
        Graph.Op last = graph.ops().get(graph.ops().size() - 1);
        boolean[] inputUsed = {false};
        SequenceLengths lengths = new SequenceLengths(g, graph, x);
        if (dims.stepsFree()) lengths.steps(shapes, new FreeDims.Sym(1, 0, 1));
        Map<Tensor, String> computed = new IdentityHashMap<>();
        List<java.util.function.Function<Graph.Input, String>> names = new ArrayList<>();
        java.util.function.Function<Graph.Input, String> nameOf = input -> {
            if (!input.present()) return null;
            if (input.producer() != null) return outputs.get(input.producer());
            if (input.tensor() == x) {
                inputUsed[0] = true;
                return "input";
            }
            ConstantRules.Rule rule = dims.rule(input.tensor());
            if (rule != null) {
                String known = computed.get(input.tensor());
                if (known == null) computed.put(input.tensor(), known = rule.emit(g, shapes, lengths, names.get(0)));
                return known;
            }
            return g.initializer(input.tensor(), null);
        };
        names.add(nameOf);
        RecurrentExporter recurrent = new RecurrentExporter(g, new RecurrentExporter.Context() {
            @Override
            public String name(Graph.Input input) {
                return nameOf.apply(input);
            }

            @Override
            public String lengths(Graph.Op op) {
                inputUsed[0] = true;
                return lengths.of(op);
            }
        }, graph.ops());
        for (Graph.Op op : graph.ops()) {
            String out = op == last && op.output() == y ? "output" : g.freshName(op.type());
            outputs.put(op, out);
            if (RecurrentExporter.isRecurrent(op.type())) {
                recurrent.emit(op, out);
                continue;
            }
            String[] in = new String[op.inputs().size()];
            for (int i = 0; i < in.length; i++) in[i] = nameOf.apply(op.inputs().get(i));
            // Optional inputs that are absent at the end are dropped, as ONNX allows.
            int n = in.length;
            while (n > 0 && in[n - 1] == null) n--;
            if (n < in.length) in = java.util.Arrays.copyOf(in, n);
            OpExporter.emit(g, op, in, out, dims.active() ? dims : null, shapes);
        }
        if (!inputUsed[0])
            throw new IllegalArgumentException("Onnx.export: the model's output does not depend on its input");
        if (last.output() != y)
            throw new IllegalStateException("Onnx.export: the traced graph does not end in the model's output");

        g.prune(List.of("output"));
        // Weights the traced pass did not read (a buffer such as num_batches_tracked, an unused layer)
        // are kept too, so that the file carries the model's whole state dict.
        Map<String, Tensor> state = model.stateDict();
        for (var e : model.namedParameters().entrySet())
            if (e.getValue() != null && state.containsKey(e.getKey())) g.initializer(e.getValue(), e.getKey());
        for (var e : model.namedBuffers().entrySet())
            if (e.getValue() != null && state.containsKey(e.getKey())) g.initializer(e.getValue(), e.getKey());

        GraphProto.Builder gp = g.graph();
        gp.setName(model.name());
        FreeDims.Sym[] in = new FreeDims.Sym[x.dim()], out;
        for (int i = 0; i < in.length; i++)
            in[i] = i == 0 ? new FreeDims.Sym(1, 1, 0) : i == 1 && dims.stepsFree() ? new FreeDims.Sym(1, 0, 1) : FreeDims.Sym.fixed(x.size(i));
        out = dims.active() ? dims.output(last) : null;
        if (out == null) {
            out = new FreeDims.Sym[y.dim()];
            for (int i = 0; i < out.length; i++)
                out[i] = i == 0 && y.size(0) == x.size(0) ? new FreeDims.Sym(1, 1, 0) : FreeDims.Sym.fixed(y.size(i));
        }
        gp.addInput(valueInfo("input", in, x.dtype() == DType.INT64));
        gp.addOutput(valueInfo("output", out, false));
        String version = OnnxExporter.class.getPackage().getImplementationVersion();
        ModelProto.Builder m = ModelProto.newBuilder();
        // Which initializers are trainable parameters and which buffers, so that an import restores
        // the model's state dict exactly (other files get the importer's rule by op and input).
        m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(PARAMETERS_KEY)
                .setValue(String.join("\n", usedNames(g, model.namedParameters()))));
        m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(BUFFERS_KEY)
                .setValue(String.join("\n", usedNames(g, persistent(model)))));
        return m.setIrVersion(IR_VERSION).setProducerName("jgrad")
                .setProducerVersion(version == null ? "dev" : version)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(gp).build();
    }

    private static Map<String, Tensor> persistent(Module model) {
        Map<String, Tensor> state = model.stateDict(), r = new LinkedHashMap<>();
        for (var e : model.namedBuffers().entrySet()) if (state.containsKey(e.getKey())) r.put(e.getKey(), e.getValue());
        return r;
    }

    private static List<String> usedNames(GraphBuilder g, Map<String, Tensor> state) {
        List<String> r = new ArrayList<>();
        for (Tensor t : state.values()) {
            String name = t == null ? null : g.initializerOf(t);
            if (name != null && !r.contains(name)) r.add(name);
        }
        return r;
    }

    /** A value's type: free sizes named {@code batch} and {@code steps}, other computed ones left unnamed. */
    private static ValueInfoProto valueInfo(String name, FreeDims.Sym[] shape, boolean int64) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        for (FreeDims.Sym dim : shape) {
            TensorShapeProto.Dimension.Builder d = TensorShapeProto.Dimension.newBuilder();
            if (dim.isFixed()) d.setDimValue(dim.coef());
            else if (dim.isBatch()) d.setDimParam("batch");
            else if (dim.isSteps()) d.setDimParam("steps");
            s.addDim(d);
        }
        TypeProto.Tensor.Builder t = TypeProto.Tensor.newBuilder().setElemType(int64 ? TensorProto.DataType.INT64_VALUE : TensorProto.DataType.FLOAT_VALUE).setShape(s);
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(t)).build();
    }
}
