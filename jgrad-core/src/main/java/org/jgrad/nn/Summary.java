package org.jgrad.nn;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jgrad.autograd.NoGrad;
import org.jgrad.tensor.DType;
import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;

/**
 * A Keras/torchinfo-style table of a model: one row per submodule (dotted name, indented by depth) with its
 * type, output shape and parameter count, then the totals and a memory estimate.
 *
 * <pre>{@code
 * System.out.println(Summary.of(model, 1, 784));
 * }</pre>
 *
 * Output shapes come from forward hooks, so they appear for modules that their parent runs with
 * {@link Module#call}; modules run otherwise show {@code --}.
 */
public final class Summary {
    private Summary() {}

    private static final double MB = 1024.0 * 1024.0;

    /** Which tensors a parameter count takes in: the conventions of the two frameworks whose layouts the zoo follows. */
    public enum Counting {
        /** PyTorch's (torchinfo's): the parameters; trainable ones are those that require grad. */
        PYTORCH,
        /**
         * Keras' ({@code model.summary()}, {@code count_params()}): every weight, so the floating-point
         * buffers too (batch norm's moving mean and variance), which count as non-trainable beside the
         * parameters that do not require grad.
         */
        KERAS
    }

    /**
     * A model's parameter counts.
     *
     * @param total every counted value
     * @param trainable parameters that require grad
     * @param nonTrainable the rest: frozen parameters, and under {@link Counting#KERAS} the floating-point buffers
     */
    public record Counts(long total, long trainable, long nonTrainable) {}

    /**
     * Counts the model's parameters (each tensor once, however often it is shared) as {@code counting} says:
     * {@code count(keras ResNet50, KERAS).total()} is Keras' 25,636,712, which includes the 53,120
     * moving means and variances of its batch norms.
     */
    public static Counts count(Module model, Counting counting) {
        long all = 0, trainable = 0;
        for (Tensor p : model.parameters()) {
            all += p.numel();
            if (p.requiresGrad()) trainable += p.numel();
        }
        if (counting == Counting.KERAS) all += floatBuffers(model.buffers());
        return new Counts(all, trainable, all - trainable);
    }

    /**
     * Runs the model once on zeros of {@code inputShape} (batch dim included), in evaluation mode and
     * without recording a graph, and returns the table. The model's train/eval flags are restored.
     */
    public static String of(Module model, int... inputShape) {
        return of(model, Counting.PYTORCH, inputShape);
    }

    /**
     * {@link #of(Module, int...)} with the parameter counts (per layer and in total) taken as
     * {@code counting} says: {@link Counting#KERAS} for a model in Keras' layout gives Keras' numbers.
     */
    public static String of(Module model, Counting counting, int... inputShape) {
        if (inputShape.length == 0) throw new IllegalArgumentException("Summary.of: input shape is empty");
        for (int d : inputShape)
            if (d <= 0) throw new IllegalArgumentException("Summary.of: input shape " + Shape.str(inputShape) + " has a non-positive size");
        Map<String, Module> named = model.namedModules();
        Map<Module, int[]> outShapes = new IdentityHashMap<>();
        Map<Module, Boolean> modes = new IdentityHashMap<>();
        List<HookHandle> hooks = new ArrayList<>();
        for (Module m : named.values()) {
            modes.put(m, m.isTraining());
            hooks.add(m.registerForwardHook((mod, in, out) -> outShapes.put(mod, out.shape())));
        }
        try (NoGrad g = NoGrad.enter()) {
            model.eval();
            model.call(Tensor.zeros(inputShape));
        } finally {
            hooks.forEach(HookHandle::remove);
            // pre-order: a parent's recursive train() runs first, then each descendant restores its own flag
            for (Module m : named.values()) m.train(modes.get(m));
        }
        return format(model, named, outShapes, inputShape, counting);
    }

    private static String format(Module model, Map<String, Module> named, Map<Module, int[]> outShapes, int[] inputShape,
            Counting counting) {
        List<String[]> rows = new ArrayList<>();
        long activations = 0;
        for (Map.Entry<String, Module> e : named.entrySet()) {
            String key = e.getKey();
            if (key.isEmpty()) continue;
            Module m = e.getValue();
            int depth = key.split("\\.").length - 1;
            String label = "  ".repeat(depth) + key + " (" + m.name() + ")";
            int[] shape = outShapes.get(m);
            boolean leaf = m.children().isEmpty();
            if (leaf && shape != null) activations += Shape.numel(shape);
            long own = count(m.namedParameters(leaf).values());
            if (leaf && counting == Counting.KERAS) own += floatBuffers(m.buffers());
            String params = !leaf && own == 0 ? "--" : String.format(Locale.ROOT, "%,d", own);
            rows.add(new String[] {label, shape == null ? "--" : Shape.str(shape), params});
        }
        Counts total = count(model, counting);
        int w0 = "Layer (type)".length(), w1 = "Output Shape".length(), w2 = "Param #".length();
        for (String[] r : rows) {
            w0 = Math.max(w0, r[0].length());
            w1 = Math.max(w1, r[1].length());
            w2 = Math.max(w2, r[2].length());
        }
        w0 += 4;
        w1 += 4;
        int width = w0 + w1 + w2;
        String thick = "=".repeat(width), thin = "-".repeat(width);
        StringBuilder b = new StringBuilder();
        int[] outShape = outShapes.get(model);
        b.append(model.name()).append(" (input ").append(Shape.str(inputShape)).append(", output ")
                .append(outShape == null ? "--" : Shape.str(outShape)).append(")\n");
        b.append(thick).append('\n');
        b.append(row("Layer (type)", "Output Shape", "Param #", w0, w1)).append('\n');
        b.append(thick).append('\n');
        for (String[] r : rows) b.append(row(r[0], r[1], r[2], w0, w1)).append('\n');
        b.append(thick).append('\n');
        long all = total.total();
        b.append(String.format(Locale.ROOT, "Total params: %,d", all)).append('\n');
        b.append(String.format(Locale.ROOT, "Trainable params: %,d", total.trainable())).append('\n');
        b.append(String.format(Locale.ROOT, "Non-trainable params: %,d", total.nonTrainable())).append('\n');
        b.append(thin).append('\n');
        double in = Shape.numel(inputShape) * 4 / MB, act = activations * 4 / MB, par = all * 4 / MB;
        b.append(String.format(Locale.ROOT, "Input size (MB): %.2f", in)).append('\n');
        b.append(String.format(Locale.ROOT, "Forward activations (MB): %.2f", act)).append('\n');
        b.append(String.format(Locale.ROOT, "Params size (MB): %.2f", par)).append('\n');
        b.append(String.format(Locale.ROOT, "Estimated total size (MB): %.2f", in + act + par)).append('\n');
        b.append(thick).append('\n');
        return b.toString();
    }

    private static String row(String a, String b, String c, int w0, int w1) {
        return (pad(a, w0) + pad(b, w1) + c).stripTrailing();
    }

    private static String pad(String s, int w) {
        return s + " ".repeat(Math.max(0, w - s.length()));
    }

    private static long count(Iterable<Tensor> ts) {
        long n = 0;
        for (Tensor t : ts) n += t.numel();
        return n;
    }

    /** Values in the floating-point buffers, each tensor once (int64 counters such as num_batches_tracked are not weights). */
    private static long floatBuffers(List<Tensor> buffers) {
        long n = 0;
        Map<Tensor, Boolean> seen = new IdentityHashMap<>();
        for (Tensor b : buffers)
            if (b != null && b.dtype() == DType.FLOAT32 && seen.put(b, Boolean.TRUE) == null) n += b.numel();
        return n;
    }
}
