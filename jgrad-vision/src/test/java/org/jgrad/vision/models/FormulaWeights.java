package org.jgrad.vision.models;

import java.util.Map;
import org.jgrad.internal.TensorData;
import org.jgrad.nn.Module;
import org.jgrad.tensor.Tensor;

/**
 * Fills a model's state dict from the formula make_torchvision_zoo_fixtures.py applies on the
 * PyTorch side (see there), so that reference logits need no stored weights: u in [0, 1) from the
 * entry name's {@link String#hashCode} and the element index, then a value by the entry's role.
 */
final class FormulaWeights {
    private FormulaWeights() {}

    /** u[i] for i &lt; n, exactly as the script's {@code uniform(name, n)}. */
    static double[] uniform(String name, int n) {
        int h = name.hashCode();
        double[] u = new double[n];
        for (int i = 0; i < n; i++) {
            int x = h + i * 0x9E3779B9;
            x ^= x >>> 16;
            x *= 0x85EBCA6B;
            x ^= x >>> 13;
            x *= 0xC2B2AE35;
            x ^= x >>> 16;
            u[i] = (x & 0xFFFFFFFFL) / 4294967296.0;
        }
        return u;
    }

    /** The value of every element of entry {@code name} with {@code shape}. */
    static float[] values(String name, int[] shape) {
        int n = 1;
        for (int d : shape) n *= d;
        double[] u = uniform(name, n);
        float[] v = new float[n];
        boolean positive = name.endsWith("running_var") || (name.endsWith("weight") && shape.length == 1);
        boolean small = name.endsWith("running_mean") || name.endsWith("bias");
        double bound = shape.length > 1 ? Math.sqrt(6.0 / (n / shape[0])) : 0;
        for (int i = 0; i < n; i++)
            v[i] = (float) (positive ? 0.5 + u[i] : small ? 0.2 * (u[i] - 0.5) : (2 * u[i] - 1) * bound);
        return v;
    }

    /** Overwrites every float entry of the model's state dict (parameters and buffers) in place. */
    static void fill(Module model) {
        for (Map.Entry<String, Tensor> e : model.stateDict().entrySet()) {
            if (e.getKey().endsWith("num_batches_tracked")) continue;
            Tensor t = e.getValue();
            float[] v = values(e.getKey(), t.shape());
            if (!t.isContiguous() || t.offset() != 0 || TensorData.floats(t).length != v.length)
                throw new IllegalStateException(e.getKey() + ": expected a dense tensor");
            System.arraycopy(v, 0, TensorData.floats(t), 0, v.length);
        }
    }

    /** The input image [1, 3, size, size]: 2u − 1 under the name "input". */
    static Tensor input(int size) {
        double[] u = uniform("input", 3 * size * size);
        float[] v = new float[u.length];
        for (int i = 0; i < v.length; i++) v[i] = (float) (2 * u[i] - 1);
        return TensorData.wrap(v, 1, 3, size, size);
    }
}
