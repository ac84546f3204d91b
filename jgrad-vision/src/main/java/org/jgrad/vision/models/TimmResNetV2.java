package org.jgrad.vision.models;

import org.jgrad.nn.BatchNorm2d;
import org.jgrad.nn.Conv2d;
import org.jgrad.nn.MaxPool2d;
import org.jgrad.nn.Module;
import org.jgrad.nn.Sequential;
import org.jgrad.nn.functional.F;
import org.jgrad.ops.Conv2dOptions;
import org.jgrad.tensor.Tensor;

/**
 * ResNet v2 (He et al., 2016, "Identity mappings in deep residual networks": batch norm and ReLU
 * before each convolution) in timm's layout ({@code resnetv2_50}): a 7×7/2 stem conv and 3×3/2 max
 * pool ({@code stem.conv}, {@code stem.pool}), four stages {@code stages.S.blocks.B} of
 * pre-activation bottlenecks ({@link PreActBottleneck}; the stride in the 3×3 conv, a 1×1
 * projection {@code downsample.conv} on each stage's first block), a final batch norm + ReLU
 * ({@code norm}), global average pooling and the head {@code head.fc}, a 1×1 convolution on the pooled
 * map as in timm (weight [classes, 2048, 1, 1]), flattened to the logits. Key names, shapes and the
 * 25,549,352 parameters at 1000 classes are timm's, so timm's state dict loads unchanged;
 * {@code Models.replaceHead} and {@code Transfer} find the convolution head.
 */
public class TimmResNetV2 extends Module {
    private static final int[] CHANNELS = {256, 512, 1024, 2048};

    /** timm's {@code ResNetV2(layers, num_classes, in_chans)} with batch norm and plain convs. */
    public TimmResNetV2(int[] layers, int numClasses, int inChannels) {
        VGG.checkSizes("ResNetV2", numClasses, inChannels);
        if (layers.length != 4) throw new IllegalArgumentException("ResNetV2: expected 4 stages, got " + layers.length);
        Sequential stem = new Sequential();
        stem.append("conv", ZooInit.kaimingConv(inChannels, 64, 7, 7, Conv2dOptions.defaults().stride(2).padding(3), false));
        stem.append("pool", new MaxPool2d(3, 2, 1));
        registerModule("stem", stem);
        Sequential stages = new Sequential();
        int prev = 64;
        for (int s = 0; s < 4; s++) {
            Sequential blocks = new Sequential();
            for (int b = 0; b < layers[s]; b++) {
                blocks.append(new PreActBottleneck(prev, CHANNELS[s], b == 0 && s > 0 ? 2 : 1, b == 0));
                prev = CHANNELS[s];
            }
            Sequential stage = new Sequential();
            stage.append("blocks", blocks);
            stages.append(stage);
        }
        registerModule("stages", stages);
        registerModule("norm", new BatchNorm2d(prev));
        Sequential head = new Sequential();
        Conv2d fc = new Conv2d(prev, numClasses, 1, 1, Conv2dOptions.defaults(), true, null);
        ZooInit.normal(fc.weight(), 0.01); // timm's head init: N(0, 0.01²), zero bias
        head.append("fc", fc);
        registerModule("head", head);
    }

    @Override
    public Tensor forward(Tensor x) {
        x = child("stages").call(child("stem").call(x));
        x = F.relu(child("norm").call(x));
        return child("head").call(F.adaptiveAvgPool2d(x, 1)).flatten(1, -1);
    }

    /** timm's {@code PreActBottleneck}: BN-ReLU, 1×1, BN-ReLU, 3×3 (stride), BN-ReLU, 1×1, plus the shortcut. */
    public static class PreActBottleneck extends Module {
        private final boolean projected;

        /** From {@code in} to {@code out} channels (inner width out/4); {@code project}: a 1×1 conv shortcut. */
        public PreActBottleneck(int in, int out, int stride, boolean project) {
            int mid = out / 4;
            projected = project;
            if (project) {
                Sequential down = new Sequential();
                down.append("conv", ZooInit.kaimingConv(in, out, 1, 1, Conv2dOptions.defaults().stride(stride), false));
                registerModule("downsample", down);
            }
            registerModule("norm1", new BatchNorm2d(in));
            registerModule("conv1", ZooInit.kaimingConv(in, mid, 1, 1, Conv2dOptions.defaults(), false));
            registerModule("norm2", new BatchNorm2d(mid));
            registerModule("conv2", ZooInit.kaimingConv(mid, mid, 3, 3, Conv2dOptions.defaults().stride(stride).padding(1), false));
            registerModule("norm3", new BatchNorm2d(mid));
            registerModule("conv3", ZooInit.kaimingConv(mid, out, 1, 1, Conv2dOptions.defaults(), false));
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor pre = F.relu(child("norm1").call(x));
            Tensor shortcut = projected ? child("downsample").call(pre) : x;
            Tensor h = child("conv1").call(pre);
            h = child("conv2").call(F.relu(child("norm2").call(h)));
            h = child("conv3").call(F.relu(child("norm3").call(h)));
            return h.add(shortcut);
        }
    }
}
