package org.jgrad.vision.models;

import org.jgrad.nn.LayerFusion;
import org.jgrad.nn.Module;
import org.jgrad.nn.ReLU;
import org.jgrad.nn.Sequential;
import org.jgrad.ops.Conv2dOptions;
import org.jgrad.tensor.Tensor;

/**
 * ResNet-50/101/152's residual block: 1×1 conv down to {@code planes}, 3×3 conv (carrying the
 * stride, torchvision's "ResNet v1.5"), 1×1 conv up to {@code 4·planes}, each followed by batch
 * norm, plus the shortcut. The 1×1 convs keep the 3×3 conv cheap (the lecture's ~70K versus ~600K
 * parameters at 256 channels). Children named as torchvision's.
 */
public class Bottleneck extends Module {
    /** Output channels relative to {@code planes}. */
    public static final int EXPANSION = 4;

    /**
     * @param downsample the projection shortcut, or null for the identity
     */
    public Bottleneck(int inplanes, int planes, int stride, Sequential downsample) {
        this(inplanes, planes, stride, downsample, 1, 64);
    }

    /**
     * ResNeXt's form: the 3×3 conv has {@code groups} groups and the block's inner width is
     * {@code ⌊planes·baseWidth/64⌋·groups} (torchvision's {@code groups}, {@code width_per_group}).
     *
     * @param downsample the projection shortcut, or null for the identity
     */
    public Bottleneck(int inplanes, int planes, int stride, Sequential downsample, int groups, int baseWidth) {
        int width = (int) (planes * (baseWidth / 64.0)) * groups;
        registerModule("conv1", ZooInit.kaimingConv(inplanes, width, 1, 1, 0, false));
        registerModule("bn1", ZooInit.bn(width));
        registerModule("conv2", ZooInit.kaimingConv(width, width, 3, 3,
                Conv2dOptions.defaults().stride(stride).padding(1).groups(groups), false));
        registerModule("bn2", ZooInit.bn(width));
        registerModule("conv3", ZooInit.kaimingConv(width, planes * EXPANSION, 1, 1, 0, false));
        registerModule("bn3", ZooInit.bn(planes * EXPANSION));
        registerModule("relu", new ReLU());
        if (downsample != null) registerModule("downsample", downsample);
    }

    @Override
    public Tensor forward(Tensor x) {
        // relu(bn(·)) and relu(bn(·) + identity) run as fused ops (the same values and gradients)
        Module relu = child("relu");
        Tensor out = LayerFusion.relu(child("bn1"), relu, child("conv1").call(x));
        out = LayerFusion.relu(child("bn2"), relu, child("conv2").call(out));
        out = child("conv3").call(out);
        Tensor identity = namedChildren().containsKey("downsample") ? child("downsample").call(x) : x;
        return LayerFusion.batchNormAddRelu(child("bn3"), out, identity, relu);
    }
}
