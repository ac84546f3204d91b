package org.jgrad.keras;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jgrad.tensor.Tensor;

/**
 * Keras' weight arrays as jgrad parameters and buffers, per layer class:
 * <ul>
 * <li>Conv2D kernel {@code [kh, kw, in/groups, out]} (HWIO) → weight {@code [out, in/groups, kh, kw]} (OIHW);
 * <li>DepthwiseConv2D kernel {@code [kh, kw, in, mult]} → weight {@code [in·mult, 1, kh, kw]}, output channel
 *     {@code c·mult + m} as TensorFlow orders them;
 * <li>SeparableConv2D depthwise and pointwise kernels → {@code depthwise.weight}, {@code pointwise.weight},
 *     the bias → {@code pointwise.bias};
 * <li>Dense kernel {@code [in, out]} → weight {@code [out, in]};
 * <li>BatchNormalization gamma, beta, moving_mean, moving_variance → weight, bias, running_mean,
 *     running_var (a layer without scale or center keeps 1 or 0 there, as Keras computes).
 * </ul>
 */
final class KerasWeightMapping {
    private KerasWeightMapping() {}

    /** The jgrad state dict for {@code model} from a file's weights, every layer and shape checked. */
    static Map<String, Tensor> stateDict(KerasConfigModel model, KerasFile k) throws KerasFormatException {
        Path file = k.file();
        Map<String, LayerWeights> byName = k.layers();
        Map<String, LayerWeights> byGroup = new HashMap<>();
        for (LayerWeights w : byName.values()) byGroup.put(w.h5Group(), w);
        Map<String, String> autoGroups = autoGroupNames(model);
        Map<String, Tensor> state = new LinkedHashMap<>();
        Set<LayerWeights> used = new HashSet<>();
        List<String> missing = new ArrayList<>();
        Map<String, Tensor> expected = model.stateDict();
        for (Map.Entry<String, String> e : model.layerModules().entrySet()) {
            String layer = e.getKey(), child = e.getValue();
            String cls = model.layerClass(layer);
            int want = expectedCount(model.layer(layer));
            LayerWeights w = byName.get(layer);
            if (w == null && autoGroups.containsKey(layer)) w = byGroup.get(autoGroups.get(layer));
            if (w == null) {
                if (want > 0) missing.add(layer + " (" + cls + ")");
                continue;
            }
            used.add(w);
            if (w.arrays().size() != want)
                throw new KerasFormatException(file, where(k, w), cls + " layer '" + layer + "' has " + w.arrays().size()
                        + " weight arrays " + w.names() + ", but its config gives it " + want);
            if (want == 0) continue;
            Map<String, Tensor> converted = convert(cls, model.layer(layer), w, file, where(k, w));
            for (Map.Entry<String, Tensor> c : converted.entrySet()) {
                String key = child + "." + c.getKey();
                Tensor have = expected.get(key);
                if (have == null)
                    throw new KerasFormatException(file, where(k, w), "weight '" + c.getKey() + "' of layer '" + layer
                            + "' has no place in the model");
                if (!Arrays.equals(have.shape(), c.getValue().shape()))
                    throw new KerasFormatException(file, where(k, w), cls + " layer '" + layer + "': " + c.getKey()
                            + " has shape " + Arrays.toString(c.getValue().shape()) + " after conversion from Keras' "
                            + "layout, but the layer built from the config needs " + Arrays.toString(have.shape()));
                state.put(key, c.getValue());
            }
        }
        List<String> unexpected = new ArrayList<>();
        for (LayerWeights w : byName.values())
            if (!used.contains(w) && !w.arrays().isEmpty()) unexpected.add(w.layer());
        if (!missing.isEmpty() || !unexpected.isEmpty())
            throw new KerasFormatException(file, null, "the weights do not fit the model's config:"
                    + (missing.isEmpty() ? "" : " no weights for " + String.join(", ", missing) + ";")
                    + (unexpected.isEmpty() ? "" : " weights for layers the config does not have: "
                            + String.join(", ", unexpected) + ";"));
        // Buffers Keras has no counterpart for (BatchNorm's num_batches_tracked) keep the model's values.
        for (Map.Entry<String, Tensor> e : expected.entrySet()) state.putIfAbsent(e.getKey(), e.getValue());
        return state;
    }

    private static String where(KerasFile k, LayerWeights w) {
        return (k.format() == KerasFile.Format.KERAS_ARCHIVE ? KerasFile.WEIGHTS + ":" : "") + w.h5Group();
    }

    /** How many arrays Keras stores for a layer of this config. */
    static int expectedCount(ModelConfig.Layer l) {
        boolean bias = !l.config().path("use_bias").isBoolean() || l.config().get("use_bias").asBoolean();
        return switch (LayerFactory.canonical(l.className())) {
            case "Dense", "Conv2D", "DepthwiseConv2D" -> bias ? 2 : 1;
            case "SeparableConv2D" -> bias ? 3 : 2;
            case "BatchNormalization" -> 2 + (flag(l, "scale") ? 1 : 0) + (flag(l, "center") ? 1 : 0);
            default -> 0;
        };
    }

    private static boolean flag(ModelConfig.Layer l, String key) {
        return !l.config().path(key).isBoolean() || l.config().get(key).asBoolean();
    }

    private static Map<String, Tensor> convert(String cls, ModelConfig.Layer l, LayerWeights w, Path file, String where)
            throws KerasFormatException {
        List<Tensor> a = w.arrays();
        for (int i = 0; i < a.size(); i++)
            if (a.get(i).dtype() != org.jgrad.tensor.DType.FLOAT32)
                throw new KerasFormatException(file, where + "/" + w.names().get(i), "an integer array where " + cls
                        + " has float weights");
        Map<String, Tensor> out = new LinkedHashMap<>();
        switch (cls) {
            case "Dense" -> {
                out.put("weight", rank(a.getFirst(), 2, file, where, w, 0).t().contiguous());
                if (a.size() > 1) out.put("bias", rank(a.get(1), 1, file, where, w, 1));
            }
            case "Conv2D" -> {
                out.put("weight", hwioToOihw(rank(a.getFirst(), 4, file, where, w, 0)));
                if (a.size() > 1) out.put("bias", rank(a.get(1), 1, file, where, w, 1));
            }
            case "DepthwiseConv2D" -> {
                out.put("weight", depthwise(rank(a.getFirst(), 4, file, where, w, 0)));
                if (a.size() > 1) out.put("bias", rank(a.get(1), 1, file, where, w, 1));
            }
            case "SeparableConv2D" -> {
                out.put("depthwise.weight", depthwise(rank(a.getFirst(), 4, file, where, w, 0)));
                out.put("pointwise.weight", hwioToOihw(rank(a.get(1), 4, file, where, w, 1)));
                if (a.size() > 2) out.put("pointwise.bias", rank(a.get(2), 1, file, where, w, 2));
            }
            case "BatchNormalization" -> {
                int i = 0;
                boolean scale = flag(l, "scale"), center = flag(l, "center");
                Tensor gamma = scale ? rank(a.get(i++), 1, file, where, w, i - 1) : null;
                Tensor beta = center ? rank(a.get(i++), 1, file, where, w, i - 1) : null;
                Tensor mean = rank(a.get(i++), 1, file, where, w, i - 1);
                Tensor var = rank(a.get(i), 1, file, where, w, i);
                // Without scale or center the built layer keeps γ = 1 or β = 0, as Keras computes.
                if (gamma != null) out.put("weight", gamma);
                if (beta != null) out.put("bias", beta);
                out.put("running_mean", mean);
                out.put("running_var", var);
            }
            default -> throw new KerasFormatException(file, where, cls + " has no weights in jgrad");
        }
        checkNames(cls, w, file, where);
        return out;
    }

    /** Keras 2 files name their arrays; when they do, the names must be the layer's, in its order. */
    private static void checkNames(String cls, LayerWeights w, Path file, String where) throws KerasFormatException {
        if (w.names().isEmpty() || w.names().getFirst().equals("0")) return;
        List<String> allowed = switch (cls) {
            case "Dense", "Conv2D" -> List.of("kernel", "bias");
            case "DepthwiseConv2D" -> List.of("depthwise_kernel", "kernel", "bias");
            case "SeparableConv2D" -> List.of("depthwise_kernel", "pointwise_kernel", "bias");
            default -> List.of("gamma", "beta", "moving_mean", "moving_variance");
        };
        int last = -1;
        for (String n : w.names()) {
            int i = allowed.indexOf(n.toLowerCase(Locale.ROOT));
            if (i < 0 || i <= last)
                throw new KerasFormatException(file, where, cls + " arrays named " + w.names() + "; expected them in the "
                        + "order " + allowed);
            last = i;
        }
    }

    private static Tensor rank(Tensor t, int r, Path file, String where, LayerWeights w, int index)
            throws KerasFormatException {
        if (t.dim() != r)
            throw new KerasFormatException(file, where + "/" + w.names().get(index), "expected a " + r
                    + "-D array, found shape " + Arrays.toString(t.shape()));
        return t;
    }

    /** [kh, kw, in, out] → [out, in, kh, kw]. */
    static Tensor hwioToOihw(Tensor k) {
        return k.permute(3, 2, 0, 1).contiguous();
    }

    /** [kh, kw, in, mult] → [in·mult, 1, kh, kw], output channel c·mult + m. */
    static Tensor depthwise(Tensor k) {
        int kh = k.size(0), kw = k.size(1), in = k.size(2), mult = k.size(3);
        return k.permute(2, 3, 0, 1).contiguous().reshape(in * mult, 1, kh, kw);
    }

    /**
     * A depthwise kernel [kh, kw, filters, c] whose outputs a group sum adds up (keras-applications' ResNeXt:
     * output g·c + j sums depthwise outputs (g·c + t)·c + j over t) as the grouped convolution weight
     * [filters, c, kh, kw] of {@code filters / c} groups: {@code weight[g·c + j, t] = kernel[:, :, g·c + t, j]}.
     */
    static Tensor groupedFromDepthwise(Tensor k) {
        int kh = k.size(0), kw = k.size(1), filters = k.size(2), c = k.size(3), groups = filters / c;
        // [kh, kw, (g, t), j] → [g, j, t, kh, kw]
        return k.reshape(kh, kw, groups, c, c).permute(2, 4, 3, 0, 1).contiguous().reshape(filters, c, kh, kw);
    }

    /**
     * The group names Keras 3 gives layers inside {@code model.weights.h5} when the file does not record
     * each layer's name: the class name in snake case, numbered from the second of a class on, in the
     * model's layer order (a Sequential model's InputLayer is not one of its layers).
     */
    static Map<String, String> autoGroupNames(KerasConfigModel model) {
        Map<String, String> out = new HashMap<>();
        Map<String, Integer> counts = new HashMap<>();
        boolean sequential = model.kerasClass().equals("Sequential");
        for (ModelConfig.Layer l : model.configLayers()) {
            if (sequential && l.className().equals("InputLayer")) continue;
            String base = snake(l.className());
            int n = counts.merge(base, 1, Integer::sum) - 1;
            out.put(l.name(), "layers/" + (n == 0 ? base : base + "_" + n));
        }
        return out;
    }

    /** Keras' to_snake_case: "BatchNormalization" → "batch_normalization", "ReLU" → "re_lu", "Conv2D" → "conv2d". */
    static String snake(String name) {
        String s = name.replaceAll("(.)([A-Z][a-z]+)", "$1_$2");
        s = s.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
        return s;
    }
}
