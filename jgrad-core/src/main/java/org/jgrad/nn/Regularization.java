package org.jgrad.nn;

import java.util.Collection;
import org.jgrad.tensor.Tensor;

/**
 * Weight penalties R(W) to add to a data loss, {@code L = data + λ·R(W)}, as differentiable
 * 0-d tensors (the lectures' L1, L2 and elastic net). To penalise weights but not biases, pass
 * only the weight tensors.
 *
 * <pre>{@code
 * Tensor loss = dataLoss.add(Regularization.l2(List.of(w1, w2)).mul(lambda));
 * }</pre>
 *
 * For plain SGD, an L2 penalty of λ/2·Σ W² is the same as {@code weightDecay(λ)} in the
 * optimizer, which is cheaper; with adaptive optimizers the two differ (see AdamW).
 */
public final class Regularization {
    private Regularization() {}

    /** L1: {@code Σ |W|} over all elements of all tensors. */
    public static Tensor l1(Collection<Tensor> params) {
        Tensor r = Tensor.scalar(0f);
        for (Tensor p : params) r = r.add(p.abs().sum());
        return r;
    }

    /** L2: {@code Σ W²} (the sum of squares, not its square root and not halved). */
    public static Tensor l2(Collection<Tensor> params) {
        Tensor r = Tensor.scalar(0f);
        for (Tensor p : params) r = r.add(p.square().sum());
        return r;
    }

    /**
     * Elastic net as the lectures write it: {@code Σ β·W² + |W|}. {@code beta} weighs the L2 part
     * against the L1 part.
     */
    public static Tensor elasticNet(Collection<Tensor> params, double beta) {
        Tensor r = Tensor.scalar(0f);
        for (Tensor p : params) r = r.add(p.square().mul((float) beta).add(p.abs()).sum());
        return r;
    }
}
