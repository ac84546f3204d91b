package org.jgrad.vision.models;

import org.jgrad.internal.TensorData;
import org.jgrad.nn.BatchNorm2d;
import org.jgrad.nn.Conv2d;
import org.jgrad.nn.DefaultGenerator;
import org.jgrad.nn.Linear;
import org.jgrad.nn.init.Init;
import org.jgrad.ops.Conv2dOptions;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;

/** torchvision's initialization of its CNNs, and uninitialized layers for it to fill (one pass per tensor). */
final class ZooInit {
    private ZooInit() {}

    /** Every model draws from the shared generator, so {@code DefaultGenerator.manualSeed} makes construction reproducible. */
    static Generator gen() {
        return DefaultGenerator.get();
    }

    /**
     * A conv layer initialized as torchvision's VGG and ResNet do: Kaiming normal on fan-out for ReLU,
     * zero bias. Built without PyTorch's default init so the weights are drawn once.
     */
    static Conv2d kaimingConv(int in, int out, int kernel, int stride, int padding, boolean bias) {
        Conv2d c = Conv2d.builder(in, out, kernel).stride(stride).padding(padding).bias(bias).generator(null).build();
        int fanOut = Init.calculateFanInAndFanOut(c.weight()).fanOut();
        normal(c.weight(), Init.calculateGain("relu") / Math.sqrt(fanOut));
        return c; // the bias, if any, stays zero
    }

    /**
     * Fills a freshly allocated parameter with N(0, std²), drawing the same numbers as
     * {@link Init#normal} but straight into its storage: VGG's first classifier layer alone is
     * 411 MB, and a temporary copy of it doubles the peak memory of building the model.
     */
    static void normal(Tensor t, double std) {
        if (!t.isContiguous() || t.offset() != 0 || TensorData.floats(t).length != t.numel())
            throw new IllegalStateException("ZooInit.normal: expected a fresh dense tensor");
        float[] d = TensorData.floats(t);
        Generator g = gen();
        for (int i = 0; i < d.length; i++) d[i] = (float) (std * g.nextGaussian());
    }

    /** Batch norm with weight 1 and bias 0, which is already how {@link BatchNorm2d} starts. */
    static BatchNorm2d bn(int channels) {
        return new BatchNorm2d(channels);
    }

    /**
     * A conv layer with torchvision's MobileNet/ResNeXt initialization (Kaiming normal on fan-out for
     * ReLU, zero bias), any kernel, padding and groups.
     */
    static Conv2d kaimingConv(int in, int out, int kH, int kW, Conv2dOptions options, boolean bias) {
        Conv2d c = new Conv2d(in, out, kH, kW, options, bias, null);
        normal(c.weight(), Init.calculateGain("relu") / Math.sqrt(Init.calculateFanInAndFanOut(c.weight()).fanOut()));
        return c;
    }

    /** A conv layer with DenseNet's initialization: Kaiming normal on fan-in ({@code kaiming_normal_} defaults). */
    static Conv2d kaimingFanInConv(int in, int out, int kernel, int stride, int padding) {
        Conv2d c = Conv2d.builder(in, out, kernel).stride(stride).padding(padding).bias(false).generator(null).build();
        normal(c.weight(), Init.calculateGain("relu") / Math.sqrt(Init.calculateFanInAndFanOut(c.weight()).fanIn()));
        return c;
    }

    /**
     * Fills a fresh parameter with {@code trunc_normal_(std, a=-2, b=2)} as GoogLeNet and Inception v3
     * initialize: N(0, std²) redrawn outside [−2, 2] (bounds in absolute units, so at their small
     * stds practically never).
     */
    static void truncNormal(Tensor t, double std) {
        if (!t.isContiguous() || t.offset() != 0 || TensorData.floats(t).length != t.numel())
            throw new IllegalStateException("ZooInit.truncNormal: expected a fresh dense tensor");
        float[] d = TensorData.floats(t);
        Generator g = gen();
        for (int i = 0; i < d.length; i++) {
            double v;
            do v = std * g.nextGaussian(); while (v < -2 || v > 2);
            d[i] = (float) v;
        }
    }

    /** A Linear layer with weight N(0, std²) and zero bias (torchvision's MobileNet and VGG heads). */
    static Linear normalLinear(int in, int out, double std) {
        Linear l = new Linear(in, out, true, null);
        normal(l.weight(), std);
        return l;
    }
}
