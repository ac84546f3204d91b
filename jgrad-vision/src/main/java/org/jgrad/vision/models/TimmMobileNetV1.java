package org.jgrad.vision.models;

import org.jgrad.nn.BatchNorm2d;
import org.jgrad.nn.Conv2d;
import org.jgrad.nn.Linear;
import org.jgrad.nn.Module;
import org.jgrad.nn.ReLU6;
import org.jgrad.nn.Sequential;
import org.jgrad.nn.functional.F;
import org.jgrad.ops.Conv2dOptions;
import org.jgrad.tensor.Tensor;

/**
 * MobileNet v1 (Howard et al., 2017) in timm's layout ({@code mobilenetv1_100}, built by timm's
 * EfficientNet builder from {@code dsa} blocks): a 3×3/2 stem conv to 32 channels with batch norm
 * and ReLU6 ({@code conv_stem}, {@code bn1}), 13 depthwise separable blocks in five stages
 * ({@code blocks.S.B} with {@code conv_dw}, {@code bn1}, {@code conv_pw}, {@code bn2}, ReLU6 after
 * each norm, no shortcut) widening 64-128-256-512-1024, global average pooling and
 * {@code classifier}. Key names and the 4,231,976 parameters at 1000 classes are timm's (Keras'
 * MobileNet has the same trainable count; Keras' head is a 1×1 conv instead of a linear layer).
 */
public class TimmMobileNetV1 extends Module {
    /** Per stage: output channels, blocks, stride of the first. */
    private static final int[][] STAGES = {{64, 1, 1}, {128, 2, 2}, {256, 2, 2}, {512, 6, 2}, {1024, 2, 2}};

    /** timm's {@code mobilenetv1_100(num_classes, in_chans)}. */
    public TimmMobileNetV1(int numClasses, int inChannels) {
        VGG.checkSizes("MobileNetV1", numClasses, inChannels);
        registerModule("conv_stem", ZooInit.kaimingConv(inChannels, 32, 3, 3, Conv2dOptions.defaults().stride(2).padding(1), false));
        registerModule("bn1", new BatchNorm2d(32));
        Sequential blocks = new Sequential();
        int c = 32;
        for (int[] s : STAGES) {
            Sequential stage = new Sequential();
            for (int b = 0; b < s[1]; b++) {
                stage.append(new DepthwiseSeparable(c, s[0], b == 0 ? s[2] : 1));
                c = s[0];
            }
            blocks.append(stage);
        }
        registerModule("blocks", blocks);
        Linear head = new Linear(c, numClasses);
        registerModule("classifier", head);
    }

    @Override
    public Tensor forward(Tensor x) {
        x = ReLU6.relu6(child("bn1").call(child("conv_stem").call(x)));
        x = child("blocks").call(x);
        return child("classifier").call(F.adaptiveAvgPool2d(x, 1).flatten(1, -1));
    }

    /** timm's {@code DepthwiseSeparableConv} as a {@code dsa} block: dw 3×3, BN, ReLU6, pw 1×1, BN, ReLU6. */
    public static class DepthwiseSeparable extends Module {
        /** A block from {@code in} to {@code out} channels with the depthwise conv's stride. */
        public DepthwiseSeparable(int in, int out, int stride) {
            registerModule("conv_dw", ZooInit.kaimingConv(in, in, 3, 3,
                    Conv2dOptions.defaults().stride(stride).padding(1).groups(in), false));
            registerModule("bn1", new BatchNorm2d(in));
            registerModule("conv_pw", ZooInit.kaimingConv(in, out, 1, 1, Conv2dOptions.defaults(), false));
            registerModule("bn2", new BatchNorm2d(out));
        }

        @Override
        public Tensor forward(Tensor x) {
            x = ReLU6.relu6(child("bn1").call(child("conv_dw").call(x)));
            return ReLU6.relu6(child("bn2").call(child("conv_pw").call(x)));
        }
    }
}
