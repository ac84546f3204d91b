package org.jgrad.vision.models;

import java.util.ArrayList;
import java.util.List;

/**
 * The zoo's entries in timm's layout, for the lectures' networks torchvision lacks: Xception
 * (timm's legacy port), MobileNet v1, ResNet v2, Inception-ResNet-v2 and NASNet-A Large, each under timm's name
 * with timm's key names and parameter counts at 1000 classes.
 */
final class TimmModels {
    private TimmModels() {}

    private static final String CLASSES = "output classes";
    private static final String CHANNELS = "input image channels";

    static List<ZooModel> all() {
        List<ZooModel> m = new ArrayList<>();
        m.add(entry("xception", "timm's (legacy) Xception: depthwise separable convolutions with residual connections", 299, 71)
                .factory(a -> new TimmXception(a.getInt(ZooModel.NUM_CLASSES), a.getInt(ZooModel.IN_CHANNELS))).build());
        m.add(entry("mobilenetv1_100", "timm's MobileNet v1 (13 depthwise separable blocks, width 1.0)", 224, 32)
                .factory(a -> new TimmMobileNetV1(a.getInt(ZooModel.NUM_CLASSES), a.getInt(ZooModel.IN_CHANNELS))).build());
        m.add(entry("resnetv2_50", "timm's ResNet-50 v2 (pre-activation bottlenecks)", 224, 32)
                .factory(a -> new TimmResNetV2(new int[] {3, 4, 6, 3}, a.getInt(ZooModel.NUM_CLASSES), a.getInt(ZooModel.IN_CHANNELS)))
                .build());
        m.add(entry("inception_resnet_v2", "timm's Inception-ResNet-v2 (residual Inception blocks with scaling)", 299, 75)
                .factory(a -> new TimmInceptionResNetV2(a.getInt(ZooModel.NUM_CLASSES), a.getInt(ZooModel.IN_CHANNELS)))
                .build());
        m.add(entry("nasnetalarge", "timm's NASNet-A Large (two-input cells found by architecture search)", 331, 32)
                .factory(a -> new TimmNASNet(a.getInt(ZooModel.NUM_CLASSES), a.getInt(ZooModel.IN_CHANNELS))).build());
        return m;
    }

    private static ZooModel.Builder entry(String name, String description, int side, int minSide) {
        return ZooModel.builder(name).description(description)
                .param(ZooModel.NUM_CLASSES, 1000, CLASSES).param(ZooModel.IN_CHANNELS, 3, CHANNELS)
                .input(3, side, side).inputSize(InputSize.atLeast(minSide));
    }
}
