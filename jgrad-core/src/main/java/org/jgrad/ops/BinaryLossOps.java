package org.jgrad.ops;

import org.jgrad.autograd.Autograd;
import org.jgrad.backend.Backends;
import org.jgrad.backend.LossBackend;
import org.jgrad.backend.Storage;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Tensor;

/**
 * Binary cross-entropy on probabilities and on logits, elementwise and fused, each returning the
 * unreduced loss with the input's shape.
 */
public final class BinaryLossOps {
    private BinaryLossOps() {}

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
        Tensor p = LossSupport.dense(input), t = LossSupport.dense(target);
        Tensor w = LossSupport.broadcastDense(op, "weight", weight, input.shape());
        int n = p.numel();
        LossBackend losses = Backends.current().losses();
        int bad = losses.firstOutsideUnit(LossSupport.data(p), p.offset(), n);
        if (bad >= 0)
            throw new IllegalArgumentException(op + ": all elements of input should be between 0 and 1, element "
                    + bad + " is " + p.flatten().get(bad));
        Storage out = losses.bce(LossSupport.data(p), p.offset(), LossSupport.data(t), t.offset(), LossSupport.data(w),
                LossSupport.offset(w), n);
        Tensor res = TensorData.wrap(out, input.shape());
        if (!Autograd.needsGraph(input, target)) return res;
        return Autograd.record(res, op, new LossAttributes.BinaryCrossEntropy(weight), g -> {
            Tensor gd = LossSupport.dense(g);
            LossBackend.InputTargetGrads gr = Backends.current().losses().bceBackward(LossSupport.data(gd), gd.offset(),
                    LossSupport.data(p), p.offset(), LossSupport.data(t), t.offset(), LossSupport.data(w),
                    LossSupport.offset(w), n, input.requiresGrad(), target.requiresGrad());
            return new Tensor[] {gr.input() == null ? null : TensorData.wrap(gr.input(), input.shape()),
                    gr.target() == null ? null : TensorData.wrap(gr.target(), target.shape())};
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
        Tensor x = LossSupport.dense(input), t = LossSupport.dense(target);
        Tensor w = LossSupport.broadcastDense(op, "weight", weight, input.shape());
        Tensor pw = LossSupport.broadcastDense(op, "pos_weight", posWeight, input.shape());
        int n = x.numel();
        Storage out = Backends.current().losses().bceWithLogits(LossSupport.data(x), x.offset(), LossSupport.data(t),
                t.offset(), LossSupport.data(w), LossSupport.offset(w), LossSupport.data(pw), LossSupport.offset(pw), n);
        Tensor res = TensorData.wrap(out, input.shape());
        if (!Autograd.needsGraph(input, target)) return res;
        return Autograd.record(res, op, new LossAttributes.BinaryCrossEntropyWithLogits(weight, posWeight), g -> {
            Tensor gd = LossSupport.dense(g);
            LossBackend.InputTargetGrads gr = Backends.current().losses().bceWithLogitsBackward(LossSupport.data(gd),
                    gd.offset(), LossSupport.data(x), x.offset(), LossSupport.data(t), t.offset(), LossSupport.data(w),
                    LossSupport.offset(w), LossSupport.data(pw), LossSupport.offset(pw), n, input.requiresGrad(),
                    target.requiresGrad());
            return new Tensor[] {gr.input() == null ? null : TensorData.wrap(gr.input(), input.shape()),
                    gr.target() == null ? null : TensorData.wrap(gr.target(), target.shape())};
        }, input, target);
    }
}
