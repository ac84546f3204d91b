package org.jgrad.keras;

import org.jgrad.nn.Module;
import org.jgrad.tensor.Tensor;

/** Keras' GlobalAveragePooling2D and GlobalMaxPooling2D: [N, C, H, W] to [N, C] (or [N, C, 1, 1] with keepdims). */
final class GlobalPool2d extends Module {
    private final boolean max, keepdims;

    GlobalPool2d(boolean max, boolean keepdims) {
        this.max = max;
        this.keepdims = keepdims;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.dim() != 4)
            throw new IllegalArgumentException(name() + ": expected a 4-D [N, C, H, W] input, got "
                    + org.jgrad.tensor.Shape.str(x.shape()));
        if (!max) return x.mean(new int[] {2, 3}, keepdims);
        Tensor m = x.flatten(2, 3).max(2, false).values();
        return keepdims ? m.unsqueeze(2).unsqueeze(3) : m;
    }

    @Override
    public String name() {
        return max ? "GlobalMaxPooling2D" : "GlobalAveragePooling2D";
    }

    @Override
    public String extraRepr() {
        return keepdims ? "keepdims=True" : "";
    }
}
