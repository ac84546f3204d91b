package org.jgrad.nn;

import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;

/**
 * Squeeze-and-excitation (Hu et al.), like {@code torchvision.ops.SqueezeExcitation}: the input's
 * channels are averaged over the map ({@code avgpool}), squeezed by a 1×1 convolution ({@code fc1}),
 * passed through {@code activation}, expanded back by another ({@code fc2}), gated by
 * {@code scale_activation}, and the gates scale the input channel by channel. Children and
 * parameters carry torchvision's names ({@code fc1.weight}, {@code fc1.bias}, {@code fc2.weight},
 * {@code fc2.bias}), so a torchvision state dict loads unchanged. Parameters:
 * {@code 2·C·S + C + S} for C input and S squeeze channels.
 */
public class SqueezeExcitation extends Module {
    private final int channels;

    /** torchvision's defaults: ReLU between the convolutions and a sigmoid gate. */
    public SqueezeExcitation(int inputChannels, int squeezeChannels) {
        this(inputChannels, squeezeChannels, new ReLU(), new Sigmoid());
    }

    /**
     * With the given activation and gate (MobileNetV3: {@link ReLU} and {@link Hardsigmoid}).
     *
     * @throws IllegalArgumentException when a channel count is not positive or a module is null
     */
    public SqueezeExcitation(int inputChannels, int squeezeChannels, Module activation, Module scaleActivation) {
        if (inputChannels <= 0 || squeezeChannels <= 0)
            throw new IllegalArgumentException("SqueezeExcitation: input_channels and squeeze_channels must be positive, got "
                    + inputChannels + " and " + squeezeChannels);
        if (activation == null || scaleActivation == null)
            throw new IllegalArgumentException("SqueezeExcitation: activation and scale_activation must not be null");
        this.channels = inputChannels;
        registerModule("avgpool", new AdaptiveAvgPool2d(1));
        registerModule("fc1", new Conv2d(inputChannels, squeezeChannels, 1));
        registerModule("fc2", new Conv2d(squeezeChannels, inputChannels, 1));
        registerModule("activation", activation);
        registerModule("scale_activation", scaleActivation);
    }

    /** The per-channel gates in (0, 1) for a batch: [N, C, 1, 1]. */
    public Tensor scale(Tensor input) {
        if (input.dim() != 4 || input.size(1) != channels)
            throw new IllegalArgumentException("SqueezeExcitation: expected a [N, " + channels + ", H, W] input, got "
                    + Shape.str(input.shape()));
        Tensor s = child("avgpool").call(input);
        s = child("activation").call(child("fc1").call(s));
        return child("scale_activation").call(child("fc2").call(s));
    }

    @Override
    public Tensor forward(Tensor input) {
        return scale(input).mul(input);
    }
}
