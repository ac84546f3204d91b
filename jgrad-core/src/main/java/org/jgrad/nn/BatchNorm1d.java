package org.jgrad.nn;

import org.jgrad.nn.functional.F;
import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;

/**
 * Batch normalization over the feature dim of [N, C] or [N, C, L] inputs, like
 * {@code torch.nn.BatchNorm1d}: {@code y = (x − mean)/√(var + eps)·weight + bias}. In training the
 * batch statistics (biased variance) normalize and the running statistics are updated with the
 * unbiased variance; in evaluation the running statistics normalize. Buffers {@code running_mean},
 * {@code running_var} and the int64 counter {@code num_batches_tracked} match PyTorch's state dict.
 */
public class BatchNorm1d extends Module {
    private final int numFeatures;
    private final double eps;
    private final Double momentum;
    private final boolean affine, trackRunningStats;

    /** PyTorch's defaults: eps 1e-5, momentum 0.1, affine, tracking running statistics. */
    public BatchNorm1d(int numFeatures) {
        this(numFeatures, 1e-5, 0.1, true, true);
    }

    /**
     * A layer with explicit settings ({@code BatchNorm1d(num_features, eps, momentum, affine, track_running_stats)}).
     *
     * @param momentum weight of the newest batch in the running averages, or null for a cumulative
     *                 average over all batches seen
     */
    public BatchNorm1d(int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats) {
        if (numFeatures <= 0)
            throw new IllegalArgumentException("BatchNorm1d: num_features must be positive, got " + numFeatures);
        this.numFeatures = numFeatures;
        this.eps = eps;
        this.momentum = momentum;
        this.affine = affine;
        this.trackRunningStats = trackRunningStats;
        registerParameter("weight", affine ? Tensor.ones(numFeatures) : null);
        registerParameter("bias", affine ? Tensor.zeros(numFeatures) : null);
        registerBuffer("running_mean", trackRunningStats ? Tensor.zeros(numFeatures) : null);
        registerBuffer("running_var", trackRunningStats ? Tensor.ones(numFeatures) : null);
        registerBuffer("num_batches_tracked", trackRunningStats ? Tensor.zerosLong() : null);
    }

    /** The number of features C. */
    public int numFeatures() {
        return numFeatures;
    }

    /** The scale γ, or null without {@code affine}. */
    public Tensor weight() {
        return parameter("weight");
    }

    /** The shift β, or null without {@code affine}. */
    public Tensor bias() {
        return parameter("bias");
    }

    /** The running mean buffer, or null without running statistics. */
    public Tensor runningMean() {
        return buffer("running_mean");
    }

    /** The running (unbiased) variance buffer, or null without running statistics. */
    public Tensor runningVar() {
        return buffer("running_var");
    }

    /** Training batches seen so far (0 without running statistics). */
    public long numBatchesTracked() {
        Tensor t = buffer("num_batches_tracked");
        return t == null ? 0 : t.getLong();
    }

    /** Resets running statistics to mean 0, variance 1 and the counter to 0. */
    public void resetRunningStats() {
        if (!trackRunningStats) return;
        try (var g = org.jgrad.autograd.NoGrad.enter()) {
            runningMean().fillInPlace(0);
            runningVar().fillInPlace(1);
        }
        setBuffer("num_batches_tracked", Tensor.zerosLong());
    }

    @Override
    public Tensor forward(Tensor input) {
        int r = input.dim();
        if (r != 2 && r != 3)
            throw new IllegalArgumentException("BatchNorm1d: expected 2D or 3D input (got " + r + "D input of shape "
                    + Shape.str(input.shape()) + ")");
        if (input.size(1) != numFeatures)
            throw new IllegalArgumentException("BatchNorm1d: expected " + numFeatures + " features in dim 1, got input "
                    + Shape.str(input.shape()));
        // checked here as well as in F.batchNorm so that a rejected batch does not advance the counter
        if (isTraining() && input.numel() / numFeatures <= 1)
            throw new IllegalArgumentException("BatchNorm1d: expected more than 1 value per channel when training, "
                    + "got input size " + Shape.str(input.shape()));
        double factor = 0;
        if (isTraining() && trackRunningStats) {
            Tensor counter = buffer("num_batches_tracked");
            long n = ++counter.longStorage()[counter.offset()];
            factor = momentum == null ? 1.0 / n : momentum;
        }
        // Batch statistics in training, and in evaluation too when no running statistics exist.
        boolean useBatchStats = isTraining() || !trackRunningStats;
        return F.batchNorm(input, runningMean(), runningVar(), weight(), bias(), useBatchStats, factor, eps);
    }

    @Override
    public String extraRepr() {
        return numFeatures + ", eps=" + PyRepr.pyFloat(eps) + ", momentum="
                + (momentum == null ? "None" : PyRepr.pyFloat(momentum)) + ", affine=" + PyRepr.pyBool(affine)
                + ", track_running_stats=" + PyRepr.pyBool(trackRunningStats);
    }
}
