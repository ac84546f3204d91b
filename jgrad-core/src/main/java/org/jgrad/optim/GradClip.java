package org.jgrad.optim;

import java.util.Collection;
import org.jgrad.autograd.NoGrad;
import org.jgrad.backend.Backends;
import org.jgrad.backend.OptimizerBackend;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Tensor;

/**
 * Gradient clipping between {@code backward()} and {@code step()}, like
 * {@code torch.nn.utils.clip_grad_norm_} and {@code clip_grad_value_}. Parameters without a
 * gradient are skipped.
 */
public final class GradClip {
    private GradClip() {}

    /**
     * Scales all gradients together so that their combined norm is at most {@code maxNorm}; returns
     * the norm before clipping. The scale is {@code min(1, maxNorm / (total + 1e-6))}.
     *
     * @param normType p of the p-norm (2 for Euclidean); {@code Double.POSITIVE_INFINITY} for the max norm
     */
    public static double clipGradNorm(Collection<Tensor> params, double maxNorm, double normType) {
        return clipGradNorm(params, maxNorm, normType, false);
    }

    /** The Euclidean-norm form of {@link #clipGradNorm(Collection, double, double)}. */
    public static double clipGradNorm(Collection<Tensor> params, double maxNorm) {
        return clipGradNorm(params, maxNorm, 2.0, false);
    }

    /**
     * As {@link #clipGradNorm(Collection, double, double)}; with {@code errorIfNonfinite} a NaN or
     * infinite total norm throws instead of spreading NaN into every gradient.
     */
    public static double clipGradNorm(Collection<Tensor> params, double maxNorm, double normType, boolean errorIfNonfinite) {
        if (!(normType > 0))
            throw new IllegalArgumentException("clip_grad_norm: norm_type must be positive, got " + normType);
        boolean inf = normType == Double.POSITIVE_INFINITY;
        OptimizerBackend backend = Backends.current().optimizers();
        double acc = 0;
        for (Tensor p : params) {
            Tensor g = TensorData.peekGrad(p); // read only: the gradient is not handed out
            if (g == null) continue;
            // one running sum over every gradient in turn, so the total adds in the same order as one flat loop
            Tensor d = g.isDense() ? g : g.cloneData();
            acc = backend.normAccumulate(TensorData.storage(d), 0, d.numel(), normType, acc);
        }
        double total = inf ? acc : normType == 2 ? Math.sqrt(acc) : normType == 1 ? acc : Math.pow(acc, 1 / normType);
        if (errorIfNonfinite && !Double.isFinite(total))
            throw new IllegalStateException("clip_grad_norm: the total norm of order " + normType
                    + " of the gradients is non-finite (" + total + "), so it cannot be clipped");
        double coef = maxNorm / (total + 1e-6);
        if (coef < 1 || Double.isNaN(coef)) {
            float c = (float) coef;
            try (var _ = NoGrad.enter()) {
                for (Tensor p : params) {
                    Tensor g = TensorData.peekGrad(p);
                    if (g != null) g.mulInPlace(c);
                }
            }
        }
        return total;
    }

    /** Clamps every gradient element to {@code [−clipValue, clipValue]} in place. */
    public static void clipGradValue(Collection<Tensor> params, double clipValue) {
        if (!(clipValue >= 0)) throw new IllegalArgumentException("clip_grad_value: clip value must be >= 0, got " + clipValue);
        float c = (float) clipValue;
        try (var _ = NoGrad.enter()) {
            for (Tensor p : params) {
                Tensor g = TensorData.peekGrad(p);
                if (g == null) continue;
                if (g.isDense()) {
                    Backends.current().optimizers().clampInPlace(TensorData.storage(g), 0, g.numel(), c);
                } else {
                    g.copyInPlace(g.clamp(-c, c));
                }
            }
        }
    }
}
