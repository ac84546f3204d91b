package org.jgrad.onnx;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jgrad.io.MemoryBudget;
import org.jgrad.nn.Module;
import org.jgrad.onnx.proto.OnnxProto.GraphProto;
import org.jgrad.onnx.proto.OnnxProto.ModelProto;
import org.jgrad.onnx.proto.OnnxProto.NodeProto;
import org.jgrad.onnx.proto.OnnxProto.OperatorSetIdProto;
import org.jgrad.onnx.proto.OnnxProto.TensorProto;
import org.jgrad.onnx.proto.OnnxProto.ValueInfoProto;
import org.jgrad.tensor.DType;
import org.jgrad.tensor.Tensor;

/**
 * Reads an ONNX file into an {@link OnnxModel}, checking everything before building anything: the
 * file's size against the memory budget, the protobuf wire format, the opset, every initializer's
 * dims and data, every node's op type (all unsupported ones are named in one error), attributes
 * and inputs (each defined before use).
 */
final class OnnxImporter {
    /** Default-domain opsets whose op semantics {@link OpImporter} knows. */
    static final int MIN_OPSET = 7, MAX_OPSET = 22;
    /** Ops that take weights: these initializer inputs become trainable parameters. */
    private static final Map<String, Set<Integer>> PARAMETER_INPUTS = Map.ofEntries(
            Map.entry("Conv", Set.of(1, 2)),
            Map.entry("Gemm", Set.of(0, 1, 2)),
            Map.entry("MatMul", Set.of(0, 1)),
            Map.entry("BatchNormalization", Set.of(1, 2)),
            Map.entry("PRelu", Set.of(1)),
            Map.entry("Add", Set.of(0, 1)),
            Map.entry("Sub", Set.of(0, 1)),
            Map.entry("Mul", Set.of(0, 1)),
            Map.entry("Div", Set.of(0, 1)),
            Map.entry("LSTM", Set.of(1, 2, 3)),
            Map.entry("GRU", Set.of(1, 2, 3)),
            Map.entry("RNN", Set.of(1, 2, 3)),
            Map.entry("Gather", Set.of(0)));

    private final Path file;
    private final TensorDecoder tensors;

    private OnnxImporter(Path file) {
        this.file = file;
        this.tensors = new TensorDecoder(file);
    }

    static OnnxModel load(Path file) throws IOException {
        return new OnnxImporter(file).read();
    }

    private OnnxFormatException error(String field, String problem) {
        return new OnnxFormatException(file, -1, field, problem);
    }

    private OnnxModel read() throws IOException {
        long size = Files.size(file);
        // A protobuf message is at most 2 GiB; larger models keep their weights in external files.
        if (size > Integer.MAX_VALUE - 8)
            throw new OnnxFormatException(file, -1, null, "the file is " + (size >> 20) + " MiB; an .onnx file holds at most"
                    + " 2 GiB (larger models keep their weights in external data files, which jgrad does not read)");
        // Decoding holds the file's bytes (the messages' raw data point into them) and the tensors
        // decoded from them at once: about twice the file.
        if (!MemoryBudget.allows(2 * size))
            throw new OnnxFormatException(file, -1, null, "reading it " + MemoryBudget.refusal(2 * size, "the model"));
        byte[] bytes = Files.readAllBytes(file);
        CodedInputStream in = CodedInputStream.newInstance(bytes);
        in.setSizeLimit(bytes.length);
        // Weights' raw_data then point into the file's bytes instead of being copied out of them.
        in.enableAliasing(true);
        ModelProto model;
        try {
            model = ModelProto.parser().parseFrom(in);
            in.checkLastTagWas(0);
        } catch (InvalidProtocolBufferException e) {
            throw new OnnxFormatException(file, in.getTotalBytesRead(), null, "not a valid ONNX (protobuf) file: "
                    + e.getMessage(), e);
        }
        if (bytes.length == 0 || !model.hasGraph())
            throw error(null, "no graph: this is not an ONNX model file (or the file is empty)");
        int opset = opset(model);
        Map<String, String> meta = new HashMap<>();
        for (var e : model.getMetadataPropsList()) meta.put(e.getKey(), e.getValue());
        return build(model.getGraph(), opset, meta);
    }

    private int opset(ModelProto model) throws OnnxFormatException {
        Integer v = null;
        for (OperatorSetIdProto o : model.getOpsetImportList())
            if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) v = (int) Math.min(o.getVersion(), Integer.MAX_VALUE);
        if (v == null) {
            // IR version 2 files could leave the import out, meaning opset 1; nothing that old runs here.
            throw error("opset_import", "no opset of the default ONNX domain is imported");
        }
        if (v < MIN_OPSET || v > MAX_OPSET)
            throw error("opset_import", "opset " + v + " is outside the opsets jgrad reads (" + MIN_OPSET + " to " + MAX_OPSET + ")");
        return v;
    }

    private OnnxModel build(GraphProto g, int opset, Map<String, String> meta) throws OnnxFormatException {
        if (g.getSparseInitializerCount() > 0)
            throw error("graph.sparse_initializer", "sparse initializers are not supported");
        Map<String, Integer> index = new HashMap<>();
        OnnxModel.Builder b = new OnnxModel.Builder();
        // Initializers.
        Map<String, Tensor> init = new LinkedHashMap<>();
        for (int i = 0; i < g.getInitializerCount(); i++) {
            TensorProto t = g.getInitializer(i);
            String field = "graph.initializer[" + i + "] '" + t.getName() + "'";
            if (t.getName().isEmpty()) throw error(field, "an initializer has no name");
            if (init.containsKey(t.getName())) throw error(field, "the name is used by an earlier initializer");
            init.put(t.getName(), tensors.decode(t, field));
            index.put(t.getName(), index.size());
        }
        // Graph inputs that are not initializers are the model's inputs.
        List<String> inputNames = new ArrayList<>();
        List<Integer> inputs = new ArrayList<>();
        for (int i = 0; i < g.getInputCount(); i++) {
            ValueInfoProto v = g.getInput(i);
            if (init.containsKey(v.getName())) continue;
            if (v.getName().isEmpty() || index.containsKey(v.getName()))
                throw error("graph.input[" + i + "]", "input name '" + v.getName() + "' is empty or used twice");
            index.put(v.getName(), index.size());
            inputNames.add(v.getName());
            inputs.add(index.get(v.getName()));
        }
        if (inputNames.isEmpty()) throw error("graph.input", "the graph has no input");
        if (g.getOutputCount() != 1)
            throw error("graph.output", "the graph has " + g.getOutputCount() + " outputs; jgrad imports models with one output");

        // Every op type first, so that one error names every unsupported one.
        Map<String, Integer> unsupported = new LinkedHashMap<>();
        for (NodeProto n : g.getNodeList()) {
            boolean defaultDomain = n.getDomain().isEmpty() || n.getDomain().equals("ai.onnx");
            if (!defaultDomain || !OpImporter.SUPPORTED.contains(n.getOpType()))
                unsupported.merge(defaultDomain ? n.getOpType() : n.getDomain() + "::" + n.getOpType(), 1, Integer::sum);
        }
        if (!unsupported.isEmpty()) {
            StringBuilder m = new StringBuilder("the graph uses ops jgrad does not run: ");
            String sep = "";
            for (var e : unsupported.entrySet()) {
                m.append(sep).append(e.getKey()).append(" (").append(e.getValue()).append(e.getValue() == 1 ? " node)" : " nodes)");
                sep = ", ";
            }
            throw error("graph.node", m.append(" (supported: ").append(new java.util.TreeSet<>(OpImporter.SUPPORTED)).append(')').toString());
        }

        // Consumers, to find the role of each initializer and when each value can be freed.
        Set<String> consumed = new HashSet<>();
        Map<String, Boolean> parameterRole = new HashMap<>();
        for (NodeProto n : g.getNodeList())
            for (int j = 0; j < n.getInputCount(); j++) {
                String name = n.getInput(j);
                consumed.add(name);
                Tensor t = init.get(name);
                if (t == null || t.dtype() != DType.FLOAT32) continue;
                boolean param = PARAMETER_INPUTS.getOrDefault(n.getOpType(), Set.of()).contains(j)
                        && (t.numel() > 1 || !Set.of("Add", "Sub", "Mul", "Div").contains(n.getOpType()));
                boolean stat = n.getOpType().equals("BatchNormalization") && (j == 3 || j == 4);
                if (param) parameterRole.put(name, true);
                else if (stat) parameterRole.putIfAbsent(name, false);
            }
        String outName = g.getOutput(0).getName();
        consumed.add(outName);
        if (meta.containsKey(OnnxExporter.PARAMETERS_KEY)) parameterRole = declaredRoles(init, meta);

        // Nodes in order: inputs defined before use, each output defined once.
        List<int[]> nodeInputs = new ArrayList<>();
        List<OpImporter.Kernel> kernels = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        List<int[]> outputsOf = new ArrayList<>();
        for (int i = 0; i < g.getNodeCount(); i++) {
            NodeProto n = g.getNode(i);
            String label = "'" + (n.getName().isEmpty() ? n.getOpType() + "_" + i : n.getName()) + "' (" + n.getOpType() + ")";
            String field = "graph.node[" + i + "] " + label;
            int[] ins = new int[n.getInputCount()];
            for (int j = 0; j < ins.length; j++) {
                String name = n.getInput(j);
                if (name.isEmpty()) {
                    ins[j] = -1;
                    continue;
                }
                Integer v = index.get(name);
                if (v == null) throw error(field, "input '" + name + "' is not defined by an earlier node, an initializer or a graph input");
                ins[j] = v;
            }
            boolean multi = OpImporter.MULTI_OUTPUT.contains(n.getOpType());
            if (n.getOutputCount() < 1 || n.getOutput(0).isEmpty() && !multi) throw error(field, "the node has no output");
            if (!multi)
                for (int j = 1; j < n.getOutputCount(); j++)
                    if (!n.getOutput(j).isEmpty() && consumed.contains(n.getOutput(j)))
                        throw error(field, "output " + j + " ('" + n.getOutput(j) + "') is used, but jgrad computes only the first"
                                + " output of " + n.getOpType());
            int[] outs = new int[multi ? n.getOutputCount() : 1];
            NodeAttributes attrs = new NodeAttributes(n, file, field, tensors);
            kernels.add(OpImporter.compile(n.getOpType(), attrs, opset));
            for (int j = 0; j < outs.length; j++) {
                String out = n.getOutput(j);
                if (out.isEmpty()) {
                    outs[j] = -1;
                    continue;
                }
                if (index.containsKey(out)) throw error(field, "output '" + out + "' is already defined");
                index.put(out, index.size());
                outs[j] = index.get(out);
            }
            nodeInputs.add(ins);
            labels.add(label);
            outputsOf.add(outs);
        }
        Integer output = index.get(outName);
        if (output == null) throw error("graph.output[0]", "output '" + outName + "' is not computed by any node");

        // Values whose last reader has run are dropped during forward.
        int[] lastUse = new int[index.size()];
        java.util.Arrays.fill(lastUse, -1);
        for (int i = 0; i < nodeInputs.size(); i++) for (int v : nodeInputs.get(i)) if (v >= 0) lastUse[v] = i;
        List<List<Integer>> free = new ArrayList<>();
        for (int i = 0; i < nodeInputs.size(); i++) free.add(new ArrayList<>());
        for (int v = init.size(); v < lastUse.length; v++)
            if (lastUse[v] >= 0 && v != output) free.get(lastUse[v]).add(v);
        for (int i = 0; i < nodeInputs.size(); i++)
            b.steps.add(new OnnxModel.Step(labels.get(i), kernels.get(i), nodeInputs.get(i), outputsOf.get(i),
                    free.get(i).stream().mapToInt(Integer::intValue).toArray()));

        planWeights(b, init, index, parameterRole);
        b.graphInputs = inputs.stream().mapToInt(Integer::intValue).toArray();
        b.graphOutput = output;
        b.valueCount = index.size();
        b.inputNames = inputNames;
        b.outputName = outName;
        return new OnnxModel(b);
    }

    /** The roles a file jgrad exported declares in its metadata; each name must be a float initializer. */
    private Map<String, Boolean> declaredRoles(Map<String, Tensor> init, Map<String, String> meta) throws OnnxFormatException {
        Map<String, Boolean> roles = new HashMap<>();
        for (String key : List.of(OnnxExporter.BUFFERS_KEY, OnnxExporter.PARAMETERS_KEY)) {
            String list = meta.getOrDefault(key, "");
            if (list.isEmpty()) continue;
            for (String name : list.split("\n", -1)) {
                Tensor t = init.get(name);
                boolean param = key.equals(OnnxExporter.PARAMETERS_KEY);
                if (t == null || param && t.dtype() != DType.FLOAT32)
                    throw error("metadata_props '" + key + "'", "'" + name + "' is not a" + (param ? " float" : "n")
                            + " initializer of the graph");
                roles.put(name, param);
            }
        }
        return roles;
    }

    /**
     * Registers parameters and buffers under their names, dotted names as nested modules (so a file
     * exported from a jgrad or PyTorch model has that model's state-dict keys); a name that cannot be
     * a path (an empty part, a clash with another name) is registered flat with '_' for '.'.
     */
    private static void planWeights(OnnxModel.Builder b, Map<String, Tensor> init, Map<String, Integer> index,
            Map<String, Boolean> roles) {
        Set<String> leaves = new HashSet<>(), modules = new HashSet<>();
        for (var e : init.entrySet()) {
            Boolean isParam = roles.get(e.getKey());
            int v = index.get(e.getKey());
            if (isParam == null) {
                b.constants.put(v, e.getValue());
                continue;
            }
            String[] path = e.getKey().split("\\.", -1);
            if (!fits(path, leaves, modules)) {
                String flat = e.getKey().replace('.', '_');
                if (flat.isEmpty()) flat = "weight";
                String name = flat;
                for (int k = 2; leaves.contains(name) || modules.contains(name); k++) name = flat + "_" + k;
                path = new String[] {name};
            }
            for (int i = 1; i < path.length; i++) modules.add(String.join(".", java.util.Arrays.copyOf(path, i)));
            leaves.add(String.join(".", path));
            b.weightPaths.put(v, path);
            b.weightIsParameter.put(v, isParam);
            String[] p = path;
            Tensor t = e.getValue();
            b.registrations.add(model -> {
                Module owner = model;
                for (int i = 0; i < p.length - 1; i++) {
                    Module child = owner.namedChildren().get(p[i]);
                    if (child == null) {
                        child = new OnnxModel.Holder();
                        if (owner == model) model.addChild(p[i], child);
                        else ((OnnxModel.Holder) owner).addChildHolder(p[i], child);
                    }
                    owner = child;
                }
                String leaf = p[p.length - 1];
                if (owner == model) {
                    if (isParam) model.addParameter(leaf, t);
                    else model.addBuffer(leaf, t);
                } else if (isParam) ((OnnxModel.Holder) owner).addParameter(leaf, t);
                else ((OnnxModel.Holder) owner).addBuffer(leaf, t);
            });
        }
    }

    private static boolean fits(String[] path, Set<String> leaves, Set<String> modules) {
        for (String s : path) if (s.isEmpty()) return false;
        String full = String.join(".", path);
        if (leaves.contains(full) || modules.contains(full)) return false;
        for (int i = 1; i < path.length; i++) if (leaves.contains(String.join(".", java.util.Arrays.copyOf(path, i)))) return false;
        return true;
    }
}
