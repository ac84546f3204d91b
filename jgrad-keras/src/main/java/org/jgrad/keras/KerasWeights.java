package org.jgrad.keras;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jgrad.nn.LoadResult;
import org.jgrad.nn.Module;
import org.jgrad.nn.SeparableConv2d;
import org.jgrad.tensor.Tensor;

/**
 * Keras weight files into jgrad models, the {@link org.jgrad.io.Weights#load} of Keras: a {@code .keras}
 * archive, a Keras 2 full-model {@code .h5}, or a weights-only {@code .h5} such as the ones
 * {@code keras.applications} downloads ({@code resnet50_weights_tf_dim_ordering_tf_kernels.h5}).
 *
 * <p>{@link #load(Module, Path)} puts each Keras layer's arrays into the child module of the same name,
 * converted to jgrad's layouts by what that module is: a convolution's HWIO kernel becomes OIHW (a
 * depthwise kernel [kh, kw, in, m] becomes [in·m, 1, kh, kw]), a Dense kernel is transposed, batch
 * normalization's gamma, beta, moving mean and moving variance become weight, bias, running_mean and
 * running_var, a separable convolution's arrays go to the depthwise and pointwise convolutions of
 * an {@link SeparableConv2d} (whatever its children are named), a 1×1 convolution's kernel on a pooled
 * 1×1 map goes into the {@code Linear} layer it equals (MobileNet's {@code conv_preds}), and ResNeXt's
 * grouped convolutions, which keras-applications computes as a depthwise convolution ({@code _2_conv})
 * and a constant group sum ({@code _2_gconv}, checked and skipped), go into grouped convolutions. The zoo's Keras-layout models ({@code keras.ResNet50}, ...) name their layers as Keras does,
 * so application weights load into them directly:
 *
 * <pre>{@code
 * Module net = ModelRegistry.create("keras.ResNet50");
 * KerasWeights.load(net, Path.of("resnet50_weights_tf_dim_ordering_tf_kernels.h5"));
 * }</pre>
 */
public final class KerasWeights {
    private KerasWeights() {}

    /**
     * Loads a Keras file's weights into {@code model}, layer by layer by name, strictly: every parameter
     * and buffer of the model must come from the file (BatchNorm's {@code num_batches_tracked}, which
     * Keras has no counterpart for, keeps its value) and every weighted layer of the file must find its
     * module. Everything is converted and checked before anything is copied: on any error the model is
     * unchanged.
     *
     * @throws KerasFormatException for a malformed file
     * @throws IllegalArgumentException listing every missing, unexpected or mis-shaped weight (PyTorch's
     *     wording, as {@link Module#loadStateDict} gives it)
     */
    public static LoadResult load(Module model, Path file) throws IOException {
        KerasFile k = KerasFile.read(file);
        if (model instanceof KerasConfigModel m) return m.loadWeights(k);
        return model.loadStateDict(stateDictFor(model, k), true);
    }

    /** The file's weights converted for {@code model}'s modules, keyed as its state dict. */
    static Map<String, Tensor> stateDictFor(Module model, KerasFile k) throws KerasFormatException {
        Map<String, Module> modules = model.namedModules();
        Map<String, Tensor> state = new LinkedHashMap<>();
        for (LayerWeights w : k.layers().values()) {
            if (w.arrays().isEmpty()) continue;
            String path = w.layer().replace('/', '.');
            Module target = modules.get(path);
            if (target == null && groupSumOfGroupedConv(w, modules, k)) continue;
            // keras-applications' resnet_common.py (ResNeXt, and the ResNets before Keras took them in) names
            // the classifier 'probs'; Keras' own applications, and the zoo, 'predictions'.
            if (target == null && path.equals("probs") && modules.get("predictions") != null) {
                path = "predictions";
                target = modules.get(path);
            }
            Map<String, Tensor> converted = target == null ? raw(w) : convertFor(target, w, k);
            for (Map.Entry<String, Tensor> e : converted.entrySet()) state.put(path + "." + e.getKey(), e.getValue());
        }
        for (Map.Entry<String, Tensor> e : model.stateDict().entrySet())
            if (e.getKey().endsWith("num_batches_tracked")) state.putIfAbsent(e.getKey(), e.getValue());
        return state;
    }

    /**
     * keras-applications' ResNeXt computes each grouped 3×3 convolution {@code <block>_2_conv} as a
     * depthwise convolution followed by a constant, non-trainable 1×1 convolution {@code <block>_2_gconv}
     * that sums each group's products; the model here has the grouped convolution, so the constant has
     * no place in it. It is skipped, after checking that it is exactly that sum (anything else is a
     * weight the model would lose, and is refused).
     */
    private static boolean groupSumOfGroupedConv(LayerWeights w, Map<String, Module> modules, KerasFile k)
            throws KerasFormatException {
        String layer = w.layer().replace('/', '.');
        if (!layer.endsWith("_2_gconv")) return false;
        Module conv = modules.get(layer.substring(0, layer.length() - "gconv".length()) + "conv");
        Tensor weight = conv == null ? null : conv.stateDict().get("weight");
        if (weight == null || weight.dim() != 4 || w.arrays().size() != 1) return false;
        int filters = weight.size(0), c = weight.size(1);
        Tensor kernel = w.arrays().getFirst();
        String where = (k.format() == KerasFile.Format.KERAS_ARCHIVE ? KerasFile.WEIGHTS + ":" : "") + w.h5Group();
        if (!java.util.Arrays.equals(kernel.shape(), new int[] {1, 1, filters * c, filters}))
            throw new KerasFormatException(k.file(), where, "layer '" + w.layer() + "' has a kernel of shape "
                    + java.util.Arrays.toString(kernel.shape()) + "; the group sum after a grouped convolution of " + filters
                    + " filters in groups of " + c + " is [1, 1, " + filters * c + ", " + filters + "]");
        float[] v = kernel.contiguous().toFloatArray();
        // Output i = g·c + r sums the depthwise outputs (g·c + t)·c + r, t = 0..c−1.
        for (int in = 0; in < filters * c; in++)
            for (int out = 0; out < filters; out++) {
                boolean one = in / (c * c) == out / c && in % c == out % c;
                if (v[in * filters + out] != (one ? 1f : 0f))
                    throw new KerasFormatException(k.file(), where, "layer '" + w.layer() + "' is not the constant group sum"
                            + " of keras-applications' ResNeXt (value " + v[in * filters + out] + " at input " + in
                            + ", output " + out + "), so the grouped convolution '" + layer.replace("_2_gconv", "_2_conv")
                            + "' cannot stand for it");
            }
        return true;
    }

    /** Arrays of a layer the model does not have, under their own names, so that the load lists them as unexpected. */
    private static Map<String, Tensor> raw(LayerWeights w) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int i = 0; i < w.arrays().size(); i++) out.put(w.names().get(i), w.arrays().get(i));
        return out;
    }

    private static Map<String, Tensor> convertFor(Module target, LayerWeights w, KerasFile k) throws KerasFormatException {
        Map<String, Tensor> have = target.stateDict();
        List<Tensor> a = w.arrays();
        String where = (k.format() == KerasFile.Format.KERAS_ARCHIVE ? KerasFile.WEIGHTS + ":" : "") + w.h5Group();
        Map<String, Tensor> out = new LinkedHashMap<>();
        if (target instanceof SeparableConv2d sep) {
            need(a, 2, w, k, where, "a separable convolution");
            String dw = childName(sep, sep.depthwise()), pw = childName(sep, sep.pointwise());
            out.put(dw + ".weight", kernel(a.get(0), have.get(dw + ".weight"), w, k, where));
            out.put(pw + ".weight", kernel(a.get(1), have.get(pw + ".weight"), w, k, where));
            if (a.size() > 2) out.put(pw + ".bias", a.get(2));
        } else if (have.containsKey("running_mean") && have.containsKey("running_var")) {
            List<String> keys = new ArrayList<>();
            if (target.parameter("weight") != null) keys.add("weight");
            if (target.parameter("bias") != null) keys.add("bias");
            keys.add("running_mean");
            keys.add("running_var");
            if (a.size() != keys.size())
                throw new KerasFormatException(k.file(), where, "batch normalization layer '" + w.layer() + "' has "
                        + a.size() + " arrays " + w.names() + ", but its module takes " + keys);
            for (int i = 0; i < keys.size(); i++) out.put(keys.get(i), a.get(i));
        } else if (have.containsKey("weight")) {
            Tensor weight = have.get("weight");
            Tensor first = a.getFirst();
            if (weight.dim() == 4) out.put("weight", kernel(first, weight, w, k, where));
            else if (weight.dim() == 2 && first.dim() == 2) out.put("weight", first.t().contiguous());
            else if (weight.dim() == 2 && first.dim() == 4 && first.size(0) == 1 && first.size(1) == 1)
                // A 1×1 Conv2D on a 1×1 map (MobileNet's conv_preds) into the Linear layer it equals.
                out.put("weight", first.reshape(first.size(2), first.size(3)).t().contiguous());
            else out.put("weight", a.getFirst());
            if (a.size() > 1) out.put("bias", a.get(1));
            if (a.size() > 2)
                throw new KerasFormatException(k.file(), where, "layer '" + w.layer() + "' has " + a.size() + " arrays "
                        + w.names() + "; a kernel and a bias were expected");
        } else {
            return raw(w);
        }
        return out;
    }

    private static String childName(Module parent, Module child) {
        for (Map.Entry<String, Module> e : parent.namedChildren().entrySet()) if (e.getValue() == child) return e.getKey();
        throw new IllegalStateException(parent.name() + " does not hold its own child");
    }

    private static void need(List<Tensor> a, int n, LayerWeights w, KerasFile k, String where, String what)
            throws KerasFormatException {
        if (a.size() < n)
            throw new KerasFormatException(k.file(), where, "layer '" + w.layer() + "' is " + what + " in the model but "
                    + "has " + a.size() + " arrays " + w.names() + " in the file");
    }

    /**
     * A Keras convolution kernel in the layout of {@code target}: depthwise ([kh, kw, in, m] → [in·m, 1, kh, kw])
     * when the target is [in·m, 1, kh, kw] with in above 1; a depthwise kernel with multiplier c standing for a
     * grouped convolution ([kh, kw, filters, c] → [filters, c, kh, kw], see
     * {@link KerasWeightMapping#groupedFromDepthwise}) when the target is [filters, c, kh, kw]; HWIO → OIHW otherwise.
     */
    private static Tensor kernel(Tensor keras, Tensor target, LayerWeights w, KerasFile k, String where)
            throws KerasFormatException {
        if (keras.dim() != 4)
            throw new KerasFormatException(k.file(), where, "layer '" + w.layer() + "': a convolution kernel of shape "
                    + java.util.Arrays.toString(keras.shape()) + " (4-D expected)");
        boolean depthwise = target.size(1) == 1 && keras.size(2) > 1 && (long) keras.size(2) * keras.size(3) == target.size(0);
        if (depthwise) return KerasWeightMapping.depthwise(keras);
        // A grouped convolution that Keras computed as a depthwise one (ResNeXt's _2_conv): [kh, kw, filters, c]
        // against [filters, c, kh, kw]. A plain kernel [kh, kw, in, out] has these sizes only when in = out = c,
        // and then both readings agree.
        boolean grouped = keras.size(2) == target.size(0) && keras.size(3) == target.size(1) && keras.size(2) != keras.size(3)
                && keras.size(3) > 1 && keras.size(2) % keras.size(3) == 0;
        return grouped ? KerasWeightMapping.groupedFromDepthwise(keras) : KerasWeightMapping.hwioToOihw(keras);
    }

    /**
     * A Keras file's weights as a jgrad state dict, for saving as safetensors ({@code jgrad convert}): with
     * a config (.keras, full-model .h5) the state dict of the model it builds ({@link KerasConfigModel});
     * for a Keras 2 weights-only .h5, converted by the arrays' names ({@code kernel}, {@code depthwise_kernel},
     * {@code gamma}, ...) under {@code <layer>.<name>} keys as the zoo's Keras-layout models use.
     *
     * @throws KerasFormatException for a malformed file, or a Keras 3 weights-only file, whose arrays
     *     are only numbered (its model is needed to know what they are)
     */
    public static Map<String, Tensor> read(Path file) throws IOException {
        KerasFile k = KerasFile.read(file);
        if (k.config() != null) return KerasConfigModel.load(k).stateDict();
        Map<String, Tensor> state = new LinkedHashMap<>();
        for (LayerWeights w : k.layers().values()) {
            if (w.arrays().isEmpty()) continue;
            if (w.names().getFirst().equals("0"))
                throw new KerasFormatException(file, null, "a Keras 3 weights-only file numbers its arrays without "
                        + "naming them: load it into its model (KerasWeights.load) instead of converting it alone");
            boolean separable = w.names().contains("pointwise_kernel");
            String path = w.layer().replace('/', '.');
            for (int i = 0; i < w.arrays().size(); i++) {
                String n = w.names().get(i);
                Tensor t = w.arrays().get(i);
                String key;
                switch (n) {
                    case "kernel" -> {
                        key = "weight";
                        t = t.dim() == 4 ? KerasWeightMapping.hwioToOihw(t) : t.dim() == 2 ? t.t().contiguous() : t;
                    }
                    case "depthwise_kernel" -> {
                        key = separable ? "depthwise.weight" : "weight";
                        if (t.dim() == 4) t = KerasWeightMapping.depthwise(t);
                    }
                    case "pointwise_kernel" -> {
                        key = "pointwise.weight";
                        if (t.dim() == 4) t = KerasWeightMapping.hwioToOihw(t);
                    }
                    case "bias" -> key = separable ? "pointwise.bias" : "bias";
                    case "gamma" -> key = "weight";
                    case "beta" -> key = "bias";
                    case "moving_mean" -> key = "running_mean";
                    case "moving_variance" -> key = "running_var";
                    default -> key = n;
                }
                if (state.put(path + "." + key, t) != null)
                    throw new KerasFormatException(file, w.h5Group(), "two arrays of layer '" + w.layer() + "' map to '"
                            + key + "'");
            }
        }
        return state;
    }
}
