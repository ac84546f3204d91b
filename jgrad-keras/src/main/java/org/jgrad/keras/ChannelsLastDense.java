package org.jgrad.keras;

import org.jgrad.nn.Linear;
import org.jgrad.tensor.Tensor;

/**
 * Keras' Dense: a {@link Linear} on the last axis; on a 4-D input that axis is Keras' channels, so a
 * [N, C, H, W] tensor is moved to [N, H, W, C] and back around it.
 */
final class ChannelsLastDense extends Linear {
    ChannelsLastDense(int in, int out, boolean bias) {
        super(in, out, bias);
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.dim() != 4) return super.forward(x);
        return super.forward(x.permute(0, 2, 3, 1)).permute(0, 3, 1, 2).contiguous();
    }

    @Override
    public String name() {
        return "Dense";
    }
}
