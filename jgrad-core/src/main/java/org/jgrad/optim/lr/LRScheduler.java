package org.jgrad.optim.lr;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jgrad.optim.Optimizer;
import org.jgrad.optim.ParamGroup;
import org.jgrad.optim.StateDicts;
import org.jgrad.tensor.Tensor;

/**
 * Base of the epoch-driven learning-rate schedules, with {@code torch.optim.lr_scheduler}'s
 * semantics: construction records each group's {@code initial_lr} (once, so schedulers can be
 * stacked), sets the epoch counter to 0 and applies the epoch-0 rate; each {@link #step()} then
 * advances the counter by one and writes the new rates into the optimizer's groups.
 *
 * <pre>{@code
 * var sched = new StepLR(opt, 30, 0.1);
 * for (int epoch = 0; epoch < 90; epoch++) {
 *     train(...);          // opt.step() inside
 *     sched.step();
 * }
 * }</pre>
 *
 * <p>Like PyTorch, {@link #step()} computes each rate from the group's current rate (the
 * "chainable" form), so two schedulers may act on one optimizer; {@link #step(int)} jumps to an
 * epoch with the closed form.
 */
public abstract class LRScheduler {
    /** The optimizer whose groups this schedule drives. */
    protected final Optimizer optimizer;
    /** Each group's {@code initial_lr}. */
    protected final double[] baseLrs;
    /** The epoch counter: 0 after construction. */
    protected int lastEpoch = -1;
    private int stepCount;
    private double[] lastLr;

    /** Records the base rates and applies the epoch-0 rate. */
    protected LRScheduler(Optimizer optimizer) {
        this(optimizer, true);
    }

    /** For composite schedules, which take the initial step themselves. */
    protected LRScheduler(Optimizer optimizer, boolean initialStep) {
        this.optimizer = optimizer;
        List<ParamGroup> groups = optimizer.paramGroups();
        baseLrs = new double[groups.size()];
        for (int i = 0; i < baseLrs.length; i++) {
            ParamGroup g = groups.get(i);
            if (!g.has("initial_lr")) g.set("initial_lr", g.lr());
            baseLrs[i] = g.get("initial_lr");
        }
        lastLr = currentLrs();
        if (initialStep) initialStep();
    }

    /** Resets the step count and takes the step that sets the epoch-0 rate. */
    protected final void initialStep() {
        stepCount = 0;
        step();
    }

    /** Advances one epoch and updates the learning rates. */
    public void step() {
        stepCount++;
        lastEpoch++;
        apply(computeLr());
    }

    /** Jumps to {@code epoch} and sets the closed-form rates for it. */
    public void step(int epoch) {
        stepCount++;
        lastEpoch = epoch;
        apply(closedFormLr());
    }

    /** The new rate of each group for {@link #lastEpoch}, from the groups' current rates. */
    protected abstract double[] computeLr();

    /** The rate of each group at {@link #lastEpoch} from the base rates alone. */
    protected double[] closedFormLr() {
        return computeLr();
    }

    /** Number of steps taken since construction (1 after construction). */
    protected final int stepCount() {
        return stepCount;
    }

    /** The current learning rate of group {@code i}. */
    protected final double groupLr(int i) {
        return optimizer.paramGroups().get(i).lr();
    }

    /** The current learning rates of all groups. */
    protected final double[] currentLrs() {
        List<ParamGroup> gs = optimizer.paramGroups();
        double[] out = new double[gs.size()];
        for (int i = 0; i < out.length; i++) out[i] = gs.get(i).lr();
        return out;
    }

    private void apply(double[] lrs) {
        List<ParamGroup> gs = optimizer.paramGroups();
        for (int i = 0; i < lrs.length; i++) gs.get(i).lr(lrs[i]);
        lastLr = lrs.clone();
    }

    /** Records the rates a composite schedule last applied through a child. */
    protected final void setLastLr(double[] lrs) {
        lastLr = lrs.clone();
    }

    /** The rates set by the last step, one per group, like {@code get_last_lr()}. */
    public double[] getLastLr() {
        return lastLr.clone();
    }

    /** The epoch counter. */
    public int lastEpoch() {
        return lastEpoch;
    }

    /** Decrements the epoch counter: composite schedules undo their children's initial steps. */
    protected void undoInitialStep() {
        lastEpoch--;
    }

    /**
     * The counter, step count, base and last rates (scalars encoded as {@link StateDicts}
     * describes); subclasses add their own entries with {@link #saveExtra}.
     */
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        out.put("last_epoch", StateDicts.encodeLong(lastEpoch));
        out.put("_step_count", StateDicts.encodeLong(stepCount));
        for (int i = 0; i < baseLrs.length; i++) {
            out.put("base_lrs." + i, StateDicts.encodeDouble(baseLrs[i]));
            out.put("_last_lr." + i, StateDicts.encodeDouble(lastLr[i]));
        }
        saveExtra(out);
        return out;
    }

    /** Restores a {@link #stateDict()}; the optimizer's rates come from its own state dict. */
    public void loadStateDict(Map<String, Tensor> dict) {
        String owner = getClass().getSimpleName();
        lastEpoch = (int) StateDicts.decodeLong(StateDicts.require(dict, "last_epoch", owner));
        stepCount = (int) StateDicts.decodeLong(StateDicts.require(dict, "_step_count", owner));
        for (int i = 0; i < baseLrs.length; i++) {
            baseLrs[i] = StateDicts.decodeDouble(StateDicts.require(dict, "base_lrs." + i, owner));
            lastLr[i] = StateDicts.decodeDouble(StateDicts.require(dict, "_last_lr." + i, owner));
        }
        loadExtra(dict);
    }

    /** Hook for subclasses with state beyond the counter. */
    protected void saveExtra(Map<String, Tensor> out) {}

    /** Hook for subclasses with state beyond the counter. */
    protected void loadExtra(Map<String, Tensor> dict) {}
}
