package org.jgrad.kernels;

/**
 * The loops of the activation functions beyond {@link Elementwise}'s unary ones (leaky ReLU, RReLU,
 * ELU, softplus, GELU, SiLU, the step) and of softmax / log-softmax rows, with their backward
 * passes. Inputs are read from {@code x[xOff ..]}, gradients from {@code g[gOff ..]}; outputs are
 * written from 0 of a caller's array of {@code n} elements.
 */
public final class ActivationLoops {
    private ActivationLoops() {}

    private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
    private static final double INV_SQRT_2 = 1 / Math.sqrt(2);
    private static final double INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
    private static final double GELU_TANH_C = 0.044715;

    /** min(max(0, x), 6); NaN stays NaN (neither comparison holds); see {@link KernelProvider#relu6}. */
    public static void relu6(float[] x, int xOff, int n, float[] out) {
        Kernels.DEFAULT.relu6(x, xOff, out, 0, n);
    }

    /** g strictly inside (0, 6), 0 at the kinks and outside (PyTorch's {@code hardtanh_backward}). */
    public static void relu6Backward(float[] g, int gOff, float[] x, int xOff, int n, float[] gi) {
        Kernels.DEFAULT.relu6Backward(g, gOff, x, xOff, gi, 0, n);
    }

    /** x for x > 0, slope·x otherwise. */
    public static void leakyRelu(float[] x, int xOff, int n, float slope, float[] out) {
        for (int i = 0, p = xOff; i < n; i++, p++) {
            float t = x[p];
            out[i] = t > 0 ? t : t * slope;
        }
    }

    /** g where x > 0, g·slope otherwise. */
    public static void leakyReluBackward(float[] g, int gOff, float[] x, int xOff, int n, float slope, float[] gi) {
        for (int i = 0; i < n; i++) gi[i] = x[xOff + i] > 0 ? g[gOff + i] : g[gOff + i] * slope;
    }

    /** x for x > 0, x·slopes otherwise (per element). */
    public static void rrelu(float[] x, int xOff, float[] s, int sOff, int n, float[] out) {
        for (int i = 0; i < n; i++) {
            float t = x[xOff + i];
            out[i] = t > 0 ? t : t * s[sOff + i];
        }
    }

    /** g where x > 0, g·slopes otherwise. */
    public static void rreluBackward(float[] g, int gOff, float[] x, int xOff, float[] s, int sOff, int n, float[] gi) {
        for (int i = 0; i < n; i++)
            gi[i] = x[xOff + i] > 0 ? g[gOff + i] : g[gOff + i] * s[sOff + i];
    }

    /** x for x > 0, α(eˣ − 1) otherwise. */
    public static void elu(float[] x, int xOff, int n, float alpha, float[] out) {
        for (int i = 0; i < n; i++) {
            float t = x[xOff + i];
            out[i] = t > 0 ? t : (float) (alpha * Math.expm1(t));
        }
    }

    /** The ELU's backward from its forward output {@code y} (from 0): d/dx α(eˣ−1) = αeˣ = y + α. */
    public static void eluBackward(float[] g, int gOff, float[] x, int xOff, float[] y, int n, float alpha, float[] gi) {
        for (int i = 0; i < n; i++)
            gi[i] = x[xOff + i] > 0 ? g[gOff + i] : g[gOff + i] * (y[i] + alpha);
    }

    /** {@code log(1 + e^{βx})/β}, or x where βx > threshold. */
    public static void softplus(float[] x, int xOff, int n, float beta, float threshold, float[] out) {
        for (int i = 0; i < n; i++) {
            float t = x[xOff + i];
            double bx = (double) beta * t;
            // log1p(e^bx) written to stay finite for large |bx|
            out[i] = bx > threshold ? t : (float) ((Math.max(bx, 0) + Math.log1p(Math.exp(-Math.abs(bx)))) / beta);
        }
    }

    /** g·σ(βx), or g where βx > threshold. */
    public static void softplusBackward(float[] g, int gOff, float[] x, int xOff, int n, float beta, float threshold,
            float[] gi) {
        for (int i = 0; i < n; i++) {
            double bx = (double) beta * x[xOff + i];
            double d = bx > threshold ? 1 : 1 / (1 + Math.exp(-bx));
            gi[i] = (float) (g[gOff + i] * d);
        }
    }

    /** GELU {@code x·Φ(x)}, exact or with the tanh approximation. */
    public static void gelu(float[] x, int xOff, int n, boolean tanhApproximation, float[] out) {
        for (int i = 0; i < n; i++) {
            double t = x[xOff + i];
            out[i] = (float) (tanhApproximation
                    ? 0.5 * t * (1 + Math.tanh(SQRT_2_OVER_PI * (t + GELU_TANH_C * t * t * t)))
                    : 0.5 * t * (1 + erf(t * INV_SQRT_2)));
        }
    }

    /** The GELU's backward. */
    public static void geluBackward(float[] g, int gOff, float[] x, int xOff, int n, boolean tanhApproximation, float[] gi) {
        for (int i = 0; i < n; i++) {
            double t = x[xOff + i], d;
            if (tanhApproximation) {
                double th = Math.tanh(SQRT_2_OVER_PI * (t + GELU_TANH_C * t * t * t));
                d = 0.5 * (1 + th) + 0.5 * t * (1 - th * th) * SQRT_2_OVER_PI * (1 + 3 * GELU_TANH_C * t * t);
            } else {
                d = 0.5 * (1 + erf(t * INV_SQRT_2)) + t * INV_SQRT_2PI * Math.exp(-0.5 * t * t);
            }
            gi[i] = (float) (g[gOff + i] * d);
        }
    }

    /** SiLU {@code x·σ(x)}. */
    public static void silu(float[] x, int xOff, int n, float[] out) {
        for (int i = 0; i < n; i++) {
            double t = x[xOff + i];
            out[i] = (float) (t / (1 + Math.exp(-t)));
        }
    }

    /** The SiLU's backward {@code g·σ(x)(1 + x(1 − σ(x)))}. */
    public static void siluBackward(float[] g, int gOff, float[] x, int xOff, int n, float[] gi) {
        for (int i = 0; i < n; i++) {
            double t = x[xOff + i], s = 1 / (1 + Math.exp(-t));
            gi[i] = (float) (g[gOff + i] * s * (1 + t * (1 - s)));
        }
    }

    /** 1 where x > threshold, else 0. */
    public static void step(float[] x, int xOff, int n, float threshold, float[] out) {
        for (int i = 0; i < n; i++) out[i] = x[xOff + i] > threshold ? 1f : 0f;
    }

    /**
     * Softmax (or log-softmax when {@code log}) of every row of a contiguous [outer, len, inner]
     * block along its middle dim, shifted by the row maximum; the row sums run in double.
     */
    public static void softmax(float[] a, int off, int outer, int len, int inner, boolean log, float[] out) {
        for (int o = 0; o < outer; o++) {
            for (int in = 0; in < inner; in++) {
                int base = o * len * inner + in;
                float max = Float.NEGATIVE_INFINITY;
                for (int k = 0; k < len; k++) max = Math.max(max, a[off + base + k * inner]);
                double sum = 0;
                for (int k = 0; k < len; k++) {
                    float e = (float) Math.exp(a[off + base + k * inner] - max);
                    if (!log) out[base + k * inner] = e;
                    sum += e;
                }
                if (log) {
                    float lse = (float) Math.log(sum);
                    for (int k = 0; k < len; k++) out[base + k * inner] = a[off + base + k * inner] - max - lse;
                } else {
                    float inv = (float) (1 / sum);
                    for (int k = 0; k < len; k++) out[base + k * inner] *= inv;
                }
            }
        }
    }

    /**
     * The backward of {@link #softmax} from its output {@code out} (from 0): {@code y·(g − Σ g·y)}, or
     * for log-softmax {@code g − softmax·Σg}.
     */
    public static void softmaxBackward(float[] gd, int go, float[] out, int outer, int len, int inner, boolean log,
            float[] gi) {
        for (int o = 0; o < outer; o++) {
            for (int in = 0; in < inner; in++) {
                int base = o * len * inner + in;
                double s = 0;
                if (log) {
                    for (int k = 0; k < len; k++) s += gd[go + base + k * inner];
                    for (int k = 0; k < len; k++) {
                        int p = base + k * inner;
                        gi[p] = (float) (gd[go + p] - Math.exp(out[p]) * s);
                    }
                } else {
                    for (int k = 0; k < len; k++) {
                        int p = base + k * inner;
                        s += (double) gd[go + p] * out[p];
                    }
                    for (int k = 0; k < len; k++) {
                        int p = base + k * inner;
                        gi[p] = (float) (out[p] * (gd[go + p] - s));
                    }
                }
            }
        }
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
