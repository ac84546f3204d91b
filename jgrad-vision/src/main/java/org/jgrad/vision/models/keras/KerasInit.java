package org.jgrad.vision.models.keras;

import org.jgrad.internal.TensorData;
import org.jgrad.nn.DefaultGenerator;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;

/**
 * Keras' initializers, with Keras' fans (which differ from PyTorch's for depthwise kernels: Keras sees
 * a (kh, kw, in, multiplier) kernel, fan-in kh·kw·in). Values go straight into the fresh tensor's
 * storage, drawn from the default generator, so that {@code DefaultGenerator.manualSeed} makes
 * construction reproducible and a large model is not copied while it is built.
 */
final class KerasInit {
    private KerasInit() {}

    /** {@code glorot_uniform}, Keras' default for kernels: U(−b, b), b = √(6/(fan_in + fan_out)). */
    static void glorotUniform(Tensor t, long fanIn, long fanOut) {
        float[] d = fresh(t);
        double b = Math.sqrt(6.0 / (fanIn + fanOut));
        Generator g = DefaultGenerator.get();
        for (int i = 0; i < d.length; i++) d[i] = (float) (b * (2 * g.nextDouble() - 1));
    }

    /**
     * {@code he_normal} (NASNet's convolutions): a normal with standard deviation √(2/fan_in),
     * truncated at two of its own standard deviations, rescaled by Keras' 0.8796... so that the
     * truncated draw has variance 2/fan_in.
     */
    static void heNormal(Tensor t, long fanIn) {
        float[] d = fresh(t);
        double std = Math.sqrt(2.0 / fanIn) / .87962566103423978;
        Generator g = DefaultGenerator.get();
        for (int i = 0; i < d.length; i++) {
            double z;
            do z = g.nextGaussian(); while (Math.abs(z) > 2);
            d[i] = (float) (std * z);
        }
    }

    private static float[] fresh(Tensor t) {
        if (!t.isContiguous() || t.offset() != 0 || TensorData.floats(t).length != t.numel())
            throw new IllegalStateException("KerasInit: expected a fresh dense tensor");
        return TensorData.floats(t);
    }
}
