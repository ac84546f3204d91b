package org.jgrad.keras;

import org.jgrad.nn.Module;
import org.jgrad.tensor.Tensor;

/**
 * Keras' Reshape on jgrad's channels-first tensors: the input is put in Keras' [N, H, W, C] order,
 * reshaped to Keras' target shape, and a 3-D target (an image) is put back as [N, C, H, W].
 */
final class ChannelsLastReshape extends Module {
    private final int[] target;

    ChannelsLastReshape(int[] target) {
        this.target = target;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.dim() == 4) x = x.permute(0, 2, 3, 1);
        int[] s = new int[target.length + 1];
        s[0] = x.size(0);
        System.arraycopy(target, 0, s, 1, target.length);
        Tensor y = x.reshape(s);
        return y.dim() == 4 ? y.permute(0, 3, 1, 2).contiguous() : y;
    }

    @Override
    public String name() {
        return "Reshape";
    }

    @Override
    public String extraRepr() {
        return "target_shape=" + java.util.Arrays.toString(target);
    }
}
