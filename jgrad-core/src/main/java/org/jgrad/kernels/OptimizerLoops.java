package org.jgrad.kernels;

/**
 * The optimizers' fused per-element updates and the gradient-clipping passes on float arrays, each over
 * elements [0, n) of dense arrays, parameters and state written in place. Large parameters are split
 * across the {@link Parallel} pool; every element depends only on its own index, so the split does not
 * change any result. The loop bodies are branch-free where the JIT should vectorize them (a zero decay
 * adds exactly ±0).
 */
public final class OptimizerLoops {
    private OptimizerLoops() {}

    /** Elements per task below which splitting an update across threads costs more than it saves. */
    private static final int GRAIN = 1 << 16;

    /**
     * Elements of one piece of a split update (64 KiB of floats, a few µs), claimed one at a time by the
     * threads: with one chunk per thread the caller, done with its half, waited for a worker that had
     * only just woken up (tens of µs on a VM) to do the other half.
     */
    private static final int PIECE = 1 << 14;

    /**
     * body over [0, n): inline below two grains, otherwise in pieces shared by the pool's threads; from two
     * pieces while a worker is awake ({@link Parallel#workersAwake}: polling, so it takes a piece up at
     * once instead of after a wake-up call).
     */
    private static void each(int n, Parallel.RangeBody body) {
        boolean split = n >= 2 * GRAIN || n >= 2 * PIECE && Parallel.workersAwake();
        Parallel.forClaimed(n, split ? PIECE : n, body);
    }

    /**
     * SGD with optional momentum ({@code buf}, null for none), Nesterov, L2 ({@code wd}) and L1 decay;
     * {@code first}: the momentum buffer is new and takes the first gradient as it is.
     */
    public static void sgd(float[] p, float[] g, float[] buf, int n, boolean first, float lr, float momentum,
            float dampening, float wd, float l1, boolean nesterov, boolean maximize) {
        float sign = maximize ? -1f : 1f, keep = 1 - dampening;
        if (buf == null && wd == 0 && l1 == 0) {
            // plain SGD, PyTorch's default: one multiply-subtract per element, as torch adds no decay
            // terms when they are 0 (so an infinite weight stays infinite rather than becoming 0·inf)
            float step = sign * lr;
            each(n, (from, to) -> {
                for (int i = from; i < to; i++) p[i] -= step * g[i];
            });
        } else if (buf == null) {
            each(n, (from, to) -> {
                for (int i = from; i < to; i++) p[i] -= lr * (sign * g[i] + wd * p[i] + l1 * Math.signum(p[i]));
            });
        } else if (first) {
            each(n, (from, to) -> {
                for (int i = from; i < to; i++) {
                    float d = sign * g[i] + wd * p[i] + l1 * Math.signum(p[i]);
                    buf[i] = d;
                    p[i] -= lr * (nesterov ? d + momentum * d : d);
                }
            });
        } else if (nesterov) {
            each(n, (from, to) -> {
                for (int i = from; i < to; i++) {
                    float d = sign * g[i] + wd * p[i] + l1 * Math.signum(p[i]);
                    float b = momentum * buf[i] + keep * d;
                    buf[i] = b;
                    p[i] -= lr * (d + momentum * b);
                }
            });
        } else {
            each(n, (from, to) -> {
                for (int i = from; i < to; i++) {
                    float b = momentum * buf[i] + keep * (sign * g[i] + wd * p[i] + l1 * Math.signum(p[i]));
                    buf[i] = b;
                    p[i] -= lr * b;
                }
            });
        }
    }

    /**
     * Adam step {@code t} (≥ 1) on moments {@code m}, {@code v} and AMSGrad's {@code vmax} (null without
     * it); {@code decoupled}: AdamW's weight decay.
     */
    public static void adam(float[] p, float[] g, float[] m, float[] v, float[] vmax, int n, double lr, double beta1,
            double beta2, float eps, float wd, boolean maximize, boolean decoupled, long t) {
        // scalars in double, as PyTorch computes them in Python before the float32 tensor ops
        float stepSize = (float) (lr / (1 - Math.pow(beta1, t)));
        float bc2Sqrt = (float) Math.sqrt(1 - Math.pow(beta2, t));
        float decay = (float) (1 - lr * wd);
        float b1c = (float) (1 - beta1), b2 = (float) beta2, b2c = (float) (1 - beta2);
        each(n, (from, to) -> {
            for (int i = from; i < to; i++) {
                float d = maximize ? -g[i] : g[i];
                if (wd != 0) {
                    if (decoupled) p[i] *= decay;
                    else d += wd * p[i];
                }
                m[i] += b1c * (d - m[i]);
                v[i] = b2 * v[i] + b2c * d * d;
                float second = v[i];
                if (vmax != null) second = vmax[i] = Math.max(vmax[i], v[i]);
                float denom = (float) Math.sqrt(second) / bc2Sqrt + eps;
                p[i] += -stepSize * m[i] / denom;
            }
        });
    }

    /**
     * RMSprop on the squared-gradient average {@code sq}, the centered variant's gradient average
     * {@code ga} (null when not centered) and the momentum buffer {@code buf} (null without momentum).
     */
    public static void rmsprop(float[] p, float[] g, float[] sq, float[] ga, float[] buf, int n, float lr, float alpha,
            float eps, float wd, float momentum, boolean maximize) {
        float oneMinusAlpha = 1 - alpha;
        each(n, (from, to) -> {
            for (int i = from; i < to; i++) {
                float d = maximize ? -g[i] : g[i];
                if (wd != 0) d += wd * p[i];
                sq[i] = alpha * sq[i] + oneMinusAlpha * d * d;
                float avg;
                if (ga != null) {
                    ga[i] += oneMinusAlpha * (d - ga[i]);
                    avg = (float) Math.sqrt(sq[i] - ga[i] * ga[i]) + eps;
                } else {
                    avg = (float) Math.sqrt(sq[i]) + eps;
                }
                if (buf != null) {
                    buf[i] = momentum * buf[i] + d / avg;
                    p[i] -= lr * buf[i];
                } else {
                    p[i] += -lr * d / avg;
                }
            }
        });
    }

    /** Adagrad step {@code t} (≥ 1) on the squared-gradient sum {@code sum}. */
    public static void adagrad(float[] p, float[] g, float[] sum, int n, double lr, double lrDecay, float eps, float wd,
            boolean maximize, long t) {
        float clr = (float) (lr / (1 + (t - 1) * lrDecay));
        each(n, (from, to) -> {
            for (int i = from; i < to; i++) {
                float d = maximize ? -g[i] : g[i];
                if (wd != 0) d += wd * p[i];
                sum[i] += d * d;
                p[i] += -clr * d / ((float) Math.sqrt(sum[i]) + eps);
            }
        });
    }

    /**
     * {@code acc} plus the p-norm terms of {@code x[off, off + n)} in order, in double: {@code |v|^p}
     * ({@code v²} for p = 2, {@code |v|} for p = 1), or the running maximum of {@code |v|} for p = ∞.
     */
    public static double normAccumulate(float[] x, int off, int n, double normType, double acc) {
        boolean inf = normType == Double.POSITIVE_INFINITY;
        for (int i = off; i < off + n; i++) {
            double a = Math.abs(x[i]);
            if (inf) acc = Math.max(acc, a);
            else acc += normType == 2 ? a * a : normType == 1 ? a : Math.pow(a, normType);
        }
        return acc;
    }

    /** Clamps {@code x[off, off + n)} to {@code [−limit, limit]} in place. */
    public static void clamp(float[] x, int off, int n, float limit) {
        for (int i = off; i < off + n; i++) x[i] = Math.max(-limit, Math.min(limit, x[i]));
    }
}
