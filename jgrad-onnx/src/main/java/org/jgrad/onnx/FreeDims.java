package org.jgrad.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jgrad.autograd.Graph;
import org.jgrad.autograd.OpAttributes;
import org.jgrad.internal.TensorData;
import org.jgrad.nn.Module;
import org.jgrad.ops.ViewAttributes;
import org.jgrad.tensor.DType;
import org.jgrad.tensor.Tensor;

/**
 * Which sizes of a traced graph follow the input's batch size and, for token ids {@code [batch, steps]},
 * its number of steps, so that the file computes them from the input's runtime shape instead of
 * repeating the traced ones.
 *
 * <p>A trace records plain numbers: a reshape to {@code [steps, batch·heads, 32]} or an attention mask of
 * {@code [1, steps, steps]} says nothing of where its sizes came from. So the model is traced twice more,
 * once on a batch one row larger and once (token ids only) on one step shorter, and every size the three
 * traces record is fitted as {@code c · batch^b · steps^s + d} ({@code b}, {@code s} 0 or 1). Constants the
 * forward pass built that differ between the traces are recognized by what they hold (see
 * {@link ConstantRules}) and computed in the file. When anything cannot be explained this way (a size
 * that is no such product, an op whose translation reads sizes, an unknown constant) the dimension is not
 * freed: the steps stay the traced number, and a batch the extra trace cannot explain falls back to the
 * rule of a single trace (a leading dimension equal to the input's follows the input).
 */
final class FreeDims {
    /**
     * A size {@code coef · batch^batch · steps^steps + offset} (a recurrent layer's output holds the steps
     * and then its final states: steps + 2).
     */
    record Sym(long coef, int batch, int steps, long offset) {
        Sym(long coef, int batch, int steps) {
            this(coef, batch, steps, 0);
        }

        static Sym fixed(long value) {
            return new Sym(value, 0, 0);
        }

        boolean isFixed() {
            return batch == 0 && steps == 0;
        }

        /** The batch size or the steps themselves, nothing else. */
        boolean isBatch() {
            return coef == 1 && batch == 1 && steps == 0 && offset == 0;
        }

        boolean isSteps() {
            return coef == 1 && batch == 0 && steps == 1 && offset == 0;
        }
    }

    /** What one extra trace recorded of an op. */
    private record Shadow(String type, int[][] inputShapes, int[] outputShape, OpAttributes attributes, Tensor[] constants) {}

    /** Ops whose attributes hold sizes the fits cover, or per-row lengths the file computes. */
    private static final Set<String> SIZED_ATTRIBUTES = Set.of("view", "expand", "slice", "lstm", "gru", "rnn_tanh", "rnn_relu");
    /** Ops whose translation reads their input's sizes beyond the leading one. */
    private static final Set<String> READS_SIZES = Set.of("adaptive_avg_pool2d", "adaptive_max_pool2d", "var", "std",
            "channel_window_sum");

    private final Graph graph;
    private final Tensor input;
    private final int n0, t0;
    private final Map<Tensor, String> state;
    private int nB, tC;
    private Tensor inputB, inputC;
    private List<Shadow> batchTrace, stepsTrace;
    private Map<Tensor, ConstantRules.Rule> rules = new IdentityHashMap<>();
    private String notFree;

    private FreeDims(Graph graph, Tensor input, Map<Tensor, String> state) {
        this.graph = graph;
        this.input = input;
        this.state = state;
        this.n0 = input.size(0);
        this.t0 = input.dim() > 1 ? input.size(1) : 1;
    }

    /**
     * Traces {@code model} (in evaluation mode, grad enabled) on a larger batch and on fewer steps and
     * fits the sizes of {@code graph}, the trace of {@code input}.
     *
     * @param state the model's parameters and buffers by identity (their state-dict names)
     */
    static FreeDims analyze(Module model, Tensor input, Graph graph, Map<Tensor, String> state) {
        FreeDims d = new FreeDims(graph, input, state);
        long pad = SequenceLengths.paddingId(graph, input);
        d.inputB = largerBatch(input, pad);
        d.nB = d.inputB.size(0);
        d.batchTrace = d.shadow(model, d.inputB);
        if (input.dtype() == DType.INT64 && input.dim() == 2 && input.size(1) >= 2) {
            d.inputC = input.narrow(1, 0, input.size(1) - 1).contiguous().cloneData();
            d.tC = d.inputC.size(1);
            d.stepsTrace = d.shadow(model, d.inputC);
        }
        List<Shadow> steps = d.stepsTrace;
        d.stepsTrace = null;
        d.notFree = d.problem();
        if (d.notFree != null) {
            d.batchTrace = null;
            d.rules = new IdentityHashMap<>();
            return d;
        }
        if (steps == null) return d;
        d.stepsTrace = steps;
        Map<Tensor, ConstantRules.Rule> batchRules = d.rules;
        d.rules = new IdentityHashMap<>();
        String problem = d.problem();
        if (problem != null) {
            d.notFree = problem;
            d.stepsTrace = null;
            d.rules = batchRules;
        }
        return d;
    }

    /** The batch one row larger: the first row again, its last token id made padding when there is a padding id. */
    private static Tensor largerBatch(Tensor x, long pad) {
        int n = x.size(0), row = x.numel() / Math.max(n, 1);
        int[] shape = x.shape().clone();
        shape[0] = n + 1;
        if (x.dtype() == DType.INT64) {
            long[] v = Arrays.copyOf(x.toLongArray(), (n + 1) * row);
            System.arraycopy(v, 0, v, n * row, row);
            if (pad >= 0 && x.dim() == 2 && row >= 2) distinctRow(v, n, row, pad, SequenceLengths.rowLengths(x, pad));
            return TensorData.wrapLongs(v, shape);
        }
        float[] v = Arrays.copyOf(x.toFloatArray(), (n + 1) * row);
        System.arraycopy(v, 0, v, n * row, row);
        return Tensor.fromArray(v, shape).requiresGrad(true);
    }

    /**
     * Makes the added row {@code n} of {@code v} a padded row of a length no example row has, so that what
     * the forward pass builds from the lengths differs from anything it builds from one value or the shape.
     */
    private static void distinctRow(long[] v, int n, int row, long pad, int[] lengths) {
        java.util.Set<Integer> taken = new java.util.HashSet<>();
        for (int len : lengths) taken.add(len);
        int target = 1;
        while (target < row && taken.contains(target)) target++;
        if (target >= row) target = row - 1;
        long word = -1;
        for (int i = 0; i < n * row && word < 0; i++) if (v[i] != pad) word = v[i];
        if (word < 0) return;
        for (int t = 0; t < row; t++) {
            long id = v[n * row + t];
            v[n * row + t] = t >= target ? pad : id == pad ? word : id;
        }
    }

    /** The ops of a trace of {@code model} on {@code x}, or null when the model refuses it or records another graph. */
    private List<Shadow> shadow(Module model, Tensor x) {
        Graph g;
        try {
            Tensor y = model.call(x);
            if (y == null || y.gradFn() == null) return null;
            g = Graph.trace(y);
        } catch (RuntimeException e) {
            return null;
        }
        if (g.ops().size() != graph.ops().size()) return null;
        List<Shadow> r = new ArrayList<>(g.ops().size());
        for (int i = 0; i < g.ops().size(); i++) {
            Graph.Op op = g.ops().get(i), mine = graph.ops().get(i);
            if (!op.type().equals(mine.type()) || op.inputs().size() != mine.inputs().size()) return null;
            int[][] shapes = new int[op.inputs().size()][];
            Tensor[] constants = new Tensor[shapes.length];
            for (int j = 0; j < shapes.length; j++) {
                Graph.Input in = op.inputs().get(j);
                if (in.present() != mine.inputs().get(j).present()) return null;
                if (!in.present()) continue;
                shapes[j] = in.shape();
                if (in.producer() == null && in.tensor() != x && !in.tensor().requiresGrad()) constants[j] = in.tensor();
            }
            r.add(new Shadow(op.type(), shapes, op.outputShape(), op.attributes(), constants));
        }
        return r;
    }

    /** Whether the extra traces free anything: false means the single-trace rules apply. */
    boolean active() {
        return batchTrace != null;
    }

    /** Whether the number of steps is free in the file. */
    boolean stepsFree() {
        return stepsTrace != null;
    }

    /** Why the dimensions are not all free (for messages and tests), or null. */
    String notFree() {
        return notFree;
    }

    Tensor input() {
        return input;
    }

    Graph graph() {
        return graph;
    }

    Map<Tensor, String> state() {
        return state;
    }

    /** The rule that computes a constant of the forward pass in the file, or null for a plain constant. */
    ConstantRules.Rule rule(Tensor constant) {
        return rules.get(constant);
    }

    /** The sizes of input {@code i} of {@code op}, or null when they are no such products. */
    Sym[] input(Graph.Op op, int i) {
        Shadow b = shadowB(op), c = shadowC(op);
        return fit(op.inputShape(i), b == null ? null : b.inputShapes()[i], c == null ? null : c.inputShapes()[i]);
    }

    /** The sizes of {@code op}'s output. */
    Sym[] output(Graph.Op op) {
        Shadow b = shadowB(op), c = shadowC(op);
        return fit(op.outputShape(), b == null ? null : b.outputShape(), c == null ? null : c.outputShape());
    }

    /** The end of a slice, or null when it is no such product. */
    Sym sliceEnd(Graph.Op op) {
        Shadow b = shadowB(op), c = shadowC(op);
        return fit(((ViewAttributes.Slice) op.attributes()).end(),
                b == null ? null : ((ViewAttributes.Slice) b.attributes()).end(),
                c == null ? null : ((ViewAttributes.Slice) c.attributes()).end());
    }

    /** The constants at input {@code i} of {@code op} in the extra traces (null where absent). */
    Tensor[] shadowConstants(Graph.Op op, int i) {
        Shadow b = shadowB(op), c = shadowC(op);
        return new Tensor[] {b == null ? null : b.constants()[i], c == null ? null : c.constants()[i]};
    }

    /** The inputs of the extra traces (null where absent). */
    Tensor[] shadowInputs() {
        return new Tensor[] {batchTrace == null ? null : inputB, stepsTrace == null ? null : inputC};
    }

    private Shadow shadowB(Graph.Op op) {
        return batchTrace == null ? null : batchTrace.get(op.index());
    }

    private Shadow shadowC(Graph.Op op) {
        return stepsTrace == null ? null : stepsTrace.get(op.index());
    }

    Sym[] fit(int[] a, int[] b, int[] c) {
        if (b != null && b.length != a.length || c != null && c.length != a.length) return null;
        Sym[] r = new Sym[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = fit(a[i], b == null ? null : b[i], c == null ? null : c[i]);
            if (r[i] == null) return null;
        }
        return r;
    }

    private Sym fit(int v0, Integer vB, Integer vC) {
        int b = vB != null && vB != v0 ? 1 : 0, s = vC != null && vC != v0 ? 1 : 0;
        if (b == 0 && s == 0) return Sym.fixed(v0);
        long base0 = (b == 1 ? n0 : 1L) * (s == 1 ? t0 : 1L);
        long baseB = (b == 1 ? nB : 1L) * (s == 1 ? t0 : 1L), baseC = (b == 1 ? n0 : 1L) * (s == 1 ? tC : 1L);
        // The coefficient from the trace that changed, the offset from the example's trace; the other trace checks.
        long num = b == 1 ? vB - v0 : vC - v0, den = b == 1 ? baseB - base0 : baseC - base0;
        if (den == 0 || num % den != 0 || num / den == 0) return null;
        long c = num / den, d = v0 - c * base0;
        if (vB != null && vB != c * baseB + d) return null;
        if (vC != null && vC != c * baseC + d) return null;
        return new Sym(c, b, s, d);
    }

    /** The start of a slice, or null when it is no such size. */
    Sym sliceStart(Graph.Op op) {
        Shadow b = shadowB(op), c = shadowC(op);
        return fit(((ViewAttributes.Slice) op.attributes()).start(),
                b == null ? null : ((ViewAttributes.Slice) b.attributes()).start(),
                c == null ? null : ((ViewAttributes.Slice) c.attributes()).start());
    }

    /** What keeps the current traces from freeing their dimensions, or null; fills {@link #rules}. */
    private String problem() {
        for (Graph.Op op : graph.ops()) {
            String where = "op %" + op.index() + " (" + op.type() + ")";
            Shadow b = shadowB(op), c = shadowC(op);
            if (output(op) == null) return where + ": its output's sizes";
            for (Shadow s : new Shadow[] {b, c})
                if (s != null && !SIZED_ATTRIBUTES.contains(op.type()) && !sameAttributes(op.attributes(), s.attributes()))
                    return where + ": its attributes change with the input's shape";
            if (op.type().equals("slice")) {
                ViewAttributes.Slice a = (ViewAttributes.Slice) op.attributes();
                for (Shadow s : new Shadow[] {b, c}) {
                    if (s == null) continue;
                    ViewAttributes.Slice o = (ViewAttributes.Slice) s.attributes();
                    if (o.dim() != a.dim() || o.step() != a.step()) return where + ": its axis or step changes with the input's shape";
                }
                if (sliceStart(op) == null || sliceEnd(op) == null) return where + ": its start or end";
            }
            for (int i = 0; i < op.inputs().size(); i++) {
                Graph.Input in = op.inputs().get(i);
                if (!in.present()) continue;
                Sym[] s = input(op, i);
                if (s == null) return where + ": the sizes of input " + i;
                if (READS_SIZES.contains(op.type()) && i == 0)
                    for (int k = 1; k < s.length; k++) if (!s[k].isFixed()) return where + ": it reads the input's sizes";
                if (op.type().equals("squeeze")) {
                    int[] shape = op.inputShape(0);
                    for (int k = 0; k < shape.length; k++)
                        if (shape[k] == 1 && !s[k].isFixed()) return where + ": a size 1 that changes";
                }
                if (in.producer() != null || in.tensor() == input || in.tensor().requiresGrad()) continue;
                if (rules.containsKey(in.tensor())) continue;
                Tensor[] others = shadowConstants(op, i);
                if (same(in.tensor(), others[0]) && same(in.tensor(), others[1])) continue;
                if (op.type().equals("cat") && !s[catAxis(op)].isFixed()) return where + ": a constant block of changing size";
                ConstantRules.Rule rule = ConstantRules.recognize(this, op, i, s);
                if (rule == null) return where + ": constant input " + i + " changes with the input and is none the file can compute";
                rules.put(in.tensor(), rule);
            }
        }
        return null;
    }

    private static int catAxis(Graph.Op op) {
        int dim = ((org.jgrad.ops.IndexAttributes.Cat) op.attributes()).dim();
        return dim < 0 ? dim + op.outputShape().length : dim;
    }

    private static boolean sameAttributes(OpAttributes a, OpAttributes b) {
        return Objects.equals(a, b) || String.valueOf(a).equals(String.valueOf(b));
    }

    /** Whether the other trace's constant (null: no other trace) holds the same as {@code t}. */
    private static boolean same(Tensor t, Tensor other) {
        if (other == null) return true;
        if (!Arrays.equals(t.shape(), other.shape()) || t.dtype() != other.dtype()) return false;
        if (t.dtype() == DType.INT64) return Arrays.equals(t.contiguous().toLongArray(), other.contiguous().toLongArray());
        return Arrays.equals(t.contiguous().toFloatArray(), other.contiguous().toFloatArray());
    }
}
