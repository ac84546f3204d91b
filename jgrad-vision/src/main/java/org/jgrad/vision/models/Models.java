package org.jgrad.vision.models;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jgrad.nn.Linear;
import org.jgrad.nn.Module;
import org.jgrad.nn.ReLU;

/**
 * The model zoo's entry point: factories with torchvision's names, layouts and parameter counts, a
 * by-name {@link #create} for the command line, parameter counts without building, and
 * {@link #replaceHead} for transfer learning.
 *
 * <pre>{@code
 * Module net = Models.resnet18(10);                 // 3 input channels
 * Module v = Models.create("vgg16_bn", 100, 3);
 * long n = Models.parameterCount("vgg19", 1000, 3); // 143,667,240, nothing allocated
 * }</pre>
 */
public final class Models {
    private Models() {}

    /** Every name {@link #create} accepts. */
    public static final List<String> NAMES = List.of("mlp", "lenet5", "lenet5_classic", "alexnet",
            "vgg11", "vgg13", "vgg16", "vgg19", "vgg11_bn", "vgg13_bn", "vgg16_bn", "vgg19_bn",
            "resnet18", "resnet34", "resnet50", "resnet101", "resnet152", "vgg_small_bn");

    /** The image side {@code "mlp"} expects from {@link #create} (MNIST-size: inChannels × 28 × 28 inputs). */
    public static final int MLP_IMAGE_SIZE = 28;

    private static final int[] MLP_HIDDEN = {500, 250, 125};
    private static final Map<String, int[]> VGG_CFGS = Map.of("vgg11", VGG.CFG_11, "vgg13", VGG.CFG_13,
            "vgg16", VGG.CFG_16, "vgg19", VGG.CFG_19);
    private static final Map<String, int[]> RESNET_LAYERS = Map.of("resnet18", new int[] {2, 2, 2, 2},
            "resnet34", new int[] {3, 4, 6, 3}, "resnet50", new int[] {3, 4, 6, 3},
            "resnet101", new int[] {3, 4, 23, 3}, "resnet152", new int[] {3, 8, 36, 3});

    /**
     * Builds a model by name (see {@link #NAMES}; case-insensitive). {@code "mlp"} is the lectures'
     * 500-250-125 ReLU network over {@code inChannels×28×28} images, {@code "lenet5"} the 28×28 ReLU/max-pool
     * LeNet-5, {@code "lenet5_classic"} the 1998 one for 32×32 inputs and {@code "vgg_small_bn"} the
     * small VGG-style network with batch norm for 28×28 images ({@link SmallVGG}).
     *
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static Module create(String name, int numClasses, int inChannels) {
        String n = normalize(name);
        if (VGG_CFGS.containsKey(base(n)))
            return new VGG(VGG_CFGS.get(base(n)), n.endsWith("_bn"), numClasses, inChannels, 0.5);
        if (RESNET_LAYERS.containsKey(n))
            return new ResNet(resnetBlock(n), RESNET_LAYERS.get(n), numClasses, inChannels);
        return switch (n) {
            case "mlp" -> new MLP(inChannels * MLP_IMAGE_SIZE * MLP_IMAGE_SIZE, MLP_HIDDEN, numClasses, ReLU::new);
            case "lenet5" -> LeNet5.mnist(numClasses, inChannels);
            case "lenet5_classic" -> LeNet5.classic(numClasses, inChannels);
            case "alexnet" -> new AlexNet(numClasses, inChannels);
            case "vgg_small_bn" -> new SmallVGG(numClasses, inChannels);
            default -> throw unknown(name);
        };
    }

    /**
     * The number of parameters {@link #create} would give the model, computed from the layer shapes
     * without allocating anything (VGG-19 alone is 575 MB of float32).
     */
    public static long parameterCount(String name, int numClasses, int inChannels) {
        String n = normalize(name);
        if (VGG_CFGS.containsKey(base(n)))
            return VGG.parameterCount(VGG_CFGS.get(base(n)), n.endsWith("_bn"), numClasses, inChannels);
        if (RESNET_LAYERS.containsKey(n))
            return ResNet.parameterCount(resnetBlock(n), RESNET_LAYERS.get(n), numClasses, inChannels);
        return switch (n) {
            case "mlp" -> MLP.parameterCount(inChannels * MLP_IMAGE_SIZE * MLP_IMAGE_SIZE, MLP_HIDDEN, numClasses);
            case "lenet5", "lenet5_classic" -> LeNet5.parameterCount(numClasses, inChannels);
            case "alexnet" -> AlexNet.parameterCount(numClasses, inChannels);
            case "vgg_small_bn" -> SmallVGG.parameterCount(numClasses, inChannels);
            default -> throw unknown(name);
        };
    }

    private static String normalize(String name) {
        if (name == null) throw unknown(null);
        return name.trim().toLowerCase(Locale.ROOT);
    }

    private static String base(String n) {
        return n.endsWith("_bn") ? n.substring(0, n.length() - 3) : n;
    }

    private static ResNet.Block resnetBlock(String n) {
        return n.equals("resnet18") || n.equals("resnet34") ? ResNet.Block.BASIC : ResNet.Block.BOTTLENECK;
    }

    private static IllegalArgumentException unknown(String name) {
        return new IllegalArgumentException("Models.create: unknown model " + (name == null ? "null" : "\"" + name + "\"")
                + "; known models: " + String.join(", ", NAMES));
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

    private static VGG vgg(String name, int numClasses) {
        return (VGG) create(name, numClasses, 3);
    }

    private static ResNet resnet(String name, int numClasses) {
        return (ResNet) create(name, numClasses, 3);
    }

    // ------------------------------------------------------------------ heads

    /**
     * The dotted path of the classifier head: ResNet's {@code fc}, VGG's and AlexNet's
     * {@code classifier.6}, and in general the last {@link Linear} of the model (LeNet-5, MLP, perceptron).
     *
     * @throws IllegalArgumentException when the model has no linear layer
     */
    public static String headPath(Module model) {
        if (model.namedChildren().get("fc") instanceof Linear) return "fc";
        String last = null;
        for (Map.Entry<String, Module> e : model.namedModules().entrySet())
            if (e.getValue() instanceof Linear) last = e.getKey();
        if (last == null)
            throw new IllegalArgumentException("Models.headPath: " + model.name() + " has no Linear layer to act as the head");
        return last;
    }

    /**
     * Replaces the classifier head (see {@link #headPath}) with a freshly initialized
     * {@code Linear(inFeatures, numClasses)}, keeping its position and bias setting, as in
     * {@code model.fc = nn.Linear(model.fc.in_features, numClasses)}. Returns the new head.
     */
    public static Linear replaceHead(Module model, int numClasses) {
        if (numClasses <= 0) throw new IllegalArgumentException("Models.replaceHead: numClasses must be positive, got " + numClasses);
        String path = headPath(model);
        Linear old = (Linear) model.getSubmodule(path);
        Linear head = new Linear(old.inFeatures(), numClasses, old.bias() != null);
        model.setSubmodule(path, head);
        return head;
    }
}
