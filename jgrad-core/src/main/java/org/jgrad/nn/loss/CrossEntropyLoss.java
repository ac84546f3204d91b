package org.jgrad.nn.loss;

import org.jgrad.tensor.Tensor;

/**
 * Cross-entropy of logits, like {@code nn.CrossEntropyLoss}: a fused, numerically stable
 * log-softmax + negative log-likelihood. See {@link Losses#crossEntropy(Tensor, Tensor, Tensor, long, Reduction, double)}
 * for shapes and the meaning of each option.
 *
 * <pre>{@code
 * var loss = new CrossEntropyLoss().withLabelSmoothing(0.1);
 * Tensor l = loss.forward(logits, labels);   // logits [N, C], labels int64 [N]
 * }</pre>
 */
public final class CrossEntropyLoss implements Loss {
    private final Tensor weight;
    private final long ignoreIndex;
    private final Reduction reduction;
    private final double labelSmoothing;

    /** No class weights, ignore index −100, mean reduction, no label smoothing. */
    public CrossEntropyLoss() {
        this(null, Losses.DEFAULT_IGNORE_INDEX, Reduction.MEAN, 0);
    }

    public CrossEntropyLoss(Reduction reduction) {
        this(null, Losses.DEFAULT_IGNORE_INDEX, reduction, 0);
    }

    /** All options, in PyTorch's order. {@code weight} may be null. */
    public CrossEntropyLoss(Tensor weight, long ignoreIndex, Reduction reduction, double labelSmoothing) {
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1))
            throw new IllegalArgumentException("CrossEntropyLoss: label_smoothing must be in [0, 1], got " + labelSmoothing);
        this.weight = weight;
        this.ignoreIndex = ignoreIndex;
        this.reduction = reduction;
        this.labelSmoothing = labelSmoothing;
    }

    /** A copy with per-class weights [C]. */
    public CrossEntropyLoss withWeight(Tensor w) {
        return new CrossEntropyLoss(w, ignoreIndex, reduction, labelSmoothing);
    }

    /** A copy that ignores targets equal to {@code index}. */
    public CrossEntropyLoss withIgnoreIndex(long index) {
        return new CrossEntropyLoss(weight, index, reduction, labelSmoothing);
    }

    /** A copy with label smoothing ε. */
    public CrossEntropyLoss withLabelSmoothing(double eps) {
        return new CrossEntropyLoss(weight, ignoreIndex, reduction, eps);
    }

    /** A copy with another reduction. */
    public CrossEntropyLoss withReduction(Reduction r) {
        return new CrossEntropyLoss(weight, ignoreIndex, r, labelSmoothing);
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return Losses.crossEntropy(input, target, weight, ignoreIndex, reduction, labelSmoothing);
    }

    public Tensor weight() {
        return weight;
    }

    public long ignoreIndex() {
        return ignoreIndex;
    }

    public double labelSmoothing() {
        return labelSmoothing;
    }

    @Override
    public Reduction reduction() {
        return reduction;
    }

    @Override
    public String toString() {
        return "CrossEntropyLoss()";
    }
}
