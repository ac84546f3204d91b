package org.jgrad.train;

import org.jgrad.tensor.DType;
import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;

/** Classification and regression metrics on tensors of predictions and targets. */
public final class Metrics {
    private Metrics() {}

    private static long[] labels(String op, Tensor targets, int n) {
        if (targets.dtype() != DType.INT64)
            throw new IllegalArgumentException(op + ": targets must be int64 class indices, got " + targets.dtype().pyName());
        if (targets.numel() != n)
            throw new IllegalArgumentException(op + ": " + targets.numel() + " targets for " + n + " predictions (targets "
                    + Shape.str(targets.shape()) + ")");
        return targets.toLongArray();
    }

    /** Fraction of rows of {@code logits} [N, C] whose arg-max equals the target. */
    public static double accuracy(Tensor logits, Tensor targets) {
        return topKAccuracy(logits, targets, 1);
    }

    /** Fraction of rows whose target is among the {@code k} highest scores (ties count in the target's favour only if strictly inside). */
    public static double topKAccuracy(Tensor logits, Tensor targets, int k) {
        if (logits.dim() != 2)
            throw new IllegalArgumentException("topKAccuracy: expected scores [N, C], got " + Shape.str(logits.shape()));
        int n = logits.size(0), c = logits.size(1);
        if (k < 1 || k > c) throw new IllegalArgumentException("topKAccuracy: k=" + k + " must be in [1, " + c + "]");
        long[] y = labels("topKAccuracy", targets, n);
        float[] s = logits.contiguous().toFloatArray();
        int hits = 0;
        for (int i = 0; i < n; i++) {
            if (y[i] < 0 || y[i] >= c)
                throw new IndexOutOfBoundsException("topKAccuracy: target " + y[i] + " at row " + i + " is outside [0, " + c + ")");
            float t = s[i * c + (int) y[i]];
            int better = 0;
            for (int j = 0; j < c; j++) {
                float v = s[i * c + j];
                // a higher score, or an equal score at a lower index (arg-max picks the first), ranks above
                if (v > t || (v == t && j < y[i])) better++;
            }
            if (better < k) hits++;
        }
        return n == 0 ? 0 : (double) hits / n;
    }

    /** Arg-max class of each row of [N, C] scores, as int64 [N]. */
    public static Tensor predictions(Tensor logits) {
        return logits.argmax(1, false);
    }

    /** Mean squared error. */
    public static double mse(Tensor pred, Tensor target) {
        float[] p = pred.toFloatArray(), t = sameSize("mse", pred, target);
        double s = 0;
        for (int i = 0; i < p.length; i++) s += (double) (p[i] - t[i]) * (p[i] - t[i]);
        return s / p.length;
    }

    /** Mean absolute error. */
    public static double mae(Tensor pred, Tensor target) {
        float[] p = pred.toFloatArray(), t = sameSize("mae", pred, target);
        double s = 0;
        for (int i = 0; i < p.length; i++) s += Math.abs(p[i] - t[i]);
        return s / p.length;
    }

    /** Coefficient of determination R² = 1 − SS_res / SS_tot (1 is perfect; can be negative). */
    public static double r2(Tensor pred, Tensor target) {
        float[] p = pred.toFloatArray(), t = sameSize("r2", pred, target);
        double mean = 0;
        for (float v : t) mean += v;
        mean /= t.length;
        double res = 0, tot = 0;
        for (int i = 0; i < p.length; i++) {
            res += (double) (t[i] - p[i]) * (t[i] - p[i]);
            tot += (t[i] - mean) * (t[i] - mean);
        }
        return tot == 0 ? (res == 0 ? 1 : 0) : 1 - res / tot;
    }

    private static float[] sameSize(String op, Tensor pred, Tensor target) {
        if (pred.numel() != target.numel() || pred.numel() == 0)
            throw new IllegalArgumentException(op + ": predictions " + Shape.str(pred.shape()) + " and targets "
                    + Shape.str(target.shape()) + " must have the same, non-zero number of elements");
        return target.toFloatArray();
    }
}
