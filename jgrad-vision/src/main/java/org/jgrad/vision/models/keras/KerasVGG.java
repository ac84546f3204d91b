package org.jgrad.vision.models.keras;

import org.jgrad.nn.functional.F;
import org.jgrad.tensor.Tensor;

/**
 * Keras' VGG16 and VGG19 ({@code keras.applications.VGG16/VGG19}): five blocks of 3×3 "same"
 * convolutions with bias and ReLU ({@code block1_conv1} ... {@code block5_conv3}/{@code conv4}), each
 * ending in a 2×2 max pooling, then {@code Flatten}, {@code fc1} and {@code fc2} (4096, ReLU) and
 * {@code predictions}. Unlike torchvision's VGG there is no adaptive pooling and no dropout: the input
 * size fixes {@code fc1}'s inputs (7·7·512 at 224×224), so the model is built for one input size.
 * See {@link KerasModel} for names, weight layouts and initialization.
 */
public class KerasVGG extends KerasModel {
    /** VGG16's convolutions per block. */
    public static final int[] VGG16 = {2, 2, 3, 3, 3};
    /** VGG19's convolutions per block. */
    public static final int[] VGG19 = {2, 2, 4, 4, 4};
    private static final int[] FILTERS = {64, 128, 256, 512, 512};

    private final int[] convs;

    /**
     * @param convsPerBlock {@link #VGG16} or {@link #VGG19}
     * @param height input height the model is built for (at least 32)
     * @param width input width (at least 32)
     */
    public KerasVGG(int[] convsPerBlock, int numClasses, int inChannels, int height, int width) {
        checkSizes("KerasVGG", numClasses, inChannels);
        if (convsPerBlock.length != 5)
            throw new IllegalArgumentException("KerasVGG: expected convolutions for 5 blocks, got " + convsPerBlock.length);
        if (height < 32 || width < 32)
            throw new IllegalArgumentException("KerasVGG: the input must be at least 32x32, got " + height + "x" + width);
        convs = convsPerBlock.clone();
        int in = inChannels, h = height, w = width;
        for (int b = 0; b < 5; b++) {
            for (int i = 1; i <= convs[b]; i++) {
                conv("block" + (b + 1) + "_conv" + i, in, FILTERS[b], 3, 1, true, true);
                in = FILTERS[b];
            }
            h /= 2;
            w /= 2;
        }
        dense("fc1", h * w * 512, 4096);
        dense("fc2", 4096, 4096);
        dense("predictions", 4096, numClasses);
    }

    @Override
    public Tensor forward(Tensor x) {
        for (int b = 1; b <= 5; b++) {
            for (int i = 1; i <= convs[b - 1]; i++) x = relu(layer("block" + b + "_conv" + i, x));
            x = F.maxPool2d(x, 2);
        }
        // Keras flattens [N, H, W, C]
        x = x.permute(0, 2, 3, 1).flatten(1, -1);
        x = relu(layer("fc1", x));
        x = relu(layer("fc2", x));
        return layer("predictions", x);
    }
}
