package org.jgrad.vision.models.keras;

import org.jgrad.nn.ReLU6;
import org.jgrad.tensor.Tensor;

/**
 * Keras' MobileNetV2 ({@code keras.applications.MobileNetV2}): a 3×3/2 convolution {@code Conv1}
 * ({@code bn_Conv1}), 17 inverted-residual blocks ({@code expanded_conv_*} for the first, then
 * {@code block_1_*} ... {@code block_16_*}: a 1×1 expansion {@code _expand} (6×, absent in the
 * first), a 3×3 depthwise convolution {@code _depthwise}, a 1×1 linear projection {@code _project},
 * each with batch norm {@code _BN}, ReLU6 after the first two, and the input added back when shapes
 * allow), a 1×1 convolution {@code Conv_1} to 1280 channels ({@code Conv_1_bn}), global average
 * pooling and {@code predictions}. Batch norms use epsilon 1e-3 and momentum 0.999. Stride-2 blocks
 * pad as TensorFlow's "same" (Keras' {@code correct_pad}). The same network as torchvision's
 * {@code mobilenet_v2}, whose count lacks only the batch norms' moving statistics. See
 * {@link KerasModel} for names, weight layouts and initialization.
 */
public class KerasMobileNetV2 extends KerasModel {
    private static final double MOMENTUM_V2 = 0.999;
    // expansion t, channels c, repeats n, first stride s (the paper's table 2)
    private static final int[][] SETTINGS = {
        {1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2}, {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1}};

    private final int blocks;
    private final int[] strides = new int[17];
    private final boolean[] residual = new boolean[17];

    /** @param alpha width multiplier (Keras' {@code alpha}; 1.0 is the standard network) */
    public KerasMobileNetV2(double alpha, int numClasses, int inChannels) {
        checkSizes("KerasMobileNetV2", numClasses, inChannels);
        if (!(alpha > 0)) throw new IllegalArgumentException("KerasMobileNetV2: alpha must be positive, got " + alpha);
        int c = makeDivisible(32 * alpha);
        conv("Conv1", inChannels, c, 3, 2, true, false);
        bn("bn_Conv1", c, EPS, MOMENTUM_V2, true);
        int id = 0;
        for (int[] s : SETTINGS)
            for (int r = 0; r < s[2]; r++, id++) {
                int stride = r == 0 ? s[3] : 1, out = makeDivisible((int) (s[1] * alpha));
                String prefix = id == 0 ? "expanded_conv_" : "block_" + id + "_";
                int hidden = c;
                if (id > 0) {
                    hidden = s[0] * c;
                    conv(prefix + "expand", c, hidden, 1, 1, true, false);
                    bn(prefix + "expand_BN", hidden, EPS, MOMENTUM_V2, true);
                }
                depthwise(prefix + "depthwise", hidden, 1, 3, stride, true);
                bn(prefix + "depthwise_BN", hidden, EPS, MOMENTUM_V2, true);
                conv(prefix + "project", hidden, out, 1, 1, true, false);
                bn(prefix + "project_BN", out, EPS, MOMENTUM_V2, true);
                strides[id] = stride;
                residual[id] = c == out && stride == 1;
                c = out;
            }
        blocks = id;
        int last = alpha > 1 ? makeDivisible(1280 * alpha) : 1280;
        conv("Conv_1", c, last, 1, 1, false, false);
        bn("Conv_1_bn", last, EPS, MOMENTUM_V2, true);
        dense("predictions", last, numClasses);
    }

    /** Keras' {@code _make_divisible(v, 8)}: the nearest multiple of 8, at least 8, not below 90% of v. */
    static int makeDivisible(double v) {
        int n = Math.max(8, (int) (v + 4) / 8 * 8);
        return n < 0.9 * v ? n + 8 : n;
    }

    @Override
    public Tensor forward(Tensor x) {
        x = ReLU6.relu6(layer("bn_Conv1", layer("Conv1", TfPadding.zeroSame(x, 3, 2))));
        for (int id = 0; id < blocks; id++) {
            String prefix = id == 0 ? "expanded_conv_" : "block_" + id + "_";
            Tensor h = x;
            if (id > 0) h = ReLU6.relu6(layer(prefix + "expand_BN", layer(prefix + "expand", h)));
            if (strides[id] > 1) h = TfPadding.zeroSame(h, 3, strides[id]); // block_i_pad
            h = ReLU6.relu6(layer(prefix + "depthwise_BN", layer(prefix + "depthwise", h)));
            h = layer(prefix + "project_BN", layer(prefix + "project", h));
            x = residual[id] ? x.add(h) : h;
        }
        x = ReLU6.relu6(layer("Conv_1_bn", layer("Conv_1", x)));
        return layer("predictions", globalAvgPool(x));
    }
}
