package org.jgrad.keras;

import org.jgrad.nn.Conv2d;
import org.jgrad.nn.DefaultGenerator;
import org.jgrad.nn.Module;
import org.jgrad.ops.Conv2dOptions;
import org.jgrad.tensor.Tensor;

/**
 * Keras' SeparableConv2D: a depthwise convolution ({@code depth_multiplier} filters per input channel,
 * no bias) then a 1×1 pointwise convolution with the bias; children {@code depthwise} and
 * {@code pointwise}.
 */
final class SeparableConv extends Module {
    private final Conv2d depthwise, pointwise;

    SeparableConv(int in, int multiplier, int out, int kh, int kw, Conv2dOptions options, boolean same, boolean bias) {
        Conv2dOptions dw = options.groups(in);
        depthwise = registerModule("depthwise", same ? new TfSameConv2d(in, in * multiplier, kh, kw, dw, false)
                : new Conv2d(in, in * multiplier, kh, kw, dw, false, DefaultGenerator.get()));
        pointwise = registerModule("pointwise", new Conv2d(in * multiplier, out, 1, 1, Conv2dOptions.defaults(), bias, DefaultGenerator.get()));
    }

    @Override
    public Tensor forward(Tensor x) {
        return pointwise.call(depthwise.call(x));
    }

    @Override
    public String name() {
        return "SeparableConv2D";
    }
}
