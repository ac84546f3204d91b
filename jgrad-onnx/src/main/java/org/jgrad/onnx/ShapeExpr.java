package org.jgrad.onnx;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jgrad.onnx.FreeDims.Sym;

/**
 * Sizes computed in the exported graph from the input's runtime shape: the batch is
 * {@code Shape(input)[0]}, the steps of token ids {@code Shape(input)[1]}, and every other free size a
 * product of those with a constant, plus a constant. Each value is written once.
 */
final class ShapeExpr {
    private final GraphBuilder g;
    private final String input;
    private final Map<Sym, String> dims = new HashMap<>(), scalars = new HashMap<>();
    private String shape;

    ShapeExpr(GraphBuilder g, String input) {
        this.g = g;
        this.input = input;
    }

    /** The int64 [1] value of one size. */
    String dim(Sym s) {
        if (s.isFixed()) return g.longs(s.coef());
        String known = dims.get(s);
        if (known != null) return known;
        if (shape == null) shape = g.node("Shape", new String[] {input});
        String r = null;
        if (s.batch() == 1) r = g.node("Gather", new String[] {shape, g.longs(0)}, GraphBuilder.attr("axis", 0));
        if (s.steps() == 1) {
            String t = g.node("Gather", new String[] {shape, g.longs(1)}, GraphBuilder.attr("axis", 0));
            r = r == null ? t : g.node("Mul", new String[] {r, t});
        }
        if (s.coef() != 1) r = g.node("Mul", new String[] {r, g.longs(s.coef())});
        if (s.offset() != 0) r = g.node("Add", new String[] {r, g.longs(s.offset())});
        dims.put(s, r);
        return r;
    }

    /** The int64 0-d value of one size (Range's bounds). */
    String scalar(Sym s) {
        String known = scalars.get(s);
        if (known != null) return known;
        String r = g.node("Squeeze", new String[] {dim(s), g.longs(0)});
        scalars.put(s, r);
        return r;
    }

    /** The int64 [rank] value of a whole shape: a constant when every size is fixed. */
    String shape(Sym[] sizes) {
        List<String> parts = new ArrayList<>();
        List<Long> run = new ArrayList<>();
        for (Sym s : sizes) {
            if (s.isFixed()) {
                run.add(s.coef());
                continue;
            }
            if (!run.isEmpty()) parts.add(g.longs(run.stream().mapToLong(Long::longValue).toArray()));
            run.clear();
            parts.add(dim(s));
        }
        if (!run.isEmpty()) parts.add(g.longs(run.stream().mapToLong(Long::longValue).toArray()));
        if (parts.size() == 1) return parts.get(0);
        return g.node("Concat", parts.toArray(String[]::new), GraphBuilder.attr("axis", 0));
    }

    /** {@code 0, 1, …, steps − 1} as int64 [steps]. */
    String positions(Sym steps) {
        if (steps.isFixed()) {
            long[] p = new long[(int) steps.coef()];
            for (int i = 0; i < p.length; i++) p[i] = i;
            return g.longs(p);
        }
        return g.node("Range", new String[] {g.longScalar(0), scalar(steps), g.longScalar(1)});
    }
}
