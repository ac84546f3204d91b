package org.jgrad.nn.loss;

import org.jgrad.tensor.Tensor;

/**
 * Negative log-likelihood of log-probabilities against int64 class indices, like
 * {@code nn.NLLLoss}; pair it with a log-softmax output. The mean divides by Σ weight[y] over
 * non-ignored targets.
 */
public final class NLLLoss implements Loss {
    private final Tensor weight;
    private final long ignoreIndex;
    private final Reduction reduction;

    /** No class weights, ignore index −100, mean reduction. */
    public NLLLoss() {
        this(null, Losses.DEFAULT_IGNORE_INDEX, Reduction.MEAN);
    }

    public NLLLoss(Reduction reduction) {
        this(null, Losses.DEFAULT_IGNORE_INDEX, reduction);
    }

    /** All options; {@code weight} [C] may be null. */
    public NLLLoss(Tensor weight, long ignoreIndex, Reduction reduction) {
        this.weight = weight;
        this.ignoreIndex = ignoreIndex;
        this.reduction = reduction;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return Losses.nllLoss(input, target, weight, ignoreIndex, reduction);
    }

    public Tensor weight() {
        return weight;
    }

    public long ignoreIndex() {
        return ignoreIndex;
    }

    @Override
    public Reduction reduction() {
        return reduction;
    }

    @Override
    public String toString() {
        return "NLLLoss()";
    }
}
