package org.jgrad.vision.models.keras;

import org.jgrad.tensor.Tensor;

/**
 * Keras' Xception ({@code keras.applications.Xception}): the entry flow (two plain 3×3 convolutions
 * {@code block1_conv1/2}, then blocks 2 to 4 of two depthwise-separable convolutions and a 3×3/2 max
 * pooling, each with a 1×1/2 convolution on the shortcut), the middle flow (blocks 5 to 12: three
 * separable convolutions and an identity shortcut), the exit flow (block 13 like the entry blocks,
 * block 14's two separable convolutions to 2048 channels), global average pooling and
 * {@code predictions}. Every convolution is without bias and followed by a batch norm ({@code _bn},
 * epsilon 1e-3). The four shortcut convolutions and their batch norms are unnamed in Keras:
 * {@code conv2d} ... {@code conv2d_3} and {@code batch_normalization} ... {@code batch_normalization_3}.
 * The max poolings pad as TensorFlow's "same" (−∞ at the bottom and right). timm's legacy
 * {@code xception} is the same network; see {@link KerasModel} for names, layouts and initialization.
 */
public class KerasXception extends KerasModel {
    private static final int MIDDLE = 8;

    /** The network for {@code numClasses} classes (inputs of at least 71×71). */
    public KerasXception(int numClasses, int inChannels) {
        checkSizes("KerasXception", numClasses, inChannels);
        conv("block1_conv1", inChannels, 32, 3, 2, false, false);
        bn("block1_conv1_bn", 32, EPS);
        conv("block1_conv2", 32, 64, 3, 1, false, false);
        bn("block1_conv2_bn", 64, EPS);
        int[][] entry = {{64, 128, 128}, {128, 256, 256}, {256, 728, 728}};
        for (int b = 0; b < 3; b++) downBlock(b + 2, b, entry[b][0], entry[b][1], entry[b][2]);
        for (int b = 5; b < 5 + MIDDLE; b++)
            for (int i = 1; i <= 3; i++) sepBn("block" + b + "_sepconv" + i, 728, 728);
        downBlock(13, 3, 728, 728, 1024);
        sepBn("block14_sepconv1", 1024, 1536);
        sepBn("block14_sepconv2", 1536, 2048);
        dense("predictions", 2048, numClasses);
    }

    // an entry-flow or exit block: the 1x1/2 shortcut (conv2d_k; Keras' "same" adds no padding for a
    // 1x1 window), two separable convolutions, a max pooling
    private void downBlock(int block, int k, int in, int mid, int out) {
        conv(k == 0 ? "conv2d" : "conv2d_" + k, in, out, 1, 2, false, false);
        bn(k == 0 ? "batch_normalization" : "batch_normalization_" + k, out, EPS);
        sepBn("block" + block + "_sepconv1", in, mid);
        sepBn("block" + block + "_sepconv2", mid, out);
    }

    private void sepBn(String name, int in, int out) {
        separable(name, in, out, 3, 1, true);
        bn(name + "_bn", out, EPS);
    }

    @Override
    public Tensor forward(Tensor x) {
        x = relu(layer("block1_conv1_bn", layer("block1_conv1", x)));
        x = relu(layer("block1_conv2_bn", layer("block1_conv2", x)));
        for (int b = 2; b <= 4; b++) x = down(x, b, b - 2, b > 2);
        for (int b = 5; b < 5 + MIDDLE; b++) {
            Tensor h = x;
            for (int i = 1; i <= 3; i++) h = sep(relu(h), "block" + b + "_sepconv" + i);
            x = h.add(x);
        }
        x = down(x, 13, 3, true);
        x = relu(sep(x, "block14_sepconv1"));
        x = relu(sep(x, "block14_sepconv2"));
        return layer("predictions", globalAvgPool(x));
    }

    private Tensor down(Tensor x, int block, int k, boolean reluFirst) {
        Tensor residual = layer(k == 0 ? "batch_normalization" : "batch_normalization_" + k,
                layer(k == 0 ? "conv2d" : "conv2d_" + k, x));
        Tensor h = sep(reluFirst ? relu(x) : x, "block" + block + "_sepconv1");
        h = sep(relu(h), "block" + block + "_sepconv2");
        return TfPadding.maxPoolSame(h, 3, 2).add(residual);
    }

    private Tensor sep(Tensor x, String name) {
        return layer(name + "_bn", layer(name, x));
    }
}
