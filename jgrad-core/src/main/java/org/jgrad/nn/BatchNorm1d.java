package org.jgrad.nn;

import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;

/**
 * Batch normalization over the feature dim of [N, C] or [N, C, L] inputs, like
 * {@code torch.nn.BatchNorm1d}; see {@link BatchNorm} for the computation and buffers.
 */
public class BatchNorm1d extends BatchNorm {

    /** PyTorch's defaults: eps 1e-5, momentum 0.1, affine, tracking running statistics. */
    public BatchNorm1d(int numFeatures) {
        this(numFeatures, 1e-5, 0.1, true, true);
    }

    /** A layer with explicit settings ({@code BatchNorm1d(num_features, eps, momentum, affine, track_running_stats)}). */
    public BatchNorm1d(int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats) {
        super(numFeatures, eps, momentum, affine, trackRunningStats);
    }

    @Override
    public Tensor forward(Tensor input) {
        int r = input.dim();
        if (r != 2 && r != 3)
            throw new IllegalArgumentException("BatchNorm1d: expected 2D or 3D input (got " + r + "D input of shape "
                    + Shape.str(input.shape()) + ")");
        return normalize(input);
    }
}
