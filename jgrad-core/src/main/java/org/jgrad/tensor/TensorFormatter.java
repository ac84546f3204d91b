package org.jgrad.tensor;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints tensors exactly the way PyTorch's {@code torch/_tensor_str.py} does with its default print
 * options (precision 4, threshold 1000, edgeitems 3, linewidth 80): {@code tensor([0.1000, 2.5000])},
 * all-integer float tensors as {@code 1.}, scientific notation when the non-zero magnitudes span more
 * than a factor 1000 (or exceed 1e8, or fall below 1e-4), one width for every element, lines wrapped
 * at 80 columns, and {@code ...} summaries for tensors of more than 1000 elements.
 *
 * <p>Numbers are rounded the way Python's {@code format} rounds them: the exact binary value, half to
 * even. That is why this class formats with {@link BigDecimal} rather than {@code String.format},
 * which rounds half up on a shortest decimal representation and so differs on ties.
 */
final class TensorFormatter {
    private TensorFormatter() {}

    private static final int THRESHOLD = 1000, EDGE = 3, PRECISION = 4, LINE_WIDTH = 80;

    static String format(Tensor t) {
        String prefix = "tensor(";
        int indent = prefix.length();
        Tensor d = t.detach();
        List<String> suffixes = new ArrayList<>();
        String body;
        if (d.numel() == 0) {
            body = "[]";
            if (d.dim() != 1) suffixes.add("size=" + dimsTuple(d.shape()));
            if (d.dtype() != DType.FLOAT32) suffixes.add("dtype=torch." + d.dtype().pyName());
        } else {
            boolean summarize = d.numel() > THRESHOLD;
            Fmt f = formatterFor(d, summarize);
            StringBuilder sb = new StringBuilder();
            body(sb, d, new int[d.dim()], 0, indent, summarize, f);
            body = sb.toString();
        }
        if (t.gradFn() != null) suffixes.add("grad_fn=<" + t.gradFn().displayName() + ">");
        else if (t.requiresGrad()) suffixes.add("requires_grad=True");
        return addSuffixes(prefix + body, suffixes, indent);
    }

    /** PyTorch's {@code _add_suffixes}: a suffix that would pass the line width goes on its own line. */
    private static String addSuffixes(String s, List<String> suffixes, int indent) {
        StringBuilder sb = new StringBuilder(s);
        int lastLineLen = s.length() - s.lastIndexOf('\n') + 1;
        for (String suffix : suffixes) {
            if (lastLineLen + suffix.length() + 2 > LINE_WIDTH) {
                sb.append(",\n").append(" ".repeat(indent)).append(suffix);
                lastLineLen = indent + suffix.length();
            } else {
                sb.append(", ").append(suffix);
                lastLineLen += suffix.length() + 2;
            }
        }
        return sb.append(')').toString();
    }

    private static String dimsTuple(int[] s) {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < s.length; i++) b.append(i > 0 ? ", " : "").append(s[i]);
        return b.append(')').toString();
    }

    /** How every element is printed: integer dtype, float "1." mode, fixed or scientific; and the common width. */
    private record Fmt(boolean isLong, boolean intMode, boolean sciMode, int width) {
        String format(Tensor t, int[] idx) {
            String s = isLong ? Long.toString(t.getLong(idx)) : formatFloat(t.get(idx));
            return " ".repeat(Math.max(0, width - s.length())) + s;
        }

        private String formatFloat(double v) {
            if (sciMode) return sci(v);
            if (intMode) return Double.isNaN(v) || Double.isInfinite(v) ? nonFinite(v) : fixed(v, 0) + ".";
            return fixed(v, PRECISION);
        }
    }

    /** PyTorch's {@code _Formatter.__init__}, computed over the (summarized) values. */
    private static Fmt formatterFor(Tensor t, boolean summarize) {
        List<int[]> shown = new ArrayList<>();
        collect(t, new int[t.dim()], 0, summarize, shown);
        if (t.dtype() == DType.INT64) {
            int w = 1;
            for (int[] idx : shown) w = Math.max(w, Long.toString(t.getLong(idx)).length());
            return new Fmt(true, false, false, w);
        }
        List<Double> vals = new ArrayList<>();
        for (int[] idx : shown) vals.add((double) t.get(idx));
        double min = Double.POSITIVE_INFINITY, max = 0;
        boolean intMode = true;
        int count = 0;
        for (double v : vals) {
            if (v == 0 || Double.isNaN(v) || Double.isInfinite(v)) continue;
            count++;
            double a = Math.abs(v);
            min = Math.min(min, a);
            max = Math.max(max, a);
            if (v != Math.ceil(v)) intMode = false;
        }
        if (count == 0) return new Fmt(false, true, false, 1);
        boolean sci = max / min > 1000.0 || max > 1.0e8 || (!intMode && min < 1.0e-4);
        int w = 1;
        for (double v : vals) {
            if (v == 0 || Double.isNaN(v) || Double.isInfinite(v)) continue;
            int len = sci ? sci(v).length() : intMode ? fixed(v, 0).length() + 1 : fixed(v, PRECISION).length();
            w = Math.max(w, len);
        }
        return new Fmt(false, intMode, sci, w);
    }

    /** The values PyTorch's {@code get_summarized_data} keeps: the first and last EDGE along each long dim. */
    private static void collect(Tensor t, int[] idx, int d, boolean summarize, List<int[]> out) {
        if (d == t.dim()) {
            out.add(idx.clone());
            return;
        }
        int n = t.size(d);
        boolean cut = summarize && n > 2 * EDGE;
        for (int i = 0; i < n; i++) {
            if (cut && i == EDGE) i = n - EDGE;
            idx[d] = i;
            collect(t, idx, d + 1, summarize, out);
        }
    }

    /** PyTorch's {@code _tensor_str_with_formatter} on the sub-tensor at {@code idx[0..d)}. */
    private static void body(StringBuilder sb, Tensor t, int[] idx, int d, int indent, boolean summarize, Fmt f) {
        int rank = t.dim();
        if (rank == 0) {
            sb.append(f.format(t, idx));
            return;
        }
        int n = t.size(d);
        boolean cut = summarize && n > 2 * EDGE;
        if (d == rank - 1) {
            List<String> items = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (cut && i == EDGE) {
                    items.add(" ...");
                    i = n - EDGE;
                }
                idx[d] = i;
                items.add(f.format(t, idx));
            }
            int perLine = Math.max(1, (LINE_WIDTH - indent) / (f.width() + 2));
            sb.append('[');
            for (int i = 0; i < items.size(); i++) {
                if (i > 0) sb.append(i % perLine == 0 ? ",\n" + " ".repeat(indent + 1) : ", ");
                sb.append(items.get(i));
            }
            sb.append(']');
            return;
        }
        String sep = "," + "\n".repeat(rank - d - 1) + " ".repeat(indent + 1);
        sb.append('[');
        for (int i = 0; i < n; i++) {
            if (i > 0) sb.append(sep);
            if (cut && i == EDGE) {
                sb.append("...").append(sep);
                i = n - EDGE;
            }
            idx[d] = i;
            body(sb, t, idx, d + 1, indent + 1, summarize, f);
        }
        sb.append(']');
    }

    private static String nonFinite(double v) {
        return Double.isNaN(v) ? "nan" : v > 0 ? "inf" : "-inf";
    }

    private static boolean negative(double v) {
        return v < 0 || (v == 0 && 1 / v < 0);
    }

    /** Python's {@code "{:.Nf}".format(v)}. */
    static String fixed(double v, int decimals) {
        if (Double.isNaN(v) || Double.isInfinite(v)) return nonFinite(v);
        String s = new BigDecimal(Math.abs(v)).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
        return negative(v) ? "-" + s : s;
    }

    /** Python's {@code "{:.4e}".format(v)}: five significant digits and a signed exponent of at least two digits. */
    static String sci(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) return nonFinite(v);
        String sign = negative(v) ? "-" : "";
        if (v == 0) return sign + "0." + "0".repeat(PRECISION) + "e+00";
        BigDecimal b = new BigDecimal(Math.abs(v)).round(new MathContext(PRECISION + 1, RoundingMode.HALF_EVEN));
        String digits = b.unscaledValue().toString();
        int exp = digits.length() - 1 - b.scale();
        digits = (digits + "0".repeat(PRECISION + 1)).substring(0, PRECISION + 1);
        String e = Integer.toString(Math.abs(exp));
        return sign + digits.charAt(0) + "." + digits.substring(1) + "e" + (exp < 0 ? "-" : "+") + (e.length() < 2 ? "0" + e : e);
    }
}
