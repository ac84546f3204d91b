package org.jgrad.vision.models.keras;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jgrad.nn.Module;
import org.jgrad.vision.models.InputSize;
import org.jgrad.vision.models.ModelArgs;
import org.jgrad.vision.models.ZooModel;

/**
 * The zoo's entries for Keras' layouts: {@code keras.} + the Keras application's name
 * ({@code keras.ResNet50}, {@code keras.NASNetLarge}, ...), each counted as Keras counts
 * ({@code jgrad summary keras.ResNet50} prints {@code Total params: 25,636,712}).
 */
public final class KerasZoo {
    private KerasZoo() {}

    private static final String CLASSES = "output classes", CHANNELS = "input image channels";

    /** Every Keras-layout entry, in the order of the lectures' table. */
    public static List<ZooModel> entries() {
        List<ZooModel> m = new ArrayList<>();
        m.add(entry("Xception", "depthwise-separable convolutions with residual connections", 299, 71,
                a -> new KerasXception(classes(a), channels(a))).build());
        m.add(vgg("VGG16", KerasVGG.VGG16));
        m.add(vgg("VGG19", KerasVGG.VGG19));
        m.add(resnet("ResNet50", KerasResNet.Kind.V1, 3, 4, 6, 3));
        m.add(resnet("ResNet101", KerasResNet.Kind.V1, 3, 4, 23, 3));
        m.add(resnet("ResNet152", KerasResNet.Kind.V1, 3, 8, 36, 3));
        m.add(resnet("ResNet50V2", KerasResNet.Kind.V2, 3, 4, 6, 3));
        m.add(resnet("ResNet101V2", KerasResNet.Kind.V2, 3, 4, 23, 3));
        m.add(resnet("ResNet152V2", KerasResNet.Kind.V2, 3, 8, 36, 3));
        m.add(resnet("ResNeXt50", KerasResNet.Kind.NEXT, 3, 4, 6, 3));
        m.add(resnet("ResNeXt101", KerasResNet.Kind.NEXT, 3, 4, 23, 3));
        m.add(entry("InceptionV3", "Inception-v3; batch norms without scale", 299, 75,
                a -> new KerasInceptionV3(classes(a), channels(a))).build());
        m.add(entry("InceptionResNetV2", "Inception-ResNet-v2; batch norms without scale", 299, 75,
                a -> new KerasInceptionResNetV2(classes(a), channels(a))).build());
        m.add(entry("MobileNet", "MobileNet (v1): depthwise-separable blocks with ReLU6", 224, 32,
                a -> new KerasMobileNet(a.getDouble("alpha"), a.getInt("depth_multiplier"), a.getDouble("dropout"),
                        classes(a), channels(a)))
                .param("alpha", 1.0, "width multiplier").param("depth_multiplier", 1, "depthwise channel multiplier")
                .param("dropout", 0.001, "drop probability before the classifier").build());
        m.add(entry("MobileNetV2", "MobileNet-v2: inverted residual blocks with linear bottlenecks", 224, 32,
                a -> new KerasMobileNetV2(a.getDouble("alpha"), classes(a), channels(a)))
                .param("alpha", 1.0, "width multiplier").build());
        m.add(densenet("DenseNet121", KerasDenseNet.DENSENET121));
        m.add(densenet("DenseNet169", KerasDenseNet.DENSENET169));
        m.add(densenet("DenseNet201", KerasDenseNet.DENSENET201));
        m.add(entry("NASNetMobile", "NASNet-A 4 @ 1056: searched cells of separable convolutions and poolings", 224, 32,
                a -> new KerasNASNet(1056, 4, 32, false, classes(a), channels(a))).build());
        m.add(entry("NASNetLarge", "NASNet-A 6 @ 4032: searched cells of separable convolutions and poolings", 331, 32,
                a -> new KerasNASNet(4032, 6, 96, true, classes(a), channels(a))).build());
        return m;
    }

    private static int classes(ModelArgs a) {
        return a.getInt(ZooModel.NUM_CLASSES);
    }

    private static int channels(ModelArgs a) {
        return a.getInt(ZooModel.IN_CHANNELS);
    }

    private static ZooModel.Builder entry(String name, String what, int side, int min, Function<ModelArgs, ? extends Module> f) {
        return ZooModel.builder("keras." + name)
                .description("Keras' " + name + " (keras.applications): " + what + "; Keras layer names")
                .layout(ZooModel.Layout.KERAS)
                .param(ZooModel.NUM_CLASSES, 1000, CLASSES).param(ZooModel.IN_CHANNELS, 3, CHANNELS)
                .input(3, side, side).inputSize(InputSize.atLeast(min))
                .factory(f);
    }

    // Flatten fixes fc1's inputs to the image size: the entry takes it from the data like in_channels.
    private static ZooModel vgg(String name, int[] convs) {
        return entry(name, "no adaptive pooling, so built for one input size", 224, 32,
                a -> new KerasVGG(convs, classes(a), channels(a), a.getInts("input_size")[0], a.getInts("input_size")[1]))
                .param("input_size", new int[] {224, 224}, "height and width the classifier is built for")
                .argsForInput((shape, a) -> shape.length == 3 ? a.with("input_size", new int[] {shape[1], shape[2]}) : a)
                .build();
    }

    private static ZooModel resnet(String name, KerasResNet.Kind kind, int... blocks) {
        String what = switch (kind) {
            case V1 -> "bottleneck blocks, convolutions with biases";
            case V2 -> "pre-activation bottleneck blocks";
            case NEXT -> "grouped bottleneck blocks (cardinality 32), as keras-applications built it";
        };
        return entry(name, what, 224, 32, a -> new KerasResNet(kind, blocks, classes(a), channels(a))).build();
    }

    private static ZooModel densenet(String name, int[] blocks) {
        return entry(name, "dense blocks of growth 32 and halving transitions", 224, 32,
                a -> new KerasDenseNet(blocks, classes(a), channels(a))).build();
    }
}
