package org.jgrad.kernels;

/**
 * {@link KernelProvider} in plain Java, for JVMs without {@code jdk.incubator.vector}. The loops are
 * written so that C2's auto-vectorizer (SuperWord) turns them into SIMD code: contiguous inner
 * loops over arrays with no cross-iteration dependence.
 */
final class ScalarKernels implements KernelProvider {
    static final ScalarKernels INSTANCE = new ScalarKernels();

    /**
     * Micro-tile 4×32, accumulated in a small array that stays in L1: the inner loop over the 32
     * columns is what SuperWord vectorizes (a register-blocked scalar tile would not be).
     */
    private static final int MR = 4, NR = 32;

    private ScalarKernels() {}

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public int gemmMr() {
        return MR;
    }

    @Override
    public int gemmNr() {
        return NR;
    }

    @Override
    public void gemmBlock(int mc, int nc, int kc, float alpha, float[] ap, float[] bp, float beta, float[] c,
            int cOff, int ldc) {
        float[] acc = new float[MR * NR];
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            for (int ir = 0; ir < mc; ir += MR) {
                int mr = Math.min(MR, mc - ir);
                java.util.Arrays.fill(acc, 0f);
                int ao = ir * kc, bo = jr * kc;
                for (int p = 0; p < kc; p++) {
                    int b = bo + p * NR;
                    for (int i = 0; i < MR; i++) {
                        float x = ap[ao + p * MR + i];
                        int r = i * NR;
                        for (int j = 0; j < NR; j++) acc[r + j] += x * bp[b + j];
                    }
                }
                for (int i = 0; i < mr; i++) {
                    int row = cOff + (ir + i) * ldc + jr, r = i * NR;
                    if (beta == 0f) for (int j = 0; j < nr; j++) c[row + j] = alpha * acc[r + j];
                    else if (beta == 1f) for (int j = 0; j < nr; j++) c[row + j] += alpha * acc[r + j];
                    else for (int j = 0; j < nr; j++) c[row + j] = beta * c[row + j] + alpha * acc[r + j];
                }
            }
        }
    }

    @Override
    public void binary(Elementwise.Binary op, float[] a, int pa, float[] b, int pb, float[] out, int o, int len) {
        switch (op) {
            case ADD -> { for (int j = 0; j < len; j++) out[o + j] = a[pa + j] + b[pb + j]; }
            case SUB -> { for (int j = 0; j < len; j++) out[o + j] = a[pa + j] - b[pb + j]; }
            case MUL -> { for (int j = 0; j < len; j++) out[o + j] = a[pa + j] * b[pb + j]; }
            case DIV -> { for (int j = 0; j < len; j++) out[o + j] = a[pa + j] / b[pb + j]; }
            default -> throw new IllegalArgumentException("binary: no contiguous kernel for " + op);
        }
    }

    @Override
    public void binaryScalar(Elementwise.Binary op, float[] a, int pa, float s, float[] out, int o, int len,
            boolean swapped) {
        switch (op) {
            case ADD -> { for (int j = 0; j < len; j++) out[o + j] = a[pa + j] + s; }
            case MUL -> { for (int j = 0; j < len; j++) out[o + j] = a[pa + j] * s; }
            case SUB -> {
                if (swapped) for (int j = 0; j < len; j++) out[o + j] = s - a[pa + j];
                else for (int j = 0; j < len; j++) out[o + j] = a[pa + j] - s;
            }
            case DIV -> {
                if (swapped) for (int j = 0; j < len; j++) out[o + j] = s / a[pa + j];
                else for (int j = 0; j < len; j++) out[o + j] = a[pa + j] / s;
            }
            default -> throw new IllegalArgumentException("binaryScalar: no contiguous kernel for " + op);
        }
    }

    @Override
    public void relu(float[] x, int p, float[] out, int o, int len) {
        for (int j = 0; j < len; j++) out[o + j] = relu(x[p + j]);
    }

    /** max(v, 0) that keeps NaN, as the vector max does. */
    static float relu(float v) {
        return v > 0 ? v : (v != v ? v : 0f);
    }
}
