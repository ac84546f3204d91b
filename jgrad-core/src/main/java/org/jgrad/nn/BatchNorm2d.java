package org.jgrad.nn;

import org.jgrad.ops.NormOps;
import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;

/**
 * Batch normalization per channel of [N, C, H, W] inputs, like {@code torch.nn.BatchNorm2d}:
 * {@code y = (x − mean)/√(var + eps)·weight + bias}, statistics over (N, H, W). In training the batch
 * statistics (biased variance) normalize and the running statistics are updated with the unbiased
 * variance, {@code running = (1 − momentum)·running + momentum·batch}; in evaluation the running
 * statistics normalize. Buffers {@code running_mean}, {@code running_var} and the int64
 * {@code num_batches_tracked} match PyTorch's state dict.
 */
public class BatchNorm2d extends Module {
    private final int numFeatures;
    private final double eps;
    private final Double momentum;
    private final boolean affine, trackRunningStats;

    /** PyTorch's defaults: eps 1e-5, momentum 0.1, affine, tracking running statistics. */
    public BatchNorm2d(int numFeatures) {
        this(numFeatures, 1e-5, 0.1, true, true);
    }

    /**
     * A layer with explicit settings.
     *
     * @param momentum weight of the newest batch in the running averages, or null for a cumulative
     *                 average over all batches seen
     */
    public BatchNorm2d(int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats) {
        if (numFeatures <= 0)
            throw new IllegalArgumentException("BatchNorm2d: num_features must be positive, got " + numFeatures);
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

    /** The number of channels C. */
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

    @Override
    public Tensor forward(Tensor input) {
        if (input.dim() != 4)
            throw new IllegalArgumentException("BatchNorm2d: expected 4D input (got " + input.dim() + "D input of shape "
                    + Shape.str(input.shape()) + ")");
        if (input.size(1) != numFeatures)
            throw new IllegalArgumentException("BatchNorm2d: expected " + numFeatures + " channels in dim 1, got input "
                    + Shape.str(input.shape()));
        if (!isTraining() && trackRunningStats)
            return NormOps.batchNormEval(input, runningMean(), runningVar(), weight(), bias(), (float) eps);
        // checked before the counter moves, so that a rejected batch leaves no trace
        if (input.numel() / numFeatures <= 1)
            throw new IllegalArgumentException("BatchNorm2d: expected more than 1 value per channel when training, "
                    + "got input size " + Shape.str(input.shape()));
        NormOps.BatchNormResult r = NormOps.batchNormTrain(input, weight(), bias(), (float) eps);
        if (isTraining() && trackRunningStats) {
            Tensor counter = buffer("num_batches_tracked");
            long n = ++counter.longStorage()[counter.offset()];
            double factor = momentum == null ? 1.0 / n : momentum;
            r.updateRunningStats(runningMean(), runningVar(), (float) factor);
        }
        return r.output();
    }

    @Override
    public String extraRepr() {
        return numFeatures + ", eps=" + PyRepr.pyFloat(eps) + ", momentum="
                + (momentum == null ? "None" : PyRepr.pyFloat(momentum)) + ", affine=" + PyRepr.pyBool(affine)
                + ", track_running_stats=" + PyRepr.pyBool(trackRunningStats);
    }
}
