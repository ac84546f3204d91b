package org.jgrad.optim;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.jgrad.autograd.NoGrad;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.DType;
import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;

/**
 * Base of the optimizers, like {@code torch.optim.Optimizer}: parameter groups with their own
 * hyperparameters, {@link #step()}, {@link #zeroGrad()} and a state dict for checkpoints.
 *
 * <p>A step updates each parameter in place from its {@code .grad}, under {@link NoGrad}. Parameters
 * whose grad is null are skipped (they took no part in the loss), as are frozen ones
 * ({@code requiresGrad() == false}) even if they hold a grad. Parameters must be dense (their own
 * contiguous storage); views are refused.
 *
 * <p>Subclasses declare their defaults with {@link #setDefault} and implement {@link #update}, which
 * gets the parameter, its gradient and its {@link ParamState} as tensors. The built-in optimizers make
 * one fused backend call there (PyTorch's fused path); an optimizer of your own can be written in tensor
 * ops, which run on any backend — for example sign descent with momentum (Lion-like, without its
 * interpolation):
 *
 * <pre>{@code
 * final class SignMomentum extends Optimizer {
 *     SignMomentum(Collection<Tensor> params, double lr) {
 *         super("SignMomentum", params);
 *         setDefault("lr", lr);
 *         setDefault("momentum", 0.9);
 *     }
 *
 *     @Override
 *     protected void update(ParamGroup group, Tensor param, Tensor grad, ParamState state) {
 *         float beta = (float) group.get("momentum");
 *         Tensor m = state.buffer("momentum_buffer", param, 0f);   // created as zeros, kept in the state dict
 *         m.mulInPlace(beta).addInPlace(grad, 1 - beta);           // m ← β·m + (1 − β)·g
 *         param.addInPlace(m.sign(), (float) -group.lr());         // p ← p − lr·sign(m)
 *         state.incrementStep();
 *     }
 * }
 * }</pre>
 *
 * {@code update} runs under {@link NoGrad}, so the in-place ops on the parameter are allowed and nothing
 * is recorded; README.md ("Writing an optimizer") has this example compiled and run.
 */
public abstract class Optimizer {
    private final String name;
    private final List<ParamGroup> groups = new ArrayList<>();
    private final Map<String, Double> defaults = new LinkedHashMap<>();
    private final Set<String> flags = new LinkedHashSet<>();
    private final Map<Tensor, ParamState> state = new IdentityHashMap<>();

    /** One group holding all {@code params}. */
    protected Optimizer(String name, Collection<Tensor> params) {
        this(name, List.of(new ParamGroup(params)));
    }

    /** The given groups; options they do not set come from the defaults. */
    protected Optimizer(String name, List<ParamGroup> groups) {
        this.name = name;
        if (groups.isEmpty()) throw new IllegalArgumentException(name + ": optimizer got an empty parameter list");
        for (ParamGroup g : groups) addParamGroup(g);
    }

    /**
     * Sets a default for every group that did not choose its own value (and for groups added
     * later). Subclasses call it from their constructors and fluent setters.
     */
    protected final void setDefault(String key, double value) {
        defaults.put(key, value);
        for (ParamGroup g : groups) g.applyDefault(key, value);
    }

    /** Like {@link #setDefault(String, double)} for a boolean option (printed as True/False). */
    protected final void setDefault(String key, boolean value) {
        flags.add(key);
        setDefault(key, value ? 1.0 : 0.0);
    }

    /** Adds a group, e.g. layers unfrozen during fine-tuning. */
    public final void addParamGroup(ParamGroup group) {
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (ParamGroup g : groups) seen.addAll(g.params());
        for (Tensor p : group.params()) {
            if (p.dtype() != DType.FLOAT32)
                throw new IllegalArgumentException(name + ": can only optimize float32 tensors, got " + p.dtype().pyName()
                        + " of shape " + Shape.str(p.shape()));
            if (!p.isLeaf())
                throw new IllegalArgumentException(name + ": can't optimize a non-leaf tensor (shape " + Shape.str(p.shape())
                        + "); optimize the leaf parameters it was computed from");
            if (!seen.add(p))
                throw new IllegalArgumentException(name + ": some parameters appear in more than one parameter group");
        }
        defaults.forEach(group::applyDefault);
        groups.add(group);
    }

    /** The parameter groups, in order (schedulers change their {@code lr}). */
    public final List<ParamGroup> paramGroups() {
        return Collections.unmodifiableList(groups);
    }

    /** Clears every parameter's gradient (sets it to null, PyTorch's default {@code set_to_none=True}). */
    public void zeroGrad() {
        zeroGrad(true);
    }

    /** Clears gradients: to null, or with {@code setToNone == false} by filling them with zeros. */
    public void zeroGrad(boolean setToNone) {
        try (var _ = NoGrad.enter()) {
            for (ParamGroup group : groups)
                for (Tensor p : group.params()) {
                    Tensor g = TensorData.peekGrad(p);
                    if (g == null) continue;
                    if (setToNone) p.zeroGrad();
                    else g.fillInPlace(0f);
                }
        }
    }

    /** Applies one update to every parameter that has a gradient. */
    public void step() {
        try (var _ = NoGrad.enter()) {
            for (ParamGroup group : groups) {
                for (Tensor p : group.params()) {
                    Tensor grad = gradOf(p);
                    if (grad == null || !p.requiresGrad()) continue;
                    if (!p.isDense())
                        throw new IllegalStateException(name + ".step: parameter of shape " + Shape.str(p.shape())
                                + " is a view (offset " + p.offset() + ", strides " + Shape.str(p.strides())
                                + "); optimizers update dense parameters in place");
                    // a view or broadcast gradient is copied once, so that updates read it densely from index 0
                    Tensor g = grad.isDense() ? grad : grad.cloneData();
                    update(group, p, g, state.computeIfAbsent(p, k -> new ParamState()));
                }
            }
        }
    }

    /** jgrad's own optimizers, whose {@link #update} keeps no reference to the gradient it is given. */
    private static final Set<Class<?>> KEEP_NO_GRADIENT = Set.of(SGD.class, Adam.class, AdamW.class, Adagrad.class,
            RMSprop.class);

    /**
     * The parameter's gradient for {@link #step}: for jgrad's own optimizers without counting it as handed
     * out (so that {@code zeroGrad()} may recycle its storage, {@link TensorData#peekGrad}); a subclass
     * written elsewhere may keep what {@link #update} is given, so for it the gradient counts as handed out.
     */
    private Tensor gradOf(Tensor p) {
        return KEEP_NO_GRADIENT.contains(getClass()) ? TensorData.peekGrad(p) : p.grad();
    }

    /**
     * Re-evaluates the model with {@code closure} (which should zero the gradients, compute the loss
     * and call backward), then steps; returns the loss. Gradient recording is on inside the closure.
     */
    public Tensor step(Supplier<Tensor> closure) {
        Tensor loss;
        try (var _ = NoGrad.enableGrad()) {
            loss = closure.get();
        }
        step();
        return loss;
    }

    /**
     * Updates one parameter in place, under {@link NoGrad}.
     *
     * @param group the parameter's group, whose options ({@code lr}, ...) apply
     * @param param the parameter (dense: its own contiguous storage)
     * @param grad its gradient, dense and of the same shape (a copy when {@code .grad} was a view)
     * @param s this parameter's state, empty on the first step; buffers made with
     *     {@link ParamState#buffer} are saved by {@link #stateDict()}
     */
    protected abstract void update(ParamGroup group, Tensor param, Tensor grad, ParamState s);

    /** The state of a parameter, or null before its first update. */
    public final ParamState state(Tensor param) {
        return state.get(param);
    }

    // ------------------------------------------------------------------ state dict

    /**
     * Everything needed to resume: per-parameter state under {@code state.<i>.step} and
     * {@code state.<i>.<buffer>} (i counts parameters across groups, as PyTorch does), and
     * {@code param_groups.<g>.<option>} for each group's options plus
     * {@code param_groups.<g>.params} (the indices of its parameters). Scalars are encoded as
     * {@link StateDicts} describes. The buffers are copies.
     */
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        int index = 0;
        for (int gi = 0; gi < groups.size(); gi++) {
            ParamGroup group = groups.get(gi);
            long[] ids = new long[group.params().size()];
            for (int k = 0; k < ids.length; k++, index++) {
                ids[k] = index;
                ParamState s = state.get(group.params().get(k));
                if (s == null) continue;
                out.put("state." + index + ".step", StateDicts.encodeLong(s.step()));
                for (var e : s.buffers().entrySet()) out.put("state." + index + "." + e.getKey(), e.getValue().cloneData());
            }
            out.put("param_groups." + gi + ".params", Tensor.ofLongs(ids));
            for (var e : group.options().entrySet())
                out.put("param_groups." + gi + "." + e.getKey(), StateDicts.encodeDouble(e.getValue()));
        }
        return out;
    }

    /**
     * Restores a {@link #stateDict()} taken from an optimizer of the same kind over parameters of
     * the same shapes in the same groups. Replaces all current state. Everything is checked before
     * anything changes, so a bad dict leaves this optimizer as it was.
     */
    public void loadStateDict(Map<String, Tensor> dict) {
        List<Tensor> all = new ArrayList<>();
        for (int gi = 0; gi < groups.size(); gi++) {
            Tensor ids = StateDicts.require(dict, "param_groups." + gi + ".params", name);
            if (ids.numel() != groups.get(gi).params().size())
                throw new IllegalArgumentException(name + ".loadStateDict: group " + gi + " has " + ids.numel()
                        + " parameters in the state dict but " + groups.get(gi).params().size() + " here");
            all.addAll(groups.get(gi).params());
        }
        if (dict.containsKey("param_groups." + groups.size() + ".params"))
            throw new IllegalArgumentException(name + ".loadStateDict: the state dict has more parameter groups than the "
                    + groups.size() + " here");
        Map<Integer, Map<String, Double>> options = new TreeMap<>();
        Map<Integer, ParamState> byIndex = new TreeMap<>();
        Set<Integer> steps = new java.util.HashSet<>();
        for (var e : dict.entrySet()) {
            String key = e.getKey();
            String[] parts = key.split("\\.", 3);
            if (key.startsWith("param_groups.") && parts.length == 3) {
                if (parts[2].equals("params")) continue;
                int gi = index(key, parts[1], groups.size());
                double v = StateDicts.decodeDouble(e.getValue());
                // Another optimizer's checkpoint has other options (SGD's momentum, Adam's betas); taking
                // them would silently train with a foreign learning rate and dead options.
                if (!groups.get(gi).has(parts[2]) && !parts[2].equals("initial_lr"))
                    throw new IllegalArgumentException(name + ".loadStateDict: " + key + " is not an option of " + name
                            + " (options: " + groups.get(gi).options().keySet() + "); is this another optimizer's state?");
                ParamGroup.check(parts[2], v);
                try {
                    checked(parts[2], v);
                } catch (IllegalArgumentException ex) {
                    throw new IllegalArgumentException(name + ".loadStateDict: " + key + ": " + ex.getMessage(), ex);
                }
                options.computeIfAbsent(gi, k -> new LinkedHashMap<>()).put(parts[2], v);
            } else if (key.startsWith("state.") && parts.length == 3) {
                int i = index(key, parts[1], all.size());
                ParamState s = byIndex.computeIfAbsent(i, k -> new ParamState());
                Tensor t = e.getValue();
                if (parts[2].equals("step")) {
                    long step = StateDicts.decodeLong(t);
                    if (step < 0 || step > MAX_STEP)
                        throw new IllegalArgumentException(name + ".loadStateDict: " + key + " is " + step
                                + ", outside [0, 2^53]");
                    s.setStep(step);
                    steps.add(i);
                } else {
                    Tensor p = all.get(i);
                    if (!Shape.same(t.shape(), p.shape()))
                        throw new IllegalArgumentException(name + ".loadStateDict: " + key + " has shape " + Shape.str(t.shape())
                                + " but the parameter has shape " + Shape.str(p.shape()));
                    s.putBuffer(parts[2], t.toFloat().cloneData());
                }
            } else {
                throw new IllegalArgumentException(name + ".loadStateDict: unexpected key '" + key + "'");
            }
        }
        // Without its step count a parameter's state would restart bias correction (Adam) or the lr decay
        // (Adagrad) at 1: the resumed run would silently differ from the uninterrupted one.
        for (int i : byIndex.keySet())
            if (!steps.contains(i))
                throw new IllegalArgumentException(name + ".loadStateDict: state." + i + " has buffers but no step count"
                        + " (state." + i + ".step)");
        options.forEach((gi, opts) -> opts.forEach(groups.get(gi)::set));
        state.clear();
        byIndex.forEach((i, s) -> state.put(all.get(i), s));
    }

    private int index(String key, String text, int bound) {
        int i;
        try {
            i = Integer.parseInt(text);
        } catch (NumberFormatException ex) {
            throw new IllegalArgumentException(name + ".loadStateDict: malformed key '" + key + "'");
        }
        if (i < 0 || i >= bound)
            throw new IllegalArgumentException(name + ".loadStateDict: key '" + key + "' refers to index " + i
                    + ", but there are only " + bound);
        return i;
    }

    /** Prints like PyTorch: the class name and each group's options, sorted by name. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(name).append(" (\n");
        for (int gi = 0; gi < groups.size(); gi++) {
            b.append("Parameter Group ").append(gi).append('\n');
            for (var e : new TreeMap<>(groups.get(gi).options()).entrySet())
                b.append("    ").append(e.getKey()).append(": ").append(format(e.getKey(), e.getValue())).append('\n');
        }
        return b.append(')').toString();
    }

    private String format(String key, double v) {
        if (flags.contains(key)) return v != 0 ? "True" : "False";
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return Double.toString(v);
    }

    /**
     * Checks one option value the way this optimizer's constructor and setters do; called for every
     * option of a state dict being loaded too, so a checkpoint cannot hold what code could not set
     * ({@code beta1 = 2}, {@code eps = -1}). Subclasses check their options with {@link #check}; the
     * base class has already refused non-finite values and booleans other than 0 and 1.
     */
    protected void checkOption(String key, double value) {}

    /**
     * {@code value} after {@link #checkOption} and the checks every option gets: finite, and 0 or 1
     * for a boolean option.
     */
    protected final double checked(String key, double value) {
        String label = key.equals("lr") ? "learning rate" : key.equals("eps") ? "epsilon" : key;
        if (!Double.isFinite(value)) throw new IllegalArgumentException(name + ": invalid " + label + " value: " + value);
        if (flags.contains(key) && value != 0 && value != 1)
            throw new IllegalArgumentException(name + ": invalid " + key + " value: " + value + " (a boolean: 0 or 1)");
        checkOption(key, value);
        return value;
    }

    /** The most steps a parameter's state may claim: more than any run takes, far from overflowing a long. */
    public static final long MAX_STEP = 1L << 53;

    /** Validation helper for subclasses: {@code value} must satisfy {@code ok}, else an error naming it. */
    protected final double check(String option, double value, boolean ok) {
        if (!ok) throw new IllegalArgumentException(name + ": invalid " + option + " value: " + value);
        return value;
    }
}
