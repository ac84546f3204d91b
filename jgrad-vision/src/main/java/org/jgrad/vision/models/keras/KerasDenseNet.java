package org.jgrad.vision.models.keras;

import org.jgrad.nn.ZeroPad2d;
import org.jgrad.nn.functional.F;
import org.jgrad.tensor.Tensor;

/**
 * Keras' DenseNet-121/169/201 ({@code keras.applications.DenseNet121} ...): a 7×7/2 stem
 * ({@code conv1_conv}, {@code conv1_bn}), a 3×3/2 max pooling, four dense blocks {@code conv2} ...
 * {@code conv5} whose layers {@code convS_blockB} (BN, ReLU, 1×1 conv to 128, BN, ReLU, 3×3 conv to
 * 32) each concatenate their 32 new channels to their input, transitions {@code pool2} ...
 * {@code pool4} (BN, ReLU, 1×1 conv halving the channels, 2×2 average pooling), a final {@code bn},
 * and {@code predictions}. Batch norms use epsilon 1.001e-5; convolutions have no bias. The same
 * network as torchvision's {@code densenet121}; Keras' count is higher only by the batch norms'
 * moving statistics. See {@link KerasModel} for names, weight layouts and initialization.
 */
public class KerasDenseNet extends KerasModel {
    /** DenseNet-121's layers per dense block. */
    public static final int[] DENSENET121 = {6, 12, 24, 16};
    /** DenseNet-169's. */
    public static final int[] DENSENET169 = {6, 12, 32, 32};
    /** DenseNet-201's. */
    public static final int[] DENSENET201 = {6, 12, 48, 32};

    private static final double EPS = 1.001e-5;
    private static final int GROWTH = 32;
    private static final ZeroPad2d PAD1 = new ZeroPad2d(1);

    private final int[] blocks;

    /** @param blocks layers per dense block, e.g. {@link #DENSENET121} */
    public KerasDenseNet(int[] blocks, int numClasses, int inChannels) {
        checkSizes("KerasDenseNet", numClasses, inChannels);
        if (blocks.length != 4) throw new IllegalArgumentException("KerasDenseNet: expected 4 dense blocks, got " + blocks.length);
        this.blocks = blocks.clone();
        convPadded("conv1_conv", inChannels, 64, 7, 2, 3, false, 1); // after a ZeroPadding2D(3)
        bn("conv1_bn", 64, EPS);
        int c = 64;
        for (int s = 0; s < 4; s++) {
            for (int b = 1; b <= blocks[s]; b++) {
                String name = "conv" + (s + 2) + "_block" + b;
                bn(name + "_0_bn", c, EPS);
                conv(name + "_1_conv", c, 4 * GROWTH, 1, 1, false, false);
                bn(name + "_1_bn", 4 * GROWTH, EPS);
                conv(name + "_2_conv", 4 * GROWTH, GROWTH, 3, 1, true, false);
                c += GROWTH;
            }
            if (s < 3) {
                String name = "pool" + (s + 2);
                bn(name + "_bn", c, EPS);
                conv(name + "_conv", c, c / 2, 1, 1, false, false);
                c /= 2;
            }
        }
        bn("bn", c, EPS);
        dense("predictions", c, numClasses);
    }

    @Override
    public Tensor forward(Tensor x) {
        x = relu(layer("conv1_bn", layer("conv1_conv", x)));
        x = F.maxPool2d(PAD1.forward(x), 3, 2, 0); // pool1 after a ZeroPadding2D(1) (zeros after a ReLU)
        for (int s = 0; s < 4; s++) {
            x = denseBlock("conv" + (s + 2), blocks[s], x);
            if (s < 3) {
                String name = "pool" + (s + 2);
                x = layer(name + "_conv", relu(layer(name + "_bn", x)));
                x = F.avgPool2d(x, 2);
            }
        }
        x = relu(layer("bn", x));
        return layer("predictions", globalAvgPool(x));
    }

    private Tensor denseBlock(String stack, int n, Tensor x) {
        for (int b = 1; b <= n; b++) {
            String name = stack + "_block" + b;
            Tensor h = layer(name + "_1_conv", relu(layer(name + "_0_bn", x)));
            h = layer(name + "_2_conv", relu(layer(name + "_1_bn", h)));
            x = Tensor.cat(1, x, h); // convS_blockB_concat
        }
        return x;
    }
}
