package org.jgrad.ops;

import org.jgrad.autograd.Autograd;
import org.jgrad.internal.TensorData;
import org.jgrad.kernels.Elementwise;
import org.jgrad.ops.LossSupport.ClassLayout;
import org.jgrad.tensor.DType;
import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;

/**
 * Softmax-family losses as single fused ops: cross-entropy (log-softmax + NLL in one pass) and NLL.
 *
 * <p>Each op returns the per-sample losses, shape [N, d1, ...] (or a 0-d tensor for one
 * unbatched sample); the caller reduces them. {@link #weightedCount} gives the divisor PyTorch
 * uses for {@code reduction='mean'} with class weights and ignored targets.
 *
 * <p>Fusing matters for stability, not only speed: the log-softmax is formed as
 * {@code x − max − log Σ exp(x − max)}, so logits of ±1e4 give finite losses, and the backward
 * {@code (Σa)·softmax − a} never divides by a probability that underflowed to zero.
 */
public final class LossOps {
    private LossOps() {}

    /**
     * Cross-entropy of logits against int64 class indices, per sample, like
     * {@code F.cross_entropy(..., reduction='none')}.
     *
     * @param input logits [C], [N, C] or [N, C, d1, ...]
     * @param target int64 class indices [], [N] or [N, d1, ...]
     * @param weight per-class weights [C], or null
     * @param ignoreIndex targets equal to this contribute zero loss and zero gradient
     * @param labelSmoothing ε in [0, 1]: the target becomes (1−ε)·onehot + ε/C
     */
    public static Tensor crossEntropy(Tensor input, Tensor target, Tensor weight, long ignoreIndex, double labelSmoothing) {
        String op = "cross_entropy";
        LossSupport.requireFloat(op, "input", input);
        checkSmoothing(op, labelSmoothing);
        if (target.dtype() == DType.FLOAT32) return crossEntropyProbs(input, target, weight, labelSmoothing);
        ClassLayout L = ClassLayout.of(op, input);
        LossSupport.requireShape(op, "target", target, L.sampleShape());
        float[] w = LossSupport.classWeights(op, weight, L.c());
        long[] y = LossSupport.denseLongs(target);
        checkTargets(op, target, y, L.c(), ignoreIndex);
        float[] x = LossSupport.dense(input);
        double eps = labelSmoothing;
        int rows = L.rows(), c = L.c(), s = L.s();
        double[] lse = logSumExpRows(x, L);
        float[] out = new float[rows];
        LossSupport.forRows(rows, c, (from, to) -> {
            for (int r = from; r < to; r++) {
                if (y[r] == ignoreIndex) continue;
                int b = L.base(r), t = (int) y[r];
                double l = lse[r];
                double loss = (1 - eps) * wt(w, t) * (l - x[b + t * s]);
                if (eps > 0) {
                    double smooth = 0;
                    for (int k = 0; k < c; k++) smooth += wt(w, k) * (l - x[b + k * s]);
                    loss += eps / c * smooth;
                }
                out[r] = (float) loss;
            }
        });
        Tensor res = TensorData.wrap(out, L.sampleShape());
        if (!Autograd.needsGraph(input)) return res;
        return Autograd.record(res, op, new LossAttributes.CrossEntropy(weight, ignoreIndex, labelSmoothing), g -> {
            float[] gd = LossSupport.dense(g), gx = new float[x.length];
            LossSupport.forRows(rows, c, (from, to) -> {
                for (int r = from; r < to; r++) {
                    if (y[r] == ignoreIndex || gd[r] == 0) continue;
                    int b = L.base(r), t = (int) y[r];
                    // a_k = (1−ε)·w_t·[k=t] + (ε/C)·w_k; d(−Σ a_k logp_k)/dx_k = (Σ a)·p_k − a_k
                    double onTarget = (1 - eps) * wt(w, t), spread = eps / c, sumA = onTarget;
                    if (eps > 0) for (int k = 0; k < c; k++) sumA += spread * wt(w, k);
                    double l = lse[r];
                    if (eps == 0 && s == 1) {
                        // the common case, a softmax row scaled by g·w_t minus it at the target, in vector lanes
                        float scale = (float) (gd[r] * onTarget);
                        Elementwise.expShiftedScaled(x, b, (float) l, scale, gx, b, c);
                        gx[b + t] -= scale;
                        continue;
                    }
                    for (int k = 0; k < c; k++) {
                        double a = spread * wt(w, k) + (k == t ? onTarget : 0);
                        gx[b + k * s] = (float) (gd[r] * (sumA * Math.exp(x[b + k * s] - l) - a));
                    }
                }
            });
            return new Tensor[] {TensorData.wrap(gx, input.shape())};
        }, input);
    }

    /**
     * Cross-entropy against class probabilities (same shape as the input), per sample: with
     * t' = (1−ε)·t + ε/C, {@code loss = −Σ_k w_k t'_k log softmax(x)_k}. Differentiable in both
     * the logits and the target.
     */
    public static Tensor crossEntropyProbs(Tensor input, Tensor target, Tensor weight, double labelSmoothing) {
        String op = "cross_entropy";
        LossSupport.requireFloat(op, "input", input);
        LossSupport.requireFloat(op, "target", target);
        checkSmoothing(op, labelSmoothing);
        ClassLayout L = ClassLayout.of(op, input);
        if (target.dim() == input.dim() - 1 && input.dim() >= 1)
            throw new IllegalArgumentException(op + ": a float target of shape " + Shape.str(target.shape())
                    + " looks like class indices for input " + Shape.str(input.shape())
                    + "; class indices must be int64 (use toLong()), probability targets must have the input's shape");
        LossSupport.requireShape(op, "probability target (same shape as input)", target, input.shape());
        float[] w = LossSupport.classWeights(op, weight, L.c());
        float[] x = LossSupport.dense(input), t = LossSupport.dense(target);
        double eps = labelSmoothing;
        int rows = L.rows(), c = L.c(), s = L.s();
        double[] lse = logSumExpRows(x, L);
        float[] out = new float[rows];
        LossSupport.forRows(rows, c, (from, to) -> {
            for (int r = from; r < to; r++) {
                int b = L.base(r);
                double loss = 0;
                for (int k = 0; k < c; k++) loss += wt(w, k) * smoothed(t[b + k * s], eps, c) * (lse[r] - x[b + k * s]);
                out[r] = (float) loss;
            }
        });
        Tensor res = TensorData.wrap(out, L.sampleShape());
        if (!Autograd.needsGraph(input, target)) return res;
        return Autograd.record(res, op, new LossAttributes.CrossEntropy(weight, -100, labelSmoothing), g -> {
            float[] gd = LossSupport.dense(g);
            float[] gx = input.requiresGrad() ? new float[x.length] : null;
            float[] gt = target.requiresGrad() ? new float[t.length] : null;
            LossSupport.forRows(rows, c, (from, to) -> {
                for (int r = from; r < to; r++) {
                    int b = L.base(r);
                    double l = lse[r], sumA = 0;
                    for (int k = 0; k < c; k++) sumA += wt(w, k) * smoothed(t[b + k * s], eps, c);
                    for (int k = 0; k < c; k++) {
                        int i = b + k * s;
                        if (gx != null) gx[i] = (float) (gd[r] * (sumA * Math.exp(x[i] - l) - wt(w, k) * smoothed(t[i], eps, c)));
                        if (gt != null) gt[i] = (float) (gd[r] * (1 - eps) * wt(w, k) * (l - x[i]));
                    }
                }
            });
            return new Tensor[] {gx == null ? null : TensorData.wrap(gx, input.shape()),
                    gt == null ? null : TensorData.wrap(gt, target.shape())};
        }, input, target);
    }

    /**
     * Negative log-likelihood of log-probabilities against int64 class indices, per sample:
     * {@code −w[y]·input[y]}, like {@code F.nll_loss(..., reduction='none')}.
     */
    public static Tensor nll(Tensor input, Tensor target, Tensor weight, long ignoreIndex) {
        String op = "nll_loss";
        LossSupport.requireFloat(op, "input", input);
        LossSupport.requireLong(op, "target", target);
        ClassLayout L = ClassLayout.of(op, input);
        LossSupport.requireShape(op, "target", target, L.sampleShape());
        float[] w = LossSupport.classWeights(op, weight, L.c());
        long[] y = LossSupport.denseLongs(target);
        checkTargets(op, target, y, L.c(), ignoreIndex);
        float[] x = LossSupport.dense(input);
        int rows = L.rows(), s = L.s();
        float[] out = new float[rows];
        for (int r = 0; r < rows; r++) {
            if (y[r] == ignoreIndex) continue;
            int t = (int) y[r];
            out[r] = (float) (-wt(w, t) * x[L.base(r) + t * s]);
        }
        Tensor res = TensorData.wrap(out, L.sampleShape());
        if (!Autograd.needsGraph(input)) return res;
        return Autograd.record(res, op, new LossAttributes.Nll(weight, ignoreIndex), g -> {
            float[] gd = LossSupport.dense(g), gx = new float[x.length];
            for (int r = 0; r < rows; r++) {
                if (y[r] == ignoreIndex) continue;
                int t = (int) y[r];
                gx[L.base(r) + t * s] = (float) (-wt(w, t) * gd[r]);
            }
            return new Tensor[] {TensorData.wrap(gx, input.shape())};
        }, input);
    }

    /**
     * The divisor of {@code reduction='mean'} for index targets: Σ w[y] over targets that are not
     * {@code ignoreIndex} (their count when {@code weight} is null). Zero when every target is
     * ignored, so the mean is NaN, as in PyTorch.
     */
    public static double weightedCount(Tensor target, Tensor weight, long ignoreIndex) {
        long[] y = LossSupport.denseLongs(target);
        float[] w = weight == null ? null : weight.toFloatArray();
        double sum = 0;
        for (long v : y) if (v != ignoreIndex) sum += w == null ? 1 : w[(int) v];
        return sum;
    }

    private static double wt(float[] w, int k) {
        return w == null ? 1.0 : w[k];
    }

    private static double smoothed(float t, double eps, int c) {
        return eps == 0 ? t : t * (1 - eps) + eps / c;
    }

    /** log Σ_k exp(x_k) for every row, shifted by the row maximum so that no exp overflows. */
    private static double[] logSumExpRows(float[] x, ClassLayout L) {
        int rows = L.rows(), c = L.c(), s = L.s();
        double[] lse = new double[rows];
        LossSupport.forRows(rows, c, (from, to) -> {
            for (int r = from; r < to; r++) {
                int b = L.base(r);
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
        return lse;
    }

    // Names the position too: with a bad label somewhere in 60,000 the value alone does not find it.
    private static void checkTargets(String op, Tensor target, long[] y, int c, long ignoreIndex) {
        for (int i = 0; i < y.length; i++) {
            long v = y[i];
            if (v != ignoreIndex && (v < 0 || v >= c))
                throw new IndexOutOfBoundsException(op + ": target " + v + " at position " + position(target.shape(), i)
                        + " is out of bounds for " + c + " classes (valid: 0.." + (c - 1) + ", or ignore_index "
                        + ignoreIndex + ")");
        }
    }

    private static String position(int[] shape, int flat) {
        if (shape.length <= 1) return Integer.toString(flat);
        int[] idx = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = shape[d] == 0 ? 0 : flat % shape[d];
            flat = shape[d] == 0 ? 0 : flat / shape[d];
        }
        return Shape.str(idx);
    }

    private static void checkSmoothing(String op, double eps) {
        if (!(eps >= 0 && eps <= 1))
            throw new IllegalArgumentException(op + ": label_smoothing must be in [0, 1], got " + eps);
    }
}
