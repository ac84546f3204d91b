package org.jgrad.vision.models;

import java.util.ArrayList;
import java.util.List;
import org.jgrad.nn.ReLU;
import org.jgrad.vision.models.keras.KerasZoo;

/**
 * The zoo's entries, one per model (to add a model, add one entry here: see docs/design.md,
 * "Adding a zoo model").
 */
final class BuiltInModels {
    private BuiltInModels() {}

    private static final String CLASSES = "output classes";
    private static final String CHANNELS = "input image channels";
    // The lectures' MNIST network; smaller inputs (8x8 digits, a few CSV columns) get a smaller one.
    private static final int[] LECTURE_HIDDEN = {500, 250, 125}, SMALL_HIDDEN = {256, 128};
    private static final int MNIST_SIDE = 28;

    static List<ZooModel> all() {
        List<ZooModel> m = new ArrayList<>();
        m.add(ZooModel.builder("mlp")
                .description("multilayer perceptron with ReLU; 784-500-250-125-classes for 28x28 images, hidden 256-128 otherwise")
                .param(ZooModel.NUM_CLASSES, 10, CLASSES)
                .param("in_features", MNIST_SIDE * MNIST_SIDE, "inputs after flattening (channels x height x width)")
                .param("hidden", LECTURE_HIDDEN, "widths of the hidden layers")
                .input(1, MNIST_SIDE, MNIST_SIDE).inputSize(InputSize.any())
                .argsForInput((shape, a) -> {
                    int features = 1;
                    for (int d : shape) features *= d;
                    boolean mnistSize = shape.length == 3 && shape[1] == MNIST_SIDE && shape[2] == MNIST_SIDE;
                    return a.with("in_features", features).with("hidden", mnistSize ? LECTURE_HIDDEN : SMALL_HIDDEN);
                })
                .factory(a -> new MLP(a.getInt("in_features"), a.getInts("hidden"), a.getInt(ZooModel.NUM_CLASSES), ReLU::new))
                .build());
        m.add(ZooModel.builder("lenet5")
                .description("LeNet-5 for 28x28 images (ReLU, max pooling, padding 2)")
                .param(ZooModel.NUM_CLASSES, 10, CLASSES).param(ZooModel.IN_CHANNELS, 1, CHANNELS)
                .input(1, MNIST_SIDE, MNIST_SIDE).inputSize(InputSize.exact(MNIST_SIDE))
                .factory(a -> LeNet5.mnist(a.getInt(ZooModel.NUM_CLASSES), a.getInt(ZooModel.IN_CHANNELS)))
                .build());
        m.add(ZooModel.builder("lenet5_classic")
                .description("the 1998 LeNet-5 for 32x32 images (tanh, average pooling)")
                .param(ZooModel.NUM_CLASSES, 10, CLASSES).param(ZooModel.IN_CHANNELS, 1, CHANNELS)
                .input(1, 32, 32).inputSize(InputSize.exact(32))
                .factory(a -> LeNet5.classic(a.getInt(ZooModel.NUM_CLASSES), a.getInt(ZooModel.IN_CHANNELS)))
                .build());
        // AlexNet's stride-4 stem and three 3x3/2 poolings need 63 pixels
        m.add(ZooModel.builder("alexnet")
                .description("torchvision's AlexNet")
                .param(ZooModel.NUM_CLASSES, 1000, CLASSES).param(ZooModel.IN_CHANNELS, 3, CHANNELS)
                .param("dropout", 0.5, "drop probability in the classifier")
                .input(3, 224, 224).inputSize(InputSize.atLeast(64))
                .factory(a -> new AlexNet(a.getInt(ZooModel.NUM_CLASSES), a.getInt(ZooModel.IN_CHANNELS), a.getDouble("dropout")))
                .build());
        for (int depth : new int[] {11, 13, 16, 19})
            for (boolean bn : new boolean[] {false, true}) m.add(vgg(depth, bn));
        m.add(resnet(18, ResNet.Block.BASIC, 2, 2, 2, 2));
        m.add(resnet(34, ResNet.Block.BASIC, 3, 4, 6, 3));
        m.add(resnet(50, ResNet.Block.BOTTLENECK, 3, 4, 6, 3));
        m.add(resnet(101, ResNet.Block.BOTTLENECK, 3, 4, 23, 3));
        m.add(resnet(152, ResNet.Block.BOTTLENECK, 3, 8, 36, 3));
        // two 2x2 poolings to the 7x7 its classifier expects (larger images are pooled down to it)
        m.add(ZooModel.builder("vgg_small_bn")
                .description("a small VGG-style CNN with batch norm for 28x28 images (0.87 M parameters)")
                .param(ZooModel.NUM_CLASSES, 10, CLASSES).param(ZooModel.IN_CHANNELS, 1, CHANNELS)
                .input(1, MNIST_SIDE, MNIST_SIDE).inputSize(InputSize.atLeast(MNIST_SIDE))
                .factory(a -> new SmallVGG(a.getInt(ZooModel.NUM_CLASSES), a.getInt(ZooModel.IN_CHANNELS)))
                .build());
        m.add(ZooModel.builder("spectrogram_cnn")
                .description("a CNN on (log-mel) spectrograms [1, bands, frames] for spoken words (3 conv-BN-ReLU-pool blocks)")
                .param(ZooModel.NUM_CLASSES, 10, CLASSES).param(ZooModel.IN_CHANNELS, 1, CHANNELS)
                .param("dropout", 0.3, "drop probability in the classifier")
                .input(1, 40, 101).inputSize(InputSize.atLeast(8))
                .factory(a -> new SpectrogramCnn(a.getInt(ZooModel.NUM_CLASSES), a.getInt(ZooModel.IN_CHANNELS), a.getDouble("dropout")))
                .build());
        m.add(twoStream("two_stream", TwoStreamNet.Streams.BOTH,
                "two-stream video network on clips [frames, H, W]: middle frame + stacked frame differences, late fusion"));
        m.add(twoStream("frame_stream", TwoStreamNet.Streams.FRAMES, "the two-stream network's frame stream alone (middle frame)"));
        m.add(twoStream("difference_stream", TwoStreamNet.Streams.DIFFERENCES,
                "the two-stream network's temporal stream alone (stacked frame differences)"));
        for (String cell : new String[] {"lstm", "gru"}) {
            String upper = cell.toUpperCase(java.util.Locale.ROOT);
            m.add(ZooModel.builder(cell)
                    .description("character-level language model: embedding, 2-layer " + upper + ", linear to the next character")
                    .param(ZooModel.NUM_CLASSES, 96, "characters (the vocabulary: inputs and outputs)")
                    .param("embedding", 64, "embedding width").param("hidden", 256, "hidden state width")
                    .param("layers", 2, "stacked recurrent layers").param("dropout", 0.2, "drop probability")
                    .input(100).inputSize(InputSize.any())
                    .factory(a -> new CharLanguageModel(cell, a.getInt(ZooModel.NUM_CLASSES), a.getInt("embedding"),
                            a.getInt("hidden"), a.getInt("layers"), a.getDouble("dropout")))
                    .build());
            m.add(ZooModel.builder(cell + "_classifier")
                    .description("text classifier: word embedding, " + upper + " over each document's words, linear on its last state")
                    .param(ZooModel.NUM_CLASSES, 2, CLASSES).param("vocab", 10000, "word ids (0 is padding)")
                    .param("embedding", 64, "embedding width").param("hidden", 64, "hidden state width")
                    .param("layers", 1, "stacked recurrent layers").param("dropout", 0.3, "drop probability")
                    .input(200).inputSize(InputSize.any())
                    .factory(a -> new TextClassifier(cell, a.getInt("vocab"), a.getInt("embedding"), a.getInt("hidden"),
                            a.getInt("layers"), a.getDouble("dropout"), a.getInt(ZooModel.NUM_CLASSES)))
                    .build());
        }
        m.add(ZooModel.builder("transformer")
                .description("character-level Transformer language model: embedding, sine positions, 2 causal pre-norm"
                        + " encoder layers, linear to the next character")
                .param(ZooModel.NUM_CLASSES, 96, "characters (the vocabulary: inputs and outputs)")
                .param("d_model", 128, "embedding and layer width").param("heads", 4, "attention heads")
                .param("feedforward", 512, "feed-forward width").param("layers", 2, "encoder layers")
                .param("dropout", 0.1, "drop probability").param("context", 100, "longest sequence (positions)")
                .input(100).inputSize(InputSize.any())
                .argsForInput((shape, a) -> a.with("context", shape[0]))
                .factory(a -> new TransformerLanguageModel(a.getInt(ZooModel.NUM_CLASSES), a.getInt("d_model"), a.getInt("heads"),
                        a.getInt("feedforward"), a.getInt("layers"), a.getDouble("dropout"), a.getInt("context")))
                .build());
        m.add(ZooModel.builder("transformer_classifier")
                .description("text classifier: word embedding, sine positions, 2 pre-norm encoder layers over each document's"
                        + " words, mean, linear")
                .param(ZooModel.NUM_CLASSES, 2, CLASSES).param("vocab", 10000, "word ids (0 is padding)")
                .param("d_model", 64, "embedding and layer width").param("heads", 4, "attention heads")
                .param("feedforward", 128, "feed-forward width").param("layers", 2, "encoder layers")
                .param("dropout", 0.1, "drop probability").param("context", 200, "longest document (positions)")
                .input(200).inputSize(InputSize.any())
                .argsForInput((shape, a) -> a.with("context", shape[0]))
                .factory(a -> new TransformerClassifier(a.getInt("vocab"), a.getInt("d_model"), a.getInt("heads"),
                        a.getInt("feedforward"), a.getInt("layers"), a.getDouble("dropout"), a.getInt("context"),
                        a.getInt(ZooModel.NUM_CLASSES)))
                .build());
        m.addAll(TorchvisionModels.all());
        m.addAll(TimmModels.all());
        m.addAll(KerasZoo.entries());
        return m;
    }

    // the clip's frames are its channels; pooling three times needs 8 pixels
    private static ZooModel twoStream(String name, TwoStreamNet.Streams streams, String description) {
        return ZooModel.builder(name).description(description)
                .param(ZooModel.NUM_CLASSES, 8, CLASSES).param(ZooModel.IN_CHANNELS, 8, "frames per clip")
                .param("dropout", 0.3, "drop probability before each stream's last layer")
                .input(8, 32, 32).inputSize(InputSize.atLeast(8))
                .factory(a -> new TwoStreamNet(a.getInt(ZooModel.NUM_CLASSES), a.getInt(ZooModel.IN_CHANNELS), streams,
                        a.getDouble("dropout")))
                .build();
    }

    // VGG's five 2x2 poolings need 32 pixels.
    private static ZooModel vgg(int depth, boolean bn) {
        int[] cfg = switch (depth) {
            case 11 -> VGG.CFG_11;
            case 13 -> VGG.CFG_13;
            case 16 -> VGG.CFG_16;
            default -> VGG.CFG_19;
        };
        return ZooModel.builder("vgg" + depth + (bn ? "_bn" : ""))
                .description("torchvision's VGG-" + depth + (bn ? " with batch norm" : ""))
                .param(ZooModel.NUM_CLASSES, 1000, CLASSES).param(ZooModel.IN_CHANNELS, 3, CHANNELS)
                .param("dropout", 0.5, "drop probability in the classifier")
                .input(3, 224, 224).inputSize(InputSize.atLeast(32))
                .factory(a -> new VGG(cfg, bn, a.getInt(ZooModel.NUM_CLASSES), a.getInt(ZooModel.IN_CHANNELS), a.getDouble("dropout")))
                .build();
    }

    // ResNet's 32x downsampling needs 32 pixels.
    private static ZooModel resnet(int depth, ResNet.Block block, int... layers) {
        return ZooModel.builder("resnet" + depth)
                .description("torchvision's ResNet-" + depth)
                .param(ZooModel.NUM_CLASSES, 1000, CLASSES).param(ZooModel.IN_CHANNELS, 3, CHANNELS)
                .input(3, 224, 224).inputSize(InputSize.atLeast(32))
                .factory(a -> new ResNet(block, layers, a.getInt(ZooModel.NUM_CLASSES), a.getInt(ZooModel.IN_CHANNELS)))
                .build();
    }
}
