package org.jgrad.nn;

import org.jgrad.ops.NormOps;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;

/**
 * Channel dropout, like {@code torch.nn.Dropout2d}: in training each whole feature map of
 * [N, C, H, W] (or [C, H, W]) is zeroed with probability p and the kept ones are scaled by 1/(1 − p);
 * the identity in evaluation mode. Neighbouring pixels are strongly correlated, so dropping whole
 * maps regularizes convolutional features where element-wise dropout barely does.
 */
public class Dropout2d extends DropoutNd {

    /** p = 0.5. */
    public Dropout2d() {
        this(0.5);
    }

    /** Zeroes each channel with probability {@code p} in [0, 1]. */
    public Dropout2d(double p) {
        super(p);
    }

    @Override
    public Dropout2d setGenerator(Generator gen) {
        super.setGenerator(gen);
        return this;
    }

    @Override
    public Tensor forward(Tensor input) {
        return NormOps.dropout2d(input, (float) p(), isTraining(), generator());
    }
}
