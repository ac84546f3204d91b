package org.jgrad.optim;

import java.util.Collection;
import java.util.List;
import org.jgrad.backend.Backends;
import org.jgrad.backend.OptimizerBackend;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Tensor;

/**
 * Adagrad, with PyTorch's {@code torch.optim.Adagrad} update (t counts this parameter's steps):
 *
 * <pre>
 * g   ← ±grad + weight_decay·p
 * clr ← lr / (1 + (t − 1)·lr_decay)
 * sum ← sum + g²                         (sum starts at initial_accumulator_value)
 * p   ← p − clr·g / (√sum + eps)
 * </pre>
 *
 * Defaults: lr 1e-2, lr_decay 0, weight_decay 0, initial_accumulator_value 0, eps 1e-10.
 */
public final class Adagrad extends Optimizer {
    /** One group with lr 1e-2. */
    public Adagrad(Collection<Tensor> params) {
        this(params, 1e-2);
    }

    /** One group with the given learning rate. */
    public Adagrad(Collection<Tensor> params, double lr) {
        super("Adagrad", params);
        init(lr);
    }

    /** Several groups; their own options win over the defaults set here. */
    public Adagrad(List<ParamGroup> groups, double lr) {
        super("Adagrad", groups);
        init(lr);
    }

    private void init(double lr) {
        lr(lr);
        setDefault("lr_decay", 0.0);
        setDefault("weight_decay", 0.0);
        setDefault("initial_accumulator_value", 0.0);
        setDefault("eps", 1e-10);
        setDefault("maximize", false);
    }

    /** Default learning rate. */
    public Adagrad lr(double lr) {
        setDefault("lr", checked("lr", lr));
        return this;
    }

    /** Decay of the learning rate: step t uses lr / (1 + (t − 1)·lr_decay). */
    public Adagrad lrDecay(double d) {
        setDefault("lr_decay", checked("lr_decay", d));
        return this;
    }

    /** L2 penalty coupled into the gradient: {@code g + wd·p}. */
    public Adagrad weightDecay(double wd) {
        setDefault("weight_decay", checked("weight_decay", wd));
        return this;
    }

    /** Starting value of the squared-gradient sum. */
    public Adagrad initialAccumulatorValue(double v) {
        setDefault("initial_accumulator_value", checked("initial_accumulator_value", v));
        return this;
    }

    /** Term added to the denominator for stability. */
    public Adagrad eps(double eps) {
        setDefault("eps", checked("eps", eps));
        return this;
    }

    /** Ascends the objective instead of descending. */
    public Adagrad maximize(boolean on) {
        setDefault("maximize", on);
        return this;
    }

    @Override
    protected void checkOption(String key, double v) {
        switch (key) {
            case "lr" -> check("learning rate", v, v >= 0);
            case "lr_decay" -> check("lr_decay", v, v >= 0);
            case "weight_decay" -> check("weight_decay", v, v >= 0);
            case "initial_accumulator_value" -> check("initial_accumulator_value", v, v >= 0);
            case "eps" -> check("epsilon", v, v >= 0);
            default -> {}
        }
    }

    @Override
    protected void update(ParamGroup group, Tensor param, Tensor grad, ParamState s) {
        Tensor sum = s.buffer("sum", param, (float) group.get("initial_accumulator_value"));
        long t = s.incrementStep();
        var step = new OptimizerBackend.AdagradStep(group.lr(), group.get("lr_decay"), (float) group.get("eps"),
                (float) group.weightDecay(), group.flag("maximize"), t);
        Backends.current().optimizers().adagrad(TensorData.storage(param), TensorData.storage(grad),
                TensorData.storage(sum), param.numel(), step);
    }
}
