package org.jgrad.vision.models.keras;

import org.jgrad.nn.ZeroPad2d;
import org.jgrad.nn.functional.F;
import org.jgrad.tensor.Tensor;

/**
 * Keras' residual networks ({@code keras.applications.resnet}, {@code resnet_v2}, and ResNeXt as
 * keras-applications' {@code resnet_common.py} builds it): a 7×7/2 stem {@code conv1_conv}, a 3×3/2
 * max pooling, four stacks {@code conv2} ... {@code conv5} of bottleneck blocks named
 * {@code convS_blockB_*}, global average pooling and {@code predictions}. Layer for layer as Keras,
 * which differs from torchvision's ResNet in ways that show in the counts:
 * <ul>
 * <li>{@link Kind#V1} (ResNet50/101/152): every convolution has a bias (torchvision's have none, since a
 *     batch norm follows), and the stride-2 of a stack sits in the first 1×1 convolution (torchvision's
 *     "v1.5" puts it in the 3×3).
 * <li>{@link Kind#V2} (ResNet50V2/101V2/152V2): pre-activation blocks ({@code _preact_bn} before the
 *     convolutions, {@code post_bn} at the end); a stack's stride-2 is in its last block, whose shortcut
 *     is a 1×1 max pooling with stride 2.
 * <li>{@link Kind#NEXT} (ResNeXt50/101): no biases; the 3×3 convolution is grouped (32 groups),
 *     {@code _2_conv} here. keras-applications computes it as a depthwise convolution with depth
 *     multiplier c = filters/32 whose outputs a constant, non-trainable 1×1 convolution
 *     {@code _2_gconv} sums per group; that constant is not a weight here (the lectures' 25,097,128 for
 *     ResNeXt50 counts without it), and its kernel (kh, kw, filters, c) maps to the grouped weight
 *     [filters, c, kh, kw] as {@code weight[g·c + j, t] = kernel[:, :, g·c + t, j]}.
 * </ul>
 * Batch norms use epsilon 1.001e-5. See {@link KerasModel} for names, weight layouts and initialization.
 */
public class KerasResNet extends KerasModel {
    /** Which of Keras' residual networks. */
    public enum Kind {
        /** ResNet50/101/152. */
        V1,
        /** ResNet50V2/101V2/152V2. */
        V2,
        /** ResNeXt50/101 (cardinality 32). */
        NEXT
    }

    private static final double EPS = 1.001e-5;
    private static final int GROUPS = 32;
    private static final ZeroPad2d PAD1 = new ZeroPad2d(1);

    private final Kind kind;
    private final int[] blocks;

    /**
     * @param blocks blocks per stack: {3, 4, 6, 3} (50), {3, 4, 23, 3} (101), {3, 8, 36, 3} (152)
     */
    public KerasResNet(Kind kind, int[] blocks, int numClasses, int inChannels) {
        checkSizes("KerasResNet", numClasses, inChannels);
        if (blocks.length != 4) throw new IllegalArgumentException("KerasResNet: expected blocks for 4 stacks, got " + blocks.length);
        for (int b : blocks) if (b < 1) throw new IllegalArgumentException("KerasResNet: a stack needs at least one block");
        this.kind = kind;
        this.blocks = blocks.clone();
        boolean v1 = kind == Kind.V1;
        convPadded("conv1_conv", inChannels, 64, 7, 2, 3, kind != Kind.NEXT, 1); // after conv1_pad
        if (kind != Kind.V2) bn("conv1_bn", 64, EPS);
        int in = 64;
        for (int s = 0; s < 4; s++) {
            int filters = (kind == Kind.NEXT ? 128 : 64) << s;
            for (int b = 1; b <= blocks[s]; b++) {
                String name = "conv" + (s + 2) + "_block" + b;
                in = switch (kind) {
                    case V1 -> blockV1(name, in, filters, b == 1 && s > 0 ? 2 : 1, b == 1);
                    case V2 -> blockV2(name, in, filters, b == blocks[s] && s < 3 ? 2 : 1, b == 1);
                    case NEXT -> blockNext(name, in, filters, b == 1 && s > 0 ? 2 : 1, b == 1);
                };
            }
        }
        if (kind == Kind.V2) bn("post_bn", in, EPS);
        dense("predictions", in, numClasses);
    }

    private int blockV1(String name, int in, int filters, int stride, boolean convShortcut) {
        if (convShortcut) {
            conv(name + "_0_conv", in, 4 * filters, 1, stride, false, true);
            bn(name + "_0_bn", 4 * filters, EPS);
        }
        conv(name + "_1_conv", in, filters, 1, stride, false, true);
        bn(name + "_1_bn", filters, EPS);
        conv(name + "_2_conv", filters, filters, 3, 1, true, true);
        bn(name + "_2_bn", filters, EPS);
        conv(name + "_3_conv", filters, 4 * filters, 1, 1, false, true);
        bn(name + "_3_bn", 4 * filters, EPS);
        return 4 * filters;
    }

    private int blockV2(String name, int in, int filters, int stride, boolean convShortcut) {
        bn(name + "_preact_bn", in, EPS);
        if (convShortcut) conv(name + "_0_conv", in, 4 * filters, 1, stride, false, true);
        conv(name + "_1_conv", in, filters, 1, 1, false, false);
        bn(name + "_1_bn", filters, EPS);
        convPadded(name + "_2_conv", filters, filters, 3, stride, 1, false, 1); // after _2_pad
        bn(name + "_2_bn", filters, EPS);
        conv(name + "_3_conv", filters, 4 * filters, 1, 1, false, true);
        return 4 * filters;
    }

    private int blockNext(String name, int in, int filters, int stride, boolean convShortcut) {
        int out = 2 * filters, c = filters / GROUPS;
        if (convShortcut) {
            conv(name + "_0_conv", in, out, 1, stride, false, false);
            bn(name + "_0_bn", out, EPS);
        }
        conv(name + "_1_conv", in, filters, 1, 1, false, false);
        bn(name + "_1_bn", filters, EPS);
        // after _2_pad; initialized with the fans of Keras' DepthwiseConv2D(3, depth_multiplier=c)
        KerasInit.glorotUniform(convPadded(name + "_2_conv", filters, filters, 3, stride, 1, false, GROUPS).weight(),
                9L * filters, 9L * c);
        bn(name + "_2_bn", filters, EPS);
        conv(name + "_3_conv", filters, out, 1, 1, false, false);
        bn(name + "_3_bn", out, EPS);
        return out;
    }

    @Override
    public Tensor forward(Tensor x) {
        x = layer("conv1_conv", x);
        if (kind != Kind.V2) x = relu(layer("conv1_bn", x));
        x = F.maxPool2d(PAD1.forward(x), 3, 2, 0);
        for (int s = 0; s < 4; s++)
            for (int b = 1; b <= blocks[s]; b++) {
                String name = "conv" + (s + 2) + "_block" + b;
                x = switch (kind) {
                    case V1, NEXT -> bottleneck(name, x, b == 1);
                    case V2 -> preactBottleneck(name, x, b == 1, b == blocks[s] && s < 3 ? 2 : 1);
                };
            }
        if (kind == Kind.V2) x = relu(layer("post_bn", x));
        return layer("predictions", globalAvgPool(x));
    }

    // v1 and ResNeXt: the stride is in the layers themselves
    private Tensor bottleneck(String name, Tensor x, boolean convShortcut) {
        Tensor shortcut = convShortcut ? layer(name + "_0_bn", layer(name + "_0_conv", x)) : x;
        Tensor h = relu(layer(name + "_1_bn", layer(name + "_1_conv", x)));
        h = relu(layer(name + "_2_bn", layer(name + "_2_conv", h)));
        h = layer(name + "_3_bn", layer(name + "_3_conv", h));
        return relu(shortcut.add(h));
    }

    private Tensor preactBottleneck(String name, Tensor x, boolean convShortcut, int stride) {
        Tensor preact = relu(layer(name + "_preact_bn", x));
        Tensor shortcut = convShortcut ? layer(name + "_0_conv", preact) : stride > 1 ? F.maxPool2d(x, 1, stride, 0) : x;
        Tensor h = relu(layer(name + "_1_bn", layer(name + "_1_conv", preact)));
        h = relu(layer(name + "_2_bn", layer(name + "_2_conv", h)));
        return shortcut.add(layer(name + "_3_conv", h));
    }
}
