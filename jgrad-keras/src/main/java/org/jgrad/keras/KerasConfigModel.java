package org.jgrad.keras;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.jgrad.nn.LoadResult;
import org.jgrad.nn.Module;
import org.jgrad.tensor.Tensor;

/**
 * A jgrad module built from a Keras model's config: a Sequential or functional model of the common
 * layers (Dense, Conv2D, DepthwiseConv2D, SeparableConv2D, pooling, BatchNormalization, Dropout,
 * Flatten, Reshape, activations, merges, ZeroPadding2D/Cropping2D, Rescaling). Each Keras layer is a
 * child module under its Keras name, so the state dict reads {@code conv2d.weight},
 * {@code batch_normalization.running_mean}; the forward pass runs the layers in the graph's order.
 *
 * <p>Inputs and outputs are in jgrad's layout: images are {@code [N, C, H, W]} (Keras takes
 * {@code [N, H, W, C]}; {@code x.permute(0, 3, 1, 2)} converts), and an image-shaped output comes back
 * channels-first. Inside, every layer keeps Keras' semantics: Flatten and Reshape order values as Keras
 * does (channels last), "same" padding is TensorFlow's (uneven for strides above 1), axes refer to
 * Keras' axes.
 *
 * <pre>{@code
 * KerasConfigModel net = KerasConfigModel.load(Path.of("model.keras"));   // config + weights, in eval mode
 * Tensor probs = net.call(images);                           // images [N, C, H, W]
 * }</pre>
 */
public final class KerasConfigModel extends Module {
    private record Step(String layer, int node, Module module, UnaryOperator<Tensor> activation,
            List<ModelConfig.Ref> inputs) {}

    private final String kerasClass;
    private final String modelName;
    private final List<Step> steps;
    private final List<ModelConfig.Ref> inputs;
    private final ModelConfig.Ref output;
    private final Map<String, String> childNames;
    private final Map<String, ModelConfig.Layer> layers;
    private final List<int[]> inputShapes;
    private final int[] outputShape;

    private KerasConfigModel(ModelConfig cfg, List<Step> steps, Map<String, String> childNames, List<int[]> inputShapes,
            int[] outputShape) {
        this.kerasClass = cfg.className();
        this.modelName = cfg.name();
        this.steps = List.copyOf(steps);
        this.inputs = cfg.inputs();
        this.output = cfg.outputs().getFirst();
        this.childNames = Collections.unmodifiableMap(childNames);
        Map<String, ModelConfig.Layer> byName = new LinkedHashMap<>();
        for (ModelConfig.Layer l : cfg.layers()) byName.put(l.name(), l);
        this.layers = byName;
        this.inputShapes = inputShapes;
        this.outputShape = outputShape;
        Map<Module, Boolean> seen = new java.util.IdentityHashMap<>();
        for (Step s : steps)
            if (s.module() != null && seen.put(s.module(), true) == null) registerModule(childNames.get(s.layer()), s.module());
    }

    /**
     * Reads a {@code .keras} archive or a Keras 2 full-model {@code .h5}, builds the model from its
     * config and loads its weights, in eval mode (as Keras' {@code predict} runs; {@code train()} for
     * fine-tuning).
     *
     * @throws KerasFormatException for a malformed file, unsupported layers (all listed in one message),
     *     or weights that do not fit the config; nothing is returned half-built
     */
    public static KerasConfigModel load(Path file) throws IOException {
        return load(KerasFile.read(file));
    }

    static KerasConfigModel load(KerasFile k) throws KerasFormatException {
        Path file = k.file();
        if (k.config() == null)
            throw new KerasFormatException(file, null, "a weights-only file (" + k.format() + ") has no model config to "
                    + "build from: build the model (KerasConfigModel.fromConfig, or a zoo model) and load the weights into it "
                    + "with loadWeights or KerasWeights.load");
        long stored = 0;
        for (LayerWeights w : k.layers().values()) for (Tensor t : w.arrays()) stored += t.numel();
        KerasConfigModel m = build(ModelConfig.parse(k.config(), file, k.configOrigin()), ParameterBudget.ofWeights(stored));
        m.loadWeights(k);
        m.eval();
        return m;
    }

    /**
     * Builds the model a Keras config describes (config.json of a {@code .keras} archive, or
     * {@code model.to_json()}), with fresh weights initialised as jgrad's layers initialise them.
     */
    public static KerasConfigModel fromConfig(String json) throws KerasFormatException {
        Path source = Path.of("<config>");
        return build(KerasJson.parse(json.getBytes(StandardCharsets.UTF_8), source, "config.json"), source, "config.json");
    }

    static KerasConfigModel build(JsonNode config, Path file, String origin) throws KerasFormatException {
        return build(ModelConfig.parse(config, file, origin), ParameterBudget.ofMemory());
    }

    static KerasConfigModel build(ModelConfig cfg, ParameterBudget budget) throws KerasFormatException {
        Path file = cfg.source();
        List<String> unsupported = new ArrayList<>();
        for (ModelConfig.Layer l : cfg.layers())
            if (!LayerFactory.SUPPORTED.contains(LayerFactory.canonical(l.className())))
                unsupported.add(l.name() + " (" + l.className() + ")");
        if (!unsupported.isEmpty())
            throw new KerasFormatException(file, cfg.origin(), unsupported.size() + " layer"
                    + (unsupported.size() == 1 ? " is" : "s are") + " not supported: " + String.join(", ", unsupported)
                    + "; jgrad builds " + String.join(", ", new java.util.TreeSet<>(LayerFactory.SUPPORTED)));
        if (cfg.outputs().size() != 1)
            throw new KerasFormatException(file, cfg.origin(), "a model with " + cfg.outputs().size()
                    + " outputs; jgrad builds models with one output");

        Map<String, ModelConfig.Layer> byName = new LinkedHashMap<>();
        for (ModelConfig.Layer l : cfg.layers()) byName.put(l.name(), l);
        for (ModelConfig.Ref r : cfg.inputs()) {
            ModelConfig.Layer l = byName.get(r.layer());
            if (l == null || !l.className().equals("InputLayer") || r.node() != 0 || r.tensor() != 0)
                throw new KerasFormatException(file, cfg.origin(), "model input " + r + " is not an InputLayer");
        }
        List<Call> order = topologicalOrder(cfg, byName);
        // A layer called again is built again to size its output (and then dropped): budgeted separately.
        ParameterBudget recalls = budget.copy();

        Map<String, String> childNames = new LinkedHashMap<>();
        java.util.Set<String> usedChildNames = new java.util.HashSet<>();
        Map<String, LayerFactory.Built> built = new HashMap<>();
        Map<ModelConfig.Ref, int[]> shapes = new HashMap<>();
        List<Step> steps = new ArrayList<>();
        for (Call c : order) {
            ModelConfig.Layer l = c.layer;
            LayerArgs args = new LayerArgs(file, l);
            ModelConfig.Ref out = new ModelConfig.Ref(l.name(), c.node, 0);
            if (l.className().equals("InputLayer")) {
                int[] s = args.has("batch_shape") ? args.shape("batch_shape") : args.shape("batch_input_shape");
                if (s.length < 2) throw args.error("batch_shape", "an input of rank " + s.length + " (a batch of what?)");
                shapes.put(out, java.util.Arrays.copyOfRange(s, 1, s.length));
                steps.add(new Step(l.name(), 0, null, null, List.of()));
                continue;
            }
            List<int[]> in = new ArrayList<>();
            for (ModelConfig.Ref r : c.inputs) in.add(shapes.get(r));
            LayerFactory.Built b = LayerFactory.build(args, in, built.containsKey(l.name()) ? recalls : budget);
            LayerFactory.Built first = built.putIfAbsent(l.name(), b);
            Module module = first == null ? b.module() : first.module();
            if (first != null && !sameParameterShapes(first.module(), b.module()))
                throw args.error(null, "the layer is called on inputs of different sizes, which its weights cannot both fit");
            shapes.put(out, b.outShape());
            if (first == null) {
                String child = l.name().replace('.', '_');
                while (!usedChildNames.add(child)) child = child + "_";
                childNames.put(l.name(), child);
            }
            UnaryOperator<Tensor> act = b.activation() == null || b.activation().equals("linear") ? null
                    : KerasActivation.of(b.activation());
            steps.add(new Step(l.name(), c.node, module, act, c.inputs));
        }
        List<int[]> inputShapes = new ArrayList<>();
        for (ModelConfig.Ref r : cfg.inputs()) inputShapes.add(shapes.get(r));
        int[] outShape = shapes.get(cfg.outputs().getFirst());
        if (outShape == null)
            throw new KerasFormatException(file, cfg.origin(), "the model's output " + cfg.outputs().getFirst()
                    + " is not computed from its inputs");
        return new KerasConfigModel(cfg, steps, childNames, inputShapes, outShape);
    }

    private record Call(ModelConfig.Layer layer, int node, List<ModelConfig.Ref> inputs) {}

    /** The layer calls in an order where every call comes after the calls it takes inputs from (Kahn's algorithm). */
    private static List<Call> topologicalOrder(ModelConfig cfg, Map<String, ModelConfig.Layer> byName)
            throws KerasFormatException {
        Path file = cfg.source();
        Map<ModelConfig.Ref, Call> calls = new LinkedHashMap<>();
        for (ModelConfig.Layer l : cfg.layers()) {
            if (l.className().equals("InputLayer")) {
                calls.put(new ModelConfig.Ref(l.name(), 0, 0), new Call(l, 0, List.of()));
                continue;
            }
            for (int n = 0; n < l.calls().size(); n++)
                calls.put(new ModelConfig.Ref(l.name(), n, 0), new Call(l, n, l.calls().get(n)));
        }
        Map<ModelConfig.Ref, Integer> pending = new HashMap<>();
        Map<ModelConfig.Ref, List<ModelConfig.Ref>> users = new HashMap<>();
        for (Map.Entry<ModelConfig.Ref, Call> e : calls.entrySet()) {
            Call c = e.getValue();
            for (ModelConfig.Ref r : c.inputs) {
                if (r.tensor() != 0 || !calls.containsKey(r))
                    throw new KerasFormatException(file, c.layer.field() + ".inbound_nodes",
                            "input " + r + (byName.containsKey(r.layer()) ? " does not exist (jgrad's layers have one output "
                                    + "per call)" : ": there is no layer '" + r.layer() + "'"));
                users.computeIfAbsent(r, k -> new ArrayList<>()).add(e.getKey());
            }
            pending.put(e.getKey(), c.inputs.size());
        }
        ArrayDeque<ModelConfig.Ref> ready = new ArrayDeque<>();
        for (Map.Entry<ModelConfig.Ref, Integer> e : pending.entrySet()) if (e.getValue() == 0) ready.add(e.getKey());
        List<Call> order = new ArrayList<>();
        while (!ready.isEmpty()) {
            ModelConfig.Ref r = ready.poll();
            order.add(calls.get(r));
            for (ModelConfig.Ref u : users.getOrDefault(r, List.of())) {
                // A call that takes the same tensor twice (Add()([x, x])) is counted once per use.
                int left = pending.merge(u, -1, Integer::sum);
                if (left == 0) ready.add(u);
            }
        }
        if (order.size() != calls.size()) {
            List<String> stuck = new ArrayList<>();
            for (Map.Entry<ModelConfig.Ref, Integer> e : pending.entrySet()) if (e.getValue() > 0) stuck.add(e.getKey().toString());
            Collections.sort(stuck);
            throw new KerasFormatException(file, cfg.origin(), "the layer graph has a cycle, or layers whose inputs never "
                    + "come from the model's inputs: " + String.join(", ", stuck.subList(0, Math.min(10, stuck.size()))));
        }
        // Keep the config's order where the graph allows it, so modules register in the file's order.
        return order;
    }

    private static boolean sameParameterShapes(Module a, Module b) {
        Map<String, Tensor> x = a.stateDict(), y = b.stateDict();
        if (!x.keySet().equals(y.keySet())) return false;
        for (String k : x.keySet()) if (!java.util.Arrays.equals(x.get(k).shape(), y.get(k).shape())) return false;
        return true;
    }

    @Override
    public Tensor forward(Tensor input) {
        return forward(new Tensor[] {input});
    }

    @Override
    public Tensor forward(Tensor... xs) {
        if (xs.length != inputs.size())
            throw new IllegalArgumentException(name() + ": expected " + inputs.size() + " input"
                    + (inputs.size() == 1 ? "" : "s") + ", got " + xs.length);
        Map<ModelConfig.Ref, Tensor> values = new HashMap<>();
        for (int i = 0; i < xs.length; i++) {
            int[] keras = inputShapes.get(i);
            Tensor x = xs[i];
            checkInput(i, keras, x);
            values.put(inputs.get(i), x);
        }
        for (Step s : steps) {
            if (s.module() == null) continue;
            Tensor[] in = new Tensor[s.inputs().size()];
            for (int i = 0; i < in.length; i++) in[i] = values.get(s.inputs().get(i));
            Tensor y = in.length == 1 ? s.module().call(in[0]) : s.module().call(in);
            if (s.activation() != null) y = s.activation().apply(y);
            values.put(new ModelConfig.Ref(s.layer(), s.node(), 0), y);
        }
        return values.get(output);
    }

    private void checkInput(int i, int[] keras, Tensor x) {
        // Keras' [H, W, C] is jgrad's [C, H, W]; a rank-1 or other input is taken as it is.
        int[] want = keras.length == 3 ? new int[] {keras[2], keras[0], keras[1]} : keras;
        boolean ok = x.dim() == want.length + 1;
        for (int d = 0; ok && d < want.length; d++) ok = want[d] < 0 || want[d] == x.size(d + 1);
        if (!ok)
            throw new IllegalArgumentException(name() + ": input " + i + " has shape "
                    + org.jgrad.tensor.Shape.str(x.shape()) + ", expected [N, " + describe(want) + "]"
                    + (keras.length == 3 ? " (channels first: Keras' " + LayerFactory.shape(keras)
                            + " is jgrad's [N, C, H, W]; x.permute(0, 3, 1, 2) converts)" : ""));
    }

    private static String describe(int[] s) {
        StringBuilder b = new StringBuilder();
        for (int d : s) b.append(b.isEmpty() ? "" : ", ").append(d < 0 ? "*" : Integer.toString(d));
        return b.toString();
    }

    /**
     * Loads the weights of a Keras file (a {@code .keras} archive, a full-model or weights-only
     * {@code .h5}) into this model, matching layers by name. Everything is checked (every weighted layer
     * present, every array's shape) before anything is copied: on any error the model is unchanged.
     */
    public LoadResult loadWeights(Path file) throws IOException {
        return loadWeights(KerasFile.read(file));
    }

    LoadResult loadWeights(KerasFile k) throws KerasFormatException {
        Map<String, Tensor> state = KerasWeightMapping.stateDict(this, k);
        return loadStateDict(state, true);
    }

    /** The Keras layer of the given name. */
    ModelConfig.Layer layer(String name) {
        return layers.get(name);
    }

    /** Keras layer names in build order, each with its jgrad child module name (usually the same). */
    public Map<String, String> layerModules() {
        return childNames;
    }

    /** The Keras class of a layer of this model (Conv2D, Dense, ...), or null if there is none of that name. */
    public String layerClass(String kerasName) {
        ModelConfig.Layer l = layers.get(kerasName);
        return l == null ? null : LayerFactory.canonical(l.className());
    }

    /** The Keras layers in config order (InputLayer included), for mapping weight files. */
    List<ModelConfig.Layer> configLayers() {
        return List.copyOf(layers.values());
    }

    /** The Keras class of the model: Sequential, Functional or Model. */
    public String kerasClass() {
        return kerasClass;
    }

    /** The input shapes as Keras gives them: channels last, without the batch, -1 where unknown. */
    public List<int[]> kerasInputShapes() {
        List<int[]> out = new ArrayList<>();
        for (int[] s : inputShapes) out.add(s.clone());
        return out;
    }

    /** The output shape as Keras gives it: channels last, without the batch, -1 where unknown. */
    public int[] kerasOutputShape() {
        return outputShape.clone();
    }

    @Override
    public String name() {
        return kerasClass.equals("Sequential") ? "Sequential" : "Functional";
    }

    @Override
    public String extraRepr() {
        return "name=" + modelName;
    }
}
