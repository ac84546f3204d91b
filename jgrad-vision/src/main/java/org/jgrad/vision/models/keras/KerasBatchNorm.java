package org.jgrad.vision.models.keras;

import org.jgrad.nn.BatchNorm;
import org.jgrad.nn.PyRepr;
import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;

/**
 * Keras' {@code BatchNormalization} over the channels of an [N, C, H, W] input, with Keras' epsilon
 * (1e-3 by default; ResNet and DenseNet use 1.001e-5) and, where Keras has {@code scale=False}
 * (Inception-v3, Inception-ResNet-v2), no γ: only {@code bias} (β). Its tensors carry PyTorch's names:
 * Keras' {@code gamma}, {@code beta}, {@code moving_mean}, {@code moving_variance} are
 * {@code weight}, {@code bias}, {@code running_mean}, {@code running_var}.
 *
 * <p>Keras' momentum m (0.99 by default) weighs the old running value, PyTorch's the new batch: the
 * layer stores {@code 1 − m}. In training the running variance is updated with the unbiased batch
 * variance, as PyTorch does (Keras uses the biased one: a factor n/(n − 1) on one update, for n values
 * per channel).
 */
public class KerasBatchNorm extends BatchNorm {
    private final boolean scale;

    /**
     * @param eps Keras' {@code epsilon}
     * @param kerasMomentum Keras' {@code momentum}, in [0, 1)
     * @param scale whether there is a γ ({@code weight}); β is always there
     */
    public KerasBatchNorm(int numFeatures, double eps, double kerasMomentum, boolean scale) {
        super(numFeatures, eps, checkMomentum(kerasMomentum), scale, true, true);
        this.scale = scale;
    }

    private static Double checkMomentum(double m) {
        if (!(m >= 0 && m < 1))
            throw new IllegalArgumentException("KerasBatchNorm: momentum must be in [0, 1), got " + m);
        return 1 - m;
    }

    @Override
    public Tensor forward(Tensor input) {
        if (input.dim() != 4)
            throw new IllegalArgumentException("KerasBatchNorm: expected a 4-D [N, C, H, W] input, got " + Shape.str(input.shape()));
        return normalize(input);
    }

    @Override
    public String extraRepr() {
        return numFeatures() + ", eps=" + PyRepr.pyFloat(eps()) + ", scale=" + PyRepr.pyBool(scale);
    }
}
