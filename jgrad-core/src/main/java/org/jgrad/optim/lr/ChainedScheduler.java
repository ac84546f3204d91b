package org.jgrad.optim.lr;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jgrad.tensor.Tensor;

/**
 * Steps several schedules on the same optimizer together, each scaling the rate the previous
 * one left, like {@code ChainedScheduler} (e.g. a warmup multiplied into an exponential decay).
 */
public final class ChainedScheduler extends LRScheduler {
    private final List<LRScheduler> schedulers;

    public ChainedScheduler(List<LRScheduler> schedulers) {
        if (schedulers.isEmpty()) throw new IllegalArgumentException("ChainedScheduler: expects at least one scheduler");
        for (LRScheduler s : schedulers)
            if (s.optimizer != schedulers.get(0).optimizer)
                throw new IllegalArgumentException("ChainedScheduler: every scheduler must drive the same optimizer");
        this.schedulers = List.copyOf(schedulers);
        super(schedulers.get(0).optimizer, false);
        lastEpoch = 0;
        setLastLr(currentLrs());
    }

    @Override
    public void step() {
        lastEpoch++;
        for (LRScheduler s : schedulers) s.step();
        setLastLr(currentLrs());
    }

    @Override
    public void step(int epoch) {
        throw new UnsupportedOperationException("ChainedScheduler: step(epoch) is not supported; call step()");
    }

    @Override
    protected double[] computeLr() {
        throw new UnsupportedOperationException("ChainedScheduler delegates to its schedulers");
    }

    @Override
    protected void undoInitialStep() {
        for (LRScheduler s : schedulers) s.undoInitialStep();
    }

    @Override
    protected void saveExtra(Map<String, Tensor> out) {
        for (int i = 0; i < schedulers.size(); i++) {
            String prefix = "_schedulers." + i + ".";
            schedulers.get(i).stateDict().forEach((k, v) -> out.put(prefix + k, v));
        }
    }

    @Override
    protected void loadExtra(Map<String, Tensor> dict) {
        for (int i = 0; i < schedulers.size(); i++) schedulers.get(i).loadStateDict(withPrefix(dict, "_schedulers." + i + "."));
    }

    /** The entries under {@code prefix}, with the prefix removed. */
    static Map<String, Tensor> withPrefix(Map<String, Tensor> dict, String prefix) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        dict.forEach((k, v) -> {
            if (k.startsWith(prefix)) out.put(k.substring(prefix.length()), v);
        });
        return out;
    }
}
