package org.jgrad.vision.models;

import org.jgrad.nn.AdaptiveAvgPool2d;
import org.jgrad.nn.LayerFusion;
import org.jgrad.nn.Linear;
import org.jgrad.nn.MaxPool2d;
import org.jgrad.nn.Module;
import org.jgrad.nn.ReLU;
import org.jgrad.nn.Sequential;
import org.jgrad.tensor.Tensor;

/**
 * ResNet (He et al., 2015) as torchvision builds it: a 7×7/2 conv stem with batch norm, ReLU and a
 * 3×3/2 max pool, four stages {@code layer1..layer4} of residual blocks (64, 128, 256, 512 planes;
 * stride 2 from the second stage on), adaptive average pooling to 1×1 and the {@code fc} head.
 * State-dict keys and parameter counts equal torchvision's; convs are initialized with Kaiming
 * normal (fan-out), batch norms with 1 and 0, {@code fc} with PyTorch's default. The adaptive pool
 * lets it run on any input of at least 32×32 (CIFAR-size inputs end at a 1×1 map).
 */
public class ResNet extends Module {
    /** Which residual block the stages are made of. */
    public enum Block {
        /** Two 3×3 convs (ResNet-18/34). */
        BASIC(BasicBlock.EXPANSION),
        /** 1×1, 3×3, 1×1 convs with 4× expansion (ResNet-50/101/152). */
        BOTTLENECK(Bottleneck.EXPANSION);

        /** Output channels of a block relative to its planes. */
        public final int expansion;

        Block(int expansion) {
            this.expansion = expansion;
        }

        Module create(int inplanes, int planes, int stride, Sequential downsample, int groups, int widthPerGroup) {
            return this == BASIC ? new BasicBlock(inplanes, planes, stride, downsample)
                    : new Bottleneck(inplanes, planes, stride, downsample, groups, widthPerGroup);
        }
    }

    private static final int[] PLANES = {64, 128, 256, 512};

    /**
     * A ResNet.
     *
     * @param layers blocks per stage, e.g. {2, 2, 2, 2} for ResNet-18, {3, 4, 6, 3} for ResNet-34/50
     */
    public ResNet(Block block, int[] layers, int numClasses, int inChannels) {
        this(block, layers, numClasses, inChannels, 1, 64);
    }

    /**
     * A ResNet or ResNeXt (Xie et al., 2017): {@code groups} and {@code widthPerGroup} as torchvision's
     * {@code groups} and {@code width_per_group}, e.g. 32 and 4 for ResNeXt-50 32×4d (25,028,904
     * parameters), 32 and 8 for ResNeXt-101 32×8d (88,791,336). Only the bottleneck block takes them.
     */
    public ResNet(Block block, int[] layers, int numClasses, int inChannels, int groups, int widthPerGroup) {
        VGG.checkSizes("ResNet", numClasses, inChannels);
        if (groups < 1 || widthPerGroup < 1 || (block == Block.BASIC && (groups != 1 || widthPerGroup != 64)))
            throw new IllegalArgumentException("ResNet: groups and width_per_group must be positive, and the basic block"
                    + " only supports groups=1 and width_per_group=64, got " + groups + " and " + widthPerGroup);
        if (layers.length != 4)
            throw new IllegalArgumentException("ResNet: expected blocks for 4 stages, got " + layers.length);
        registerModule("conv1", ZooInit.kaimingConv(inChannels, 64, 7, 2, 3, false));
        registerModule("bn1", ZooInit.bn(64));
        registerModule("relu", new ReLU());
        registerModule("maxpool", new MaxPool2d(3, 2, 1));
        int inplanes = 64;
        for (int s = 0; s < 4; s++) {
            int planes = PLANES[s], stride = s == 0 ? 1 : 2, out = planes * block.expansion;
            Sequential stage = new Sequential();
            for (int b = 0; b < layers[s]; b++) {
                Sequential downsample = null;
                if (b == 0 && (stride != 1 || inplanes != out))
                    downsample = new Sequential(ZooInit.kaimingConv(inplanes, out, 1, stride, 0, false), ZooInit.bn(out));
                stage.append(block.create(inplanes, planes, b == 0 ? stride : 1, downsample, groups, widthPerGroup));
                inplanes = out;
            }
            registerModule("layer" + (s + 1), stage);
        }
        registerModule("avgpool", new AdaptiveAvgPool2d(1, 1));
        registerModule("fc", new Linear(512 * block.expansion, numClasses));
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor h = LayerFusion.relu(child("bn1"), child("relu"), child("conv1").call(x));
        h = child("maxpool").call(h);
        for (int s = 1; s <= 4; s++) h = child("layer" + s).call(h);
        return child("fc").call(child("avgpool").call(h).flatten(1, -1));
    }
}
