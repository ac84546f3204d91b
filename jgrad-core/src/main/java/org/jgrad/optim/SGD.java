package org.jgrad.optim;

import java.util.Collection;
import java.util.List;
import org.jgrad.backend.Backends;
import org.jgrad.backend.OptimizerBackend;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Tensor;

/**
 * Stochastic gradient descent with optional momentum, Nesterov momentum, L2 weight decay and L1
 * decay, with PyTorch's {@code torch.optim.SGD} update:
 *
 * <pre>
 * g ← ±grad + weight_decay·p + l1_decay·sign(p)        (− when maximize)
 * b ← g on the first step, else momentum·b + (1 − dampening)·g
 * g ← g + momentum·b  (nesterov)   or   g ← b
 * p ← p − lr·g
 * </pre>
 *
 * {@code l1_decay} is jgrad's addition (the subgradient of {@code l1_decay·Σ|p|}); the rest
 * matches PyTorch step for step.
 *
 * <pre>{@code
 * var opt = new SGD(params, 0.1).momentum(0.9).weightDecay(5e-4);
 * }</pre>
 */
public final class SGD extends Optimizer {
    /** One group of {@code params} with learning rate {@code lr} and no momentum or decay. */
    public SGD(Collection<Tensor> params, double lr) {
        super("SGD", params);
        init(lr);
    }

    /** Several groups; their own options win over the defaults set here. */
    public SGD(List<ParamGroup> groups, double lr) {
        super("SGD", groups);
        init(lr);
    }

    private void init(double lr) {
        lr(lr);
        setDefault("momentum", 0.0);
        setDefault("dampening", 0.0);
        setDefault("weight_decay", 0.0);
        setDefault("nesterov", false);
        setDefault("maximize", false);
        setDefault("l1_decay", 0.0);
    }

    /** Default learning rate. */
    public SGD lr(double lr) {
        setDefault("lr", checked("lr", lr));
        return this;
    }

    /** Momentum factor (0 disables the buffer). */
    public SGD momentum(double m) {
        setDefault("momentum", checked("momentum", m));
        return this;
    }

    /** Dampening of the gradient added to the momentum buffer. */
    public SGD dampening(double d) {
        setDefault("dampening", checked("dampening", d));
        return this;
    }

    /** L2 penalty coupled into the gradient: {@code g + wd·p}. */
    public SGD weightDecay(double wd) {
        setDefault("weight_decay", checked("weight_decay", wd));
        return this;
    }

    /** L1 penalty: adds {@code l1·sign(p)} to the gradient (not in PyTorch). */
    public SGD l1Decay(double l1) {
        setDefault("l1_decay", checked("l1_decay", l1));
        return this;
    }

    /** Nesterov momentum; needs momentum &gt; 0 and zero dampening. */
    public SGD nesterov(boolean on) {
        setDefault("nesterov", on);
        return this;
    }

    /** Ascends the objective instead of descending. */
    public SGD maximize(boolean on) {
        setDefault("maximize", on);
        return this;
    }

    @Override
    protected void checkOption(String key, double v) {
        switch (key) {
            case "lr" -> check("learning rate", v, v >= 0);
            case "momentum" -> check("momentum", v, v >= 0);
            case "weight_decay" -> check("weight_decay", v, v >= 0);
            case "l1_decay" -> check("l1_decay", v, v >= 0);
            default -> {}
        }
    }

    @Override
    protected void update(ParamGroup group, Tensor param, Tensor grad, ParamState s) {
        float lr = (float) group.lr(), wd = (float) group.weightDecay(), l1 = (float) group.get("l1_decay");
        float momentum = (float) group.get("momentum"), dampening = (float) group.get("dampening");
        boolean nesterov = group.flag("nesterov"), maximize = group.flag("maximize");
        if (nesterov && (momentum <= 0 || dampening != 0))
            throw new IllegalArgumentException("SGD: Nesterov momentum requires a momentum and zero dampening");
        boolean first = !s.has("momentum_buffer");
        Tensor buf = momentum != 0 ? s.buffer("momentum_buffer", param, 0f) : null;
        Backends.current().optimizers().sgd(TensorData.storage(param), TensorData.storage(grad),
                buf == null ? null : TensorData.storage(buf), param.numel(), first,
                new OptimizerBackend.SgdStep(lr, momentum, dampening, wd, l1, nesterov, maximize));
        s.incrementStep();
    }
}
