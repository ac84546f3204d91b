package org.jgrad.onnx;

import java.util.Map;
import java.util.function.Function;
import org.jgrad.autograd.Graph;
import org.jgrad.onnx.FreeDims.Sym;
import org.jgrad.onnx.proto.OnnxProto.TensorProto;
import org.jgrad.tensor.DType;
import org.jgrad.tensor.Tensor;

/**
 * The constants a forward pass builds from its input's shape or ids, which a trace records only as
 * numbers, recognized by what they hold in every trace ({@link FreeDims}) and computed in the file:
 *
 * <ul>
 *   <li>one value throughout (zero initial states, blocks of padding): an {@code Expand} of the value;
 *   <li>the first rows of a parameter or buffer (a positional table cut to the input's steps): a
 *       {@code Slice} of that weight;
 *   <li>a causal mask (one value on and below the diagonal, another above it, over steps × steps):
 *       {@code Range}, {@code Greater}, {@code Where};
 *   <li>a mask over each row's steps (one value before the row's length, another after it, as attention
 *       over a padded batch takes it, or 1 and 0 for a mean over the real words), possibly repeated for
 *       the heads, and the rows' lengths themselves: computed from the lengths of {@link SequenceLengths}.
 * </ul>
 */
final class ConstantRules {
    private ConstantRules() {}

    /** Writes the nodes that compute one constant and returns the name of its value. */
    interface Rule {
        /**
         * @param names the ONNX value of an op input already written
         */
        String emit(GraphBuilder g, ShapeExpr shapes, SequenceLengths lengths, Function<Graph.Input, String> names);
    }

    /** The rule that computes input {@code i} of {@code op} (sizes {@code s}) in every trace, or null. */
    static Rule recognize(FreeDims d, Graph.Op op, int i, Sym[] s) {
        Tensor a = op.inputs().get(i).tensor();
        Tensor[] others = d.shadowConstants(op, i);
        Rule r = lengthMask(d, a, others, s);
        if (r == null) r = causal(a, others, s);
        if (r == null) r = weightPrefix(d.state(), a, others, s);
        if (r == null) r = reducedSibling(op, i);
        if (r == null) r = fill(a, others, s);
        return r;
    }

    /**
     * The maximum of the op's other operand over the dimensions where the constant has size 1 (the shift
     * that keeps a log-sum-exp from overflowing, taken without a gradient).
     */
    private static Rule reducedSibling(Graph.Op op, int i) {
        if (op.inputs().size() != 2 || !(op.type().equals("sub") || op.type().equals("add"))) return null;
        Graph.Input other = op.inputs().get(1 - i);
        if (other.producer() == null || other.tensor().dtype() != DType.FLOAT32) return null;
        Tensor a = op.inputs().get(i).tensor(), x = other.tensor();
        if (a.dim() != x.dim()) return null;
        java.util.List<Integer> axes = new java.util.ArrayList<>();
        for (int k = 0; k < a.dim(); k++) {
            if (a.size(k) == x.size(k)) continue;
            if (a.size(k) != 1) return null;
            axes.add(k);
        }
        if (axes.isEmpty()) return null;
        Tensor max = x.detach();
        for (int k : axes) max = max.max(k, true).values();
        if (!java.util.Arrays.equals(max.contiguous().toFloatArray(), a.contiguous().toFloatArray())) return null;
        long[] dims = axes.stream().mapToLong(Integer::longValue).toArray();
        return (g, e, l, names) -> g.node("ReduceMax", new String[] {names.apply(other)}, GraphBuilder.attr("axes", dims),
                GraphBuilder.attr("keepdims", 1));
    }

    private static Rule fill(Tensor a, Tensor[] others, Sym[] s) {
        Double v = single(a);
        if (v == null) return null;
        for (Tensor o : others) if (o != null && !v.equals(single(o))) return null;
        boolean longs = a.dtype() == DType.INT64;
        double value = v;
        return (g, e, l, names) -> g.node("Expand", new String[] {longs ? g.longScalar((long) value) : g.scalar(value), e.shape(s)});
    }

    private static Double single(Tensor t) {
        if (t.numel() == 0) return null;
        if (t.dtype() == DType.INT64) {
            long[] v = t.contiguous().toLongArray();
            for (long x : v) if (x != v[0]) return null;
            return (double) v[0];
        }
        float[] v = t.contiguous().toFloatArray();
        for (float x : v) if (Float.compare(x, v[0]) != 0) return null;
        return (double) v[0];
    }

    /** A prefix of a weight's rows along one free size of steps, every size before it 1. */
    private static Rule weightPrefix(Map<Tensor, String> state, Tensor a, Tensor[] others, Sym[] s) {
        if (a.dtype() != DType.FLOAT32) return null;
        int k = -1;
        for (int j = 0; j < s.length; j++) {
            if (s[j].isFixed()) continue;
            if (k >= 0 || !s[j].isSteps()) return null;
            k = j;
        }
        if (k < 0) return null;
        for (int j = 0; j < k; j++) if (s[j].coef() != 1) return null;
        long after = 1;
        for (int j = k + 1; j < s.length; j++) after *= s[j].coef();
        for (var e : state.entrySet()) {
            Tensor w = e.getKey();
            if (w.dtype() != DType.FLOAT32 || w.dim() < 1 || w.size(0) == 0 || w.numel() / w.size(0) != after) continue;
            float[] rows = w.contiguous().toFloatArray();
            if (!prefixOf(a, rows) || !prefixOf(others[0], rows) || !prefixOf(others[1], rows)) continue;
            String name = e.getValue();
            int axis = k;
            return (g, x, l, names) -> g.node("Reshape", new String[] {g.node("Slice", new String[] {g.initializer(w, name),
                    g.longs(0), x.dim(s[axis]), g.longs(0)}), x.shape(s)});
        }
        return null;
    }

    private static boolean prefixOf(Tensor t, float[] rows) {
        if (t == null) return true;
        if (t.dtype() != DType.FLOAT32 || t.numel() > rows.length) return false;
        float[] v = t.contiguous().toFloatArray();
        for (int i = 0; i < v.length; i++) if (Float.compare(v[i], rows[i]) != 0) return false;
        return true;
    }

    /** [1, …, steps, steps] with one value on and below the diagonal and another above it. */
    private static Rule causal(Tensor a, Tensor[] others, Sym[] s) {
        int r = s.length;
        if (r < 2 || a.dtype() != DType.FLOAT32 || !s[r - 1].isSteps() || !s[r - 2].isSteps()) return null;
        for (int j = 0; j < r - 2; j++) if (!s[j].isFixed() || s[j].coef() != 1) return null;
        int n = a.size(r - 1);
        if (n < 2) return null;
        float[] v = a.contiguous().toFloatArray();
        float lower = v[0], upper = v[1];
        for (Tensor t : new Tensor[] {a, others[0], others[1]}) {
            if (t == null) continue;
            int m = t.size(r - 1);
            float[] w = t.contiguous().toFloatArray();
            for (int i = 0; i < m; i++)
                for (int j = 0; j < m; j++) if (Float.compare(w[i * m + j], j > i ? upper : lower) != 0) return null;
        }
        return (g, e, l, names) -> {
            String pos = e.positions(s[r - 1]);
            String above = g.node("Greater", new String[] {g.node("Unsqueeze", new String[] {pos, g.longs(0)}),
                g.node("Unsqueeze", new String[] {pos, g.longs(1)})});
            return g.node("Reshape", new String[] {g.node("Where", new String[] {above, g.scalar(upper), g.scalar(lower)}),
                e.shape(s)});
        };
    }

    /**
     * [batch·c, 1…, steps, 1…] holding one value before each row's length and another after it (row
     * {@code r} of the constant is row {@code r / c} of the batch), or [batch·c, 1…] holding the lengths.
     */
    private static Rule lengthMask(FreeDims d, Tensor a, Tensor[] others, Sym[] s) {
        Tensor input = d.input();
        long pad = SequenceLengths.paddingId(d.graph(), input);
        if (pad < 0 || input.dim() != 2 || a.dtype() != DType.FLOAT32 || s.length < 1) return null;
        if (s[0].batch() != 1 || s[0].steps() != 0 || s[0].offset() != 0) return null;
        long c = s[0].coef();
        // The steps: free, or (while they are not) the one size equal to the input's steps.
        int k = -1;
        for (int j = 1; j < s.length; j++) if (s[j].isSteps() && k < 0) k = j;
        for (int j = 1; j < s.length && k < 0; j++) if (s[j].isFixed() && s[j].coef() == input.size(1) && s[j].coef() != 1) k = j;
        for (int j = 1; j < s.length; j++) if (j != k && (!s[j].isFixed() || s[j].coef() != 1)) return null;
        Tensor[] inputs = d.shadowInputs();
        Tensor[] ts = {a, others[0], others[1]};
        Tensor[] ids = {input, inputs[0], inputs[1]};
        Float before = null, after = null;
        for (int q = 0; q < 3; q++) {
            if (ts[q] == null) continue;
            if (ids[q] == null || ts[q].size(0) != c * ids[q].size(0)) return null;
            int[] len = SequenceLengths.rowLengths(ids[q], pad);
            float[] v = ts[q].contiguous().toFloatArray();
            int steps = k < 0 ? 1 : ts[q].size(k);
            if (v.length != ts[q].size(0) * steps) return null;
            for (int row = 0; row < ts[q].size(0); row++) {
                int n = len[(int) (row / c)];
                for (int p = 0; p < steps; p++) {
                    float x = v[row * steps + p];
                    if (k < 0) {
                        if (x != n) return null;
                    } else if (p < n) {
                        if (before == null) before = x;
                        else if (Float.compare(before, x) != 0) return null;
                    } else if (after == null) after = x;
                    else if (Float.compare(after, x) != 0) return null;
                }
            }
        }
        // Without a padded row in any trace the value after a row's end is unknown.
        if (k >= 0 && (before == null || after == null)) return null;
        int axis = k;
        float in = k < 0 ? 0 : before, out = k < 0 ? 0 : after;
        return (g, e, l, names) -> {
            String lengths = l.int64();
            String v;
            if (axis < 0) v = g.node("Cast", new String[] {lengths}, GraphBuilder.attr("to", TensorProto.DataType.FLOAT_VALUE));
            else {
                String pos = g.node("Unsqueeze", new String[] {e.positions(s[axis]), g.longs(0)});
                String inside = g.node("Less", new String[] {pos, g.node("Unsqueeze", new String[] {lengths, g.longs(1)})});
                v = g.node("Where", new String[] {inside, g.scalar(in), g.scalar(out)});
            }
            if (c > 1) {
                String rows = g.node("Unsqueeze", new String[] {v, g.longs(1)});
                v = g.node("Expand", new String[] {rows, axis < 0 ? g.longs(1, c) : g.longs(1, c, 1)});
            }
            return g.node("Reshape", new String[] {v, e.shape(s)});
        };
    }
}
