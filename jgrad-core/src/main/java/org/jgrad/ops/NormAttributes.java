package org.jgrad.ops;

import org.jgrad.autograd.OpAttributes;
import org.jgrad.tensor.Tensor;

/** Attributes of {@link NormOps}, as recorded on the graph. */
public sealed interface NormAttributes extends OpAttributes {
    /**
     * {@code native_batch_norm}.
     *
     * @param training batch statistics (true) or the running ones (false)
     * @param eps added to the variance
     * @param momentum weight of the newest batch in the running averages the caller keeps; null for a
     *     cumulative average, or when the op was called without one
     * @param runningMean the running mean read in evaluation (a buffer, not a graph input); null in training
     * @param runningVar the running variance read in evaluation; null in training
     */
    record BatchNorm(boolean training, double eps, Double momentum, Tensor runningMean, Tensor runningVar)
            implements NormAttributes {}

    /** {@code channel_window_sum} (local response norm's window): channels {@code [c − before, c + after]}. */
    record ChannelWindowSum(int before, int after) implements NormAttributes {}
}
