package org.jgrad.vision.models.keras;

import java.util.List;
import org.jgrad.tensor.Tensor;

/**
 * Keras' Inception-v3 ({@code keras.applications.InceptionV3}): the stem (five {@code conv2d_bn}
 * units and two 3×3/2 max poolings), the Inception blocks {@code mixed0} ... {@code mixed10} (parallel
 * branches of 1×1, 3×3, 5×5 and factorized 1×7/7×1 convolutions and a pooling branch, concatenated),
 * global average pooling and {@code predictions}. Every convolution is followed by a batch norm
 * without γ (Keras' {@code scale=False}, epsilon 1e-3) and a ReLU; only the classifier has a bias.
 * Keras names the 94 convolutions {@code conv2d} ... {@code conv2d_93} and their batch norms
 * {@code batch_normalization} ... {@code batch_normalization_93}, in the order below (see
 * {@link ConvBnGraph}). torchvision's {@code inception_v3} is the same network with γ in its batch
 * norms and an auxiliary classifier; see {@link KerasModel} for names, layouts and initialization.
 */
public class KerasInceptionV3 extends KerasModel {
    private final List<ConvBnGraph.Unit> units;

    /** The network for {@code numClasses} classes (inputs of at least 75×75). */
    public KerasInceptionV3(int numClasses, int inChannels) {
        checkSizes("KerasInceptionV3", numClasses, inChannels);
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
        for (int pool : new int[] {32, 64, 64}) x = blockA(g, x, pool); // mixed0, 1, 2
        // mixed3
        T b3 = g.convBn(x, 384, 3, 3, 2, false);
        T d = g.convBn(g.convBn(g.convBn(x, 64, 1), 96, 3), 96, 3, 3, 2, false);
        x = g.concat(List.of(b3, d, g.maxPool(x)));
        for (int mid : new int[] {128, 160, 160, 192}) x = blockB(g, x, mid); // mixed4, 5, 6, 7
        // mixed8
        T b3x3 = g.convBn(g.convBn(x, 192, 1), 320, 3, 3, 2, false);
        T b7 = g.convBn(x, 192, 1);
        b7 = g.convBn(b7, 192, 1, 7, 1, true);
        b7 = g.convBn(b7, 192, 7, 1, 1, true);
        b7 = g.convBn(b7, 192, 3, 3, 2, false);
        x = g.concat(List.of(b3x3, b7, g.maxPool(x)));
        for (int i = 0; i < 2; i++) x = blockC(g, x); // mixed9, 10
        return x;
    }

    private static <T> T blockA(ConvBnGraph<T> g, T x, int poolFilters) {
        T b1 = g.convBn(x, 64, 1);
        T b5 = g.convBn(g.convBn(x, 48, 1), 64, 5);
        T d = g.convBn(g.convBn(g.convBn(x, 64, 1), 96, 3), 96, 3);
        T p = g.convBn(g.avgPoolSame(x), poolFilters, 1);
        return g.concat(List.of(b1, b5, d, p));
    }

    private static <T> T blockB(ConvBnGraph<T> g, T x, int mid) {
        T b1 = g.convBn(x, 192, 1);
        T b7 = g.convBn(x, mid, 1);
        b7 = g.convBn(b7, mid, 1, 7, 1, true);
        b7 = g.convBn(b7, 192, 7, 1, 1, true);
        T d = g.convBn(x, mid, 1);
        d = g.convBn(d, mid, 7, 1, 1, true);
        d = g.convBn(d, mid, 1, 7, 1, true);
        d = g.convBn(d, mid, 7, 1, 1, true);
        d = g.convBn(d, 192, 1, 7, 1, true);
        T p = g.convBn(g.avgPoolSame(x), 192, 1);
        return g.concat(List.of(b1, b7, d, p));
    }

    private static <T> T blockC(ConvBnGraph<T> g, T x) {
        T b1 = g.convBn(x, 320, 1);
        T b3 = g.convBn(x, 384, 1);
        T b3a = g.convBn(b3, 384, 1, 3, 1, true);
        T b3b = g.convBn(b3, 384, 3, 1, 1, true);
        T d = g.convBn(g.convBn(x, 448, 1), 384, 3);
        T da = g.convBn(d, 384, 1, 3, 1, true);
        T db = g.convBn(d, 384, 3, 1, 1, true);
        T p = g.convBn(g.avgPoolSame(x), 192, 1);
        return g.concat(List.of(b1, g.concat(List.of(b3a, b3b)), g.concat(List.of(da, db)), p));
    }
}
