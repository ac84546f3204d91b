package org.jgrad.vision.models;

import org.jgrad.nn.BatchNorm2d;
import org.jgrad.nn.Conv2d;
import org.jgrad.nn.Module;
import org.jgrad.nn.functional.F;
import org.jgrad.ops.Conv2dOptions;
import org.jgrad.tensor.Tensor;

/**
 * GoogLeNet's and Inception v3's unit, torchvision's {@code BasicConv2d}: a conv without bias
 * ({@code conv}), batch norm with eps 0.001 ({@code bn}), ReLU. The conv weight is drawn from a
 * truncated normal with the model's std (GoogLeNet 0.01, Inception v3 0.1), as torchvision does.
 */
public class BasicConv2d extends Module {
    /** A square kernel with stride and symmetric padding. */
    public BasicConv2d(int in, int out, int kernel, int stride, int padding, double std) {
        this(in, out, kernel, kernel, Conv2dOptions.defaults().stride(stride).padding(padding), std);
    }

    /** A {@code kH×kW} kernel with the given options (Inception v3's 1×7 and 7×1 convs). */
    public BasicConv2d(int in, int out, int kH, int kW, Conv2dOptions options, double std) {
        Conv2d conv = new Conv2d(in, out, kH, kW, options, false, null);
        ZooInit.truncNormal(conv.weight(), std);
        registerModule("conv", conv);
        registerModule("bn", new BatchNorm2d(out, 0.001, 0.1, true, true));
    }

    @Override
    public Tensor forward(Tensor x) {
        return F.relu(child("bn").call(child("conv").call(x)));
    }
}
