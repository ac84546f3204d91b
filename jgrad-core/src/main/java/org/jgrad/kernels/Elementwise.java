package org.jgrad.kernels;

/**
 * Elementwise loops on float arrays. Binary ops run over an n-d index space whose operands have
 * broadcast strides (0 on stretched dims); dims are coalesced first so that the common cases
 * (same shape, a row vector added to every row, a scalar) become one long strided row.
 */
public final class Elementwise {
    private Elementwise() {}

    /** Binary operations with a fast kernel. */
    public enum Binary {
        /** {@code a + b}. */ ADD,
        /** {@code a − b}. */ SUB,
        /** {@code a · b}. */ MUL,
        /** {@code a / b}. */ DIV,
        /** {@code a^b}, with {@link Math#pow}'s values. */ POW,
        /** The larger, NaN if either is NaN (see {@link #max(float, float)}). */ MAX,
        /** The smaller, NaN if either is NaN (see {@link #min(float, float)}). */ MIN
    }

    /**
     * out[i] = a[i] op b[i] over {@code shape}; {@code out} is contiguous from 0; a and b are
     * described by offsets and (broadcast) strides of the same rank as shape.
     */
    public static void binary(Binary op, int[] shape, float[] a, int aOff, int[] aStr, float[] b, int bOff, int[] bStr,
            float[] out) {
        int n = 1;
        for (int s : shape) n *= s;
        if (n == 0) return;
        // Coalesce adjacent dims that are contiguous with each other in both operands.
        int rank = shape.length;
        int[] sh = new int[Math.max(rank, 1)], sa = new int[sh.length], sb = new int[sh.length];
        int r = 0;
        if (rank == 0) {
            sh[0] = 1;
            r = 1;
        }
        for (int i = 0; i < rank; i++) {
            if (shape[i] == 1) continue;
            if (r > 0 && sa[r - 1] == aStr[i] * shape[i] && sb[r - 1] == bStr[i] * shape[i]) {
                sh[r - 1] *= shape[i];
                sa[r - 1] = aStr[i];
                sb[r - 1] = bStr[i];
            } else {
                sh[r] = shape[i];
                sa[r] = aStr[i];
                sb[r] = bStr[i];
                r++;
            }
        }
        if (r == 0) { // all dims of size 1
            sh[0] = 1;
            r = 1;
        }
        int last = r - 1, len = sh[last], as = sa[last], bs = sb[last];
        int[] idx = new int[r];
        int pa = aOff, pb = bOff;
        for (int o = 0; o < n; o += len) {
            row(op, a, pa, as, b, pb, bs, out, o, len);
            for (int d = last - 1; d >= 0; d--) {
                idx[d]++;
                pa += sa[d];
                pb += sb[d];
                if (idx[d] < sh[d]) break;
                pa -= sa[d] * sh[d];
                pb -= sb[d] * sh[d];
                idx[d] = 0;
            }
        }
    }

    /** One row: out[o+j] = a[pa + j*as] op b[pb + j*bs]. */
    public static void row(Binary op, float[] a, int pa, int as, float[] b, int pb, int bs, float[] out, int o, int len) {
        row(Kernels.DEFAULT, op, a, pa, as, b, pb, bs, out, o, len);
    }

    /** {@link #row} on the given provider, so that tests can run both in one JVM. */
    static void row(KernelProvider k, Binary op, float[] a, int pa, int as, float[] b, int pb, int bs, float[] out,
            int o, int len) {
        if (op.ordinal() <= Binary.DIV.ordinal()) {
            if (as == 1 && bs == 1) {
                k.binary(op, a, pa, b, pb, out, o, len);
                return;
            }
            if (as == 1 && bs == 0) {
                k.binaryScalar(op, a, pa, b[pb], out, o, len, false);
                return;
            }
            if (as == 0 && bs == 1) {
                k.binaryScalar(op, b, pb, a[pa], out, o, len, true);
                return;
            }
        }
        switch (op) {
            case ADD -> { for (int j = 0; j < len; j++) out[o + j] = a[pa + j * as] + b[pb + j * bs]; }
            case SUB -> { for (int j = 0; j < len; j++) out[o + j] = a[pa + j * as] - b[pb + j * bs]; }
            case MUL -> { for (int j = 0; j < len; j++) out[o + j] = a[pa + j * as] * b[pb + j * bs]; }
            case DIV -> { for (int j = 0; j < len; j++) out[o + j] = a[pa + j * as] / b[pb + j * bs]; }
            case POW -> { for (int j = 0; j < len; j++) out[o + j] = pow(a[pa + j * as], b[pb + j * bs]); }
            case MAX -> { for (int j = 0; j < len; j++) out[o + j] = max(a[pa + j * as], b[pb + j * bs]); }
            case MIN -> { for (int j = 0; j < len; j++) out[o + j] = min(a[pa + j * as], b[pb + j * bs]); }
        }
    }

    /** float pow with PyTorch's special cases for exact small exponents (keeps x^2 exact and fast). */
    public static float pow(float x, float e) {
        if (e == 2f) return x * x;
        if (e == 1f) return x;
        if (e == 0.5f) return (float) Math.sqrt(x);
        return (float) Math.pow(x, e);
    }

    /** NaN-propagating max as in PyTorch. */
    public static float max(float x, float y) {
        return (x != x || y != y) ? Float.NaN : Math.max(x, y);
    }

    /** NaN-propagating min as in PyTorch. */
    public static float min(float x, float y) {
        return (x != x || y != y) ? Float.NaN : Math.min(x, y);
    }

    /** Unary operations on contiguous data. */
    public enum Unary {
        /** {@code eˣ}. */ EXP,
        /** Natural logarithm. */ LOG,
        /** Square root. */ SQRT,
        /** {@code |x|}. */ ABS,
        /** {@code −x}. */ NEG,
        /** {@code x²}. */ SQUARE,
        /** {@code 1/x}. */ RECIPROCAL,
        /** Sine. */ SIN,
        /** Cosine. */ COS,
        /** {@code 1/(1 + e^−x)}, computed without overflow (see {@link #sigmoid(float)}). */ SIGMOID,
        /** Hyperbolic tangent. */ TANH,
        /** {@code max(x, 0)}, NaN kept. */ RELU,
        /** −1, 0 or 1 ({@link Math#signum(float)}). */ SIGN
    }

    /** out[o+j] = f(x[p+j]) for j &lt; len. */
    public static void unary(Unary op, float[] x, int p, float[] out, int o, int len) {
        unary(Kernels.DEFAULT, op, x, p, out, o, len);
    }

    /** {@link #unary} on the given provider, so that tests can run both in one JVM. */
    static void unary(KernelProvider k, Unary op, float[] x, int p, float[] out, int o, int len) {
        switch (op) {
            case EXP -> { for (int j = 0; j < len; j++) out[o + j] = (float) Math.exp(x[p + j]); }
            case LOG -> { for (int j = 0; j < len; j++) out[o + j] = (float) Math.log(x[p + j]); }
            case SQRT -> { for (int j = 0; j < len; j++) out[o + j] = (float) Math.sqrt(x[p + j]); }
            case ABS -> { for (int j = 0; j < len; j++) out[o + j] = Math.abs(x[p + j]); }
            case NEG -> { for (int j = 0; j < len; j++) out[o + j] = -x[p + j]; }
            case SQUARE -> { for (int j = 0; j < len; j++) out[o + j] = x[p + j] * x[p + j]; }
            case RECIPROCAL -> { for (int j = 0; j < len; j++) out[o + j] = 1f / x[p + j]; }
            case SIN -> { for (int j = 0; j < len; j++) out[o + j] = (float) Math.sin(x[p + j]); }
            case COS -> { for (int j = 0; j < len; j++) out[o + j] = (float) Math.cos(x[p + j]); }
            case SIGMOID -> { for (int j = 0; j < len; j++) out[o + j] = sigmoid(x[p + j]); }
            case TANH -> { for (int j = 0; j < len; j++) out[o + j] = (float) Math.tanh(x[p + j]); }
            case RELU -> k.relu(x, p, out, o, len);
            case SIGN -> { for (int j = 0; j < len; j++) out[o + j] = Math.signum(x[p + j]); }
        }
    }

    /** dst[d+j] = g[pg+j] · [y[py+j] &gt; 0] (ReLU backward from its output); see {@link KernelProvider#reluBackward}. */
    public static void reluBackward(float[] g, int pg, float[] y, int py, float[] dst, int d, int len) {
        Kernels.DEFAULT.reluBackward(g, pg, y, py, dst, d, len);
    }

    /** {@link #reluBackward} on the given provider, so that tests can run both in one JVM. */
    static void reluBackward(KernelProvider k, float[] g, int pg, float[] y, int py, float[] dst, int d, int len) {
        k.reluBackward(g, pg, y, py, dst, d, len);
    }

    /** out[o+j] = x[p+j]·a + b; see {@link KernelProvider#scaleShift}. */
    public static void scaleShift(float[] x, int p, float a, float b, float[] out, int o, int len) {
        Kernels.DEFAULT.scaleShift(x, p, a, b, out, o, len);
    }

    /** Batch norm's input gradient; see {@link KernelProvider#batchNormBackward}. */
    public static void batchNormBackward(float[] g, int pg, float[] x, int px, float mu, float is, float k, float mdy,
            float mdyx, float[] out, int o, int len) {
        Kernels.DEFAULT.batchNormBackward(g, pg, x, px, mu, is, k, mdy, mdyx, out, o, len);
    }

    /** Σ exp(x[p+j] − shift) over j &lt; len; see {@link KernelProvider#sumExpShifted}. */
    public static double sumExpShifted(float[] x, int p, int len, float shift) {
        return Kernels.DEFAULT.sumExpShifted(x, p, len, shift);
    }

    /** out[o+j] = scale · exp(x[p+j] − shift); see {@link KernelProvider#expShiftedScaled}. */
    public static void expShiftedScaled(float[] x, int p, float shift, float scale, float[] out, int o, int len) {
        Kernels.DEFAULT.expShiftedScaled(x, p, shift, scale, out, o, len);
    }

    /** Logistic sigmoid computed without overflow for large |x|. */
    public static float sigmoid(float x) {
        if (x >= 0) return (float) (1.0 / (1.0 + Math.exp(-x)));
        double e = Math.exp(x);
        return (float) (e / (1.0 + e));
    }

    /**
     * Σ (a[p+j] − mu) over j &lt; len, or Σ (a[p+j] − mu)² when {@code square}: the per-channel sums
     * of batch norm and of a bias gradient, in float vector lanes combined in double.
     */
    public static double sumCentered(float[] a, int p, int len, float mu, boolean square) {
        return Kernels.DEFAULT.sumCentered(a, p, len, mu, square);
    }

    /** Σ a[pa+j] · (b[pb+j] − mu) over j &lt; len (batch norm's backward), float lanes combined in double. */
    public static double dotCentered(float[] a, int pa, float[] b, int pb, int len, float mu) {
        return Kernels.DEFAULT.dotCentered(a, pa, b, pb, len, mu);
    }

    /** {@link #sumCentered} on the given provider, for tests. */
    static double sumCentered(KernelProvider k, float[] a, int p, int len, float mu, boolean square) {
        return k.sumCentered(a, p, len, mu, square);
    }

    /** {@link #dotCentered} on the given provider, for tests. */
    static double dotCentered(KernelProvider k, float[] a, int pa, float[] b, int pb, int len, float mu) {
        return k.dotCentered(a, pa, b, pb, len, mu);
    }
}
