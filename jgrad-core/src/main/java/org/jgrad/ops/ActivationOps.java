package org.jgrad.ops;

import org.jgrad.autograd.Autograd;
import org.jgrad.backend.ActivationBackend;
import org.jgrad.backend.Backends;
import org.jgrad.backend.Storage;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;

/**
 * Activation functions beyond those in {@link ElementwiseOps}, and softmax / log-softmax. Each
 * forward is one pass over a contiguous copy of the input; each backward is one pass that computes
 * the input gradient in closed form from what the forward saved. The backward functions are not
 * themselves differentiable (no double backward).
 */
public final class ActivationOps {
    private ActivationOps() {}

    private static ActivationBackend backend() {
        return Backends.current().activations();
    }

    /** Input values in row-major order: the storage itself when the tensor is dense, else a copy. */
    private static Values values(String op, Tensor x) {
        ElementwiseOps.requireFloat(op, x);
        Tensor c = x.contiguous();
        return new Values(TensorData.storage(c), c.offset(), c.numel());
    }

    private record Values(Storage s, int off, int n) {}

    /**
     * PyTorch's {@code relu6}, min(max(0, x), 6), with its gradient: 1 strictly inside (0, 6) and 0 at
     * the two kinks (where {@code clamp}'s gradient passes), as {@code hardtanh_backward} computes it.
     */
    public static Tensor relu6(Tensor x) {
        Values v = values("relu6", x);
        Tensor out = TensorData.wrap(backend().relu6(v.s, v.off, v.n), x.shape());
        if (!Autograd.needsGraph(x)) return out;
        return Autograd.record(out, "relu6", g -> {
            Values gv = values("relu6_backward", g);
            return new Tensor[] {TensorData.wrapGradient(backend().relu6Backward(gv.s, gv.off, v.s, v.off, v.n), x.shape())};
        }, x);
    }

    /** PyTorch's {@code leaky_relu}: x for x > 0, slope·x otherwise. */
    public static Tensor leakyRelu(Tensor x, float slope) {
        Values v = values("leaky_relu", x);
        Tensor out = TensorData.wrap(backend().leakyRelu(v.s, v.off, v.n, slope), x.shape());
        if (!Autograd.needsGraph(x)) return out;
        return Autograd.record(out, "leaky_relu", new ActivationAttributes.LeakyRelu(slope), g -> {
            Values gv = values("leaky_relu_backward", g);
            return new Tensor[] {TensorData.wrap(backend().leakyReluBackward(gv.s, gv.off, v.s, v.off, v.n, slope), x.shape())};
        }, x);
    }

    /**
     * Multiplies non-positive inputs by per-element slopes (RReLU in training mode, PyTorch's
     * {@code rrelu_with_noise}, whose gradient at 0 is the slope); {@code slopes} has the input's
     * shape and is treated as a constant.
     */
    public static Tensor rrelu(Tensor x, Tensor slopes) {
        if (!Shape.same(x.shape(), slopes.shape()))
            throw new IllegalArgumentException("rrelu: slopes shape " + Shape.str(slopes.shape())
                    + " differs from input shape " + Shape.str(x.shape()));
        Values v = values("rrelu", x), s = values("rrelu", slopes);
        Tensor out = TensorData.wrap(backend().rrelu(v.s, v.off, s.s, s.off, v.n), x.shape());
        if (!Autograd.needsGraph(x)) return out;
        return Autograd.record(out, "rrelu_with_noise", new ActivationAttributes.RRelu(slopes), g -> {
            Values gv = values("rrelu_backward", g);
            return new Tensor[] {TensorData.wrap(backend().rreluBackward(gv.s, gv.off, v.s, v.off, s.s, s.off, v.n), x.shape())};
        }, x);
    }

    /** ELU: x for x > 0, α(eˣ − 1) otherwise. */
    public static Tensor elu(Tensor x, float alpha) {
        Values v = values("elu", x);
        Storage y = backend().elu(v.s, v.off, v.n, alpha);
        Tensor out = TensorData.wrap(y, x.shape());
        if (!Autograd.needsGraph(x)) return out;
        return Autograd.record(out, "elu", new ActivationAttributes.Elu(alpha), g -> {
            Values gv = values("elu_backward", g);
            return new Tensor[] {TensorData.wrap(backend().eluBackward(gv.s, gv.off, v.s, v.off, y, v.n, alpha), x.shape())};
        }, x);
    }

    /**
     * Softplus {@code log(1 + e^{βx})/β}, a smooth ReLU; where {@code βx > threshold} it returns x
     * (the difference is below float precision there), as PyTorch does.
     */
    public static Tensor softplus(Tensor x, float beta, float threshold) {
        Values v = values("softplus", x);
        Tensor out = TensorData.wrap(backend().softplus(v.s, v.off, v.n, beta, threshold), x.shape());
        if (!Autograd.needsGraph(x)) return out;
        return Autograd.record(out, "softplus", new ActivationAttributes.Softplus(beta, threshold), g -> {
            Values gv = values("softplus_backward", g);
            return new Tensor[] {TensorData.wrap(backend().softplusBackward(gv.s, gv.off, v.s, v.off, v.n, beta, threshold),
                    x.shape())};
        }, x);
    }

    /**
     * GELU {@code x·Φ(x)} with the exact normal CDF, or with the tanh approximation
     * {@code 0.5x(1 + tanh(√(2/π)(x + 0.044715x³)))} when {@code tanhApproximation}.
     */
    public static Tensor gelu(Tensor x, boolean tanhApproximation) {
        Values v = values("gelu", x);
        Tensor out = TensorData.wrap(backend().gelu(v.s, v.off, v.n, tanhApproximation), x.shape());
        if (!Autograd.needsGraph(x)) return out;
        return Autograd.record(out, "gelu", new ActivationAttributes.Gelu(tanhApproximation ? "tanh" : "none"), g -> {
            Values gv = values("gelu_backward", g);
            return new Tensor[] {TensorData.wrap(backend().geluBackward(gv.s, gv.off, v.s, v.off, v.n, tanhApproximation),
                    x.shape())};
        }, x);
    }

    /** SiLU (swish) {@code x·σ(x)}. */
    public static Tensor silu(Tensor x) {
        Values v = values("silu", x);
        return Autograd.record(TensorData.wrap(backend().silu(v.s, v.off, v.n), x.shape()), "silu", g -> {
            Values gv = values("silu_backward", g);
            return new Tensor[] {TensorData.wrap(backend().siluBackward(gv.s, gv.off, v.s, v.off, v.n), x.shape())};
        }, x);
    }

    /**
     * The Heaviside step of the perceptron: 1 where {@code x > threshold}, else 0. Its derivative is
     * zero almost everywhere, so the recorded gradient is zero (a step unit cannot be trained by
     * backpropagation, which is why the lectures move on to sigmoid).
     */
    public static Tensor step(Tensor x, float threshold) {
        Values v = values("step", x);
        int[] shape = x.shape();
        Tensor out = TensorData.wrap(backend().step(v.s, v.off, v.n, threshold), shape);
        if (!Autograd.needsGraph(x)) return out;
        return Autograd.record(out, "step", new ActivationAttributes.Step(threshold), g -> new Tensor[] {Tensor.zeros(shape)}, x);
    }

    /** Softmax along {@code dim}, shifted by the row maximum so that large inputs do not overflow. */
    public static Tensor softmax(Tensor x, int dim) {
        return softmaxImpl("softmax", x, dim, false);
    }

    /** log(softmax) along {@code dim}, computed as {@code x − max − log Σ e^{x−max}} (no log of 0). */
    public static Tensor logSoftmax(Tensor x, int dim) {
        return softmaxImpl("log_softmax", x, dim, true);
    }

    private static Tensor softmaxImpl(String op, Tensor x, int dim, boolean log) {
        int[] shape = x.shape();
        Values v = values(op, x);
        if (shape.length == 0) {
            // a 0-d tensor is a single-element row: softmax 1, log-softmax 0
            Tensor out = Tensor.scalar(log ? 0f : 1f);
            if (!Autograd.needsGraph(x)) return out;
            return Autograd.record(out, op, new ActivationAttributes.Softmax(0), g -> new Tensor[] {log ? g.cloneData() : Tensor.zeros()}, x);
        }
        int d = Shape.normalizeDim(op, dim, shape.length);
        int len = shape[d], inner = 1;
        for (int i = d + 1; i < shape.length; i++) inner *= shape[i];
        int outer = len * inner == 0 ? 0 : v.n / (len * inner);
        Storage y = backend().softmax(v.s, v.off, outer, len, inner, log);
        Tensor out = TensorData.wrap(y, shape);
        final int fOuter = outer, fInner = inner;
        if (!Autograd.needsGraph(x)) return out;
        return Autograd.record(out, op, new ActivationAttributes.Softmax(d), g -> {
            Values gv = values(op + "_backward", g);
            return new Tensor[] {TensorData.wrap(backend().softmaxBackward(gv.s, gv.off, y, fOuter, len, fInner, log), shape)};
        }, x);
    }
}
