package org.jgrad.optim.lr;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jgrad.optim.Optimizer;
import org.jgrad.tensor.Tensor;

/**
 * A schedule made of other schedules ({@link ChainedScheduler}, {@link SequentialLR}): it has no
 * formula of its own, and its state dict nests each child's under {@code _schedulers.<i>.}, as
 * PyTorch's does.
 */
abstract class CompositeLR extends LRScheduler {
    /** The child schedules, in the order they were given. */
    protected final List<LRScheduler> schedulers;

    /** Wraps {@code schedulers}, which must all drive {@code optimizer}; the list is copied. */
    protected CompositeLR(Optimizer optimizer, List<LRScheduler> schedulers) {
        this.schedulers = List.copyOf(schedulers);
        super(optimizer, false);
    }

    @Override
    public void step(int epoch) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + ": step(epoch) is not supported; call step()");
    }

    @Override
    protected double[] computeLr() {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " delegates to its schedulers");
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
