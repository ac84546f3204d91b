package org.jgrad.nn;

import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;

/**
 * Batch normalization per channel of [N, C, H, W] inputs, like {@code torch.nn.BatchNorm2d}:
 * statistics over (N, H, W), running statistics updated as
 * {@code running = (1 − momentum)·running + momentum·batch}; see {@link BatchNorm}.
 */
public class BatchNorm2d extends BatchNorm {

    /** PyTorch's defaults: eps 1e-5, momentum 0.1, affine, tracking running statistics. */
    public BatchNorm2d(int numFeatures) {
        this(numFeatures, 1e-5, 0.1, true, true);
    }

    /** A layer with explicit settings ({@code BatchNorm2d(num_features, eps, momentum, affine, track_running_stats)}). */
    public BatchNorm2d(int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats) {
        super(numFeatures, eps, momentum, affine, trackRunningStats);
    }

    @Override
    public Tensor forward(Tensor input) {
        if (input.dim() != 4)
            throw new IllegalArgumentException("BatchNorm2d: expected 4D input (got " + input.dim() + "D input of shape "
                    + Shape.str(input.shape()) + ")");
        return normalize(input);
    }

    /** {@code relu(forward(input) + residual)} ({@code residual} null for none) as one fused op; see {@link LayerFusion}. */
    Tensor forwardRelu(Tensor input, Tensor residual) {
        if (input.dim() != 4)
            throw new IllegalArgumentException("BatchNorm2d: expected 4D input (got " + input.dim() + "D input of shape "
                    + Shape.str(input.shape()) + ")");
        return normalize(input, residual, true);
    }
}
