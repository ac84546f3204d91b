package org.jgrad.keras;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A Keras model config (config.json, or Keras 2's {@code model_config}) reduced to what building needs:
 * the layers in the file's order with their class names, configs and calls, and the model's inputs and
 * outputs. Reads Keras 3's form (calls as {@code {"args": [<keras tensors>], "kwargs": {}}}) and Keras 2's
 * (calls as lists of {@code [layer, node, tensor, kwargs]}), Sequential and functional models.
 *
 * @param source the file, for messages
 * @param origin where in the file the config is ({@code config.json}, {@code attribute model_config})
 * @param className {@code Sequential}, {@code Functional} or {@code Model}
 * @param name the model's name
 * @param layers the layers in the config's order
 * @param inputs the model's inputs (for a Sequential model: its input layer)
 * @param outputs the model's outputs
 */
record ModelConfig(Path source, String origin, String className, String name, List<Layer> layers, List<Ref> inputs,
        List<Ref> outputs) {

    /** Output {@code tensor} of the {@code node}-th call of {@code layer}. */
    record Ref(String layer, int node, int tensor) {
        @Override
        public String toString() {
            return layer + (node == 0 && tensor == 0 ? "" : "[" + node + "][" + tensor + "]");
        }
    }

    /**
     * One layer.
     *
     * @param field where the layer sits in the config, e.g. {@code config.layers[3]}, for messages
     * @param calls each call's input tensors, in call order (a layer shared by two branches has two)
     */
    record Layer(String name, String className, JsonNode config, String field, List<List<Ref>> calls) {}

    private static final int MAX_LAYERS = 100_000;

    static ModelConfig parse(JsonNode root, Path file, String where) throws KerasFormatException {
        String className = text(root, "class_name", file, where);
        JsonNode config = root.get("config");
        if (!className.equals("Sequential") && !className.equals("Functional") && !className.equals("Model"))
            throw new KerasFormatException(file, where + " class_name", "the model is a '" + className + "'; jgrad "
                    + "builds Sequential and functional models (a subclassed model's Python code is not in the file)");
        if (className.equals("Sequential")) return sequential(root, config, file, where);
        return functional(className, config, file, where);
    }

    private static ModelConfig sequential(JsonNode root, JsonNode config, Path file, String where)
            throws KerasFormatException {
        // Keras 2.0-2.2 wrote the layer list as the config itself.
        JsonNode layerList = config != null && config.isArray() ? config : config == null ? null : config.get("layers");
        String base = where + " config" + (config != null && config.isArray() ? "" : ".layers");
        if (layerList == null || !layerList.isArray())
            throw new KerasFormatException(file, base, "a Sequential model's config has no list of layers");
        if (layerList.size() > MAX_LAYERS)
            throw new KerasFormatException(file, base, layerList.size() + " layers, more than " + MAX_LAYERS);
        String name = config.isObject() && config.path("name").isTextual() ? config.get("name").asText() : "sequential";
        List<Layer> layers = new ArrayList<>();
        Ref previous = null;
        Set<String> names = new HashSet<>();
        for (int i = 0; i < layerList.size(); i++) {
            String field = base + "[" + i + "]";
            JsonNode l = layerList.get(i);
            String cls = text(l, "class_name", file, field);
            JsonNode lc = object(l, "config", file, field);
            String lname = layerName(l, lc, file, field);
            if (!names.add(lname)) throw new KerasFormatException(file, field, "a second layer named '" + lname + "'");
            if (i == 0 && !cls.equals("InputLayer")) {
                // Keras 2: the first layer carries batch_input_shape; Keras 3: the model's build_config.
                JsonNode shape = lc.has("batch_input_shape") ? lc.get("batch_input_shape")
                        : lc.has("batch_shape") ? lc.get("batch_shape") : root.path("build_config").get("input_shape");
                if (shape == null || !shape.isArray())
                    throw new KerasFormatException(file, field, "the Sequential model has no input shape (no InputLayer, "
                            + "no batch_input_shape on its first layer, no build_config): jgrad needs it to size the layers");
                String inputName = uniqueInputName(names);
                names.add(inputName);
                var inputConfig = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
                inputConfig.set("batch_shape", shape);
                inputConfig.put("name", inputName);
                layers.add(new Layer(inputName, "InputLayer", inputConfig, field + ".config.batch_input_shape", List.of()));
                previous = new Ref(inputName, 0, 0);
            }
            List<List<Ref>> calls = previous == null ? List.of() : List.of(List.of(previous));
            if (cls.equals("InputLayer") && previous != null)
                throw new KerasFormatException(file, field, "an InputLayer after the first layer of a Sequential model");
            layers.add(new Layer(lname, cls, lc, field, calls));
            previous = new Ref(lname, 0, 0);
        }
        if (layers.isEmpty()) throw new KerasFormatException(file, base, "a Sequential model without layers");
        Layer first = layers.getFirst();
        return new ModelConfig(file, where, "Sequential", name, layers, List.of(new Ref(first.name(), 0, 0)),
                List.of(previous));
    }

    private static String uniqueInputName(Set<String> names) {
        String n = "input_layer";
        for (int i = 1; names.contains(n); i++) n = "input_layer_" + i;
        return n;
    }

    private static ModelConfig functional(String className, JsonNode config, Path file, String where)
            throws KerasFormatException {
        String base = where + " config";
        if (config == null || !config.isObject()) throw new KerasFormatException(file, base, "missing or not an object");
        JsonNode layerList = config.get("layers");
        if (layerList == null || !layerList.isArray())
            throw new KerasFormatException(file, base + ".layers", "a functional model's config has no list of layers");
        if (layerList.size() > MAX_LAYERS)
            throw new KerasFormatException(file, base + ".layers", layerList.size() + " layers, more than " + MAX_LAYERS);
        String name = config.path("name").isTextual() ? config.get("name").asText() : "functional";
        List<Layer> layers = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < layerList.size(); i++) {
            String field = base + ".layers[" + i + "]";
            JsonNode l = layerList.get(i);
            String cls = text(l, "class_name", file, field);
            JsonNode lc = object(l, "config", file, field);
            String lname = layerName(l, lc, file, field);
            if (!names.add(lname)) throw new KerasFormatException(file, field, "a second layer named '" + lname + "'");
            JsonNode inbound = l.get("inbound_nodes");
            List<List<Ref>> calls = new ArrayList<>();
            if (inbound != null && !inbound.isNull()) {
                if (!inbound.isArray()) throw new KerasFormatException(file, field + ".inbound_nodes", "not a list");
                for (int c = 0; c < inbound.size(); c++)
                    calls.add(callInputs(inbound.get(c), file, field + ".inbound_nodes[" + c + "]"));
            }
            layers.add(new Layer(lname, cls, lc, field, calls));
        }
        List<Ref> inputs = refList(config.get("input_layers"), file, base + ".input_layers");
        List<Ref> outputs = refList(config.get("output_layers"), file, base + ".output_layers");
        if (inputs.isEmpty() || outputs.isEmpty())
            throw new KerasFormatException(file, base, "a functional model needs input_layers and output_layers");
        return new ModelConfig(file, where, className, name, layers, inputs, outputs);
    }

    /** One call's input tensors: Keras 3's {"args": [...]} or Keras 2's [[layer, node, tensor, kwargs], ...]. */
    private static List<Ref> callInputs(JsonNode call, Path file, String field) throws KerasFormatException {
        List<Ref> refs = new ArrayList<>();
        if (call.isObject()) {
            JsonNode args = call.get("args");
            if (args == null || !args.isArray()) throw new KerasFormatException(file, field + ".args", "missing or not a list");
            collectKerasTensors(args, refs, file, field + ".args", 0);
        } else if (call.isArray()) {
            for (int i = 0; i < call.size(); i++) refs.add(ref(call.get(i), file, field + "[" + i + "]"));
        } else {
            throw new KerasFormatException(file, field, "a layer call is neither {\"args\": ...} nor a list");
        }
        return refs;
    }

    private static void collectKerasTensors(JsonNode n, List<Ref> out, Path file, String field, int depth)
            throws KerasFormatException {
        if (depth > 16) throw new KerasFormatException(file, field, "arguments nested more than 16 deep");
        if (n.isArray()) {
            for (int i = 0; i < n.size(); i++) collectKerasTensors(n.get(i), out, file, field + "[" + i + "]", depth + 1);
        } else if (n.isObject() && "__keras_tensor__".equals(n.path("class_name").asText(null))) {
            JsonNode history = n.path("config").get("keras_history");
            out.add(ref(history, file, field + ".config.keras_history"));
        }
        // Other arguments (numbers, None, strings) are call options, not inputs.
    }

    private static List<Ref> refList(JsonNode n, Path file, String field) throws KerasFormatException {
        if (n == null || !n.isArray()) throw new KerasFormatException(file, field, "missing or not a list");
        List<Ref> refs = new ArrayList<>();
        if (!n.isEmpty() && n.get(0).isTextual()) {
            refs.add(ref(n, file, field)); // Keras 3 writes a single input as one [name, node, tensor]
            return refs;
        }
        for (int i = 0; i < n.size(); i++) refs.add(ref(n.get(i), file, field + "[" + i + "]"));
        return refs;
    }

    private static Ref ref(JsonNode n, Path file, String field) throws KerasFormatException {
        if (n == null || !n.isArray() || n.size() < 3 || !n.get(0).isTextual() || !n.get(1).canConvertToInt()
                || !n.get(2).canConvertToInt() || !n.get(1).isIntegralNumber() || !n.get(2).isIntegralNumber())
            throw new KerasFormatException(file, field, "expected [layer name, node index, tensor index], found "
                    + LayerArgs.excerpt(n));
        int node = n.get(1).asInt(), tensor = n.get(2).asInt();
        if (node < 0 || tensor < 0) throw new KerasFormatException(file, field, "negative node or tensor index");
        return new Ref(n.get(0).asText(), node, tensor);
    }

    private static String layerName(JsonNode l, JsonNode lc, Path file, String field) throws KerasFormatException {
        JsonNode n = l.has("name") ? l.get("name") : lc.get("name");
        if (n == null || !n.isTextual() || n.asText().isEmpty())
            throw new KerasFormatException(file, field + ".config.name", "a layer without a name");
        return n.asText();
    }

    private static String text(JsonNode n, String key, Path file, String field) throws KerasFormatException {
        JsonNode v = n == null ? null : n.get(key);
        if (v == null || !v.isTextual()) throw new KerasFormatException(file, field + "." + key, "missing or not a string");
        return v.asText();
    }

    private static JsonNode object(JsonNode n, String key, Path file, String field) throws KerasFormatException {
        JsonNode v = n.get(key);
        if (v == null || !v.isObject()) throw new KerasFormatException(file, field + "." + key, "missing or not an object");
        return v;
    }
}
