package org.jgrad.optim;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jgrad.tensor.Tensor;

/**
 * What an optimizer remembers about one parameter between steps: a step count and named buffers
 * (momentum, moment estimates, ...) of the parameter's shape, like one entry of PyTorch's
 * {@code optimizer.state}.
 */
public final class ParamState {
    private long step;
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();

    /** Number of updates applied to this parameter. */
    public long step() {
        return step;
    }

    /** Adds one to the step count and returns the new count. */
    public long incrementStep() {
        return ++step;
    }

    void setStep(long s) {
        step = s;
    }

    /** Whether the buffer exists (it is created on first use). */
    public boolean has(String name) {
        return buffers.containsKey(name);
    }

    /**
     * The named buffer, a dense tensor in the shape of {@code like}, created filled with {@code init} on
     * first use. The optimizer updates it in place (under {@code NoGrad}), and {@link Optimizer#stateDict()}
     * saves it.
     */
    public Tensor buffer(String name, Tensor like, float init) {
        Tensor b = buffers.get(name);
        if (b == null) {
            b = init == 0 ? Tensor.zeros(like.shape()) : Tensor.full(init, like.shape());
            buffers.put(name, b);
        }
        return b;
    }

    /** The named buffers (read-only view). */
    public Map<String, Tensor> buffers() {
        return Collections.unmodifiableMap(buffers);
    }

    void putBuffer(String name, Tensor t) {
        buffers.put(name, t);
    }
}
