package org.jgrad.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import org.jgrad.autograd.NoGrad;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Keras 2's config form, which Keras 2 full-model .h5 files carry: a functional model's calls as lists of
 * {@code [layer, node, tensor, kwargs]}, Sequential models whose first layer has {@code batch_input_shape}.
 * The Keras 3 config of a fixture is rewritten into that form; the model built from it, given the same
 * weights, must compute what Keras computed.
 */
class Keras2ConfigTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Keras 3's {"args": [keras tensors], "kwargs": {}} calls as Keras 2's [[layer, node, tensor, {}], ...]. */
    private static JsonNode toKeras2Functional(JsonNode keras3) {
        ObjectNode root = keras3.deepCopy();
        root.put("class_name", "Model");
        root.remove("module");
        for (JsonNode layer : root.get("config").get("layers")) {
            ObjectNode l = (ObjectNode) layer;
            l.remove("module");
            ArrayNode nodes = JSON.createArrayNode();
            for (JsonNode call : l.get("inbound_nodes")) {
                ArrayNode inputs = JSON.createArrayNode();
                collect(call.get("args"), inputs);
                nodes.add(inputs);
            }
            l.set("inbound_nodes", nodes);
        }
        ArrayNode in = JSON.createArrayNode(), out = JSON.createArrayNode();
        in.add(root.get("config").get("input_layers"));
        out.add(root.get("config").get("output_layers"));
        ((ObjectNode) root.get("config")).set("input_layers", in);
        ((ObjectNode) root.get("config")).set("output_layers", out);
        return root;
    }

    private static void collect(JsonNode n, ArrayNode out) {
        if (n.isArray()) {
            for (JsonNode x : n) collect(x, out);
        } else if (n.isObject() && n.has("config") && n.get("config").has("keras_history")) {
            ArrayNode ref = n.get("config").get("keras_history").deepCopy();
            ref.add(JSON.createObjectNode());
            out.add(ref);
        }
    }

    @Test
    void keras2FunctionalConfigBuildsTheSameModel() throws Exception {
        Path file = Fixtures.path("functional.keras");
        KerasFile k = KerasFile.read(file);
        JsonNode keras2 = toKeras2Functional(k.config());
        assertTrue(keras2.toString().contains("\"inbound_nodes\":[[[\"stem_relu\",0,0,{}]]]"), keras2.toString());
        KerasConfigModel net = KerasConfigModel.build(keras2, file, "attribute model_config");
        net.loadWeights(file);
        net.eval();
        Fixtures.Io io = Fixtures.io("functional.io.safetensors");
        Tensor out;
        try (var g = NoGrad.enter()) {
            out = net.call(io.channelsFirst());
        }
        assertTrue(Fixtures.relativeError(out, io.output()) <= 1e-5);
        assertEquals("Model", net.kerasClass());
    }

    @Test
    void keras2SequentialWithBatchInputShapeOnItsFirstLayer() throws Exception {
        Path file = Fixtures.path("sequential_cnn.keras");
        ObjectNode root = KerasFile.read(file).config().deepCopy();
        ArrayNode layers = (ArrayNode) root.get("config").get("layers");
        JsonNode input = layers.remove(0);
        ((ObjectNode) layers.get(0).get("config")).set("batch_input_shape", input.get("config").get("batch_shape"));
        KerasConfigModel net = KerasConfigModel.build(root, file, "attribute model_config");
        net.loadWeights(file);
        net.eval();
        Fixtures.Io io = Fixtures.io("sequential_cnn.io.safetensors");
        Tensor out;
        try (var g = NoGrad.enter()) {
            out = net.call(io.channelsFirst());
        }
        assertTrue(Fixtures.relativeError(out, io.output()) <= 1e-5);
    }
}
