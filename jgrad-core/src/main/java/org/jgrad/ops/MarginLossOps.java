package org.jgrad.ops;

import org.jgrad.autograd.Autograd;
import org.jgrad.backend.Backends;
import org.jgrad.backend.LossBackend;
import org.jgrad.backend.Storage;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;

/** The multiclass SVM (hinge) loss as one fused op. */
public final class MarginLossOps {
    private MarginLossOps() {}

    /**
     * Per-sample multiclass hinge loss of scores [N, C] (or [C]) against int64 labels [N] (or []):
     * {@code l_i = w[y]·Σ_{j≠y} max(0, margin − x_y + x_j)^p}, divided by C when
     * {@code divideByClasses} is set.
     *
     * <p>With the division this is PyTorch's {@code F.multi_margin_loss(..., reduction='none')};
     * without it, and p = 1, margin = 1, it is the Weston–Watkins SVM loss of the lectures,
     * {@code Σ_{j≠y} max(0, s_j − s_y + 1)}.
     *
     * @param p 1 (hinge) or 2 (squared hinge)
     * @param weight per-class weights [C] applied by the label's class, or null
     */
    public static Tensor multiMargin(Tensor input, Tensor target, int p, double margin, Tensor weight,
                                     boolean divideByClasses) {
        String op = "multi_margin_loss";
        LossSupport.requireFloat(op, "input", input);
        LossSupport.requireLong(op, "target", target);
        if (p != 1 && p != 2) throw new IllegalArgumentException(op + ": only p == 1 and p == 2 are supported, got " + p);
        if (input.dim() != 1 && input.dim() != 2)
            throw new IllegalArgumentException(op + ": expected input of shape [C] or [N, C], got " + Shape.str(input.shape()));
        int n = input.dim() == 1 ? 1 : input.size(0), c = input.size(-1);
        int[] outShape = input.dim() == 1 ? new int[0] : new int[] {n};
        LossSupport.requireShape(op, "target", target, outShape);
        Tensor w = LossSupport.classWeights(op, weight, c);
        Tensor y = LossSupport.dense(target);
        LossBackend losses = Backends.current().losses();
        int bad = losses.firstBadTarget(LossSupport.data(y), y.offset(), n, c);
        if (bad >= 0)
            throw new IndexOutOfBoundsException(op + ": target " + y.flatten().getLong(bad) + " is out of bounds for " + c
                    + " classes");
        Tensor x = LossSupport.dense(input);
        double scale = divideByClasses ? 1.0 / c : 1.0;
        Storage out = losses.multiMargin(LossSupport.data(x), x.offset(), LossSupport.data(y), y.offset(),
                LossSupport.data(w), LossSupport.offset(w), n, c, p, margin, scale);
        Tensor res = TensorData.wrap(out, outShape);
        if (!Autograd.needsGraph(input)) return res;
        return Autograd.record(res, op, new LossAttributes.MultiMargin(p, margin, weight, divideByClasses), g -> {
            Tensor gd = LossSupport.dense(g);
            Storage gx = Backends.current().losses().multiMarginBackward(LossSupport.data(gd), gd.offset(),
                    LossSupport.data(x), x.offset(), LossSupport.data(y), y.offset(), LossSupport.data(w),
                    LossSupport.offset(w), n, c, p, margin, scale);
            return new Tensor[] {TensorData.wrap(gx, input.shape())};
        }, input);
    }
}
