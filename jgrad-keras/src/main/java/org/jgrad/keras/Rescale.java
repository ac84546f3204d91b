package org.jgrad.keras;

import org.jgrad.nn.Module;
import org.jgrad.tensor.Tensor;

/** Keras' Rescaling: {@code x · scale + offset}, with a scalar or per-channel scale and offset. */
final class Rescale extends Module {
    private final float[] scale, offset;

    Rescale(float[] scale, float[] offset) {
        this.scale = scale;
        this.offset = offset;
    }

    @Override
    public Tensor forward(Tensor x) {
        return x.mul(perChannel(scale, x)).add(perChannel(offset, x));
    }

    private static Tensor perChannel(float[] v, Tensor x) {
        if (v.length == 1) return Tensor.scalar(v[0]);
        Tensor t = Tensor.fromArray(v.clone(), v.length);
        return x.dim() == 4 ? t.reshape(1, v.length, 1, 1) : t;
    }

    @Override
    public String name() {
        return "Rescaling";
    }

    @Override
    public String extraRepr() {
        return "scale=" + java.util.Arrays.toString(scale) + ", offset=" + java.util.Arrays.toString(offset);
    }
}
