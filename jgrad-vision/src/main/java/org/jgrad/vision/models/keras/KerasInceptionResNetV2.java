package org.jgrad.vision.models.keras;

import java.util.List;
import org.jgrad.tensor.Tensor;

/**
 * Keras' Inception-ResNet-v2 ({@code keras.applications.InceptionResNetV2}): Inception-v3's stem,
 * the block {@code mixed_5b}, ten {@code block35} residual Inception blocks (scale 0.17),
 * {@code mixed_6a}, twenty {@code block17} (scale 0.1), {@code mixed_7a}, ten {@code block8} (scale
 * 0.2, the last without ReLU and with scale 1), {@code conv_7b} (1×1 to 1536), global average pooling
 * and {@code predictions}. Each residual block concatenates its branches ({@code blockN_i_mixed}),
 * projects them back to the input's channels with a 1×1 convolution that has a bias and no batch
 * norm ({@code blockN_i_conv}) and adds {@code scale ×} that to its input (Keras'
 * {@code CustomScaleLayer}). The other convolutions are followed by a batch norm without γ
 * ({@code scale=False}, epsilon 1e-3) and a ReLU; unnamed in Keras, they are {@code conv2d} ...
 * {@code conv2d_202} and {@code batch_normalization} ... {@code batch_normalization_202} in the
 * order below (see {@link ConvBnGraph}). timm's {@code inception_resnet_v2} is the same network with
 * γ in its batch norms; see {@link KerasModel} for names, layouts and initialization.
 */
public class KerasInceptionResNetV2 extends KerasModel {
    private final List<ConvBnGraph.Unit> units;

    /** The network for {@code numClasses} classes (inputs of at least 75×75). */
    public KerasInceptionResNetV2(int numClasses, int inChannels) {
        checkSizes("KerasInceptionResNetV2", numClasses, inChannels);
        ConvBnGraph.Builder b = new ConvBnGraph.Builder(this);
        int c = body(b, inChannels);
        units = b.units();
        dense("predictions", c, numClasses);
    }

    @Override
    public Tensor forward(Tensor x) {
        return layer("predictions", globalAvgPool(body(new ConvBnGraph.Runner(this, units), x)));
    }

    private static <T> T body(ConvBnGraph<T> g, T x) {
        x = g.convBn(x, 32, 3, 3, 2, false);
        x = g.convBn(x, 32, 3, 3, 1, false);
        x = g.convBn(x, 64, 3);
        x = g.maxPool(x);
        x = g.convBn(x, 80, 1, 1, 1, false);
        x = g.convBn(x, 192, 3, 3, 1, false);
        x = g.maxPool(x);
        // mixed_5b
        T b0 = g.convBn(x, 96, 1);
        T b1 = g.convBn(g.convBn(x, 48, 1), 64, 5);
        T b2 = g.convBn(g.convBn(g.convBn(x, 64, 1), 96, 3), 96, 3);
        T bp = g.convBn(g.avgPoolSame(x), 64, 1);
        x = g.concat(List.of(b0, b1, b2, bp));
        for (int i = 1; i <= 10; i++) x = residual(g, x, "block35", i, 0.17, true);
        // mixed_6a
        b0 = g.convBn(x, 384, 3, 3, 2, false);
        b1 = g.convBn(g.convBn(g.convBn(x, 256, 1), 256, 3), 384, 3, 3, 2, false);
        x = g.concat(List.of(b0, b1, g.maxPool(x)));
        for (int i = 1; i <= 20; i++) x = residual(g, x, "block17", i, 0.1, true);
        // mixed_7a
        b0 = g.convBn(g.convBn(x, 256, 1), 384, 3, 3, 2, false);
        b1 = g.convBn(g.convBn(x, 256, 1), 288, 3, 3, 2, false);
        b2 = g.convBn(g.convBn(g.convBn(x, 256, 1), 288, 3), 320, 3, 3, 2, false);
        x = g.concat(List.of(b0, b1, b2, g.maxPool(x)));
        for (int i = 1; i <= 9; i++) x = residual(g, x, "block8", i, 0.2, true);
        x = residual(g, x, "block8", 10, 1.0, false);
        return g.convBn(x, 1536, 1, 1, 1, true, "conv_7b", true, true);
    }

    private static <T> T residual(ConvBnGraph<T> g, T x, String type, int index, double scale, boolean relu) {
        List<T> branches = switch (type) {
            case "block35" -> List.of(
                    g.convBn(x, 32, 1),
                    g.convBn(g.convBn(x, 32, 1), 32, 3),
                    g.convBn(g.convBn(g.convBn(x, 32, 1), 48, 3), 64, 3));
            case "block17" -> List.of(
                    g.convBn(x, 192, 1),
                    g.convBn(g.convBn(g.convBn(x, 128, 1), 160, 1, 7, 1, true), 192, 7, 1, 1, true));
            default -> List.of(
                    g.convBn(x, 192, 1),
                    g.convBn(g.convBn(g.convBn(x, 192, 1), 224, 1, 3, 1, true), 256, 3, 1, 1, true));
        };
        T mixed = g.concat(branches); // blockN_i_mixed
        T up = g.convBn(mixed, g.channels(x), 1, 1, 1, true, type + "_" + index + "_conv", false, false);
        return g.scaledAdd(x, up, scale, relu); // then blockN_i_ac
    }
}
