package org.jgrad.nn;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jgrad.autograd.Graph;
import org.jgrad.autograd.NoGrad;
import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;

/**
 * A model prepared for serving: frozen, in eval mode, with each convolution's batch norm and ReLU
 * folded into it, its convolutions' weights laid out once for the GEMM, and a {@link #predict} that
 * records no graph and may be called from any number of threads at once.
 *
 * <pre>{@code
 * Module model = Models.resnet18(10);
 * model.loadStateDict(SafeTensors.load(path));
 * Inference service = Inference.prepare(model, Tensor.zeros(1, 3, 32, 32));
 * Tensor logits = service.predict(image);          // from any request thread
 * }</pre>
 *
 * <p>{@link #prepare} works like PyTorch's {@code torch.fx}-based {@code fuse} (or {@code torch.jit.freeze}):
 * it runs the model once on the example with the graph recorded, and where a {@link Conv2d}'s output
 * goes only into a {@link BatchNorm2d} (eval mode, running statistics), and that one's output, or the
 * convolution's, only into a {@link ReLU}, it replaces the three by one {@link FusedConv2d} with
 * {@code W·γ/√(var+ε)} and {@code (b − mean)·γ/√(var+ε) + β} (and {@link Identity} in the other two
 * places); every other plain {@code Conv2d} becomes a {@code FusedConv2d} too, for the packed weight.
 * Because it follows the recorded graph, it fuses hand-written {@code forward}s (ResNet's blocks), not
 * only {@link Sequential}s, and never fuses a convolution whose output is also used elsewhere.
 *
 * <p>The model is changed in place (as {@code fuse_modules(..., inplace=True)}): its modules and state
 * dict keys change, so prepare a model meant only for inference, e.g. one just loaded from a file. The
 * prepared model's output is checked against the original's on the example; a fusion that changed it
 * is undone and reported.
 */
public final class Inference {
    /** Relative tolerance of the check that fusing kept the example's output. */
    private static final double CHECK_TOLERANCE = 1e-3;

    private final Module model;
    private final List<String> fusions;

    private Inference(Module model, List<String> fusions) {
        this.model = model;
        this.fusions = List.copyOf(fusions);
    }

    /** One call of a module seen while tracing. */
    private static final class Call {
        int count;
        Tensor input, output;
    }

    /**
     * Freezes {@code model} (eval mode, no parameter requires grad), folds its conv + batch norm (+ ReLU)
     * chains and packs its convolutions, tracing one forward of {@code example} (its values do not
     * matter, its shape is the one served first; other sizes pack on first use).
     *
     * @throws IllegalArgumentException when the model rejects the example
     * @throws IllegalStateException when the fused model's output differs from the original's (the
     *     model is then left frozen but unfused)
     */
    public static Inference prepare(Module model, Tensor example) {
        if (model == null) throw new IllegalArgumentException("Inference.prepare: model is null");
        if (example == null) throw new IllegalArgumentException("Inference.prepare: example input is null");
        model.eval();
        model.requiresGrad(false);

        // Trace: every call of the modules that can fuse, and the graph of the example's output.
        Map<Module, Call> calls = new IdentityHashMap<>();
        List<HookHandle> hooks = new ArrayList<>();
        Map<Module, String> paths = uniquePaths(model);
        for (Module m : paths.keySet()) {
            if (!fusible(m)) continue;
            hooks.add(m.registerForwardHook((mod, inputs, out) -> {
                Call c = calls.computeIfAbsent(mod, k -> new Call());
                if (c.count++ == 0 && inputs.length == 1) {
                    c.input = inputs[0];
                    c.output = out;
                }
            }));
        }
        Tensor x = example.detach().cloneData().requiresGrad(true), reference;
        try (NoGrad g = NoGrad.enableGrad()) {
            reference = model.call(x);
        } finally {
            for (HookHandle h : hooks) h.remove();
        }
        Map<Tensor, Integer> uses = new IdentityHashMap<>();
        uses.merge(reference, 1, Integer::sum);
        for (Graph.Op op : Graph.trace(reference).ops())
            for (Graph.Input in : op.inputs())
                if (in.present()) uses.merge(in.tensor(), 1, Integer::sum);

        // Chains: conv → bn → relu, each link the only consumer of the tensor before it.
        Map<Tensor, Module> consumerOf = new IdentityHashMap<>();
        for (Map.Entry<Module, Call> e : calls.entrySet())
            if (e.getValue().count == 1 && e.getValue().input != null) consumerOf.put(e.getValue().input, e.getKey());
        // What each replacement displaced, to put back if the check below fails.
        List<String> undoPaths = new ArrayList<>();
        List<Module> undoModules = new ArrayList<>();
        List<String> fusions = new ArrayList<>();
        for (Map.Entry<Module, String> e : paths.entrySet()) {
            if (e.getKey().getClass() != Conv2d.class || e.getValue().isEmpty()) continue;
            Conv2d conv = (Conv2d) e.getKey();
            Call cc = calls.get(conv);
            BatchNorm2d bn = null;
            ReLU relu = null;
            if (cc != null && cc.count == 1 && cc.output != null) {
                Tensor t = cc.output;
                if (uses.getOrDefault(t, 0) == 1 && consumerOf.get(t) instanceof BatchNorm2d b && foldable(b)) {
                    bn = b;
                    t = calls.get(b).output;
                }
                if (t != null && uses.getOrDefault(t, 0) == 1 && consumerOf.get(t) instanceof ReLU r) relu = r;
            }
            StringBuilder what = new StringBuilder(e.getValue());
            Tensor[] wb = bn == null ? new Tensor[] {conv.weight(), conv.bias()} : fold(conv, bn);
            undoPaths.add(e.getValue());
            undoModules.add(model.setSubmodule(e.getValue(), new FusedConv2d(conv, wb[0], wb[1], relu != null)));
            if (bn != null) {
                what.append(" + ").append(paths.get(bn));
                undoPaths.add(paths.get(bn));
                undoModules.add(model.setSubmodule(paths.get(bn), new Identity()));
            }
            if (relu != null) {
                what.append(" + ").append(paths.get(relu));
                undoPaths.add(paths.get(relu));
                undoModules.add(model.setSubmodule(paths.get(relu), new Identity()));
            }
            if (bn != null || relu != null) fusions.add(what.toString());
        }

        // The check, which also packs every convolution for the example's size.
        Tensor got;
        try (NoGrad g = NoGrad.enter()) {
            got = model.call(example);
        }
        double err = maxAbsDiff(reference, got), scale = maxAbs(reference);
        if (!(err <= CHECK_TOLERANCE * Math.max(1, scale))) {
            for (int i = undoPaths.size() - 1; i >= 0; i--) model.setSubmodule(undoPaths.get(i), undoModules.get(i));
            throw new IllegalStateException("Inference.prepare: the fused model's output differs from the original's by "
                    + err + " (largest output magnitude " + scale + ") on the example " + Shape.str(example.shape())
                    + "; the fusions " + fusions + " were undone");
        }
        return new Inference(model, fusions);
    }

    /** Modules that take part in a chain: plain convolutions, batch norms and ReLUs without hooks of their own. */
    private static boolean fusible(Module m) {
        Class<?> c = m.getClass();
        return (c == Conv2d.class || c == BatchNorm2d.class || c == ReLU.class) && !m.hasForwardHooks();
    }

    /** An eval-mode batch norm with running statistics normalizes with constants: it folds. */
    private static boolean foldable(BatchNorm2d bn) {
        return !bn.isTraining() && bn.runningMean() != null && bn.runningVar() != null;
    }

    /** Each module's dotted path, leaving out modules registered at more than one path. */
    private static Map<Module, String> uniquePaths(Module model) {
        // namedModules lists a module registered twice only once: count the registrations instead.
        Map<Module, Integer> seen = new IdentityHashMap<>();
        seen.put(model, 1);
        for (Module m : model.namedModules().values())
            for (Module child : m.children()) seen.merge(child, 1, Integer::sum);
        // In registration order, so that the fusions are made and listed in the model's order.
        Map<Module, String> paths = new LinkedHashMap<>();
        for (Map.Entry<String, Module> e : model.namedModules().entrySet())
            if (seen.get(e.getValue()) == 1) paths.put(e.getValue(), e.getKey());
        return paths;
    }

    /**
     * The convolution's weight and bias with the batch norm folded in: W·s and (b − mean)·s + β per
     * output channel, s = γ/√(var + ε), computed in double.
     */
    private static Tensor[] fold(Conv2d conv, BatchNorm2d bn) {
        int o = conv.outChannels();
        float[] w = conv.weight().contiguous().toFloatArray();
        float[] b = conv.bias() == null ? new float[o] : conv.bias().toFloatArray();
        float[] mean = bn.runningMean().toFloatArray(), var = bn.runningVar().toFloatArray();
        float[] gamma = bn.weight() == null ? null : bn.weight().toFloatArray();
        float[] beta = bn.bias() == null ? null : bn.bias().toFloatArray();
        int per = w.length / o;
        float[] fw = new float[w.length], fb = new float[o];
        for (int c = 0; c < o; c++) {
            double s = (gamma == null ? 1.0 : gamma[c]) / Math.sqrt(var[c] + bn.eps());
            for (int i = c * per; i < (c + 1) * per; i++) fw[i] = (float) (w[i] * s);
            fb[c] = (float) ((b[c] - (double) mean[c]) * s + (beta == null ? 0.0 : beta[c]));
        }
        return new Tensor[] {Tensor.fromArray(fw, conv.weight().shape()), Tensor.fromArray(fb, o)};
    }

    private static double maxAbsDiff(Tensor a, Tensor b) {
        if (!Shape.same(a.shape(), b.shape())) return Double.POSITIVE_INFINITY;
        float[] x = a.contiguous().toFloatArray(), y = b.contiguous().toFloatArray();
        double m = 0;
        for (int i = 0; i < x.length; i++) {
            double d = Math.abs((double) x[i] - y[i]);
            if (!(d <= m)) m = Double.isNaN(d) && Float.isNaN(x[i]) && Float.isNaN(y[i]) ? m : d;
        }
        return m;
    }

    private static double maxAbs(Tensor a) {
        double m = 0;
        for (float v : a.contiguous().toFloatArray()) if (Float.isFinite(v)) m = Math.max(m, Math.abs(v));
        return m;
    }

    /**
     * The model's output for {@code input}, with no graph recorded. Thread-safe: the prepared model keeps
     * no per-call state, each call runs on the calling thread, and its buffers are per thread.
     */
    public Tensor predict(Tensor input) {
        try (NoGrad g = NoGrad.enter()) {
            return model.call(input);
        }
    }

    /** The prepared (fused, frozen) model. */
    public Module model() {
        return model;
    }

    /** The chains that were folded, by module path, e.g. {@code "layer1.0.conv1 + layer1.0.bn1 + layer1.0.relu"}. */
    public List<String> fusions() {
        return fusions;
    }
}
