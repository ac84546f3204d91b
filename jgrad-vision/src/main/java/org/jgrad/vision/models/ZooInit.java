package org.jgrad.vision.models;

import org.jgrad.nn.BatchNorm2d;
import org.jgrad.nn.Conv2d;
import org.jgrad.nn.Random;
import org.jgrad.nn.init.Init;
import org.jgrad.tensor.Generator;

/** torchvision's initialization of its CNNs, and uninitialized layers for it to fill (one pass per tensor). */
final class ZooInit {
    private ZooInit() {}

    /** Every model draws from the shared generator, so {@code Random.manualSeed} makes construction reproducible. */
    static Generator gen() {
        return Random.defaultGenerator();
    }

    /**
     * A conv layer initialized as torchvision's VGG and ResNet do: Kaiming normal on fan-out for ReLU,
     * zero bias. Built without PyTorch's default init so the weights are drawn once.
     */
    static Conv2d kaimingConv(int in, int out, int kernel, int stride, int padding, boolean bias) {
        Conv2d c = Conv2d.builder(in, out, kernel).stride(stride).padding(padding).bias(bias).generator(null).build();
        Init.kaimingNormal(c.weight(), 0, Init.FanMode.FAN_OUT, "relu", gen());
        return c; // the bias, if any, stays zero
    }

    /** Batch norm with weight 1 and bias 0, which is already how {@link BatchNorm2d} starts. */
    static BatchNorm2d bn(int channels) {
        return new BatchNorm2d(channels);
    }

    /** Parameters of a k×k conv layer (weight, plus bias when present). */
    static long convParams(int in, int out, int kernel, boolean bias) {
        return (long) out * in * kernel * kernel + (bias ? out : 0);
    }

    /** Parameters of a linear layer with bias. */
    static long linearParams(int in, int out) {
        return (long) in * out + out;
    }
}
