package org.jgrad.vision.models.keras;

import org.jgrad.nn.Conv2d;
import org.jgrad.nn.Linear;
import org.jgrad.nn.Module;
import org.jgrad.nn.SeparableConv2d;
import org.jgrad.nn.functional.F;
import org.jgrad.tensor.Tensor;

/**
 * What the Keras-layout models share. Such a model mirrors its Keras application layer for layer:
 * every Keras layer that has weights is a child module under the Keras layer's own name
 * ({@code conv2_block1_1_conv}, {@code block_3_expand_BN}, {@code conv2d_17}), in Keras' order, so the
 * state-dict key of a Keras weight is {@code <layer name>.<PyTorch tensor name>} (the layer name is
 * the part of a Keras 3 weight path before the variable's name; NASNet's paths begin with name scopes
 * such as {@code normal_A_block_0/adjust_block/}, which are not part of it). Layers without
 * weights (activations, additions, concatenations, paddings, poolings) are computed in
 * {@code forward}, as Keras' functional graph does; there are no extra modules.
 *
 * <p>From Keras' weights to these modules (HWIO is Keras' kernel layout):
 * <ul>
 * <li>{@code Conv2D}: {@code kernel} (kh, kw, in, out) → {@code weight} [out, in, kh, kw]
 *     (permute 3, 2, 0, 1); {@code bias} → {@code bias} where Keras has one (ResNet v1's and v2's
 *     convolutions, VGG, Inception-ResNet's block convolutions).
 * <li>{@code DepthwiseConv2D}: {@code kernel} (Keras 2 and its .h5 files: {@code depthwise_kernel};
 *     (kh, kw, in, m)) → {@code weight} [in·m, 1, kh, kw], output channel i·m + j from input channel i
 *     and multiplier j.
 * <li>{@code SeparableConv2D}: {@code depthwise_kernel} as above into {@code depthwise.weight},
 *     {@code pointwise_kernel} (1, 1, in·m, out) into {@code pointwise.weight} [out, in·m, 1, 1].
 * <li>{@code Dense}: {@code kernel} (in, out) → {@code weight} [out, in] (transposed); {@code bias}.
 * <li>{@code BatchNormalization}: {@code gamma}, {@code beta}, {@code moving_mean},
 *     {@code moving_variance} → {@code weight}, {@code bias}, {@code running_mean},
 *     {@code running_var} ({@link KerasBatchNorm}; no {@code weight} where Keras has {@code scale=False}).
 * </ul>
 * A Keras {@code Flatten} (VGG) flattens channels-last: these models permute to [N, H, W, C] before
 * flattening, so the Dense kernel after it needs no reordering. Outputs are logits: Keras'
 * {@code classifier_activation="softmax"} is left to the loss or to the caller.
 *
 * <p>Weights are initialized as Keras does: {@code glorot_uniform} kernels (NASNet: {@code he_normal}
 * where Keras says so), zero biases, batch norms at γ = 1, β = 0, mean 0, variance 1.
 */
public abstract class KerasModel extends Module {

    /** Keras' default batch-norm epsilon and momentum. */
    static final double EPS = 1e-3, MOMENTUM = 0.99;

    /** A model whose children are registered by the subclass's constructor. */
    protected KerasModel() {}

    /**
     * Registers {@code Conv2D(filters=out, kernel=(kh, kw), strides=stride)} under {@code name},
     * {@code glorot_uniform}. {@code same} is Keras' {@code padding="same"}; with a stride above 1 the
     * caller pads first ({@link TfPadding#zeroSame}) and the layer itself is "valid".
     */
    final Conv2d conv(String name, int in, int out, int kh, int kw, int stride, boolean same, boolean bias) {
        Conv2d c = convLayer(in, out, kh, kw, stride, same, bias, 1);
        KerasInit.glorotUniform(c.weight(), (long) kh * kw * in, (long) kh * kw * out);
        return registerModule(name, c);
    }

    /**
     * A square {@code Conv2D} after Keras' {@code ZeroPadding2D(pad)}: the padding is the layer's own
     * (the same numbers, without copying the padded input).
     */
    final Conv2d convPadded(String name, int in, int out, int k, int stride, int pad, boolean bias, int groups) {
        Conv2d c = Conv2d.builder(in, out, k).stride(stride).padding(pad).groups(groups).bias(bias).generator(null).build();
        KerasInit.glorotUniform(c.weight(), (long) k * k * in, (long) k * k * out);
        return registerModule(name, c);
    }

    /** A square {@link #conv}. */
    final Conv2d conv(String name, int in, int out, int k, int stride, boolean same, boolean bias) {
        return conv(name, in, out, k, k, stride, same, bias);
    }

    /** {@code DepthwiseConv2D(k, strides=stride, depth_multiplier=multiplier, use_bias=False)} under {@code name}. */
    final Conv2d depthwise(String name, int channels, int multiplier, int k, int stride, boolean same) {
        Conv2d c = convLayer(channels, channels * multiplier, k, k, stride, same, false, channels);
        KerasInit.glorotUniform(c.weight(), (long) k * k * channels, (long) k * k * multiplier);
        return registerModule(name, c);
    }

    static Conv2d convLayer(int in, int out, int kh, int kw, int stride, boolean same, boolean bias, int groups) {
        Conv2d.Builder b = Conv2d.builder(in, out, kh).kernelSize(kh, kw).stride(stride).groups(groups).bias(bias)
                .generator(null);
        b = same && stride == 1 ? b.padding("same") : b.padding(0);
        return b.build();
    }

    /**
     * {@code SeparableConv2D(out, k, strides=stride, use_bias=False)} under {@code name}: an
     * {@link SeparableConv2d} whose two convolutions are named {@code depthwise} and {@code pointwise},
     * after Keras' two kernels; "same" is TensorFlow's at any stride.
     */
    final SeparableConv2d separable(String name, int in, int out, int k, int stride, boolean same) {
        SeparableConv2d s = SeparableConv2d.builder(in, out, k).stride(stride).padding(same ? "same" : "valid").bias(false)
                .names("depthwise", "pointwise").generator(null).build();
        KerasInit.glorotUniform(((Conv2d) s.child("depthwise")).weight(), (long) k * k * in, (long) k * k);
        KerasInit.glorotUniform(((Conv2d) s.child("pointwise")).weight(), in, out);
        return registerModule(name, s);
    }

    /** {@code BatchNormalization(epsilon=eps, momentum=momentum, scale=scale)} under {@code name}. */
    final KerasBatchNorm bn(String name, int channels, double eps, double momentum, boolean scale) {
        return registerModule(name, new KerasBatchNorm(channels, eps, momentum, scale));
    }

    /** {@code BatchNormalization(epsilon=eps)} with Keras' default momentum, with γ. */
    final KerasBatchNorm bn(String name, int channels, double eps) {
        return bn(name, channels, eps, MOMENTUM, true);
    }

    /** {@code Dense(out)} under {@code name}, {@code glorot_uniform}, zero bias. */
    final Linear dense(String name, int in, int out) {
        Linear l = new Linear(in, out, true, null);
        KerasInit.glorotUniform(l.weight(), in, out);
        return registerModule(name, l);
    }

    /** The child {@code name} applied to {@code x}. */
    final Tensor layer(String name, Tensor x) {
        return child(name).call(x);
    }

    /** {@code GlobalAveragePooling2D}: [N, C, H, W] to [N, C]. */
    static Tensor globalAvgPool(Tensor x) {
        return x.mean(new int[] {2, 3}, false);
    }

    static Tensor relu(Tensor x) {
        return F.relu(x);
    }

    static void checkSizes(String model, int numClasses, int inChannels) {
        if (numClasses <= 0 || inChannels <= 0)
            throw new IllegalArgumentException(model + ": num_classes and in_channels must be positive, got " + numClasses
                    + " and " + inChannels);
    }
}
