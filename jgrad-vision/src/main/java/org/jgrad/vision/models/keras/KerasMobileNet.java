package org.jgrad.vision.models.keras;

import org.jgrad.nn.ReLU6;
import org.jgrad.nn.ZeroPad2d;
import org.jgrad.nn.functional.F;
import org.jgrad.tensor.Tensor;

/**
 * Keras' MobileNet ({@code keras.applications.MobileNet}): a 3×3/2 convolution {@code conv1}, then
 * 13 depthwise-separable blocks, each a 3×3 depthwise convolution {@code conv_dw_i} and a 1×1
 * convolution {@code conv_pw_i}, both followed by batch norm ({@code _bn}) and ReLU6; global average
 * pooling, dropout and the classifier {@code conv_preds}. Stride-2 blocks pad their input with one
 * row and column of zeros at the bottom and right ({@code conv_pad_i}), whatever its size, as Keras
 * does; {@code conv1} pads as TensorFlow's "same".
 *
 * <p>Keras' {@code conv_preds} is a 1×1 {@code Conv2D} on the pooled 1×1 map: here it is the
 * {@code Linear} it equals, so that {@code Models.replaceHead} and {@code Transfer} find it; its
 * kernel (1, 1, in, classes) maps to {@code weight} [classes, in] (drop the two 1s and transpose).
 * Batch norms use Keras' default epsilon 1e-3. See {@link KerasModel} for the other layouts.
 */
public class KerasMobileNet extends KerasModel {
    private static final int[] FILTERS = {64, 128, 128, 256, 256, 512, 512, 512, 512, 512, 512, 1024, 1024};
    private static final int[] STRIDES = {1, 2, 1, 2, 1, 2, 1, 1, 1, 1, 1, 2, 1};
    private static final ZeroPad2d BOTTOM_RIGHT = new ZeroPad2d(0, 1, 0, 1);

    private final double dropout;

    /**
     * @param alpha width multiplier (Keras' {@code alpha}: 1.0, or 0.75, 0.5, 0.25 for the thinner ones)
     * @param depthMultiplier Keras' {@code depth_multiplier} of the depthwise convolutions
     * @param dropout drop probability before {@code conv_preds} (Keras' default 0.001)
     */
    public KerasMobileNet(double alpha, int depthMultiplier, double dropout, int numClasses, int inChannels) {
        checkSizes("KerasMobileNet", numClasses, inChannels);
        if (!(alpha > 0) || depthMultiplier < 1 || !(dropout >= 0 && dropout < 1))
            throw new IllegalArgumentException("KerasMobileNet: need alpha > 0, depth_multiplier >= 1 and dropout in [0, 1), got "
                    + alpha + ", " + depthMultiplier + ", " + dropout);
        this.dropout = dropout;
        int c = (int) (32 * alpha);
        conv("conv1", inChannels, c, 3, 2, true, false);
        bn("conv1_bn", c, EPS);
        for (int i = 1; i <= 13; i++) {
            int dw = c * depthMultiplier, out = (int) (FILTERS[i - 1] * alpha);
            depthwise("conv_dw_" + i, c, depthMultiplier, 3, STRIDES[i - 1], true);
            bn("conv_dw_" + i + "_bn", dw, EPS);
            conv("conv_pw_" + i, dw, out, 1, 1, true, false);
            bn("conv_pw_" + i + "_bn", out, EPS);
            c = out;
        }
        dense("conv_preds", c, numClasses);
    }

    @Override
    public Tensor forward(Tensor x) {
        x = ReLU6.relu6(layer("conv1_bn", layer("conv1", TfPadding.zeroSame(x, 3, 2))));
        for (int i = 1; i <= 13; i++) {
            if (STRIDES[i - 1] > 1) x = BOTTOM_RIGHT.forward(x);
            x = ReLU6.relu6(layer("conv_dw_" + i + "_bn", layer("conv_dw_" + i, x)));
            x = ReLU6.relu6(layer("conv_pw_" + i + "_bn", layer("conv_pw_" + i, x)));
        }
        x = F.dropout(globalAvgPool(x), dropout, isTraining());
        return layer("conv_preds", x);
    }
}
