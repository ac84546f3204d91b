package org.jgrad.optim.lr;

import java.util.List;
import org.jgrad.optim.Optimizer;
import org.jgrad.optim.ParamGroup;

/**
 * Runs schedules one after another, switching at the milestone epochs, like {@code SequentialLR}:
 * schedule k drives epochs [milestone k−1, milestone k), and each one restarts from its own epoch
 * 0 when it takes over.
 *
 * <pre>{@code
 * var warmup = LinearLR.warmup(opt, 5);
 * var cosine = new CosineAnnealingLR(opt, 95);
 * var sched = new SequentialLR(opt, List.of(warmup, cosine), 5);
 * }</pre>
 */
public final class SequentialLR extends CompositeLR {
    private final int[] milestones;

    /** Schedules constructed on {@code optimizer}, switching at {@code milestones} (one fewer than schedules, sorted). */
    public SequentialLR(Optimizer optimizer, List<LRScheduler> schedulers, int... milestones) {
        if (schedulers.isEmpty()) throw new IllegalArgumentException("SequentialLR: expects at least one scheduler");
        if (milestones.length != schedulers.size() - 1)
            throw new IllegalArgumentException("SequentialLR: expects " + (schedulers.size() - 1) + " milestones for "
                    + schedulers.size() + " schedulers, got " + milestones.length);
        for (int i = 1; i < milestones.length; i++)
            if (milestones[i] < milestones[i - 1])
                throw new IllegalArgumentException("SequentialLR: milestones must be sorted, got " + java.util.Arrays.toString(milestones));
        for (LRScheduler s : schedulers)
            if (s.optimizer != optimizer)
                throw new IllegalArgumentException("SequentialLR: every scheduler must drive the optimizer given to SequentialLR");
        this.milestones = milestones.clone();
        super(optimizer, schedulers);
        lastEpoch = 0;
        for (ParamGroup g : optimizer.paramGroups()) g.lr(g.get("initial_lr"));
        for (LRScheduler s : this.schedulers) s.undoInitialStep();
        this.schedulers.get(0).initialStep();
        setLastLr(this.schedulers.get(0).getLastLr());
    }

    @Override
    public void step() {
        lastEpoch++;
        int idx = 0; // bisect_right(milestones, lastEpoch)
        while (idx < milestones.length && milestones[idx] <= lastEpoch) idx++;
        LRScheduler s = schedulers.get(idx);
        if (idx > 0 && milestones[idx - 1] == lastEpoch) s.step(0);
        else s.step();
        setLastLr(s.getLastLr());
    }
}
