package org.jgrad.keras;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.jgrad.nn.functional.F;
import org.jgrad.tensor.Tensor;

/**
 * Keras' named activations ({@code activation="relu"} on a layer, or an {@code Activation} layer) as
 * jgrad tensor functions, on jgrad's channels-first tensors: where Keras works on the last axis
 * (softmax), a 4-D [N, C, H, W] tensor uses the channel axis 1.
 */
final class KerasActivation {
    static final Set<String> NAMES = Set.of("linear", "relu", "relu6", "sigmoid", "tanh", "softmax", "log_softmax",
            "elu", "selu", "softplus", "softsign", "swish", "silu", "gelu", "hard_sigmoid", "hard_silu", "hard_swish",
            "exponential", "leaky_relu", "mish");

    private KerasActivation() {}

    /** The activation's name from a config value: a string, or Keras 3's {"class_name": "function", "config": "relu"}. */
    static String name(JsonNode v) {
        if (v == null || v.isNull()) return "linear";
        if (v.isTextual()) return v.asText();
        if (v.isObject() && v.path("config").isTextual()) return v.get("config").asText();
        if (v.isObject() && v.path("class_name").isTextual()) return v.get("class_name").asText();
        return LayerArgs.excerpt(v);
    }

    /** The function for a known name (check {@link #NAMES} first). */
    static UnaryOperator<Tensor> of(String name) {
        return switch (name) {
            case "linear" -> x -> x;
            case "relu" -> F::relu;
            case "relu6" -> x -> x.clamp(0f, 6f);
            case "sigmoid" -> F::sigmoid;
            case "tanh" -> F::tanh;
            case "softmax" -> x -> F.softmax(x, channelAxis(x));
            case "log_softmax" -> x -> F.logSoftmax(x, channelAxis(x));
            case "elu" -> x -> F.elu(x, 1.0);
            // SELU's constants as Keras and PyTorch define them.
            case "selu" -> x -> F.elu(x, 1.6732632423543772).mul(1.0507009873554805f);
            case "softplus" -> F::softplus;
            case "softsign" -> x -> x.div(x.abs().add(1f));
            case "swish", "silu" -> F::silu;
            case "gelu" -> F::gelu;
            // Keras 3's definitions (Keras 2's hard_sigmoid was clip(0.2x + 0.5, 0, 1)).
            case "hard_sigmoid" -> x -> x.add(3f).clamp(0f, 6f).div(6f);
            case "hard_silu", "hard_swish" -> x -> x.mul(x.add(3f).clamp(0f, 6f).div(6f));
            case "exponential" -> Tensor::exp;
            case "leaky_relu" -> x -> F.leakyRelu(x, 0.2);
            case "mish" -> x -> x.mul(F.softplus(x).tanh());
            default -> throw new IllegalArgumentException("unknown activation " + name);
        };
    }

    /** Keras' last axis (channels) in jgrad's layout: 1 for [N, C, H, W], the last otherwise. */
    static int channelAxis(Tensor x) {
        return x.dim() == 4 ? 1 : x.dim() - 1;
    }
}
