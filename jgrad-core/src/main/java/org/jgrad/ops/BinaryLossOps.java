package org.jgrad.ops;

import org.jgrad.autograd.Autograd;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Tensor;

/**
 * Binary cross-entropy on probabilities and on logits, elementwise and fused, each returning the
 * unreduced loss with the input's shape.
 */
public final class BinaryLossOps {
    private BinaryLossOps() {}

    /** PyTorch clamps each log term at −100 so that p = 0 or 1 gives a finite loss. */
    private static final double LOG_FLOOR = -100;
    /** PyTorch's floor on p(1−p) in the backward, which keeps the gradient finite at p = 0 or 1. */
    private static final double GRAD_EPS = 1e-12;

    /**
     * {@code −w·(t·log p + (1−t)·log(1−p))} elementwise with each log clamped at −100, like
     * {@code F.binary_cross_entropy(..., reduction='none')}. Differentiable in {@code input} and
     * {@code target}; {@code weight} (broadcast to the input, or null) is a constant.
     */
    public static Tensor bce(Tensor input, Tensor target, Tensor weight) {
        String op = "binary_cross_entropy";
        LossSupport.requireFloat(op, "input", input);
        LossSupport.requireFloat(op, "target", target);
        LossSupport.requireShape(op, "target (same shape as input)", target, input.shape());
        float[] p = LossSupport.dense(input), t = LossSupport.dense(target);
        float[] w = LossSupport.broadcastDense(op, "weight", weight, input.shape());
        float[] out = new float[p.length];
        for (int i = 0; i < p.length; i++) {
            if (!(p[i] >= 0 && p[i] <= 1))
                throw new IllegalArgumentException(op + ": all elements of input should be between 0 and 1, element "
                        + i + " is " + p[i]);
            double lp = Math.max(Math.log(p[i]), LOG_FLOOR), l1p = Math.max(Math.log1p(-p[i]), LOG_FLOOR);
            out[i] = (float) (-(w == null ? 1 : w[i]) * (t[i] * lp + (1 - t[i]) * l1p));
        }
        Tensor res = TensorData.wrap(out, input.shape());
        if (!Autograd.needsGraph(input, target)) return res;
        return Autograd.record(res, op, new LossAttributes.BinaryCrossEntropy(weight), g -> {
            float[] gd = LossSupport.dense(g);
            float[] gp = input.requiresGrad() ? new float[p.length] : null;
            float[] gt = target.requiresGrad() ? new float[p.length] : null;
            for (int i = 0; i < p.length; i++) {
                double wg = gd[i] * (w == null ? 1 : w[i]);
                if (gp != null) gp[i] = (float) (wg * (p[i] - t[i]) / Math.max((1.0 - p[i]) * p[i], GRAD_EPS));
                if (gt != null) {
                    double lp = Math.max(Math.log(p[i]), LOG_FLOOR), l1p = Math.max(Math.log1p(-p[i]), LOG_FLOOR);
                    gt[i] = (float) (wg * (l1p - lp));
                }
            }
            return new Tensor[] {gp == null ? null : TensorData.wrap(gp, input.shape()),
                    gt == null ? null : TensorData.wrap(gt, target.shape())};
        }, input, target);
    }

    /**
     * Binary cross-entropy of logits, elementwise, like
     * {@code F.binary_cross_entropy_with_logits(..., reduction='none')}:
     * {@code w·((1−t)·x − (1 + (pw−1)·t)·log σ(x))}, with {@code log σ(x) = min(x, 0) − log1p(e^−|x|)}
     * so no exp overflows for any logit. {@code weight} broadcasts to the input; {@code posWeight}
     * (the weight of positive examples, usually one per class) broadcasts along the last dim.
     * Both may be null and are constants; the loss is differentiable in {@code input} and {@code target}.
     */
    public static Tensor bceWithLogits(Tensor input, Tensor target, Tensor weight, Tensor posWeight) {
        String op = "binary_cross_entropy_with_logits";
        LossSupport.requireFloat(op, "input", input);
        LossSupport.requireFloat(op, "target", target);
        LossSupport.requireShape(op, "target (same shape as input)", target, input.shape());
        float[] x = LossSupport.dense(input), t = LossSupport.dense(target);
        float[] w = LossSupport.broadcastDense(op, "weight", weight, input.shape());
        float[] pw = LossSupport.broadcastDense(op, "pos_weight", posWeight, input.shape());
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            double lw = pw == null ? 1 : 1 + (pw[i] - 1.0) * t[i];
            out[i] = (float) ((w == null ? 1 : w[i]) * ((1.0 - t[i]) * x[i] - lw * logSigmoid(x[i])));
        }
        Tensor res = TensorData.wrap(out, input.shape());
        if (!Autograd.needsGraph(input, target)) return res;
        return Autograd.record(res, op, new LossAttributes.BinaryCrossEntropyWithLogits(weight, posWeight), g -> {
            float[] gd = LossSupport.dense(g);
            float[] gx = input.requiresGrad() ? new float[x.length] : null;
            float[] gt = target.requiresGrad() ? new float[x.length] : null;
            for (int i = 0; i < x.length; i++) {
                double wg = gd[i] * (w == null ? 1 : w[i]);
                double p1 = pw == null ? 0 : pw[i] - 1.0;
                // d/dx: (1−t) − lw·σ(−x);  d/dt: −x − (pw−1)·log σ(x)
                if (gx != null) gx[i] = (float) (wg * ((1.0 - t[i]) - (1 + p1 * t[i]) * sigmoid(-x[i])));
                if (gt != null) gt[i] = (float) (wg * (-x[i] - p1 * logSigmoid(x[i])));
            }
            return new Tensor[] {gx == null ? null : TensorData.wrap(gx, input.shape()),
                    gt == null ? null : TensorData.wrap(gt, target.shape())};
        }, input, target);
    }

    private static double logSigmoid(double x) {
        return Math.min(x, 0) - Math.log1p(Math.exp(-Math.abs(x)));
    }

    private static double sigmoid(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }
}
