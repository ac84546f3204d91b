package org.jgrad.tensor;

import java.util.Locale;

/**
 * Prints tensors the way PyTorch does: {@code tensor([[1.0000, 2.5000], ...], requires_grad=True)},
 * with all-integer float tensors as {@code 1.}, scientific notation for wide ranges, and
 * {@code ...} summaries for tensors of more than 1000 elements.
 */
final class TensorFormatter {
    private TensorFormatter() {}

    private static final int THRESHOLD = 1000, EDGE = 3, PRECISION = 4;

    static String format(Tensor t) {
        String prefix = "tensor(";
        StringBuilder sb = new StringBuilder(prefix);
        boolean summarize = t.numel() > THRESHOLD;
        if (t.numel() == 0) {
            sb.append("[]");
        } else {
            Fmt f = t.dtype() == DType.INT64 ? intFmt(t) : floatFmt(t, summarize);
            body(sb, t, f, prefix.length(), summarize);
        }
        if (t.numel() == 0 && t.dim() != 1) sb.append(", size=").append(dimsTuple(t.shape()));
        if (t.dtype() == DType.INT64 && t.numel() == 0) sb.append(", dtype=torch.int64");
        if (t.gradFn() != null) sb.append(", grad_fn=<").append(t.gradFn().displayName()).append('>');
        else if (t.requiresGrad()) sb.append(", requires_grad=True");
        return sb.append(')').toString();
    }

    private static String dimsTuple(int[] s) {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < s.length; i++) b.append(i > 0 ? ", " : "").append(s[i]);
        return b.append(')').toString();
    }

    private record Fmt(int kind, int width) {} // kind 0: int, 1: float with '.', 2: fixed, 3: scientific

    private static Fmt intFmt(Tensor t) {
        int w = 1;
        for (long v : t.toLongArray()) w = Math.max(w, Long.toString(v).length());
        return new Fmt(0, w);
    }

    private static Fmt floatFmt(Tensor t, boolean summarize) {
        float[] v = t.toFloatArray();
        boolean allInt = true;
        double maxAbs = 0, minAbs = Double.MAX_VALUE;
        int finite = 0;
        for (float x : v) {
            if (Float.isNaN(x) || Float.isInfinite(x)) continue;
            finite++;
            if (x != Math.rint(x)) allInt = false;
            double a = Math.abs(x);
            if (a != 0) {
                maxAbs = Math.max(maxAbs, a);
                minAbs = Math.min(minAbs, a);
            }
        }
        if (finite == 0) minAbs = maxAbs = 0;
        if (minAbs == Double.MAX_VALUE) minAbs = 0;
        int kind;
        if (allInt) kind = maxAbs > 1e8 ? 3 : 1;
        else kind = (maxAbs / Math.max(minAbs, Double.MIN_VALUE) > 1000 && minAbs > 0) || maxAbs > 1e8 || (minAbs > 0 && minAbs < 1e-4) ? 3 : 2;
        Fmt f = new Fmt(kind, 0);
        int w = 1;
        for (float x : v) w = Math.max(w, str(x, f).length());
        return new Fmt(kind, w);
    }

    private static String str(float x, Fmt f) {
        if (Float.isNaN(x)) return "nan";
        if (Float.isInfinite(x)) return x > 0 ? "inf" : "-inf";
        return switch (f.kind) {
            case 1 -> String.format(Locale.ROOT, "%.0f.", x);
            case 2 -> String.format(Locale.ROOT, "%." + PRECISION + "f", x);
            case 3 -> String.format(Locale.ROOT, "%." + PRECISION + "e", x).replaceAll("e([+-])(\\d)$", "e$10$2");
            default -> Long.toString((long) x);
        };
    }

    private static String elem(Tensor t, int[] idx, Fmt f) {
        String s = t.dtype() == DType.INT64 ? Long.toString(t.getLong(idx)) : str(t.get(idx), f);
        return " ".repeat(Math.max(0, f.width - s.length())) + s;
    }

    private static void body(StringBuilder sb, Tensor t, Fmt f, int indent, boolean summarize) {
        if (t.dim() == 0) {
            String s = t.dtype() == DType.INT64 ? Long.toString(t.getLong()) : str(t.get(), f);
            sb.append(s);
            return;
        }
        rec(sb, t, new int[t.dim()], 0, f, indent, summarize);
    }

    private static void rec(StringBuilder sb, Tensor t, int[] idx, int d, Fmt f, int indent, boolean summarize) {
        int n = t.size(d);
        sb.append('[');
        boolean cut = summarize && n > 2 * EDGE;
        for (int i = 0; i < n; i++) {
            if (cut && i == EDGE) {
                sb.append(d == t.dim() - 1 ? "..., " : "...");
                if (d < t.dim() - 1) sb.append(",\n".repeat(1)).append("\n".repeat(t.dim() - d - 2)).append(" ".repeat(indent + d + 1));
                i = n - EDGE;
            }
            idx[d] = i;
            if (d == t.dim() - 1) sb.append(elem(t, idx, f));
            else rec(sb, t, idx, d + 1, f, indent, summarize);
            if (i < n - 1) {
                if (d == t.dim() - 1) sb.append(", ");
                else sb.append(",\n").append("\n".repeat(t.dim() - d - 2)).append(" ".repeat(indent + d + 1));
            }
        }
        sb.append(']');
    }
}
