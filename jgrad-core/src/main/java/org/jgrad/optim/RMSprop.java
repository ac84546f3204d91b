package org.jgrad.optim;

import java.util.Collection;
import java.util.List;
import org.jgrad.backend.Backends;
import org.jgrad.backend.OptimizerBackend;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Tensor;

/**
 * RMSprop, with PyTorch's {@code torch.optim.RMSprop} update:
 *
 * <pre>
 * g  ← ±grad + weight_decay·p
 * v  ← alpha·v + (1 − alpha)·g²
 * centered: m ← m + (1 − alpha)·(g − m);  den ← √(v − m²) + eps     else den ← √v + eps
 * momentum &gt; 0: b ← momentum·b + g/den;  p ← p − lr·b             else p ← p − lr·g/den
 * </pre>
 *
 * Defaults: lr 1e-2, alpha 0.99, eps 1e-8, weight_decay 0, momentum 0, centered false. Note that
 * eps is added outside the square root, as in PyTorch (Keras adds it inside).
 */
public final class RMSprop extends Optimizer {
    /** One group with lr 1e-2. */
    public RMSprop(Collection<Tensor> params) {
        this(params, 1e-2);
    }

    /** One group with the given learning rate. */
    public RMSprop(Collection<Tensor> params, double lr) {
        super("RMSprop", params);
        init(lr);
    }

    /** Several groups; their own options win over the defaults set here. */
    public RMSprop(List<ParamGroup> groups, double lr) {
        super("RMSprop", groups);
        init(lr);
    }

    private void init(double lr) {
        lr(lr);
        setDefault("alpha", 0.99);
        setDefault("eps", 1e-8);
        setDefault("weight_decay", 0.0);
        setDefault("momentum", 0.0);
        setDefault("centered", false);
        setDefault("maximize", false);
    }

    /** Default learning rate. */
    public RMSprop lr(double lr) {
        setDefault("lr", checked("lr", lr));
        return this;
    }

    /** Smoothing constant of the squared-gradient average. */
    public RMSprop alpha(double a) {
        setDefault("alpha", checked("alpha", a));
        return this;
    }

    /** Term added to the denominator for stability. */
    public RMSprop eps(double eps) {
        setDefault("eps", checked("eps", eps));
        return this;
    }

    /** L2 penalty coupled into the gradient: {@code g + wd·p}. */
    public RMSprop weightDecay(double wd) {
        setDefault("weight_decay", checked("weight_decay", wd));
        return this;
    }

    /** Momentum factor applied to the normalised step (0 disables it). */
    public RMSprop momentum(double m) {
        setDefault("momentum", checked("momentum", m));
        return this;
    }

    /** Normalises by the estimated variance of the gradient instead of its raw second moment. */
    public RMSprop centered(boolean on) {
        setDefault("centered", on);
        return this;
    }

    /** Ascends the objective instead of descending. */
    public RMSprop maximize(boolean on) {
        setDefault("maximize", on);
        return this;
    }

    @Override
    protected void checkOption(String key, double v) {
        switch (key) {
            case "lr" -> check("learning rate", v, v >= 0);
            case "alpha" -> check("alpha", v, v >= 0);
            case "eps" -> check("epsilon", v, v >= 0);
            case "weight_decay" -> check("weight_decay", v, v >= 0);
            case "momentum" -> check("momentum", v, v >= 0);
            default -> {}
        }
    }

    @Override
    protected void update(ParamGroup group, Tensor param, Tensor grad, ParamState s) {
        float momentum = (float) group.get("momentum");
        Tensor sq = s.buffer("square_avg", param, 0f);
        Tensor ga = group.flag("centered") ? s.buffer("grad_avg", param, 0f) : null;
        Tensor buf = momentum > 0 ? s.buffer("momentum_buffer", param, 0f) : null;
        var step = new OptimizerBackend.RmspropStep((float) group.lr(), (float) group.get("alpha"),
                (float) group.get("eps"), (float) group.weightDecay(), momentum, group.flag("maximize"));
        Backends.current().optimizers().rmsprop(TensorData.storage(param), TensorData.storage(grad),
                TensorData.storage(sq), ga == null ? null : TensorData.storage(ga),
                buf == null ? null : TensorData.storage(buf), param.numel(), step);
        s.incrementStep();
    }
}
