package org.jgrad.vision.models.keras;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.jgrad.autograd.NoGrad;
import org.jgrad.nn.Conv2d;
import org.jgrad.nn.Linear;
import org.jgrad.nn.Module;
import org.jgrad.tensor.DType;
import org.jgrad.tensor.Tensor;

/**
 * Reads what make_keras_fixtures.py writes: the list of a Keras model's weights with the numbers that
 * fill them (drawn again here with the script's SplitMix64), and puts each into the jgrad module of
 * the same name in jgrad's layout (the mapping documented in {@link KerasModel}). Every parameter and
 * floating-point buffer of the model must receive exactly one Keras weight.
 */
final class KerasFixtures {
    private KerasFixtures() {}

    /** One line of NAME.weights.txt: Keras' layer and variable, its shape, and how its values were drawn (null seed: a constant). */
    record Entry(String layer, String variable, int[] shape, double offset, double scale, Long seed) {}

    static List<Entry> read(Path manifest) throws IOException {
        List<Entry> out = new ArrayList<>();
        for (String line : Files.readAllLines(manifest)) {
            if (line.isBlank()) continue;
            String[] f = line.split("\t");
            // LAYER/VARIABLE, under name scopes in NASNet (normal_A_block_0/adjust_block/normal_conv_1_0/kernel)
            int slash = f[0].lastIndexOf('/'), before = f[0].lastIndexOf('/', slash - 1);
            int[] shape = Arrays.stream(f[1].split(",")).mapToInt(Integer::parseInt).toArray();
            boolean constant = f[2].equals("const");
            out.add(new Entry(f[0].substring(before + 1, slash), f[0].substring(slash + 1), shape,
                    constant ? 0 : Double.parseDouble(f[2]), constant ? 0 : Double.parseDouble(f[3]),
                    constant ? null : Long.parseUnsignedLong(f[4], 16)));
        }
        return out;
    }

    /** The script's values: {@code float32(offset + scale·u_j)}, u_j the j-th SplitMix64 draw from {@code seed}, mapped to [−1, 1). */
    static float[] values(long seed, int n, double offset, double scale) {
        float[] v = new float[n];
        for (int j = 0; j < n; j++) {
            long z = seed + (j + 1) * 0x9E3779B97F4A7C15L;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            z ^= z >>> 31;
            double u = (z >>> 11) * 0x1.0p-53 * 2.0 - 1.0;
            v[j] = (float) (offset + scale * u);
        }
        return v;
    }

    /**
     * Fills {@code model} from the entries; constants (keras-applications' ResNeXt {@code _2_gconv}, folded
     * into the grouped convolution) are skipped.
     *
     * @throws AssertionError when a weight has no module, a shape does not map, or a tensor is left unfilled
     */
    static void load(Module model, List<Entry> entries) {
        Map<Tensor, String> filled = new IdentityHashMap<>();
        try (NoGrad g = NoGrad.enter()) {
            for (Entry e : entries) {
                if (e.seed() == null) {
                    if (!e.layer().endsWith("_2_gconv")) throw new AssertionError("unexpected constant " + e);
                    continue;
                }
                Module m = model.child(e.layer());
                String variable = e.variable();
                // SeparableConv2D's two kernels live in the two convolutions of nn.SeparableConv2d
                if (variable.equals("depthwise_kernel") && m.namedChildren().containsKey("depthwise")) m = m.child("depthwise");
                else if (variable.equals("pointwise_kernel")) {
                    m = m.child("pointwise");
                    variable = "kernel";
                } else if (variable.equals("bias") && m.namedChildren().containsKey("pointwise")) m = m.child("pointwise");
                Tensor keras = Tensor.fromArray(values(e.seed(), Arrays.stream(e.shape()).reduce(1, Math::multiplyExact),
                        e.offset(), e.scale()), e.shape());
                Tensor target = target(m, variable);
                Tensor value = toJgrad(m, variable, keras);
                if (!Arrays.equals(target.shape(), value.shape()))
                    throw new AssertionError(e.layer() + "/" + e.variable() + ": Keras " + Arrays.toString(e.shape())
                            + " maps to " + Arrays.toString(value.shape()) + ", the module has " + Arrays.toString(target.shape()));
                if (filled.put(target, e.layer() + "/" + e.variable()) != null)
                    throw new AssertionError(e.layer() + "/" + e.variable() + " fills a tensor twice");
                target.copyInPlace(value.contiguous());
            }
        }
        for (Map.Entry<String, Tensor> p : model.namedParameters().entrySet())
            if (!filled.containsKey(p.getValue())) throw new AssertionError("no Keras weight for parameter " + p.getKey());
        for (Map.Entry<String, Tensor> b : model.namedBuffers().entrySet())
            if (b.getValue().dtype() == DType.FLOAT32 && !filled.containsKey(b.getValue()))
                throw new AssertionError("no Keras weight for buffer " + b.getKey());
    }

    private static Tensor target(Module m, String variable) {
        String jgrad = switch (variable) {
            case "kernel", "depthwise_kernel", "gamma" -> "weight";
            case "bias", "beta" -> "bias";
            case "moving_mean" -> "running_mean";
            case "moving_variance" -> "running_var";
            default -> throw new AssertionError("unknown Keras variable " + variable);
        };
        return variable.endsWith("moving_mean") || variable.endsWith("moving_variance") ? m.buffer(jgrad) : m.parameter(jgrad);
    }

    private static Tensor toJgrad(Module m, String variable, Tensor k) {
        if (!variable.endsWith("kernel")) return k;
        int[] s = k.shape();
        if (m instanceof Linear) return k.reshape(s[s.length - 2], s[s.length - 1]).transpose(0, 1); // (in, out) or (1, 1, in, out)
        Conv2d c = (Conv2d) m;
        // Keras 3 calls a DepthwiseConv2D's kernel "kernel" (Keras 2: "depthwise_kernel"); the module's groups tell
        if (c.options().groups() == 1) return k.permute(3, 2, 0, 1);
        int kh = s[0], kw = s[1], in = s[2], mult = s[3], groups = c.options().groups();
        if (groups == in) return k.reshape(kh, kw, in * mult).permute(2, 0, 1).reshape(in * mult, 1, kh, kw);
        // a grouped convolution stored as Keras' depthwise kernel with multiplier c = in/groups (ResNeXt)
        int cg = in / groups;
        return k.reshape(kh, kw, groups, cg, mult).permute(2, 4, 3, 0, 1).contiguous().reshape(groups * mult, cg, kh, kw);
    }

    /** ‖a − b‖ / ‖b‖. */
    static double relativeError(float[] a, float[] b) {
        double d = 0, n = 0;
        for (int i = 0; i < a.length; i++) {
            d += ((double) a[i] - b[i]) * ((double) a[i] - b[i]);
            n += (double) b[i] * b[i];
        }
        return Math.sqrt(d / n);
    }
}
