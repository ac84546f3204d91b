package org.jgrad.optim.lr;

import java.util.List;

/**
 * Steps several schedules on the same optimizer together, each scaling the rate the previous
 * one left, like {@code ChainedScheduler} (e.g. a warmup multiplied into an exponential decay).
 */
public final class ChainedScheduler extends CompositeLR {

    /** Chains schedules that were constructed on the same optimizer; each has already applied its epoch-0 rate. */
    public ChainedScheduler(List<LRScheduler> schedulers) {
        if (schedulers.isEmpty()) throw new IllegalArgumentException("ChainedScheduler: expects at least one scheduler");
        for (LRScheduler s : schedulers)
            if (s.optimizer != schedulers.get(0).optimizer)
                throw new IllegalArgumentException("ChainedScheduler: every scheduler must drive the same optimizer");
        super(schedulers.get(0).optimizer, schedulers);
        lastEpoch = 0;
        setLastLr(currentLrs());
    }

    @Override
    public void step() {
        lastEpoch++;
        for (LRScheduler s : schedulers) s.step();
        setLastLr(currentLrs());
    }
}
