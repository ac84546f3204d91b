package org.jgrad.vision.models;

import java.util.ArrayList;
import java.util.List;

/**
 * The zoo's entries in torchvision's layout beyond the originals (LeNet, AlexNet, VGG, ResNet):
 * MobileNetV2, DenseNet, ResNeXt, GoogLeNet, Inception v3, and ZF Net laid out as torchvision's
 * AlexNet. Each is one entry under torchvision's own name; counts at 1000 classes are torchvision's.
 */
final class TorchvisionModels {
    private TorchvisionModels() {}

    private static final String CLASSES = "output classes";
    private static final String CHANNELS = "input image channels";

    static List<ZooModel> all() {
        List<ZooModel> m = new ArrayList<>();
        m.add(base("mobilenet_v2", "torchvision's MobileNetV2 (inverted residuals with depthwise convolutions)", 32)
                .param("width_mult", 1.0, "channel multiplier")
                .param("dropout", 0.2, "drop probability before the classifier")
                .factory(a -> new MobileNetV2(a.getInt(ZooModel.NUM_CLASSES), a.getInt(ZooModel.IN_CHANNELS),
                        a.getDouble("width_mult"), a.getDouble("dropout")))
                .build());
        m.add(densenet(121, DenseNet.BLOCKS_121));
        m.add(densenet(169, DenseNet.BLOCKS_169));
        m.add(densenet(201, DenseNet.BLOCKS_201));
        m.add(resnext("resnext50_32x4d", "ResNeXt-50 32x4d", new int[] {3, 4, 6, 3}, 4));
        m.add(resnext("resnext101_32x8d", "ResNeXt-101 32x8d", new int[] {3, 4, 23, 3}, 8));
        // the auxiliary heads pool a 14x14 map (224 input) to 4x4: 64 pixels give them 4x4
        m.add(base("googlenet", "torchvision's GoogLeNet (Inception v1) with its two auxiliary classifiers in training mode", 64)
                .param("aux_logits", true, "build the auxiliary classifiers (they run in training mode only)")
                .param("dropout", 0.2, "drop probability before fc")
                .param("dropout_aux", 0.7, "drop probability in the auxiliary classifiers")
                .factory(a -> new GoogLeNet(a.getInt(ZooModel.NUM_CLASSES), a.getInt(ZooModel.IN_CHANNELS),
                        a.getBoolean("aux_logits"), a.getDouble("dropout"), a.getDouble("dropout_aux")))
                .build());
        // eval needs 75 pixels; the auxiliary head's 5x5 conv after a 5x5/3 pool needs 299 in training
        m.add(ZooModel.builder("inception_v3")
                .description("torchvision's Inception v3 with its auxiliary classifier in training mode (299x299 inputs)")
                .param(ZooModel.NUM_CLASSES, 1000, CLASSES).param(ZooModel.IN_CHANNELS, 3, CHANNELS)
                .param("aux_logits", true, "build the auxiliary classifier (it runs in training mode only)")
                .param("dropout", 0.5, "drop probability before fc")
                .input(3, 299, 299).inputSize(InputSize.atLeast(299))
                .factory(a -> new InceptionV3(a.getInt(ZooModel.NUM_CLASSES), a.getInt(ZooModel.IN_CHANNELS),
                        a.getBoolean("aux_logits"), a.getDouble("dropout")))
                .build());
        m.add(base("zfnet", "ZF Net (Zeiler and Fergus, 2013) from the paper's layer table, laid out as torchvision's AlexNet", 64)
                .param("dropout", 0.5, "drop probability in the classifier")
                .factory(a -> new ZFNet(a.getInt(ZooModel.NUM_CLASSES), a.getInt(ZooModel.IN_CHANNELS), a.getDouble("dropout")))
                .build());
        return m;
    }

    private static ZooModel.Builder base(String name, String description, int minSide) {
        return ZooModel.builder(name).description(description)
                .param(ZooModel.NUM_CLASSES, 1000, CLASSES).param(ZooModel.IN_CHANNELS, 3, CHANNELS)
                .input(3, 224, 224).inputSize(InputSize.atLeast(minSide));
    }

    // DenseNet's stem and three transitions halve the map five times: 32 pixels end at 1x1.
    private static ZooModel densenet(int depth, int[] blocks) {
        return base("densenet" + depth, "torchvision's DenseNet-" + depth + " (growth rate 32)", 32)
                .factory(a -> new DenseNet(32, blocks, 64, 4, a.getInt(ZooModel.NUM_CLASSES), a.getInt(ZooModel.IN_CHANNELS)))
                .build();
    }

    private static ZooModel resnext(String name, String title, int[] layers, int widthPerGroup) {
        return base(name, "torchvision's " + title + " (ResNet with 32-group 3x3 convolutions)", 32)
                .factory(a -> new ResNet(ResNet.Block.BOTTLENECK, layers, a.getInt(ZooModel.NUM_CLASSES),
                        a.getInt(ZooModel.IN_CHANNELS), 32, widthPerGroup))
                .build();
    }
}
