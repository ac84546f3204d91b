package org.jgrad.kernels;

/**
 * The loops of the fused loss functions (cross-entropy on class indices or probabilities, NLL,
 * binary cross-entropy on probabilities and logits, the multiclass hinge loss), forward and backward.
 *
 * <p>Class-dim inputs follow PyTorch's layout [N, C, d1, ...]: row {@code r = n·S + s} (S the product
 * of the trailing dims) has its class k at {@code base(r) + k·S}. Rows are independent; large batches
 * are split across the thread pool by rows, each row writing only its own outputs. Every loop
 * accumulates in double and rounds once per output, as PyTorch's CPU kernels do.
 */
public final class LossLoops {
    private LossLoops() {}

    /** PyTorch clamps each log term at −100 so that p = 0 or 1 gives a finite loss. */
    private static final double LOG_FLOOR = -100;
    /** PyTorch's floor on p(1−p) in the backward, which keeps the gradient finite at p = 0 or 1. */
    private static final double GRAD_EPS = 1e-12;
    /** Elements per task below which splitting rows across threads costs more than it saves. */
    private static final int GRAIN = 1 << 15;

    /**
     * Runs {@code body} over row ranges of [0, rows), on several threads when the rows hold enough
     * elements ({@code c} each).
     */
    private static void forRows(int rows, int c, Parallel.RangeBody body) {
        Parallel.forRange(rows, Math.max(1, GRAIN / Math.max(c, 1)), body);
    }

    /** Flat index (from the tensor's start) of class 0 of row {@code r}. */
    private static int base(int r, int c, int s) {
        return s == 1 ? r * c : (r / s) * c * s + r % s;
    }

    private static double wt(float[] w, int wo, int k) {
        return w == null ? 1.0 : w[wo + k];
    }

    private static double smoothed(float t, double eps, int c) {
        return eps == 0 ? t : t * (1 - eps) + eps / c;
    }

    // ------------------------------------------------------------------ softmax family

    /** lse[r] = log Σ_k exp(x_k) of every row, shifted by the row maximum so that no exp overflows. */
    public static void logSumExpRows(float[] x, int xo, int rows, int c, int s, double[] lse) {
        forRows(rows, c, (from, to) -> {
            for (int r = from; r < to; r++) {
                int b = xo + base(r, c, s);
                float m = Float.NEGATIVE_INFINITY;
                for (int k = 0; k < c; k++) m = Math.max(m, x[b + k * s]);
                if (m == Float.NEGATIVE_INFINITY) { // all −inf: keep the row NaN-free, the loss is +inf as it should be
                    lse[r] = m;
                    continue;
                }
                double sum = 0;
                if (s == 1) sum = Elementwise.sumExpShifted(x, b, c, m);      // class rows contiguous: vector exp
                else for (int k = 0; k < c; k++) sum += Math.exp((double) x[b + k * s] - m);
                lse[r] = m + Math.log(sum);
            }
        });
    }

    /**
     * Cross-entropy of each row against its class index y (rows whose target is {@code ignoreIndex}
     * keep out[r] = 0), with label smoothing eps, from the rows' log Σ exp.
     */
    public static void crossEntropy(float[] x, int xo, long[] y, int yo, float[] w, int wo, double[] lse, int rows,
            int c, int s, long ignoreIndex, double eps, float[] out) {
        forRows(rows, c, (from, to) -> {
            for (int r = from; r < to; r++) {
                if (y[yo + r] == ignoreIndex) continue;
                int b = xo + base(r, c, s), t = (int) y[yo + r];
                double l = lse[r];
                double loss = (1 - eps) * wt(w, wo, t) * (l - x[b + t * s]);
                if (eps > 0) {
                    double smooth = 0;
                    for (int k = 0; k < c; k++) smooth += wt(w, wo, k) * (l - x[b + k * s]);
                    loss += eps / c * smooth;
                }
                out[r] = (float) loss;
            }
        });
    }

    /** The logits' gradient of {@link #crossEntropy} into gx (zeros on entry, indexed from 0). */
    public static void crossEntropyBackward(float[] g, int go, float[] x, int xo, long[] y, int yo, float[] w, int wo,
            double[] lse, int rows, int c, int s, long ignoreIndex, double eps, float[] gx) {
        forRows(rows, c, (from, to) -> {
            for (int r = from; r < to; r++) {
                float gr = g[go + r];
                if (y[yo + r] == ignoreIndex || gr == 0) continue;
                int b = base(r, c, s), t = (int) y[yo + r];
                // a_k = (1−ε)·w_t·[k=t] + (ε/C)·w_k; d(−Σ a_k logp_k)/dx_k = (Σ a)·p_k − a_k
                double onTarget = (1 - eps) * wt(w, wo, t), spread = eps / c, sumA = onTarget;
                if (eps > 0) for (int k = 0; k < c; k++) sumA += spread * wt(w, wo, k);
                double l = lse[r];
                if (eps == 0 && s == 1) {
                    // the common case, a softmax row scaled by g·w_t minus it at the target, in vector lanes
                    float scale = (float) (gr * onTarget);
                    Elementwise.expShiftedScaled(x, xo + b, (float) l, scale, gx, b, c);
                    gx[b + t] -= scale;
                    continue;
                }
                for (int k = 0; k < c; k++) {
                    double a = spread * wt(w, wo, k) + (k == t ? onTarget : 0);
                    gx[b + k * s] = (float) (gr * (sumA * Math.exp(x[xo + b + k * s] - l) - a));
                }
            }
        });
    }

    /** Cross-entropy of each row against class probabilities t (the input's layout), label smoothing eps. */
    public static void crossEntropyProbs(float[] x, int xo, float[] t, int to, float[] w, int wo, double[] lse, int rows,
            int c, int s, double eps, float[] out) {
        forRows(rows, c, (from, end) -> {
            for (int r = from; r < end; r++) {
                int b = base(r, c, s);
                double loss = 0;
                for (int k = 0; k < c; k++)
                    loss += wt(w, wo, k) * smoothed(t[to + b + k * s], eps, c) * (lse[r] - x[xo + b + k * s]);
                out[r] = (float) loss;
            }
        });
    }

    /**
     * The gradients of {@link #crossEntropyProbs} into gx (logits) and gt (probabilities), either of
     * which may be null when not wanted; both indexed from 0.
     */
    public static void crossEntropyProbsBackward(float[] g, int go, float[] x, int xo, float[] t, int to, float[] w,
            int wo, double[] lse, int rows, int c, int s, double eps, float[] gx, float[] gt) {
        forRows(rows, c, (from, end) -> {
            for (int r = from; r < end; r++) {
                int b = base(r, c, s);
                double l = lse[r], sumA = 0;
                for (int k = 0; k < c; k++) sumA += wt(w, wo, k) * smoothed(t[to + b + k * s], eps, c);
                for (int k = 0; k < c; k++) {
                    int i = b + k * s;
                    if (gx != null)
                        gx[i] = (float) (g[go + r] * (sumA * Math.exp(x[xo + i] - l) - wt(w, wo, k) * smoothed(t[to + i], eps, c)));
                    if (gt != null) gt[i] = (float) (g[go + r] * (1 - eps) * wt(w, wo, k) * (l - x[xo + i]));
                }
            }
        });
    }

    /** out[r] = −w[y]·x[y] of each row (0 where the target is {@code ignoreIndex}). */
    public static void nll(float[] x, int xo, long[] y, int yo, float[] w, int wo, int rows, int c, int s,
            long ignoreIndex, float[] out) {
        for (int r = 0; r < rows; r++) {
            if (y[yo + r] == ignoreIndex) continue;
            int t = (int) y[yo + r];
            out[r] = (float) (-wt(w, wo, t) * x[xo + base(r, c, s) + t * s]);
        }
    }

    /** The input gradient of {@link #nll} into gx (zeros on entry, indexed from 0). */
    public static void nllBackward(float[] g, int go, long[] y, int yo, float[] w, int wo, int rows, int c, int s,
            long ignoreIndex, float[] gx) {
        for (int r = 0; r < rows; r++) {
            if (y[yo + r] == ignoreIndex) continue;
            int t = (int) y[yo + r];
            gx[base(r, c, s) + t * s] = (float) (-wt(w, wo, t) * g[go + r]);
        }
    }

    /** Σ w[y] over the targets that are not {@code ignoreIndex} (their count when w is null). */
    public static double weightedCount(long[] y, int yo, int n, float[] w, int wo, long ignoreIndex) {
        double sum = 0;
        for (int i = yo; i < yo + n; i++) {
            long v = y[i];
            if (v != ignoreIndex) sum += w == null ? 1 : w[wo + (int) v];
        }
        return sum;
    }

    /**
     * The first position whose target is not in [0, classes) and, when {@code ignoring}, not
     * {@code ignoreIndex} either; -1 when there is none.
     */
    public static int firstBadTarget(long[] y, int yo, int n, int classes, boolean ignoring, long ignoreIndex) {
        for (int i = 0; i < n; i++) {
            long v = y[yo + i];
            if ((!ignoring || v != ignoreIndex) && (v < 0 || v >= classes)) return i;
        }
        return -1;
    }

    // ------------------------------------------------------------------ binary cross-entropy

    /** The first position whose value is not in [0, 1] (NaN included), or -1. */
    public static int firstOutsideUnit(float[] p, int po, int n) {
        for (int i = 0; i < n; i++)
            if (!(p[po + i] >= 0 && p[po + i] <= 1)) return i;
        return -1;
    }

    /** out[i] = −w·(t·log p + (1−t)·log(1−p)) with each log clamped at −100; w null means 1. */
    public static void bce(float[] p, int po, float[] t, int to, float[] w, int wo, int n, float[] out) {
        for (int i = 0; i < n; i++) {
            float pi = p[po + i], ti = t[to + i];
            double lp = Math.max(Math.log(pi), LOG_FLOOR), l1p = Math.max(Math.log1p(-pi), LOG_FLOOR);
            out[i] = (float) (-(w == null ? 1 : w[wo + i]) * (ti * lp + (1 - ti) * l1p));
        }
    }

    /** The gradients of {@link #bce} into gp and gt (either may be null), indexed from 0. */
    public static void bceBackward(float[] g, int go, float[] p, int po, float[] t, int to, float[] w, int wo, int n,
            float[] gp, float[] gt) {
        for (int i = 0; i < n; i++) {
            float pi = p[po + i], ti = t[to + i];
            double wg = g[go + i] * (w == null ? 1 : w[wo + i]);
            if (gp != null) gp[i] = (float) (wg * (pi - ti) / Math.max((1.0 - pi) * pi, GRAD_EPS));
            if (gt != null) {
                double lp = Math.max(Math.log(pi), LOG_FLOOR), l1p = Math.max(Math.log1p(-pi), LOG_FLOOR);
                gt[i] = (float) (wg * (l1p - lp));
            }
        }
    }

    /**
     * out[i] = w·((1−t)·x − (1 + (pw−1)·t)·log σ(x)), with {@code log σ(x) = min(x, 0) − log1p(e^−|x|)}
     * so no exp overflows; w and pw null mean 1.
     */
    public static void bceWithLogits(float[] x, int xo, float[] t, int to, float[] w, int wo, float[] pw, int pwo, int n,
            float[] out) {
        for (int i = 0; i < n; i++) {
            float xi = x[xo + i], ti = t[to + i];
            double lw = pw == null ? 1 : 1 + (pw[pwo + i] - 1.0) * ti;
            out[i] = (float) ((w == null ? 1 : w[wo + i]) * ((1.0 - ti) * xi - lw * logSigmoid(xi)));
        }
    }

    /** The gradients of {@link #bceWithLogits} into gx and gt (either may be null), indexed from 0. */
    public static void bceWithLogitsBackward(float[] g, int go, float[] x, int xo, float[] t, int to, float[] w, int wo,
            float[] pw, int pwo, int n, float[] gx, float[] gt) {
        for (int i = 0; i < n; i++) {
            float xi = x[xo + i], ti = t[to + i];
            double wg = g[go + i] * (w == null ? 1 : w[wo + i]);
            double p1 = pw == null ? 0 : pw[pwo + i] - 1.0;
            // d/dx: (1−t) − lw·σ(−x);  d/dt: −x − (pw−1)·log σ(x)
            if (gx != null) gx[i] = (float) (wg * ((1.0 - ti) - (1 + p1 * ti) * sigmoid(-xi)));
            if (gt != null) gt[i] = (float) (wg * (-xi - p1 * logSigmoid(xi)));
        }
    }

    private static double logSigmoid(double x) {
        return Math.min(x, 0) - Math.log1p(Math.exp(-Math.abs(x)));
    }

    private static double sigmoid(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }

    // ------------------------------------------------------------------ multiclass hinge

    /**
     * out[i] = scale·w[y]·Σ_{j≠y} max(0, margin − x_y + x_j)^p over the n rows of c scores
     * (p is 1 or 2; w null means 1).
     */
    public static void multiMargin(float[] x, int xo, long[] y, int yo, float[] w, int wo, int n, int c, int p,
            double margin, double scale, float[] out) {
        for (int i = 0; i < n; i++) {
            int b = xo + i * c, t = (int) y[yo + i];
            double sum = 0;
            for (int j = 0; j < c; j++) {
                if (j == t) continue;
                double h = margin - x[b + t] + x[b + j];
                if (h > 0) sum += p == 1 ? h : h * h;
            }
            out[i] = (float) (sum * scale * (w == null ? 1 : w[wo + t]));
        }
    }

    /** The input gradient of {@link #multiMargin} into gx (zeros on entry, indexed from 0). */
    public static void multiMarginBackward(float[] g, int go, float[] x, int xo, long[] y, int yo, float[] w, int wo,
            int n, int c, int p, double margin, double scale, float[] gx) {
        for (int i = 0; i < n; i++) {
            int b = i * c, t = (int) y[yo + i];
            double k = g[go + i] * scale * (w == null ? 1 : w[wo + t]);
            double toTarget = 0;
            for (int j = 0; j < c; j++) {
                if (j == t) continue;
                double h = margin - x[xo + b + t] + x[xo + b + j];
                if (h <= 0) continue;
                double d = k * (p == 1 ? 1 : 2 * h);
                gx[b + j] = (float) d;
                toTarget -= d;
            }
            gx[b + t] = (float) toTarget;
        }
    }
}
