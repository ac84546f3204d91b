package org.jgrad.vision.models;

import org.jgrad.nn.BatchNorm2d;
import org.jgrad.nn.Dropout;
import org.jgrad.nn.Module;
import org.jgrad.nn.ReLU6;
import org.jgrad.nn.Sequential;
import org.jgrad.nn.functional.F;
import org.jgrad.ops.Conv2dOptions;
import org.jgrad.tensor.Tensor;

/**
 * MobileNetV2 (Sandler et al., 2018) as torchvision builds it: a 3×3/2 conv stem, 17 inverted
 * residual blocks ({@link InvertedResidual}: 1×1 expansion, 3×3 depthwise, linear 1×1 projection),
 * a 1×1 conv to 1280 channels, global average pooling and {@code classifier} = dropout + linear.
 * Key names ({@code features.1.conv.0.0.weight}, {@code classifier.1.bias}) and parameter count
 * (3,504,872 at 1000 classes) equal torchvision's {@code mobilenet_v2}; a width multiplier scales
 * every layer as torchvision's {@code width_mult} does (rounded to multiples of 8).
 */
public class MobileNetV2 extends Module {
    /** torchvision's setting: expansion t, output channels c, blocks n, first stride s. */
    private static final int[][] SETTING = {
        {1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2}, {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1}};

    /**
     * @param widthMult channel multiplier (torchvision: 1.0)
     * @param dropout drop probability before the last layer (torchvision: 0.2)
     */
    public MobileNetV2(int numClasses, int inChannels, double widthMult, double dropout) {
        VGG.checkSizes("MobileNetV2", numClasses, inChannels);
        if (!(widthMult > 0) || Double.isInfinite(widthMult))
            throw new IllegalArgumentException("MobileNetV2: width_mult must be positive, got " + widthMult);
        int input = makeDivisible(32 * widthMult, 8), last = makeDivisible(1280 * Math.max(1.0, widthMult), 8);
        Sequential features = new Sequential();
        features.append(convBnRelu6(inChannels, input, 3, 2, 1));
        for (int[] row : SETTING) {
            int out = makeDivisible(row[1] * widthMult, 8);
            for (int i = 0; i < row[2]; i++) {
                features.append(new InvertedResidual(input, out, i == 0 ? row[3] : 1, row[0]));
                input = out;
            }
        }
        features.append(convBnRelu6(input, last, 1, 1, 1));
        registerModule("features", features);
        registerModule("classifier", new Sequential(new Dropout(dropout), ZooInit.normalLinear(last, numClasses, 0.01)));
    }

    /** torchvision's {@code _make_divisible}: the nearest multiple of {@code divisor}, never below 90% of v. */
    static int makeDivisible(double v, int divisor) {
        int n = Math.max(divisor, (int) (v + divisor / 2.0) / divisor * divisor);
        return n < 0.9 * v ? n + divisor : n;
    }

    /** torchvision's {@code Conv2dNormActivation} with ReLU6: conv (no bias), batch norm, ReLU6. */
    static Sequential convBnRelu6(int in, int out, int kernel, int stride, int groups) {
        Conv2dOptions o = Conv2dOptions.defaults().stride(stride).padding((kernel - 1) / 2).groups(groups);
        return new Sequential(ZooInit.kaimingConv(in, out, kernel, kernel, o, false), new BatchNorm2d(out), new ReLU6());
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor f = F.adaptiveAvgPool2d(child("features").call(x), 1);
        return child("classifier").call(f.flatten(1, -1));
    }

    /** MobileNetV2's block: expand (when t ≠ 1), depthwise 3×3, project; the input is added back when shapes allow. */
    public static class InvertedResidual extends Module {
        private final boolean residual;

        /** torchvision's {@code InvertedResidual(inp, oup, stride, expand_ratio)}. */
        public InvertedResidual(int in, int out, int stride, int expandRatio) {
            if (stride != 1 && stride != 2)
                throw new IllegalArgumentException("InvertedResidual: stride must be 1 or 2, got " + stride);
            int hidden = (int) Math.round((double) in * expandRatio);
            residual = stride == 1 && in == out;
            Sequential conv = new Sequential();
            if (expandRatio != 1) conv.append(convBnRelu6(in, hidden, 1, 1, 1));
            conv.append(convBnRelu6(hidden, hidden, 3, stride, hidden));
            conv.append(ZooInit.kaimingConv(hidden, out, 1, 1, Conv2dOptions.defaults(), false));
            conv.append(new BatchNorm2d(out));
            registerModule("conv", conv);
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor y = child("conv").call(x);
            return residual ? x.add(y) : y;
        }
    }
}
