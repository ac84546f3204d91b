package org.jgrad.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jgrad.autograd.NoGrad;
import org.jgrad.tensor.DType;
import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;

/**
 * The base of every layer and model, like {@code torch.nn.Module}: it owns named parameters,
 * buffers and child modules in insertion order, and derives from them the dotted names of a state
 * dict ({@code fc1.weight}), recursive train/eval switching, freezing and the PyTorch-style printout.
 *
 * <p>Parameters are plain {@link Tensor}s registered with {@link #registerParameter}, which marks them
 * as requiring grad; {@link #parameters()} returns them for an optimizer. Layers read their
 * parameters back by name ({@link #parameter(String)}), so {@link #setParameter} can swap one.
 *
 * <pre>{@code
 * class TwoLayer extends Module {
 *     final Linear fc1 = registerModule("fc1", new Linear(4, 8));
 *     final Linear fc2 = registerModule("fc2", new Linear(8, 2));
 *     public Tensor forward(Tensor x) { return fc2.call(F.relu(fc1.call(x))); }
 * }
 * }</pre>
 *
 * <p>Call a module with {@link #call} (which runs forward hooks) rather than {@link #forward}.
 */
public abstract class Module {
    private final LinkedHashMap<String, Tensor> parameters = new LinkedHashMap<>();
    private final LinkedHashMap<String, Tensor> buffers = new LinkedHashMap<>();
    private final Set<String> nonPersistentBuffers = new HashSet<>();
    private final LinkedHashMap<String, Module> children = new LinkedHashMap<>();
    // Copy-on-write so that a hook may remove itself while hooks are running.
    private final List<ForwardHook> forwardHooks = new CopyOnWriteArrayList<>();
    private boolean training = true;

    /** A module with no parameters, buffers or children, in training mode. */
    protected Module() {}

    /** Computes the output for one input. Multi-input modules override {@link #forward(Tensor...)} too. */
    public abstract Tensor forward(Tensor input);

    /** Computes the output for several inputs; the default accepts exactly one and calls {@link #forward(Tensor)}. */
    public Tensor forward(Tensor... inputs) {
        if (inputs.length != 1)
            throw new IllegalArgumentException(name() + ".forward: expected 1 input, got " + inputs.length);
        return forward(inputs[0]);
    }

    /**
     * Runs {@link #forward(Tensor)} and then the forward hooks (PyTorch's {@code module(x)}). For a
     * {@link MultiOutputModule} it returns the primary output, and the hooks see every output.
     */
    public final Tensor call(Tensor input) {
        return invoke(new Tensor[] {input}, false);
    }

    /** Runs {@link #forward(Tensor...)} and then the forward hooks. */
    public final Tensor call(Tensor... inputs) {
        return invoke(inputs.clone(), true);
    }

    /** Forward and hooks; {@link MultiOutputModule} overrides it to hand the hooks every output. */
    Tensor invoke(Tensor[] inputs, boolean varargs) {
        Tensor out = varargs ? forward(inputs) : forward(inputs[0]);
        runHooks(inputs, out);
        return out;
    }

    /** Whether a forward hook is registered (a container then calls this module on its own). */
    final boolean hasForwardHooks() {
        return !forwardHooks.isEmpty();
    }

    private void runHooks(Tensor[] inputs, Tensor out) {
        for (ForwardHook h : forwardHooks) h.onForward(this, inputs, out);
    }

    final void runHooks(Tensor[] inputs, Outputs out) {
        for (ForwardHook h : forwardHooks) h.onForward(this, inputs, out);
    }

    /** Registers a hook run after every {@link #call} of this module; the handle removes it. */
    public HookHandle registerForwardHook(ForwardHook hook) {
        if (hook == null) throw new IllegalArgumentException(name() + ".registerForwardHook: hook is null");
        forwardHooks.add(hook);
        return () -> forwardHooks.remove(hook);
    }

    // ------------------------------------------------------------------ registration

    private void checkNewName(String kind, String name) {
        if (name == null || name.isEmpty())
            throw new IllegalArgumentException(name() + ": " + kind + " name must be a non-empty string");
        if (name.contains("."))
            throw new IllegalArgumentException(name() + ": " + kind + " name can't contain \".\", got \"" + name + "\"");
        if (parameters.containsKey(name) || buffers.containsKey(name) || children.containsKey(name))
            throw new IllegalArgumentException(name() + ": attribute \"" + name + "\" already exists");
    }

    /**
     * Registers {@code t} as the parameter {@code name}, marks it as requiring grad and returns it.
     * A null tensor registers an absent parameter (like {@code bias=None}): it is skipped everywhere.
     */
    protected final Tensor registerParameter(String name, Tensor t) {
        checkNewName("parameter", name);
        if (t != null) {
            if (t.dtype() != DType.FLOAT32)
                throw new IllegalArgumentException(name() + ": parameter \"" + name + "\" must be float32, got "
                        + t.dtype().pyName());
            if (!t.isLeaf())
                throw new IllegalArgumentException(name() + ": parameter \"" + name + "\" must be a leaf tensor; "
                        + "register a detached copy");
            t.requiresGrad(true);
        }
        parameters.put(name, t);
        return t;
    }

    /** Registers a persistent buffer (saved in the state dict), e.g. batch-norm running statistics. */
    protected final Tensor registerBuffer(String name, Tensor t) {
        return registerBuffer(name, t, true);
    }

    /** Registers a buffer; non-persistent buffers are left out of {@link #stateDict()}. */
    protected final Tensor registerBuffer(String name, Tensor t, boolean persistent) {
        checkNewName("buffer", name);
        buffers.put(name, t);
        if (!persistent) nonPersistentBuffers.add(name);
        return t;
    }

    /** Registers a child module under {@code name} and returns it. */
    protected final <M extends Module> M registerModule(String name, M module) {
        checkNewName("module", name);
        if (module == null) throw new IllegalArgumentException(name() + ": module \"" + name + "\" is null");
        if (module == this) throw new IllegalArgumentException(name() + ": a module cannot be its own child");
        children.put(name, module);
        return module;
    }

    /** This module's own parameter {@code name} (null when registered as absent). */
    public final Tensor parameter(String name) {
        if (!parameters.containsKey(name))
            throw new IllegalArgumentException(name() + ": no parameter named \"" + name + "\"; has "
                    + parameters.keySet());
        return parameters.get(name);
    }

    /** This module's own buffer {@code name}. */
    public final Tensor buffer(String name) {
        if (!buffers.containsKey(name))
            throw new IllegalArgumentException(name() + ": no buffer named \"" + name + "\"; has " + buffers.keySet());
        return buffers.get(name);
    }

    /** This module's direct child {@code name}. */
    public final Module child(String name) {
        Module m = children.get(name);
        if (m == null)
            throw new IllegalArgumentException(name() + ": no child module named \"" + name + "\"; has "
                    + children.keySet());
        return m;
    }

    /** The descendant at a dotted path such as {@code "features.0"}; the empty path is this module. */
    public final Module getSubmodule(String path) {
        Module m = this;
        if (path.isEmpty()) return m;
        for (String part : path.split("\\.", -1)) m = m.child(part);
        return m;
    }

    /**
     * Replaces the existing descendant at a dotted path such as {@code "classifier.6"} or {@code "fc"}
     * with {@code module}, keeping its position among its siblings (PyTorch's {@code set_submodule},
     * or {@code model.fc = nn.Linear(...)}): this is how a classifier head is swapped in transfer
     * learning. Parents that run their children through {@link #child} or {@link #children()} see
     * the new module at once. Returns the old module.
     */
    public final Module setSubmodule(String path, Module module) {
        if (path == null || path.isEmpty())
            throw new IllegalArgumentException(name() + ".setSubmodule: path must be a non-empty dotted name");
        if (module == null) throw new IllegalArgumentException(name() + ".setSubmodule: module for \"" + path + "\" is null");
        int dot = path.lastIndexOf('.');
        Module parent = dot < 0 ? this : getSubmodule(path.substring(0, dot));
        String local = path.substring(dot + 1);
        Module old = parent.child(local);
        if (module == parent)
            throw new IllegalArgumentException(name() + ".setSubmodule: a module cannot be its own child (\"" + path + "\")");
        parent.children.put(local, module); // put on an existing key keeps the insertion position
        return old;
    }

    /**
     * Replaces the existing parameter {@code name} with {@code t} (same shape), keeping its
     * requires-grad flag; returns the old tensor. Used when a tensor must be swapped rather than
     * overwritten, e.g. to share weights between modules.
     */
    public final Tensor setParameter(String name, Tensor t) {
        Tensor old = parameter(name);
        if (t == null) throw new IllegalArgumentException(name() + ".setParameter: tensor for \"" + name + "\" is null");
        if (old != null && !Shape.same(old.shape(), t.shape()))
            throw new IllegalArgumentException(name() + ".setParameter: \"" + name + "\" has shape "
                    + Shape.str(old.shape()) + ", got " + Shape.str(t.shape()));
        if (t.dtype() != DType.FLOAT32 || !t.isLeaf())
            throw new IllegalArgumentException(name() + ".setParameter: \"" + name + "\" needs a float32 leaf tensor");
        t.requiresGrad(old == null || old.requiresGrad());
        parameters.put(name, t);
        return old;
    }

    /** Replaces the existing buffer {@code name} (any shape or dtype); returns the old tensor. */
    public final Tensor setBuffer(String name, Tensor t) {
        Tensor old = buffer(name);
        buffers.put(name, t);
        return old;
    }

    // ------------------------------------------------------------------ traversal

    /** Direct children in registration order. */
    public final List<Module> children() {
        return List.copyOf(children.values());
    }

    /** Direct children by name, in registration order. */
    public final Map<String, Module> namedChildren() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(children));
    }

    /** This module and all descendants, pre-order, each once. */
    public final List<Module> modules() {
        return new ArrayList<>(namedModules().values());
    }

    /** This module (name {@code ""}) and all descendants by dotted name, pre-order, each once. */
    public final Map<String, Module> namedModules() {
        LinkedHashMap<String, Module> out = new LinkedHashMap<>();
        collectModules("", this, out, Collections.newSetFromMap(new IdentityHashMap<>()));
        return out;
    }

    private static void collectModules(String prefix, Module m, Map<String, Module> out, Set<Module> seen) {
        if (!seen.add(m)) return;
        out.put(prefix, m);
        for (Map.Entry<String, Module> e : m.children.entrySet())
            collectModules(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out, seen);
    }

    /** All parameters of this module and its descendants, each tensor once; what an optimizer takes. */
    public final List<Tensor> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** This module's own parameters (without descendants') when {@code recurse} is false; else {@link #namedParameters()}. */
    public final Map<String, Tensor> namedParameters(boolean recurse) {
        if (recurse) return namedParameters();
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> p : parameters.entrySet()) if (p.getValue() != null) out.put(p.getKey(), p.getValue());
        return out;
    }

    /** Parameters by dotted name ({@code fc1.weight}), recursive, each tensor once. */
    public final Map<String, Tensor> namedParameters() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Map.Entry<String, Module> e : namedModules().entrySet())
            for (Map.Entry<String, Tensor> p : e.getValue().parameters.entrySet())
                if (p.getValue() != null && seen.add(p.getValue())) out.put(join(e.getKey(), p.getKey()), p.getValue());
        return out;
    }

    /** All buffers of this module and its descendants. */
    public final List<Tensor> buffers() {
        return new ArrayList<>(namedBuffers().values());
    }

    /** Buffers by dotted name ({@code bn.running_mean}), recursive, persistent or not. */
    public final Map<String, Tensor> namedBuffers() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Module> e : namedModules().entrySet())
            for (Map.Entry<String, Tensor> b : e.getValue().buffers.entrySet())
                if (b.getValue() != null) out.put(join(e.getKey(), b.getKey()), b.getValue());
        return out;
    }

    private static String join(String prefix, String name) {
        return prefix.isEmpty() ? name : prefix + "." + name;
    }

    /** Calls {@code fn} on every descendant and then on this module (PyTorch's order); returns this. */
    public final Module apply(Consumer<Module> fn) {
        for (Module c : children.values()) c.apply(fn);
        fn.accept(this);
        return this;
    }

    // ------------------------------------------------------------------ modes, freezing, gradients

    /** Sets training mode on this module and all descendants; returns this. */
    public Module train(boolean mode) {
        training = mode;
        for (Module c : children.values()) c.train(mode);
        return this;
    }

    /** Training mode (dropout active, batch norm uses and updates batch statistics); returns this. */
    public final Module train() {
        return train(true);
    }

    /** Evaluation mode (dropout off, batch norm uses running statistics); returns this. */
    public final Module eval() {
        return train(false);
    }

    /** Whether this module is in training mode. */
    public final boolean isTraining() {
        return training;
    }

    /**
     * Turns gradients of every parameter in this subtree on or off (freezing, as in transfer
     * learning); returns this.
     */
    public final Module requiresGrad(boolean value) {
        for (Tensor p : parameters()) p.requiresGrad(value);
        return this;
    }

    /** Clears the gradient of every parameter in this subtree. */
    public final void zeroGrad() {
        for (Tensor p : parameters()) p.zeroGrad();
    }

    // ------------------------------------------------------------------ state dict

    /**
     * Parameters and persistent buffers by dotted name, detached from the graph. The tensors share
     * storage with the model, as in PyTorch: clone them to keep a snapshot.
     */
    public final Map<String, Tensor> stateDict() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Slot> e : slots().entrySet()) out.put(e.getKey(), e.getValue().tensor().detach());
        return out;
    }

    /** Where a state-dict entry lives: the owning module, the local name, and whether it is a parameter. */
    private record Slot(Module owner, String local, boolean isParameter) {
        Tensor tensor() {
            return isParameter ? owner.parameters.get(local) : owner.buffers.get(local);
        }
    }

    /**
     * State-dict entries in PyTorch's order: each module's parameters, then its persistent buffers,
     * then its children. Unlike {@link #namedModules()} a module reached twice is listed under both
     * names, as {@code state_dict()} does, so checkpoints of models with shared layers load as they are.
     */
    private LinkedHashMap<String, Slot> slots() {
        LinkedHashMap<String, Slot> out = new LinkedHashMap<>();
        collectSlots("", this, out, Collections.newSetFromMap(new IdentityHashMap<>()));
        return out;
    }

    private static void collectSlots(String prefix, Module m, Map<String, Slot> out, Set<Module> onPath) {
        if (!onPath.add(m)) throw new IllegalStateException("state dict: module " + m.name() + " contains itself at \"" + prefix + "\"");
        for (Map.Entry<String, Tensor> p : m.parameters.entrySet())
            if (p.getValue() != null) out.put(join(prefix, p.getKey()), new Slot(m, p.getKey(), true));
        for (Map.Entry<String, Tensor> b : m.buffers.entrySet())
            if (b.getValue() != null && !m.nonPersistentBuffers.contains(b.getKey()))
                out.put(join(prefix, b.getKey()), new Slot(m, b.getKey(), false));
        for (Map.Entry<String, Module> c : m.children.entrySet())
            collectSlots(join(prefix, c.getKey()), c.getValue(), out, onPath);
        onPath.remove(m);
    }

    /**
     * Copies a state dict into this model. Everything is checked first: missing keys and unexpected
     * keys (errors when {@code strict}) and shape mismatches (always errors) are all listed in one
     * {@link IllegalArgumentException}, and the model is left untouched. Only then are values copied
     * into the existing tensors (parameters keep their identity, so an optimizer holding them still works).
     *
     * @return the keys that were skipped (both lists are empty in strict mode)
     */
    public final LoadResult loadStateDict(Map<String, Tensor> state, boolean strict) {
        if (state == null) throw new IllegalArgumentException("loadStateDict: state dict is null");
        LinkedHashMap<String, Slot> slots = slots();
        List<String> missing = new ArrayList<>(), unexpected = new ArrayList<>(), errors = new ArrayList<>();
        for (Map.Entry<String, Slot> e : slots.entrySet()) {
            String key = e.getKey();
            if (!state.containsKey(key)) {
                missing.add(key);
                continue;
            }
            Tensor src = state.get(key), dst = e.getValue().tensor();
            if (src == null) errors.add("value for \"" + key + "\" is null.");
            else if (!Shape.same(src.shape(), dst.shape()))
                errors.add("size mismatch for " + key + ": copying a param with shape " + Shape.str(src.shape())
                        + " from checkpoint, the shape in current model is " + Shape.str(dst.shape()) + ".");
        }
        for (String key : state.keySet()) if (!slots.containsKey(key)) unexpected.add(key);
        StringBuilder msg = new StringBuilder();
        if (strict && !missing.isEmpty()) msg.append("\n\tMissing key(s) in state_dict: ").append(quoted(missing)).append('.');
        if (strict && !unexpected.isEmpty()) msg.append("\n\tUnexpected key(s) in state_dict: ").append(quoted(unexpected)).append('.');
        for (String err : errors) msg.append("\n\t").append(err);
        if (!msg.isEmpty())
            throw new IllegalArgumentException("Error(s) in loading state_dict for " + name() + ":" + msg);

        try (NoGrad g = NoGrad.enter()) {
            for (Map.Entry<String, Slot> e : slots.entrySet()) {
                Tensor src = state.get(e.getKey());
                if (src == null) continue;
                Slot s = e.getValue();
                Tensor dst = s.tensor();
                if (dst.dtype() == DType.FLOAT32) dst.copyInPlace(src.toFloat());
                else s.owner.buffers.put(s.local, src.toLong().cloneData());
            }
        }
        return new LoadResult(missing, unexpected);
    }

    /** Strict {@link #loadStateDict(Map, boolean)}. */
    public final LoadResult loadStateDict(Map<String, Tensor> state) {
        return loadStateDict(state, true);
    }

    private static String quoted(List<String> keys) {
        StringBuilder b = new StringBuilder();
        for (String k : keys) b.append(b.isEmpty() ? "" : ", ").append('"').append(k).append('"');
        return b.toString();
    }

    // ------------------------------------------------------------------ printing

    /** The class name shown in the printout; defaults to the simple class name. */
    public String name() {
        Class<?> c = getClass();
        while (c.getSimpleName().isEmpty()) c = c.getSuperclass();
        return c.getSimpleName();
    }

    /** The settings shown inside the parentheses, e.g. {@code in_features=2, out_features=2, bias=True}. */
    public String extraRepr() {
        return "";
    }

    /** The module tree exactly as PyTorch prints it. */
    @Override
    public String toString() {
        List<String> extraLines = new ArrayList<>();
        String extra = extraRepr();
        if (!extra.isEmpty()) extraLines.addAll(List.of(extra.split("\n", -1)));
        List<String> childLines = new ArrayList<>();
        for (Map.Entry<String, Module> e : children.entrySet())
            childLines.add("(" + e.getKey() + "): " + addIndent(e.getValue().toString(), 2));
        StringBuilder b = new StringBuilder(name()).append('(');
        if (extraLines.size() == 1 && childLines.isEmpty()) b.append(extraLines.get(0));
        else if (!extraLines.isEmpty() || !childLines.isEmpty()) {
            List<String> lines = new ArrayList<>(extraLines);
            lines.addAll(childLines);
            b.append("\n  ").append(String.join("\n  ", lines)).append('\n');
        }
        return b.append(')').toString();
    }

    /** PyTorch's {@code _addindent}: indents every line but the first. */
    private static String addIndent(String s, int spaces) {
        String[] lines = s.split("\n", -1);
        if (lines.length == 1) return s;
        String pad = " ".repeat(spaces);
        StringBuilder b = new StringBuilder(lines[0]);
        for (int i = 1; i < lines.length; i++) b.append('\n').append(pad).append(lines[i]);
        return b.toString();
    }
}
