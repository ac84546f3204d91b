package org.jgrad.optim;

import java.util.Collection;
import java.util.List;
import org.jgrad.backend.Backends;
import org.jgrad.backend.OptimizerBackend;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Tensor;

/**
 * Adam, with PyTorch's {@code torch.optim.Adam} update (t counts this parameter's steps):
 *
 * <pre>
 * g ← ±grad + weight_decay·p                 (L2, coupled; AdamW instead does p ← p·(1 − lr·wd))
 * m ← m + (1 − β1)·(g − m)
 * v ← β2·v + (1 − β2)·g²
 * amsgrad: v̂ ← max(v̂, v), else v̂ = v
 * p ← p − (lr / (1 − β1^t)) · m / (√v̂ / √(1 − β2^t) + eps)
 * </pre>
 *
 * Defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight_decay 0, amsgrad false. With
 * {@code decoupledWeightDecay(true)} it is {@link AdamW}.
 */
public class Adam extends Optimizer {
    /** One group with lr 1e-3. */
    public Adam(Collection<Tensor> params) {
        this(params, 1e-3);
    }

    /** One group with the given learning rate. */
    public Adam(Collection<Tensor> params, double lr) {
        super("Adam", params);
        init(lr, 0.0, false);
    }

    /** Several groups; their own options win over the defaults set here. */
    public Adam(List<ParamGroup> groups, double lr) {
        super("Adam", groups);
        init(lr, 0.0, false);
    }

    Adam(String name, Collection<Tensor> params, double lr, double weightDecay) {
        super(name, params);
        init(lr, weightDecay, true);
    }

    Adam(String name, List<ParamGroup> groups, double lr, double weightDecay) {
        super(name, groups);
        init(lr, weightDecay, true);
    }

    private void init(double lr, double wd, boolean decoupled) {
        lr(lr);
        setDefault("beta1", 0.9);
        setDefault("beta2", 0.999);
        setDefault("eps", 1e-8);
        setDefault("weight_decay", checked("weight_decay", wd));
        setDefault("amsgrad", false);
        setDefault("maximize", false);
        setDefault("decoupled_weight_decay", decoupled);
    }

    /** Default learning rate. */
    public Adam lr(double lr) {
        setDefault("lr", checked("lr", lr));
        return this;
    }

    /** Decay rates of the first and second moment estimates, each in [0, 1). */
    public Adam betas(double beta1, double beta2) {
        setDefault("beta1", checked("beta1", beta1));
        setDefault("beta2", checked("beta2", beta2));
        return this;
    }

    /** Term added to the denominator for stability. */
    public Adam eps(double eps) {
        setDefault("eps", checked("eps", eps));
        return this;
    }

    /** Weight decay: L2 added to the gradient, or decoupled (see {@link #decoupledWeightDecay}). */
    public Adam weightDecay(double wd) {
        setDefault("weight_decay", checked("weight_decay", wd));
        return this;
    }

    /** Uses the maximum of past second moments (the AMSGrad variant). */
    public Adam amsgrad(boolean on) {
        setDefault("amsgrad", on);
        return this;
    }

    /** Ascends the objective instead of descending. */
    public Adam maximize(boolean on) {
        setDefault("maximize", on);
        return this;
    }

    /** Decays weights directly ({@code p·(1 − lr·wd)}) instead of adding {@code wd·p} to the gradient. */
    public Adam decoupledWeightDecay(boolean on) {
        setDefault("decoupled_weight_decay", on);
        return this;
    }

    @Override
    protected void checkOption(String key, double v) {
        switch (key) {
            case "lr" -> check("learning rate", v, v >= 0);
            case "beta1" -> check("beta parameter at index 0", v, v >= 0 && v < 1);
            case "beta2" -> check("beta parameter at index 1", v, v >= 0 && v < 1);
            case "eps" -> check("epsilon", v, v >= 0);
            case "weight_decay" -> check("weight_decay", v, v >= 0);
            default -> {}
        }
    }

    @Override
    protected final void update(ParamGroup group, Tensor param, Tensor grad, ParamState s) {
        boolean amsgrad = group.flag("amsgrad");
        Tensor m = s.buffer("exp_avg", param, 0f), v = s.buffer("exp_avg_sq", param, 0f);
        Tensor vmax = amsgrad ? s.buffer("max_exp_avg_sq", param, 0f) : null;
        long t = s.incrementStep();
        var step = new OptimizerBackend.AdamStep(group.lr(), group.get("beta1"), group.get("beta2"),
                (float) group.get("eps"), (float) group.weightDecay(), amsgrad, group.flag("maximize"),
                group.flag("decoupled_weight_decay"), t);
        Backends.current().optimizers().adam(TensorData.storage(param), TensorData.storage(grad), TensorData.storage(m),
                TensorData.storage(v), vmax == null ? null : TensorData.storage(vmax), param.numel(), step);
    }
}
