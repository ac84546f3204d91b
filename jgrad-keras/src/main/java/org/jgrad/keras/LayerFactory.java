package org.jgrad.keras;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.jgrad.nn.BatchNorm1d;
import org.jgrad.nn.BatchNorm2d;
import org.jgrad.nn.Conv2d;
import org.jgrad.nn.DefaultGenerator;
import org.jgrad.nn.Dropout;
import org.jgrad.nn.Dropout2d;
import org.jgrad.nn.Module;
import org.jgrad.nn.SeparableConv2d;
import org.jgrad.nn.ZeroPad2d;
import org.jgrad.nn.functional.F;
import org.jgrad.ops.Conv2dOptions;
import org.jgrad.tensor.Tensor;

/**
 * Builds the jgrad module for one Keras layer from its config and the shapes of its inputs, and says
 * the shape of its output. Shapes are Keras' (channels last, batch left out, -1 where unknown); the
 * modules compute on jgrad's channels-first tensors.
 */
final class LayerFactory {
    /** The Keras layer classes jgrad builds. */
    static final Set<String> SUPPORTED = Set.of("InputLayer", "Dense", "Conv2D", "DepthwiseConv2D", "SeparableConv2D",
            "MaxPooling2D", "AveragePooling2D", "GlobalAveragePooling2D", "GlobalMaxPooling2D", "BatchNormalization",
            "Dropout", "SpatialDropout2D", "Flatten", "Reshape", "Activation", "ReLU", "LeakyReLU", "ELU", "Softmax",
            "Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Concatenate", "ZeroPadding2D",
            "Cropping2D", "Rescaling");

    /** Keras 2 names of the same layers. */
    static String canonical(String className) {
        return switch (className) {
            case "MaxPool2D" -> "MaxPooling2D";
            case "AvgPool2D" -> "AveragePooling2D";
            case "GlobalAvgPool2D" -> "GlobalAveragePooling2D";
            case "GlobalMaxPool2D" -> "GlobalMaxPooling2D";
            case "Convolution2D" -> "Conv2D";
            case "SeparableConvolution2D" -> "SeparableConv2D";
            default -> className;
        };
    }

    /**
     * The module, the output shape and the activation the layer applies after its module (its
     * {@code activation} argument), for a layer whose class is in {@link #SUPPORTED}.
     */
    record Built(Module module, int[] outShape, String activation) {}

    private LayerFactory() {}

    static Built build(LayerArgs a, List<int[]> in, ParameterBudget budget) throws KerasFormatException {
        String cls = canonical(a.className);
        int[] x = in.isEmpty() ? null : in.getFirst();
        if (!cls.equals("InputLayer") && !isMerge(cls) && in.size() != 1)
            throw a.error(null, cls + " takes one input, but the layer is called on " + in.size());
        return switch (cls) {
            case "Dense" -> dense(a, x, budget);
            case "Conv2D" -> conv(a, x, budget);
            case "DepthwiseConv2D" -> depthwise(a, x, budget);
            case "SeparableConv2D" -> separable(a, x, budget);
            case "MaxPooling2D", "AveragePooling2D" -> pool(a, x, cls.startsWith("Max"));
            case "GlobalAveragePooling2D", "GlobalMaxPooling2D" -> {
                image(a, x);
                a.requireChannelsLast();
                boolean keep = a.bool("keepdims", false);
                yield new Built(new GlobalPool2d(cls.contains("Max"), keep),
                        keep ? new int[] {1, 1, x[2]} : new int[] {x[2]}, null);
            }
            case "BatchNormalization" -> batchNorm(a, x, budget);
            case "Dropout" -> new Built(new Dropout(rate(a)), x, null);
            case "SpatialDropout2D" -> {
                image(a, x);
                yield new Built(new Dropout2d(rate(a)), x, null);
            }
            case "Flatten" -> {
                a.requireChannelsLast();
                long n = 1;
                for (int d : x) n = d < 0 || n < 0 ? -1 : n * d;
                if (n > Integer.MAX_VALUE) throw a.error(null, "flattens to " + n + " values, more than a tensor holds");
                yield new Built(new ChannelsLastFlatten(), new int[] {(int) n}, null);
            }
            case "Reshape" -> reshape(a, x);
            case "Activation" -> {
                String name = activationName(a, "activation");
                yield new Built(new ActivationLayer("Activation", name, KerasActivation.of(name)), x, null);
            }
            case "ReLU" -> relu(a, x);
            case "LeakyReLU" -> {
                double slope = a.has("negative_slope") ? a.number("negative_slope", 0.3) : a.number("alpha", 0.3);
                yield new Built(new ActivationLayer("LeakyReLU", "negative_slope=" + slope, t -> F.leakyRelu(t, slope)), x, null);
            }
            case "ELU" -> {
                double alpha = a.number("alpha", 1.0);
                yield new Built(new ActivationLayer("ELU", "alpha=" + alpha, t -> F.elu(t, alpha)), x, null);
            }
            case "Softmax" -> {
                int axis = a.integer("axis", -1, -8, 8);
                int rank = x.length + 1;
                if (axis < -rank || axis >= rank) throw a.error("axis", "axis " + axis + " for a " + rank + "-D input");
                yield new Built(new ActivationLayer("Softmax", "axis=" + axis,
                        t -> F.softmax(t, Merge.jgradAxis(axis, t.dim()))), x, null);
            }
            case "Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum" -> elementwise(a, in, cls);
            case "Concatenate" -> concatenate(a, in);
            case "ZeroPadding2D" -> padding(a, x, "padding", 1);
            case "Cropping2D" -> padding(a, x, "cropping", -1);
            case "Rescaling" -> new Built(new Rescale(floats(a, "scale", x), floats(a, "offset", x)), x, null);
            default -> throw a.error(null, "layer class " + a.className + " is not built by jgrad");
        };
    }

    static boolean isMerge(String cls) {
        return Set.of("Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Concatenate").contains(cls);
    }

    private static String activationName(LayerArgs a, String key) throws KerasFormatException {
        String name = KerasActivation.name(a.config.get(key));
        if (!KerasActivation.NAMES.contains(name))
            throw a.error(key, "activation '" + name + "' is not supported (supported: "
                    + String.join(", ", new java.util.TreeSet<>(KerasActivation.NAMES)) + ")");
        return name;
    }

    private static void image(LayerArgs a, int[] x) throws KerasFormatException {
        if (x.length != 3 || x[2] <= 0)
            throw a.error(null, a.className + " needs an image input [height, width, channels] with known channels, got "
                    + shape(x));
    }

    private static double rate(LayerArgs a) throws KerasFormatException {
        double r = a.number("rate", 0.5);
        if (r < 0 || r >= 1) throw a.error("rate", "expected a rate in [0, 1), found " + r);
        return r;
    }

    private static Built dense(LayerArgs a, int[] x, ParameterBudget budget) throws KerasFormatException {
        int units = a.integer("units", -1, 1, Integer.MAX_VALUE);
        if (units < 0) throw a.error("units", "missing");
        if (x.length == 0 || x[x.length - 1] <= 0)
            throw a.error(null, "Dense needs an input whose last size is known, got " + shape(x));
        if (x.length != 1 && x.length != 3)
            throw a.error(null, "Dense on a " + (x.length + 1) + "-D input is not supported (2-D and 4-D are), got " + shape(x));
        int[] out = x.clone();
        out[out.length - 1] = units;
        boolean bias = a.bool("use_bias", true);
        budget.claim(a, x[x.length - 1] + (bias ? 1L : 0L), units);
        return new Built(new ChannelsLastDense(x[x.length - 1], units, bias), out,
                activationName(a, "activation"));
    }

    private record Window(int[] k, int[] s, int[] d, boolean same) {}

    private static Window window(LayerArgs a, String kernelKey, int[] defaultKernel, boolean stridesDefaultKernel)
            throws KerasFormatException {
        a.requireChannelsLast();
        int[] k = a.pair(kernelKey, defaultKernel, 1);
        int[] s = a.pair("strides", stridesDefaultKernel ? k : new int[] {1, 1}, 1);
        int[] d = a.pair("dilation_rate", new int[] {1, 1}, 1);
        String p = a.string("padding", "valid");
        if (!p.equals("valid") && !p.equals("same"))
            throw a.error("padding", "'" + p + "' is not supported (valid, same)");
        return new Window(k, s, d, p.equals("same"));
    }

    private static int[] spatialOut(LayerArgs a, int[] x, Window w, int channels) throws KerasFormatException {
        int[] out = new int[] {-1, -1, channels};
        for (int i = 0; i < 2; i++) {
            if (x[i] < 0) continue;
            int extent = (w.k[i] - 1) * w.d[i] + 1;
            out[i] = w.same ? (x[i] + w.s[i] - 1) / w.s[i] : x[i] < extent ? 0 : (x[i] - extent) / w.s[i] + 1;
            if (out[i] <= 0)
                throw a.error(null, "the window " + Arrays.toString(w.k) + " does not fit the input " + shape(x));
        }
        return out;
    }

    private static Conv2dOptions convOptions(Window w) {
        return Conv2dOptions.defaults().stride(w.s[0], w.s[1]).dilation(w.d[0], w.d[1]);
    }

    private static Built conv(LayerArgs a, int[] x, ParameterBudget budget) throws KerasFormatException {
        image(a, x);
        Window w = window(a, "kernel_size", null, false);
        int filters = a.integer("filters", -1, 1, Integer.MAX_VALUE);
        if (filters < 0) throw a.error("filters", "missing");
        int groups = a.integer("groups", 1, 1, Integer.MAX_VALUE);
        if (x[2] % groups != 0 || filters % groups != 0)
            throw a.error("groups", "input channels " + x[2] + " and filters " + filters + " must divide by groups " + groups);
        Conv2dOptions o = convOptions(w).groups(groups);
        boolean bias = a.bool("use_bias", true);
        budget.claim(a, (long) w.k[0] * w.k[1] * (x[2] / groups) + (bias ? 1 : 0), filters);
        Module m = w.same ? new TfSameConv2d(x[2], filters, w.k[0], w.k[1], o, bias)
                : new Conv2d(x[2], filters, w.k[0], w.k[1], o, bias, DefaultGenerator.get());
        return new Built(m, spatialOut(a, x, w, filters), activationName(a, "activation"));
    }

    private static Built depthwise(LayerArgs a, int[] x, ParameterBudget budget) throws KerasFormatException {
        image(a, x);
        Window w = window(a, "kernel_size", null, false);
        int mult = a.integer("depth_multiplier", 1, 1, LayerArgs.MAX_SIZE);
        long out = (long) x[2] * mult;
        if (out > Integer.MAX_VALUE) throw a.error("depth_multiplier", "too many output channels");
        Conv2dOptions o = convOptions(w).groups(x[2]);
        boolean bias = a.bool("use_bias", true);
        budget.claim(a, (long) w.k[0] * w.k[1] + (bias ? 1 : 0), out);
        Module m = w.same ? new TfSameConv2d(x[2], (int) out, w.k[0], w.k[1], o, bias)
                : new Conv2d(x[2], (int) out, w.k[0], w.k[1], o, bias, DefaultGenerator.get());
        return new Built(m, spatialOut(a, x, w, (int) out), activationName(a, "activation"));
    }

    private static Built separable(LayerArgs a, int[] x, ParameterBudget budget) throws KerasFormatException {
        image(a, x);
        Window w = window(a, "kernel_size", null, false);
        int filters = a.integer("filters", -1, 1, Integer.MAX_VALUE);
        if (filters < 0) throw a.error("filters", "missing");
        int mult = a.integer("depth_multiplier", 1, 1, LayerArgs.MAX_SIZE);
        if ((long) x[2] * mult > Integer.MAX_VALUE) throw a.error("depth_multiplier", "too many channels");
        budget.claim(a, (long) x[2] * mult, (long) w.k[0] * w.k[1] + filters);
        if (a.bool("use_bias", true)) budget.claim(a, filters);
        if (w.d[0] != w.d[1]) throw a.error("dilation_rate", "different dilations per axis are not supported here");
        Module m = SeparableConv2d.builder(x[2], filters, w.k[0]).kernelSize(w.k[0], w.k[1]).stride(w.s[0], w.s[1])
                .dilation(w.d[0]).depthMultiplier(mult).bias(a.bool("use_bias", true)).padding(w.same ? "same" : "valid")
                .names("depthwise", "pointwise").generator(DefaultGenerator.get()).build();
        return new Built(m, spatialOut(a, x, w, filters), activationName(a, "activation"));
    }

    private static Built pool(LayerArgs a, int[] x, boolean max) throws KerasFormatException {
        image(a, x);
        Window w = window(a, "pool_size", new int[] {2, 2}, true);
        if (w.d[0] != 1 || w.d[1] != 1) throw a.error("dilation_rate", "pooling has no dilation");
        return new Built(new KerasPool2d(max, w.k[0], w.k[1], w.s[0], w.s[1], w.same), spatialOut(a, x, w, x[2]), null);
    }

    private static Built batchNorm(LayerArgs a, int[] x, ParameterBudget budget) throws KerasFormatException {
        JsonNode axisNode = a.config.get("axis");
        int axis = -1;
        if (axisNode != null && axisNode.isArray() && axisNode.size() == 1) axisNode = axisNode.get(0);
        if (axisNode != null && !axisNode.isNull()) {
            if (!axisNode.isIntegralNumber()) throw a.error("axis", "expected one axis, found " + LayerArgs.excerpt(axisNode));
            axis = axisNode.asInt();
        }
        int rank = x.length + 1;
        if (axis != -1 && axis != rank - 1)
            throw a.error("axis", "batch normalization over axis " + axis + " of a " + rank
                    + "-D input; jgrad builds it over the channels (the last axis)");
        if (rank != 2 && rank != 4) throw a.error(null, "BatchNormalization on a " + rank + "-D input (2-D and 4-D are built)");
        int c = x[x.length - 1];
        if (c <= 0) throw a.error(null, "BatchNormalization needs known channels, got " + shape(x));
        double eps = a.number("epsilon", 1e-3);
        double momentum = a.number("momentum", 0.99);
        if (eps <= 0) throw a.error("epsilon", "must be positive, found " + eps);
        if (momentum < 0 || momentum > 1) throw a.error("momentum", "must be in [0, 1], found " + momentum);
        boolean affine = a.bool("scale", true) || a.bool("center", true);
        budget.claim(a, 2 + (a.bool("scale", true) ? 1 : 0) + (a.bool("center", true) ? 1 : 0), c);
        // Keras' momentum weighs the old running value; PyTorch's (and jgrad's) the new batch.
        Module m = rank == 4 ? new BatchNorm2d(c, eps, 1 - momentum, affine, true)
                : new BatchNorm1d(c, eps, 1 - momentum, affine, true);
        return new Built(m, x, null);
    }

    private static Built relu(LayerArgs a, int[] x) throws KerasFormatException {
        Double max = a.has("max_value") ? a.number("max_value", 0) : null;
        double slope = a.number("negative_slope", 0), threshold = a.number("threshold", 0);
        UnaryOperator<Tensor> f;
        if (slope == 0 && threshold == 0) {
            f = max == null ? F::relu : t -> t.clamp(0f, max.floatValue());
        } else {
            f = t -> {
                Tensor y = Tensor.where(t.ge((float) threshold), t, t.sub((float) threshold).mul((float) slope));
                return max == null ? y : y.minimum(Tensor.scalar(max.floatValue()));
            };
        }
        return new Built(new ActivationLayer("ReLU", "max_value=" + max + ", negative_slope=" + slope + ", threshold="
                + threshold, f), x, null);
    }

    private static Built elementwise(LayerArgs a, List<int[]> in, String cls) throws KerasFormatException {
        if (in.size() < 2 || (cls.equals("Subtract") && in.size() != 2))
            throw a.error(null, cls + " needs " + (cls.equals("Subtract") ? "2" : "at least 2") + " inputs, got " + in.size());
        int[] out = in.getFirst().clone();
        for (int[] s : in) {
            if (s.length != out.length) throw a.error(null, cls + " of inputs " + shapes(in) + " (different ranks)");
            for (int i = 0; i < s.length; i++) {
                if (out[i] < 0) out[i] = s[i];
                else if (s[i] >= 0 && s[i] != out[i]) throw a.error(null, cls + " of inputs " + shapes(in) + " (different shapes)");
            }
        }
        return new Built(new Merge(cls, Merge.Op.valueOf(cls.toUpperCase(java.util.Locale.ROOT)), 0), out, null);
    }

    private static Built concatenate(LayerArgs a, List<int[]> in) throws KerasFormatException {
        if (in.size() < 2) throw a.error(null, "Concatenate needs at least 2 inputs, got " + in.size());
        int rank = in.getFirst().length + 1;
        int axis = a.integer("axis", -1, -rank, rank - 1);
        int k = (axis < 0 ? axis + rank : axis) - 1; // axis in the shapes without the batch
        if (k < 0) throw a.error("axis", "concatenating along the batch axis is not supported");
        int[] out = in.getFirst().clone();
        out[k] = 0;
        for (int[] s : in) {
            if (s.length != out.length) throw a.error(null, "Concatenate of inputs " + shapes(in) + " (different ranks)");
            for (int i = 0; i < s.length; i++) {
                if (i == k) out[k] = out[k] < 0 || s[i] < 0 ? -1 : out[k] + s[i];
                else if (s[i] >= 0 && out[i] >= 0 && s[i] != out[i])
                    throw a.error(null, "Concatenate of inputs " + shapes(in) + " (sizes differ off the axis)");
            }
        }
        return new Built(new Merge("Concatenate", Merge.Op.CONCATENATE, axis), out, null);
    }

    /** ZeroPadding2D (sign 1) and Cropping2D (sign -1): int, [h, w] or [[top, bottom], [left, right]]. */
    private static Built padding(LayerArgs a, int[] x, String key, int sign) throws KerasFormatException {
        image(a, x);
        a.requireChannelsLast();
        JsonNode v = a.config.get(key);
        int[] tblr;
        if (v == null || v.isNull()) tblr = sign > 0 ? new int[] {1, 1, 1, 1} : new int[] {0, 0, 0, 0};
        else if (v.isArray() && v.size() == 2 && v.get(0).isArray()) {
            if (v.get(0).size() != 2 || v.get(1) == null || !v.get(1).isArray() || v.get(1).size() != 2)
                throw a.error(key, "expected ((top, bottom), (left, right)), found " + LayerArgs.excerpt(v));
            tblr = new int[] {nonNegative(a, key, v.get(0).get(0)), nonNegative(a, key, v.get(0).get(1)),
                nonNegative(a, key, v.get(1).get(0)), nonNegative(a, key, v.get(1).get(1))};
        } else {
            int[] hw = a.pair(key, null, 0);
            tblr = new int[] {hw[0], hw[0], hw[1], hw[1]};
        }
        int[] out = x.clone();
        for (int i = 0; i < 2; i++) {
            if (x[i] < 0) continue;
            long o = x[i] + (long) sign * (tblr[2 * i] + tblr[2 * i + 1]);
            if (o <= 0 || o > Integer.MAX_VALUE) throw a.error(key, "gives a size of " + o + " from " + shape(x));
            out[i] = (int) o;
        }
        ZeroPad2d m = new ZeroPad2d(sign * tblr[2], sign * tblr[3], sign * tblr[0], sign * tblr[1]);
        return new Built(m, out, null);
    }

    private static int nonNegative(LayerArgs a, String key, JsonNode v) throws KerasFormatException {
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < 0 || v.asInt() > LayerArgs.MAX_SIZE)
            throw a.error(key, "expected a size in [0, " + LayerArgs.MAX_SIZE + "], found " + LayerArgs.excerpt(v));
        return v.asInt();
    }

    private static float[] floats(LayerArgs a, String key, int[] x) throws KerasFormatException {
        JsonNode v = a.config.get(key);
        float dflt = key.equals("scale") ? 1f : 0f;
        if (v == null || v.isNull()) return new float[] {dflt};
        if (v.isNumber()) return new float[] {(float) a.number(key, dflt)};
        int c = x.length == 0 ? -1 : x[x.length - 1];
        if (v.isArray() && v.size() == c) {
            float[] f = new float[c];
            for (int i = 0; i < c; i++) {
                if (!v.get(i).isNumber()) throw a.error(key, "expected numbers, found " + LayerArgs.excerpt(v));
                f[i] = (float) v.get(i).asDouble();
            }
            return f;
        }
        throw a.error(key, "expected a number or one per channel (" + c + "), found " + LayerArgs.excerpt(v));
    }

    private static Built reshape(LayerArgs a, int[] x) throws KerasFormatException {
        int[] t = a.shape("target_shape");
        long known = 1;
        int unknown = 0;
        for (int d : t) {
            if (d < 0) unknown++;
            else known *= d;
        }
        if (unknown > 1) throw a.error("target_shape", "more than one unknown size");
        long total = 1;
        for (int d : x) total = d < 0 || total < 0 ? -1 : total * d;
        int[] out = t.clone();
        if (total >= 0) {
            if (unknown == 0 ? known != total : known == 0 || total % known != 0)
                throw a.error("target_shape", "cannot reshape " + shape(x) + " to " + shape(t));
            for (int i = 0; i < out.length; i++) if (out[i] < 0) out[i] = (int) (total / known);
        }
        return new Built(new ChannelsLastReshape(t), out, null);
    }

    static String shape(int[] s) {
        StringBuilder b = new StringBuilder("(None");
        for (int d : s) b.append(", ").append(d < 0 ? "None" : Integer.toString(d));
        return b.append(")").toString();
    }

    private static String shapes(List<int[]> in) {
        StringBuilder b = new StringBuilder();
        for (int[] s : in) b.append(b.isEmpty() ? "" : ", ").append(shape(s));
        return b.toString();
    }
}
