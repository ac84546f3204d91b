package org.jgrad.vision.models;

import org.jgrad.nn.LayerFusion;
import org.jgrad.nn.Module;
import org.jgrad.nn.ReLU;
import org.jgrad.nn.Sequential;
import org.jgrad.tensor.Tensor;

/**
 * ResNet-18/34's residual block: {@code relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x))} with
 * two 3×3 convs; the shortcut is the identity, or {@code downsample} (1×1 conv + batch norm) when
 * the stride or the channel count changes. Children named as torchvision's.
 */
public class BasicBlock extends Module {
    /** Output channels relative to {@code planes}. */
    public static final int EXPANSION = 1;

    /**
     * @param downsample the projection shortcut, or null for the identity
     */
    public BasicBlock(int inplanes, int planes, int stride, Sequential downsample) {
        registerModule("conv1", ZooInit.kaimingConv(inplanes, planes, 3, stride, 1, false));
        registerModule("bn1", ZooInit.bn(planes));
        registerModule("relu", new ReLU());
        registerModule("conv2", ZooInit.kaimingConv(planes, planes, 3, 1, 1, false));
        registerModule("bn2", ZooInit.bn(planes));
        if (downsample != null) registerModule("downsample", downsample);
    }

    @Override
    public Tensor forward(Tensor x) {
        // relu(bn(·)) and relu(bn(·) + identity) run as fused ops (the same values and gradients)
        Module relu = child("relu");
        Tensor out = LayerFusion.relu(child("bn1"), relu, child("conv1").call(x));
        out = child("conv2").call(out);
        Tensor identity = namedChildren().containsKey("downsample") ? child("downsample").call(x) : x;
        return LayerFusion.batchNormAddRelu(child("bn2"), out, identity, relu);
    }
}
