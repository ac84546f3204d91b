package org.jgrad.onnx;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jgrad.nn.Module;
import org.jgrad.tensor.Tensor;

/**
 * A model loaded from an ONNX file ({@link Onnx#load}): its graph runs node by node on jgrad's
 * differentiable ops, so it predicts ({@code eval()}) and trains ({@code train()}, an optimizer over
 * {@link #parameters()}) like a model written in Java. Weights of convolutions, linear layers,
 * batch norms and elementwise affine ops are parameters, batch-norm statistics buffers, both under
 * their ONNX names (a file jgrad exported keeps the original state-dict names, so its
 * {@link #stateDict()} loads back into the original model); shape and index constants are neither.
 *
 * <p>Batch norm follows the mode: batch statistics and running-average updates in training, the
 * running statistics in evaluation; dropout is active only in training.
 */
public final class OnnxModel extends Module {
    /** One node ready to run: where its inputs are read and its outputs (−1: unread) written. */
    record Step(String label, OpImporter.Kernel kernel, int[] inputs, int[] outputs, int[] freeAfter) {}

    private final List<Step> steps;
    private final int[] graphInputs;
    private final int graphOutput;
    private final int valueCount;
    private final Map<Integer, Supplier<Tensor>> stored;
    private final List<String> inputNames;
    private final String outputName;

    OnnxModel(Builder b) {
        for (var p : b.registrations) p.accept(this);
        this.steps = List.copyOf(b.steps);
        this.graphInputs = b.graphInputs;
        this.graphOutput = b.graphOutput;
        this.valueCount = b.valueCount;
        this.stored = Map.copyOf(b.stored(this));
        this.inputNames = List.copyOf(b.inputNames);
        this.outputName = b.outputName;
    }

    /** The graph's input names, in the order {@link #forward(Tensor...)} takes them. */
    public List<String> inputNames() {
        return inputNames;
    }

    /** The graph's output name. */
    public String outputName() {
        return outputName;
    }

    /** The number of nodes the graph runs. */
    public int nodeCount() {
        return steps.size();
    }

    @Override
    public Tensor forward(Tensor input) {
        return forward(new Tensor[] {input});
    }

    @Override
    public Tensor forward(Tensor... inputs) {
        if (inputs.length != graphInputs.length)
            throw new IllegalArgumentException(name() + ": the graph takes " + graphInputs.length + " input(s) " + inputNames
                    + ", got " + inputs.length);
        Tensor[] values = new Tensor[valueCount];
        for (var e : stored.entrySet()) values[e.getKey()] = e.getValue().get();
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i] == null) throw new IllegalArgumentException(name() + ": input '" + inputNames.get(i) + "' is null");
            values[graphInputs[i]] = inputs[i];
        }
        boolean training = isTraining();
        for (Step s : steps) {
            Tensor[] in = new Tensor[s.inputs().length];
            for (int i = 0; i < in.length; i++) in[i] = s.inputs()[i] < 0 ? null : values[s.inputs()[i]];
            try {
                if (s.outputs().length == 1) values[s.outputs()[0]] = s.kernel().run(in, training);
                else {
                    Tensor[] out = s.kernel().runAll(in, training);
                    for (int i = 0; i < s.outputs().length && i < out.length; i++)
                        if (s.outputs()[i] >= 0) values[s.outputs()[i]] = out[i];
                }
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(name() + ": node " + s.label() + ": " + e.getMessage(), e);
            }
            for (int v : s.freeAfter()) values[v] = null;
        }
        return values[graphOutput];
    }

    @Override
    public String extraRepr() {
        return "inputs=" + inputNames + ", nodes=" + steps.size();
    }

    /** The registration of parameters and buffers into a tree of holders that mirrors dotted names. */
    static final class Holder extends Module {
        Tensor addParameter(String name, Tensor t) {
            return registerParameter(name, t);
        }

        Tensor addBuffer(String name, Tensor t) {
            return registerBuffer(name, t);
        }

        Module addChildHolder(String name, Module m) {
            return registerModule(name, m);
        }

        @Override
        public Tensor forward(Tensor input) {
            throw new UnsupportedOperationException("a holder of imported ONNX weights computes nothing; call the OnnxModel");
        }

        @Override
        public String name() {
            return "Weights";
        }
    }

    Tensor addParameter(String name, Tensor t) {
        return registerParameter(name, t);
    }

    Tensor addBuffer(String name, Tensor t) {
        return registerBuffer(name, t);
    }

    <M extends Module> M addChild(String name, M m) {
        return registerModule(name, m);
    }

    /** What the importer collects before the model is constructed (so that nothing is half-built). */
    static final class Builder {
        final List<Step> steps = new ArrayList<>();
        final List<java.util.function.Consumer<OnnxModel>> registrations = new ArrayList<>();
        final Map<Integer, Tensor> constants = new HashMap<>();
        /** Value index → dotted path of a parameter or buffer, filled at registration. */
        final Map<Integer, String[]> weightPaths = new HashMap<>();
        final Map<Integer, Boolean> weightIsParameter = new HashMap<>();
        int[] graphInputs;
        int graphOutput;
        int valueCount;
        List<String> inputNames = Collections.emptyList();
        String outputName;

        Map<Integer, Supplier<Tensor>> stored(OnnxModel model) {
            Map<Integer, Supplier<Tensor>> r = new HashMap<>();
            for (var e : constants.entrySet()) {
                Tensor c = e.getValue();
                r.put(e.getKey(), () -> c);
            }
            for (var e : weightPaths.entrySet()) {
                String[] path = e.getValue();
                Module owner = model;
                for (int i = 0; i < path.length - 1; i++) owner = owner.namedChildren().get(path[i]);
                Module o = owner;
                String leaf = path[path.length - 1];
                r.put(e.getKey(), weightIsParameter.get(e.getKey()) ? () -> o.parameter(leaf) : () -> o.buffer(leaf));
            }
            return r;
        }
    }
}
