package org.jgrad.optim;

import java.util.Collection;
import java.util.List;
import org.jgrad.tensor.Tensor;

/**
 * Adam with decoupled weight decay (Loshchilov &amp; Hutter), like {@code torch.optim.AdamW}:
 * before the Adam update each weight shrinks by {@code p ← p·(1 − lr·weight_decay)}, instead of
 * {@code wd·p} being added to the gradient, where Adam's normalisation would weaken it for
 * parameters with large gradients.
 *
 * <p>Defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight_decay 1e-2, amsgrad false.
 */
public final class AdamW extends Adam {
    /** One group with lr 1e-3 and weight decay 1e-2. */
    public AdamW(Collection<Tensor> params) {
        this(params, 1e-3);
    }

    public AdamW(Collection<Tensor> params, double lr) {
        super("AdamW", params, lr, 1e-2);
    }

    /** Several groups; their own options win over the defaults set here. */
    public AdamW(List<ParamGroup> groups, double lr) {
        super("AdamW", groups, lr, 1e-2);
    }

    @Override
    public AdamW lr(double lr) {
        super.lr(lr);
        return this;
    }

    @Override
    public AdamW betas(double beta1, double beta2) {
        super.betas(beta1, beta2);
        return this;
    }

    @Override
    public AdamW eps(double eps) {
        super.eps(eps);
        return this;
    }

    @Override
    public AdamW weightDecay(double wd) {
        super.weightDecay(wd);
        return this;
    }

    @Override
    public AdamW amsgrad(boolean on) {
        super.amsgrad(on);
        return this;
    }

    @Override
    public AdamW maximize(boolean on) {
        super.maximize(on);
        return this;
    }
}
