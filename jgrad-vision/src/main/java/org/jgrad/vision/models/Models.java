package org.jgrad.vision.models;

import java.util.List;
import java.util.Map;
import org.jgrad.nn.Conv2d;
import org.jgrad.nn.Linear;
import org.jgrad.nn.Module;
import org.jgrad.ops.Conv2dOptions;

/**
 * The model zoo's entry point: factories with torchvision's names, layouts and parameter counts, a
 * by-name {@link #create} (reading the one entry per model in {@link ModelRegistry}), parameter
 * counts, and {@link #replaceHead} for transfer learning.
 *
 * <pre>{@code
 * Module net = Models.resnet18(10);                 // 3 input channels
 * Module v = Models.create("vgg16_bn", 100, 3);
 * long n = Models.parameterCount("vgg19", 1000, 3); // 143,667,240, counted once on a built model
 * }</pre>
 */
public final class Models {
    private Models() {}

    /** Every name {@link #create} accepts, in the registry's order ({@link ModelRegistry#names()}). */
    public static List<String> names() {
        return ModelRegistry.names();
    }

    /**
     * Builds a model by name (see {@link #names()}; case-insensitive) for {@code numClasses}
     * classes and images of {@code inChannels} channels, at the entry's default image size:
     * {@code "mlp"} is then the lectures' 500-250-125 ReLU network over {@code inChannels×28×28}
     * images. Other arguments are at their defaults; {@link ModelRegistry#get} gives the entry for
     * full control ({@link ZooModel#create(ModelArgs)}).
     *
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static Module create(String name, int numClasses, int inChannels) {
        ZooModel e = ModelRegistry.get(name);
        return e.create(argsFor(e, numClasses, inChannels));
    }

    /**
     * The number of parameters {@link #create} gives the model, counted on a built model once and
     * then remembered ({@link ZooModel#parameterCount}).
     */
    public static long parameterCount(String name, int numClasses, int inChannels) {
        ZooModel e = ModelRegistry.get(name);
        return e.parameterCount(argsFor(e, numClasses, inChannels));
    }

    private static ModelArgs argsFor(ZooModel e, int numClasses, int inChannels) {
        int[] shape = e.defaultInputShape();
        if (shape.length == 3) shape[0] = inChannels;
        return e.argsFor(shape, numClasses);
    }

    // ------------------------------------------------------------------ factories

    /** The lectures' 784-500-250-125-10 MLP. */
    public static MLP mlp() {
        return MLP.lecture();
    }

    /** LeNet-5 for 28×28 inputs (ReLU, max pooling, padding 2), one input channel. */
    public static LeNet5 lenet5(int numClasses) {
        return LeNet5.mnist(numClasses, 1);
    }

    /** torchvision's AlexNet for RGB inputs. */
    public static AlexNet alexnet(int numClasses) {
        return new AlexNet(numClasses, 3);
    }

    /** VGG-11 for RGB inputs. */
    public static VGG vgg11(int numClasses) { return vgg("vgg11", numClasses); }
    /** VGG-13 for RGB inputs. */
    public static VGG vgg13(int numClasses) { return vgg("vgg13", numClasses); }
    /** VGG-16 for RGB inputs. */
    public static VGG vgg16(int numClasses) { return vgg("vgg16", numClasses); }
    /** VGG-19 for RGB inputs. */
    public static VGG vgg19(int numClasses) { return vgg("vgg19", numClasses); }
    /** VGG-11 with batch norm for RGB inputs. */
    public static VGG vgg11Bn(int numClasses) { return vgg("vgg11_bn", numClasses); }
    /** VGG-13 with batch norm for RGB inputs. */
    public static VGG vgg13Bn(int numClasses) { return vgg("vgg13_bn", numClasses); }
    /** VGG-16 with batch norm for RGB inputs. */
    public static VGG vgg16Bn(int numClasses) { return vgg("vgg16_bn", numClasses); }
    /** VGG-19 with batch norm for RGB inputs. */
    public static VGG vgg19Bn(int numClasses) { return vgg("vgg19_bn", numClasses); }

    /** The small VGG-style network with batch norm for one-channel 28×28 images (Fashion-MNIST). */
    public static SmallVGG vggSmallBn(int numClasses) {
        return new SmallVGG(numClasses, 1);
    }

    /** ResNet-18 for RGB inputs. */
    public static ResNet resnet18(int numClasses) { return resnet("resnet18", numClasses); }
    /** ResNet-34 for RGB inputs. */
    public static ResNet resnet34(int numClasses) { return resnet("resnet34", numClasses); }
    /** ResNet-50 for RGB inputs. */
    public static ResNet resnet50(int numClasses) { return resnet("resnet50", numClasses); }
    /** ResNet-101 for RGB inputs. */
    public static ResNet resnet101(int numClasses) { return resnet("resnet101", numClasses); }
    /** ResNet-152 for RGB inputs. */
    public static ResNet resnet152(int numClasses) { return resnet("resnet152", numClasses); }

    /** torchvision's MobileNetV2 for RGB inputs. */
    public static MobileNetV2 mobilenetV2(int numClasses) { return (MobileNetV2) create("mobilenet_v2", numClasses, 3); }
    /** torchvision's DenseNet-121 for RGB inputs. */
    public static DenseNet densenet121(int numClasses) { return (DenseNet) create("densenet121", numClasses, 3); }
    /** torchvision's DenseNet-169 for RGB inputs. */
    public static DenseNet densenet169(int numClasses) { return (DenseNet) create("densenet169", numClasses, 3); }
    /** torchvision's DenseNet-201 for RGB inputs. */
    public static DenseNet densenet201(int numClasses) { return (DenseNet) create("densenet201", numClasses, 3); }
    /** torchvision's ResNeXt-50 32×4d for RGB inputs. */
    public static ResNet resnext50_32x4d(int numClasses) { return resnet("resnext50_32x4d", numClasses); }
    /** torchvision's ResNeXt-101 32×8d for RGB inputs. */
    public static ResNet resnext101_32x8d(int numClasses) { return resnet("resnext101_32x8d", numClasses); }
    /** torchvision's GoogLeNet with its auxiliary heads, for RGB inputs. */
    public static GoogLeNet googlenet(int numClasses) { return (GoogLeNet) create("googlenet", numClasses, 3); }
    /** torchvision's Inception v3 with its auxiliary head, for RGB inputs. */
    public static InceptionV3 inceptionV3(int numClasses) { return (InceptionV3) create("inception_v3", numClasses, 3); }
    /** ZF Net from the paper's layer table, for RGB inputs. */
    public static ZFNet zfnet(int numClasses) { return (ZFNet) create("zfnet", numClasses, 3); }

    private static VGG vgg(String name, int numClasses) {
        return (VGG) create(name, numClasses, 3);
    }

    private static ResNet resnet(String name, int numClasses) {
        return (ResNet) create(name, numClasses, 3);
    }

    // ------------------------------------------------------------------ heads

    /**
     * The dotted path of the classifier head: ResNet's {@code fc}, VGG's and AlexNet's
     * {@code classifier.6}, and in general the last {@link Linear} of the model (LeNet-5, MLP,
     * perceptron), or a classifier that is a 1×1 convolution on the pooled map (timm's
     * {@code resnetv2_50} {@code head.fc}) when it is the model's last layer with parameters.
     *
     * @throws IllegalArgumentException when the model has no linear layer or 1×1 convolution to act as the head
     */
    public static String headPath(Module model) {
        if (model.namedChildren().get("fc") instanceof Linear) return "fc";
        String last = null, lastWeighted = null;
        for (Map.Entry<String, Module> e : model.namedModules().entrySet()) {
            if (e.getValue() instanceof Linear) last = e.getKey();
            if (!e.getValue().namedParameters(false).isEmpty()) lastWeighted = e.getKey();
        }
        // a 1×1 convolution classifies only as the model's last weighted layer (a headless backbone ends in a norm)
        if (lastWeighted != null && isPointwiseClassifier(model.getSubmodule(lastWeighted))) last = lastWeighted;
        if (last == null)
            throw new IllegalArgumentException("Models.headPath: " + model.name()
                    + " has no Linear layer or 1×1 convolution to act as the head");
        return last;
    }

    /**
     * Replaces the classifier head (see {@link #headPath}) with a freshly initialized one of the same
     * kind for {@code numClasses} classes, keeping its position, input size and bias setting, as in
     * {@code model.fc = nn.Linear(model.fc.in_features, numClasses)} (a {@link Linear}) or timm's
     * {@code reset_classifier} (a 1×1 {@link Conv2d}). Returns the new head.
     */
    public static Module replaceHead(Module model, int numClasses) {
        if (numClasses <= 0) throw new IllegalArgumentException("Models.replaceHead: numClasses must be positive, got " + numClasses);
        String path = headPath(model);
        Module old = model.getSubmodule(path);
        Module head = old instanceof Linear l ? new Linear(l.inFeatures(), numClasses, l.bias() != null)
                : new Conv2d(((Conv2d) old).inChannels(), numClasses, 1, 1, 0, old.parameter("bias") != null);
        model.setSubmodule(path, head);
        return head;
    }

    /** A convolution shaped like a classifier over a pooled map: 1×1, stride 1, no padding, no groups. */
    private static boolean isPointwiseClassifier(Module m) {
        if (!(m instanceof Conv2d c)) return false;
        int[] w = c.parameter("weight").shape();
        Conv2dOptions o = c.options();
        return w[2] == 1 && w[3] == 1 && o.groups() == 1 && o.strideH() == 1 && o.strideW() == 1
                && o.padTop() == 0 && o.padBottom() == 0 && o.padLeft() == 0 && o.padRight() == 0;
    }
}
