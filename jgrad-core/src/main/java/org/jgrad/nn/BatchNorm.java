package org.jgrad.nn;

import org.jgrad.ops.NormOps;
import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;

/**
 * What {@link BatchNorm1d} and {@link BatchNorm2d} share (PyTorch's {@code _BatchNorm}):
 * {@code y = (x − mean)/√(var + eps)·weight + bias} over every dim but the channel dim 1. In training
 * the batch statistics (biased variance) normalize and the running statistics are updated with the
 * unbiased variance; in evaluation the running statistics normalize. Buffers {@code running_mean},
 * {@code running_var} and the int64 counter {@code num_batches_tracked} match PyTorch's state dict.
 */
public abstract class BatchNorm extends Module {
    private final int numFeatures;
    private final double eps;
    private final Double momentum;
    private final boolean affine, trackRunningStats;

    /**
     * @param momentum weight of the newest batch in the running averages, or null for a cumulative
     *                 average over all batches seen
     */
    protected BatchNorm(int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats) {
        this(numFeatures, eps, momentum, affine, affine, trackRunningStats);
    }

    /**
     * A layer whose scale γ and shift β are switched on and off separately, for layouts that have one
     * without the other (Keras' {@code BatchNormalization(scale=False)} keeps β only: Inception-v3 and
     * Inception-ResNet-v2 follow every convolution with it, since the ReLU after it makes γ redundant).
     *
     * @param scale whether there is a learnable γ ({@code weight})
     * @param center whether there is a learnable β ({@code bias})
     */
    protected BatchNorm(int numFeatures, double eps, Double momentum, boolean scale, boolean center,
            boolean trackRunningStats) {
        if (numFeatures <= 0)
            throw new IllegalArgumentException(getClass().getSimpleName() + ": num_features must be positive, got " + numFeatures);
        this.numFeatures = numFeatures;
        this.eps = eps;
        this.momentum = momentum;
        this.affine = scale && center;
        this.trackRunningStats = trackRunningStats;
        registerParameter("weight", scale ? Tensor.ones(numFeatures) : null);
        registerParameter("bias", center ? Tensor.zeros(numFeatures) : null);
        registerBuffer("running_mean", trackRunningStats ? Tensor.zeros(numFeatures) : null);
        registerBuffer("running_var", trackRunningStats ? Tensor.ones(numFeatures) : null);
        registerBuffer("num_batches_tracked", trackRunningStats ? Tensor.zerosLong() : null);
    }

    /** The epsilon added to the variance. */
    public double eps() {
        return eps;
    }

    /** The number of features (channels) C. */
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

    /** Normalizes an input whose rank the subclass has checked: [N, C, *]. */
    protected final Tensor normalize(Tensor input) {
        return normalize(input, null, false);
    }

    /**
     * {@code relu(normalize(input) + residual)} ({@code residual} may be null) when {@code relu}, else
     * {@code normalize(input)} ({@code residual} then null); in training as one fused op ({@link NormOps#batchNormTrainRelu}): the same values, gradients and
     * running statistics as the separate ops. See {@link LayerFusion}.
     */
    final Tensor normalize(Tensor input, Tensor residual, boolean relu) {
        String name = getClass().getSimpleName();
        if (input.size(1) != numFeatures)
            throw new IllegalArgumentException(name + ": expected " + numFeatures + " channels in dim 1, got input "
                    + Shape.str(input.shape()));
        if (!isTraining() && trackRunningStats) {
            Tensor y = NormOps.batchNormEval(input, runningMean(), runningVar(), weight(), bias(), (float) eps);
            if (residual != null) y = y.add(residual);
            return relu ? y.relu() : y;
        }
        // checked before the counter moves, so that a rejected batch leaves no trace
        if (input.numel() / numFeatures <= 1)
            throw new IllegalArgumentException(name + ": expected more than 1 value per channel when training, "
                    + "got input size " + Shape.str(input.shape()));
        Double m = trackRunningStats ? momentum : null;
        NormOps.BatchNormResult r = relu ? NormOps.batchNormTrainRelu(input, weight(), bias(), residual, (float) eps, m)
                : NormOps.batchNormTrain(input, weight(), bias(), (float) eps, m);
        if (isTraining() && trackRunningStats) {
            Tensor counter = buffer("num_batches_tracked").reshape(1); // a view of the one-element buffer
            long n = counter.getLong(0) + 1;
            counter.setLong(n, 0);
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
