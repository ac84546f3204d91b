package org.jgrad.ops;

import org.jgrad.autograd.Autograd;
import org.jgrad.backend.Backends;
import org.jgrad.backend.LossBackend;
import org.jgrad.backend.Storage;
import org.jgrad.internal.TensorData;
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
        Tensor w = LossSupport.classWeights(op, weight, L.c());
        Tensor y = LossSupport.dense(target);
        checkTargets(op, target, y, L.c(), ignoreIndex);
        Tensor x = LossSupport.dense(input);
        double eps = labelSmoothing;
        int rows = L.rows(), c = L.c(), s = L.s();
        LossBackend.SoftmaxLoss fwd = Backends.current().losses().crossEntropy(LossSupport.data(x), x.offset(),
                LossSupport.data(y), y.offset(), LossSupport.data(w), LossSupport.offset(w), rows, c, s, ignoreIndex, eps);
        Tensor res = TensorData.wrap(fwd.loss(), L.sampleShape());
        if (!Autograd.needsGraph(input)) return res;
        return Autograd.record(res, op, new LossAttributes.CrossEntropy(weight, ignoreIndex, labelSmoothing), g -> {
            Tensor gd = LossSupport.dense(g);
            Storage gx = Backends.current().losses().crossEntropyBackward(LossSupport.data(gd), gd.offset(),
                    LossSupport.data(x), x.offset(), LossSupport.data(y), y.offset(), LossSupport.data(w),
                    LossSupport.offset(w), fwd.logSumExp(), rows, c, s, ignoreIndex, eps);
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
        Tensor w = LossSupport.classWeights(op, weight, L.c());
        Tensor x = LossSupport.dense(input), t = LossSupport.dense(target);
        double eps = labelSmoothing;
        int rows = L.rows(), c = L.c(), s = L.s();
        LossBackend.SoftmaxLoss fwd = Backends.current().losses().crossEntropyProbs(LossSupport.data(x), x.offset(),
                LossSupport.data(t), t.offset(), LossSupport.data(w), LossSupport.offset(w), rows, c, s, eps);
        Tensor res = TensorData.wrap(fwd.loss(), L.sampleShape());
        if (!Autograd.needsGraph(input, target)) return res;
        return Autograd.record(res, op, new LossAttributes.CrossEntropy(weight, -100, labelSmoothing), g -> {
            Tensor gd = LossSupport.dense(g);
            LossBackend.InputTargetGrads gr = Backends.current().losses().crossEntropyProbsBackward(LossSupport.data(gd),
                    gd.offset(), LossSupport.data(x), x.offset(), LossSupport.data(t), t.offset(), LossSupport.data(w),
                    LossSupport.offset(w), fwd.logSumExp(), rows, c, s, eps, input.requiresGrad(), target.requiresGrad());
            return new Tensor[] {gr.input() == null ? null : TensorData.wrap(gr.input(), input.shape()),
                    gr.target() == null ? null : TensorData.wrap(gr.target(), target.shape())};
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
        Tensor w = LossSupport.classWeights(op, weight, L.c());
        Tensor y = LossSupport.dense(target);
        checkTargets(op, target, y, L.c(), ignoreIndex);
        Tensor x = LossSupport.dense(input);
        int rows = L.rows(), c = L.c(), s = L.s();
        Storage out = Backends.current().losses().nll(LossSupport.data(x), x.offset(), LossSupport.data(y), y.offset(),
                LossSupport.data(w), LossSupport.offset(w), rows, c, s, ignoreIndex);
        Tensor res = TensorData.wrap(out, L.sampleShape());
        if (!Autograd.needsGraph(input)) return res;
        return Autograd.record(res, op, new LossAttributes.Nll(weight, ignoreIndex), g -> {
            Tensor gd = LossSupport.dense(g);
            Storage gx = Backends.current().losses().nllBackward(LossSupport.data(gd), gd.offset(), LossSupport.data(y),
                    y.offset(), LossSupport.data(w), LossSupport.offset(w), rows, c, s, ignoreIndex, input.numel());
            return new Tensor[] {TensorData.wrap(gx, input.shape())};
        }, input);
    }

    /**
     * The divisor of {@code reduction='mean'} for index targets: Σ w[y] over targets that are not
     * {@code ignoreIndex} (their count when {@code weight} is null). Zero when every target is
     * ignored, so the mean is NaN, as in PyTorch.
     */
    public static double weightedCount(Tensor target, Tensor weight, long ignoreIndex) {
        Tensor y = LossSupport.dense(target);
        Tensor w = weight == null ? null : LossSupport.dense(weight);
        return Backends.current().losses().weightedCount(LossSupport.data(y), y.offset(), y.numel(), LossSupport.data(w),
                LossSupport.offset(w), ignoreIndex);
    }

    // Names the position too: with a bad label somewhere in 60,000 the value alone does not find it.
    private static void checkTargets(String op, Tensor target, Tensor y, int c, long ignoreIndex) {
        int i = Backends.current().losses().firstBadTarget(LossSupport.data(y), y.offset(), y.numel(), c, ignoreIndex);
        if (i >= 0) {
            long v = y.flatten().getLong(i);
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
