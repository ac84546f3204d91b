package org.jgrad.backend;

/**
 * Fused optimizer updates over a parameter, its gradient and its state (SGD with momentum/Nesterov/weight
 * decay, Adam/AdamW, RMSprop, Adagrad), and the two gradient-clipping passes: PyTorch's fused
 * {@code _fused_adam_}/{@code _fused_sgd_} path, one call per parameter instead of a chain of tensor ops.
 *
 * <p>Every update reads {@code length} elements from index 0 of each storage (parameters, gradients and
 * state buffers are dense) and writes the parameter and the state buffers in place. A storage that an
 * option turns off (no momentum, no AMSGrad, not centered) is passed as null. The formulas are the
 * optimizers' own (see {@code org.jgrad.optim}); results must be bit-identical to them on every backend
 * that claims PyTorch's float32 semantics. The CPU implementation is {@code org.jgrad.backend.cpu.CpuOptimizer}.
 */
public interface OptimizerBackend {

    // ------------------------------------------------------------------ updates (org.jgrad.optim)

    /**
     * The hyperparameters of one SGD step, already rounded to float32 as the update uses them.
     *
     * @param lr learning rate
     * @param momentum momentum factor (0: no buffer)
     * @param dampening dampening of the gradient added to the momentum buffer
     * @param weightDecay L2 penalty added to the gradient
     * @param l1Decay L1 penalty: {@code l1Decay·sign(p)} added to the gradient
     * @param nesterov Nesterov momentum
     * @param maximize ascend instead of descend
     */
    record SgdStep(float lr, float momentum, float dampening, float weightDecay, float l1Decay, boolean nesterov,
            boolean maximize) {}

    /**
     * One step of {@code torch.optim.SGD} (plus jgrad's L1 decay):
     * {@code g ← ±grad + wd·p + l1·sign(p)}; with momentum {@code b ← g} on the first step, else
     * {@code b ← momentum·b + (1 − dampening)·g}, then {@code g ← g + momentum·b} (Nesterov) or
     * {@code g ← b}; {@code p ← p − lr·g}. With no momentum and no decay it is exactly
     * {@code p ← p − (±lr)·grad}, as PyTorch adds no zero terms.
     *
     * @param momentumBuffer the momentum buffer, or null when {@code step.momentum() == 0}
     * @param firstStep whether the momentum buffer is new (it is then set to g, not decayed)
     */
    void sgd(Storage param, Storage grad, Storage momentumBuffer, int length, boolean firstStep, SgdStep step);

    /**
     * The hyperparameters of one Adam step. {@code lr}, {@code beta1} and {@code beta2} stay double:
     * the bias corrections are computed in double, as PyTorch computes them in Python.
     *
     * @param t this parameter's step count, counting this step (≥ 1)
     * @param decoupledWeightDecay AdamW's {@code p ← p·(1 − lr·wd)} instead of {@code g + wd·p}
     */
    record AdamStep(double lr, double beta1, double beta2, float eps, float weightDecay, boolean amsgrad,
            boolean maximize, boolean decoupledWeightDecay, long t) {}

    /**
     * One step of {@code torch.optim.Adam}/{@code AdamW}: {@code m ← m + (1 − β1)(g − m)},
     * {@code v ← β2·v + (1 − β2)·g²}, AMSGrad {@code v̂ ← max(v̂, v)}, and
     * {@code p ← p − (lr / (1 − β1^t))·m / (√v̂ / √(1 − β2^t) + eps)}.
     *
     * @param maxExpAvgSq AMSGrad's running maximum, or null without AMSGrad
     */
    void adam(Storage param, Storage grad, Storage expAvg, Storage expAvgSq, Storage maxExpAvgSq, int length,
            AdamStep step);

    /** The hyperparameters of one RMSprop step (float32, as the update uses them). */
    record RmspropStep(float lr, float alpha, float eps, float weightDecay, float momentum, boolean maximize) {}

    /**
     * One step of {@code torch.optim.RMSprop}: {@code v ← α·v + (1 − α)·g²}; centered
     * {@code m ← m + (1 − α)(g − m)} and {@code den ← √(v − m²) + eps}, else {@code den ← √v + eps};
     * with momentum {@code b ← momentum·b + g/den, p ← p − lr·b}, else {@code p ← p − lr·g/den}.
     *
     * @param gradAvg the centered variant's gradient average, or null when not centered
     * @param momentumBuffer the momentum buffer, or null when {@code step.momentum() <= 0}
     */
    void rmsprop(Storage param, Storage grad, Storage squareAvg, Storage gradAvg, Storage momentumBuffer, int length,
            RmspropStep step);

    /**
     * The hyperparameters of one Adagrad step.
     *
     * @param t this parameter's step count, counting this step (≥ 1)
     */
    record AdagradStep(double lr, double lrDecay, float eps, float weightDecay, boolean maximize, long t) {}

    /**
     * One step of {@code torch.optim.Adagrad}: {@code clr ← lr / (1 + (t − 1)·lr_decay)} (in double),
     * {@code sum ← sum + g²}, {@code p ← p − clr·g / (√sum + eps)}.
     */
    void adagrad(Storage param, Storage grad, Storage sum, int length, AdagradStep step);

    // ------------------------------------------------------------------ gradient clipping (optim.GradClip)

    /**
     * {@code acc} plus the p-norm terms of {@code length} values from {@code offset}, in double and in
     * order: {@code |v|^p} summed ({@code |v|²} for p = 2, {@code |v|} for p = 1), or the running maximum
     * of {@code |v|} for p = ∞. Called once per gradient with the previous result, so a total over many
     * gradients adds in the same order wherever it runs.
     */
    double normAccumulate(Storage values, int offset, int length, double normType, double acc);

    /** Clamps {@code length} values from {@code offset} to {@code [−limit, limit]} in place (NaN stays NaN). */
    void clampInPlace(Storage values, int offset, int length, float limit);
}
