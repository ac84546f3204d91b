package org.jgrad.ops;

import org.jgrad.autograd.Autograd;
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

    private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
    private static final double INV_SQRT_2 = 1 / Math.sqrt(2);
    private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
    private static final double GELU_TANH_C = 0.044715;

    /** Input values in row-major order: the storage itself when the tensor is dense, else a copy. */
    private static Values values(String op, Tensor x) {
        ElementwiseOps.requireFloat(op, x);
        Tensor c = x.contiguous();
        return new Values(TensorData.floats(c), c.offset(), c.numel());
    }

    private record Values(float[] a, int off, int n) {}

    /** PyTorch's {@code leaky_relu}: x for x > 0, slope·x otherwise. */
    public static Tensor leakyRelu(Tensor x, float slope) {
        Values v = values("leaky_relu", x);
        float[] a = v.a, out = new float[v.n];
        for (int i = 0, p = v.off; i < out.length; i++, p++) {
            float t = a[p];
            out[i] = t > 0 ? t : t * slope;
        }
        if (!Autograd.needsGraph(x)) return TensorData.wrap(out, x.shape());
        return Autograd.record(TensorData.wrap(out, x.shape()), "leaky_relu", new ActivationAttributes.LeakyRelu(slope), g -> {
            Values gv = values("leaky_relu_backward", g);
            float[] gi = new float[v.n];
            for (int i = 0; i < gi.length; i++) gi[i] = a[v.off + i] > 0 ? gv.a[gv.off + i] : gv.a[gv.off + i] * slope;
            return new Tensor[] {TensorData.wrap(gi, x.shape())};
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
        float[] a = v.a, out = new float[v.n];
        for (int i = 0; i < out.length; i++) {
            float t = a[v.off + i];
            out[i] = t > 0 ? t : t * s.a[s.off + i];
        }
        if (!Autograd.needsGraph(x)) return TensorData.wrap(out, x.shape());
        return Autograd.record(TensorData.wrap(out, x.shape()), "rrelu_with_noise", new ActivationAttributes.RRelu(slopes), g -> {
            Values gv = values("rrelu_backward", g);
            float[] gi = new float[v.n];
            for (int i = 0; i < gi.length; i++)
                gi[i] = a[v.off + i] > 0 ? gv.a[gv.off + i] : gv.a[gv.off + i] * s.a[s.off + i];
            return new Tensor[] {TensorData.wrap(gi, x.shape())};
        }, x);
    }

    /** ELU: x for x > 0, α(eˣ − 1) otherwise. */
    public static Tensor elu(Tensor x, float alpha) {
        Values v = values("elu", x);
        float[] a = v.a, out = new float[v.n];
        for (int i = 0; i < out.length; i++) {
            float t = a[v.off + i];
            out[i] = t > 0 ? t : (float) (alpha * Math.expm1(t));
        }
        if (!Autograd.needsGraph(x)) return TensorData.wrap(out, x.shape());
        return Autograd.record(TensorData.wrap(out, x.shape()), "elu", new ActivationAttributes.Elu(alpha), g -> {
            Values gv = values("elu_backward", g);
            float[] gi = new float[v.n];
            // d/dx α(eˣ−1) = αeˣ = out + α, reusing the forward result
            for (int i = 0; i < gi.length; i++)
                gi[i] = a[v.off + i] > 0 ? gv.a[gv.off + i] : gv.a[gv.off + i] * (out[i] + alpha);
            return new Tensor[] {TensorData.wrap(gi, x.shape())};
        }, x);
    }

    /**
     * Softplus {@code log(1 + e^{βx})/β}, a smooth ReLU; where {@code βx > threshold} it returns x
     * (the difference is below float precision there), as PyTorch does.
     */
    public static Tensor softplus(Tensor x, float beta, float threshold) {
        Values v = values("softplus", x);
        float[] a = v.a, out = new float[v.n];
        for (int i = 0; i < out.length; i++) {
            float t = a[v.off + i];
            double bx = (double) beta * t;
            // log1p(e^bx) written to stay finite for large |bx|
            out[i] = bx > threshold ? t : (float) ((Math.max(bx, 0) + Math.log1p(Math.exp(-Math.abs(bx)))) / beta);
        }
        if (!Autograd.needsGraph(x)) return TensorData.wrap(out, x.shape());
        return Autograd.record(TensorData.wrap(out, x.shape()), "softplus", new ActivationAttributes.Softplus(beta, threshold), g -> {
            Values gv = values("softplus_backward", g);
            float[] gi = new float[v.n];
            for (int i = 0; i < gi.length; i++) {
                double bx = (double) beta * a[v.off + i];
                double d = bx > threshold ? 1 : 1 / (1 + Math.exp(-bx));
                gi[i] = (float) (gv.a[gv.off + i] * d);
            }
            return new Tensor[] {TensorData.wrap(gi, x.shape())};
        }, x);
    }

    /**
     * GELU {@code x·Φ(x)} with the exact normal CDF, or with the tanh approximation
     * {@code 0.5x(1 + tanh(√(2/π)(x + 0.044715x³)))} when {@code tanhApproximation}.
     */
    public static Tensor gelu(Tensor x, boolean tanhApproximation) {
        Values v = values("gelu", x);
        float[] a = v.a, out = new float[v.n];
        for (int i = 0; i < out.length; i++) {
            double t = a[v.off + i];
            out[i] = (float) (tanhApproximation
                    ? 0.5 * t * (1 + Math.tanh(SQRT_2_OVER_PI * (t + GELU_TANH_C * t * t * t)))
                    : 0.5 * t * (1 + erf(t * INV_SQRT_2)));
        }
        if (!Autograd.needsGraph(x)) return TensorData.wrap(out, x.shape());
        return Autograd.record(TensorData.wrap(out, x.shape()), "gelu", new ActivationAttributes.Gelu(tanhApproximation ? "tanh" : "none"), g -> {
            Values gv = values("gelu_backward", g);
            float[] gi = new float[v.n];
            for (int i = 0; i < gi.length; i++) {
                double t = a[v.off + i], d;
                if (tanhApproximation) {
                    double th = Math.tanh(SQRT_2_OVER_PI * (t + GELU_TANH_C * t * t * t));
                    d = 0.5 * (1 + th) + 0.5 * t * (1 - th * th) * SQRT_2_OVER_PI * (1 + 3 * GELU_TANH_C * t * t);
                } else {
                    d = 0.5 * (1 + erf(t * INV_SQRT_2)) + t * INV_SQRT_2PI * Math.exp(-0.5 * t * t);
                }
                gi[i] = (float) (gv.a[gv.off + i] * d);
            }
            return new Tensor[] {TensorData.wrap(gi, x.shape())};
        }, x);
    }

    /** SiLU (swish) {@code x·σ(x)}. */
    public static Tensor silu(Tensor x) {
        Values v = values("silu", x);
        float[] a = v.a, out = new float[v.n];
        for (int i = 0; i < out.length; i++) {
            double t = a[v.off + i];
            out[i] = (float) (t / (1 + Math.exp(-t)));
        }
        return Autograd.record(TensorData.wrap(out, x.shape()), "silu", g -> {
            Values gv = values("silu_backward", g);
            float[] gi = new float[v.n];
            for (int i = 0; i < gi.length; i++) {
                double t = a[v.off + i], s = 1 / (1 + Math.exp(-t));
                gi[i] = (float) (gv.a[gv.off + i] * s * (1 + t * (1 - s)));
            }
            return new Tensor[] {TensorData.wrap(gi, x.shape())};
        }, x);
    }

    /**
     * The Heaviside step of the perceptron: 1 where {@code x > threshold}, else 0. Its derivative is
     * zero almost everywhere, so the recorded gradient is zero (a step unit cannot be trained by
     * backpropagation, which is why the lectures move on to sigmoid).
     */
    public static Tensor step(Tensor x, float threshold) {
        Values v = values("step", x);
        float[] a = v.a, out = new float[v.n];
        for (int i = 0; i < out.length; i++) out[i] = a[v.off + i] > threshold ? 1f : 0f;
        int[] shape = x.shape();
        if (!Autograd.needsGraph(x)) return TensorData.wrap(out, shape);
        return Autograd.record(TensorData.wrap(out, shape), "step", new ActivationAttributes.Step(threshold), g -> new Tensor[] {Tensor.zeros(shape)}, x);
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
        float[] a = v.a, out = new float[v.n];
        for (int o = 0; o < outer; o++) {
            for (int in = 0; in < inner; in++) {
                int base = o * len * inner + in;
                float max = Float.NEGATIVE_INFINITY;
                for (int k = 0; k < len; k++) max = Math.max(max, a[v.off + base + k * inner]);
                double sum = 0;
                for (int k = 0; k < len; k++) {
                    float e = (float) Math.exp(a[v.off + base + k * inner] - max);
                    if (!log) out[base + k * inner] = e;
                    sum += e;
                }
                if (log) {
                    float lse = (float) Math.log(sum);
                    for (int k = 0; k < len; k++) out[base + k * inner] = a[v.off + base + k * inner] - max - lse;
                } else {
                    float inv = (float) (1 / sum);
                    for (int k = 0; k < len; k++) out[base + k * inner] *= inv;
                }
            }
        }
        final int fOuter = outer, fInner = inner;
        if (!Autograd.needsGraph(x)) return TensorData.wrap(out, shape);
        return Autograd.record(TensorData.wrap(out, shape), op, new ActivationAttributes.Softmax(d), g -> {
            Values gv = values(op + "_backward", g);
            float[] gd = gv.a, gi = new float[out.length];
            int go = gv.off;
            for (int o = 0; o < fOuter; o++) {
                for (int in = 0; in < fInner; in++) {
                    int base = o * len * fInner + in;
                    double s = 0;
                    if (log) {
                        // d/dx log softmax: g − softmax·Σg
                        for (int k = 0; k < len; k++) s += gd[go + base + k * fInner];
                        for (int k = 0; k < len; k++) {
                            int p = base + k * fInner;
                            gi[p] = (float) (gd[go + p] - Math.exp(out[p]) * s);
                        }
                    } else {
                        // d/dx softmax: y·(g − Σ g·y)
                        for (int k = 0; k < len; k++) {
                            int p = base + k * fInner;
                            s += (double) gd[go + p] * out[p];
                        }
                        for (int k = 0; k < len; k++) {
                            int p = base + k * fInner;
                            gi[p] = (float) (out[p] * (gd[go + p] - s));
                        }
                    }
                }
            }
            return new Tensor[] {TensorData.wrap(gi, shape)};
        }, x);
    }

    /**
     * The error function, from the complementary error function's Chebyshev fit in Numerical
     * Recipes (fractional error below 1.2e-7 everywhere, finer than float32 needs).
     */
    public static double erf(double x) {
        double z = Math.abs(x);
        double t = 1 / (1 + 0.5 * z);
        double erfc = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? 1 - erfc : erfc - 1;
    }
}
