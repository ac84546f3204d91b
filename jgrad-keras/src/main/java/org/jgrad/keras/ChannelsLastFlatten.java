package org.jgrad.keras;

import org.jgrad.nn.Module;
import org.jgrad.tensor.Tensor;

/**
 * Keras' Flatten on jgrad's channels-first tensors: Keras flattens [N, H, W, C] row-major, so a
 * [N, C, H, W] tensor is first put in that order; the Dense layer after it then gets its inputs in the
 * order its Keras kernel expects.
 */
final class ChannelsLastFlatten extends Module {
    @Override
    public Tensor forward(Tensor x) {
        if (x.dim() == 4) x = x.permute(0, 2, 3, 1);
        return x.dim() <= 2 ? x : x.reshape(x.size(0), -1);
    }

    @Override
    public String name() {
        return "Flatten";
    }

    @Override
    public String extraRepr() {
        return "channels_last";
    }
}
