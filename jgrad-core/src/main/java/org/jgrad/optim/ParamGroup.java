package org.jgrad.optim;

import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jgrad.tensor.Tensor;

/**
 * A set of parameters that share hyperparameters, like one entry of PyTorch's
 * {@code optimizer.param_groups}: its own learning rate, weight decay and any optimizer option.
 *
 * <pre>{@code
 * var opt = new SGD(List.of(new ParamGroup(backbone).lr(1e-3), new ParamGroup(head)), 0.1).momentum(0.9);
 * }</pre>
 *
 * Options set here win over the optimizer's defaults; the rest are filled from the defaults.
 * Booleans (nesterov, amsgrad, ...) are stored as 1 and 0. Schedulers change {@code lr} here.
 */
public final class ParamGroup {
    private final List<Tensor> params;
    private final Map<String, Double> options = new LinkedHashMap<>();
    private final Set<String> explicit = new HashSet<>();

    /** A group of these parameters (in order) with no options of its own yet. */
    public ParamGroup(Collection<Tensor> params) {
        this.params = List.copyOf(params);
    }

    /** The parameters (unmodifiable). */
    public List<Tensor> params() {
        return params;
    }

    /** The learning rate. */
    public double lr() {
        return get("lr");
    }

    /** Sets this group's learning rate; returns {@code this}. */
    public ParamGroup lr(double lr) {
        return set("lr", lr);
    }

    /** The weight decay. */
    public double weightDecay() {
        return get("weight_decay");
    }

    /** Sets this group's weight decay; returns {@code this}. */
    public ParamGroup weightDecay(double wd) {
        return set("weight_decay", wd);
    }

    /** The option under its PyTorch name ({@code "lr"}, {@code "momentum"}; Adam's betas are {@code "beta1"} and {@code "beta2"}). */
    public double get(String key) {
        Double v = options.get(key);
        if (v == null) throw new IllegalArgumentException("ParamGroup: no option '" + key + "'; options are " + options.keySet());
        return v;
    }

    /** A boolean option (stored as 1 or 0). */
    public boolean flag(String key) {
        return get(key) != 0;
    }

    /** Whether the option is set. */
    public boolean has(String key) {
        return options.containsKey(key);
    }

    /**
     * Sets an option for this group only; returns {@code this}.
     *
     * @throws IllegalArgumentException for a learning rate that is negative, infinite or NaN
     */
    public ParamGroup set(String key, double value) {
        check(key, value);
        options.put(key, value);
        explicit.add(key);
        return this;
    }

    /** Sets a boolean option; returns {@code this}. */
    public ParamGroup set(String key, boolean value) {
        return set(key, value ? 1.0 : 0.0);
    }

    /** All options, in insertion order (read-only). */
    public Map<String, Double> options() {
        return Collections.unmodifiableMap(options);
    }

    /**
     * Refuses option values no optimizer can use. The optimizers' own setters check their options
     * in more detail; this catches what bypasses them (a group's own lr, a scheduler, a state dict).
     */
    static void check(String key, double value) {
        if (key.equals("lr") && !(value >= 0 && value < Double.POSITIVE_INFINITY))
            throw new IllegalArgumentException("ParamGroup: invalid learning rate value: " + value
                    + " (must be finite and >= 0)");
    }

    /** Sets an optimizer default unless this group chose its own value. */
    void applyDefault(String key, double value) {
        if (!explicit.contains(key)) options.put(key, value);
    }
}
