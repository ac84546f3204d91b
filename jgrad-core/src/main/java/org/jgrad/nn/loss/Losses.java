package org.jgrad.nn.loss;

import org.jgrad.ops.BinaryLossOps;
import org.jgrad.ops.LossOps;
import org.jgrad.ops.MarginLossOps;
import org.jgrad.tensor.DType;
import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;

/**
 * The losses as functions, like {@code torch.nn.functional}'s loss functions. The loss classes
 * ({@link CrossEntropyLoss}, {@link MSELoss}, ...) hold the options and call these.
 */
public final class Losses {
    private Losses() {}

    /** PyTorch's default {@code ignore_index}: a value no real class index takes. */
    public static final long DEFAULT_IGNORE_INDEX = -100;

    /** Mean squared error {@code (x − y)²}, reduced. */
    public static Tensor mseLoss(Tensor input, Tensor target, Reduction reduction) {
        sameShape("mse_loss", input, target);
        return reduction.apply(input.sub(target).square());
    }

    /** Mean absolute error {@code |x − y|}, reduced. */
    public static Tensor l1Loss(Tensor input, Tensor target, Reduction reduction) {
        sameShape("l1_loss", input, target);
        return reduction.apply(input.sub(target).abs());
    }

    /** Cross-entropy of logits against int64 class indices with the mean over samples. */
    public static Tensor crossEntropy(Tensor input, Tensor target) {
        return crossEntropy(input, target, null, DEFAULT_IGNORE_INDEX, Reduction.MEAN, 0);
    }

    /**
     * Cross-entropy of logits (fused, stable log-softmax + NLL), like {@code F.cross_entropy}.
     *
     * <p>{@code input} is [C], [N, C] or [N, C, d1, ...]. {@code target} is either int64 class
     * indices ([], [N] or [N, d1, ...]) or float class probabilities of the input's shape. With
     * indices, {@code MEAN} divides by Σ weight[y] over non-ignored targets; with probabilities,
     * by the number of samples N·d1·..., and {@code ignoreIndex} does not apply.
     *
     * @param weight per-class weights [C], or null
     * @param labelSmoothing ε in [0, 1]: the target becomes (1−ε)·target + ε/C
     */
    public static Tensor crossEntropy(Tensor input, Tensor target, Tensor weight, long ignoreIndex,
                                      Reduction reduction, double labelSmoothing) {
        if (target.dtype() == DType.FLOAT32) {
            Tensor per = LossOps.crossEntropyProbs(input, target, weight, labelSmoothing);
            return reduction.apply(per, per.numel());
        }
        Tensor per = LossOps.crossEntropy(input, target, weight, ignoreIndex, labelSmoothing);
        return reduction == Reduction.MEAN ? reduction.apply(per, LossOps.weightedCount(target, weight, ignoreIndex))
                : reduction.apply(per);
    }

    /** Negative log-likelihood of log-probabilities against class indices, mean over samples. */
    public static Tensor nllLoss(Tensor input, Tensor target) {
        return nllLoss(input, target, null, DEFAULT_IGNORE_INDEX, Reduction.MEAN);
    }

    /**
     * Negative log-likelihood {@code −weight[y]·input[y]} of log-probabilities, like
     * {@code F.nll_loss}; {@code MEAN} divides by Σ weight[y] over non-ignored targets.
     */
    public static Tensor nllLoss(Tensor input, Tensor target, Tensor weight, long ignoreIndex, Reduction reduction) {
        Tensor per = LossOps.nll(input, target, weight, ignoreIndex);
        return reduction == Reduction.MEAN ? reduction.apply(per, LossOps.weightedCount(target, weight, ignoreIndex))
                : reduction.apply(per);
    }

    /**
     * Binary cross-entropy of probabilities in [0, 1], each log clamped at −100 as in PyTorch,
     * like {@code F.binary_cross_entropy}; {@code weight} (or null) broadcasts to the input.
     */
    public static Tensor binaryCrossEntropy(Tensor input, Tensor target, Tensor weight, Reduction reduction) {
        return reduction.apply(BinaryLossOps.bce(input, target, weight));
    }

    /**
     * Binary cross-entropy of logits, computed stably for any logit, like
     * {@code F.binary_cross_entropy_with_logits}. {@code weight} broadcasts to the input;
     * {@code posWeight} weighs the positive term and broadcasts along the last (class) dim.
     * Either may be null.
     */
    public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target, Tensor weight, Tensor posWeight,
                                                      Reduction reduction) {
        return reduction.apply(BinaryLossOps.bceWithLogits(input, target, weight, posWeight));
    }

    /**
     * PyTorch's multiclass hinge loss {@code F.multi_margin_loss}: per sample
     * {@code (w[y]/C)·Σ_{j≠y} max(0, margin − x_y + x_j)^p}, then reduced over samples.
     *
     * <p>The division by C is PyTorch's; for the lectures' un-normalised Weston–Watkins SVM loss
     * use {@link #multiClassHingeLoss}, or multiply this loss by C.
     */
    public static Tensor multiMarginLoss(Tensor input, Tensor target, int p, double margin, Tensor weight,
                                         Reduction reduction) {
        return reduction.apply(MarginLossOps.multiMargin(input, target, p, margin, weight, true));
    }

    /**
     * The multiclass SVM loss as the lectures write it (Weston–Watkins):
     * {@code L_i = Σ_{j≠y_i} max(0, s_j − s_{y_i} + margin)}, reduced over samples. Equals
     * {@link #multiMarginLoss} with p = 1 times the number of classes.
     */
    public static Tensor multiClassHingeLoss(Tensor input, Tensor target, double margin, Reduction reduction) {
        return reduction.apply(MarginLossOps.multiMargin(input, target, 1, margin, null, false));
    }

    /**
     * Hinge embedding loss, like {@code F.hinge_embedding_loss}: {@code x} where the target is 1,
     * {@code max(0, margin − x)} where it is −1 (targets are ±1 floats). As in PyTorch, any other
     * target value gets both terms.
     */
    public static Tensor hingeEmbeddingLoss(Tensor input, Tensor target, double margin, Reduction reduction) {
        sameShape("hinge_embedding_loss", input, target);
        Tensor zeros = Tensor.zerosLike(input);
        Tensor marginTerm = Tensor.where(target.ne(1f), input.rsub((float) margin).relu(), zeros);
        Tensor selfTerm = Tensor.where(target.ne(-1f), input, zeros);
        return reduction.apply(marginTerm.add(selfTerm));
    }

    private static void sameShape(String op, Tensor input, Tensor target) {
        if (!Shape.same(input.shape(), target.shape()))
            throw new IllegalArgumentException(op + ": target shape " + Shape.str(target.shape())
                    + " differs from input shape " + Shape.str(input.shape()));
    }
}
