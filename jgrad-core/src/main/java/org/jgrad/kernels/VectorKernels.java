package org.jgrad.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link KernelProvider} on the Vector API. The only class that links against
 * {@code jdk.incubator.vector}; {@link Kernels} loads it reflectively so that its absence is not fatal.
 */
final class VectorKernels implements KernelProvider {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    /**
     * Micro-tile: 6 rows × 2 vectors (6×32 with AVX-512). The 12 accumulators hide the 4-cycle FMA
     * latency on two FMA pipes, and each k-step issues 8 loads (6 broadcasts of A, 2 vectors of B)
     * for 12 FMAs, within the two loads per cycle the core sustains. 4×3 vectors was measured
     * slower (docs/performance.md).
     */
    static final int MR = 6;
    private static final int NR = 2 * L;

    VectorKernels() {
        // Below 128 bits (or with a JIT that cannot intrinsify) the Vector API is slower than scalar code.
        if (S.vectorBitSize() < 128) throw new UnsupportedOperationException("vector species too small: " + S);
    }

    @Override
    public String name() {
        return "vector(" + L + " x float)";
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
        // B micro-panel (kc×NR) stays in L1 while the A panels of the block stream past it from L2.
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            for (int ir = 0; ir < mc; ir += MR) {
                kernel(kc, ap, ir * kc, bp, jr * kc, c, cOff + ir * ldc + jr, ldc, alpha, beta,
                        Math.min(MR, mc - ir), nr);
            }
        }
    }

    /** One MR×NR tile; rows ≥ mr and columns ≥ nr are computed on the zero padding and not stored. */
    private static void kernel(int kc, float[] ap, int ao, float[] bp, int bo, float[] c, int co, int ldc,
            float alpha, float beta, int mr, int nr) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00,
                c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
        for (int p = 0; p < kc; p++) {
            int a = ao + p * MR, b = bo + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, bp, b), b1 = FloatVector.fromArray(S, bp, b + L);
            FloatVector x = FloatVector.broadcast(S, ap[a]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, ap[a + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, ap[a + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, ap[a + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, ap[a + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, ap[a + 5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
        }
        FloatVector al = FloatVector.broadcast(S, alpha);
        if (nr == NR) {
            store(c00, c01, al, beta, c, co);
            if (mr > 1) store(c10, c11, al, beta, c, co + ldc);
            if (mr > 2) store(c20, c21, al, beta, c, co + 2 * ldc);
            if (mr > 3) store(c30, c31, al, beta, c, co + 3 * ldc);
            if (mr > 4) store(c40, c41, al, beta, c, co + 4 * ldc);
            if (mr > 5) store(c50, c51, al, beta, c, co + 5 * ldc);
        } else {
            VectorMask<Float> m0 = S.indexInRange(0, nr), m1 = S.indexInRange(L, nr);
            store(c00, c01, al, beta, c, co, m0, m1);
            if (mr > 1) store(c10, c11, al, beta, c, co + ldc, m0, m1);
            if (mr > 2) store(c20, c21, al, beta, c, co + 2 * ldc, m0, m1);
            if (mr > 3) store(c30, c31, al, beta, c, co + 3 * ldc, m0, m1);
            if (mr > 4) store(c40, c41, al, beta, c, co + 4 * ldc, m0, m1);
            if (mr > 5) store(c50, c51, al, beta, c, co + 5 * ldc, m0, m1);
        }
    }

    private static void store(FloatVector lo, FloatVector hi, FloatVector alpha, float beta, float[] c, int o) {
        store(lo, alpha, beta, c, o);
        store(hi, alpha, beta, c, o + L);
    }

    private static void store(FloatVector acc, FloatVector alpha, float beta, float[] c, int o) {
        FloatVector r;
        if (beta == 0f) r = acc.mul(alpha);
        else if (beta == 1f) r = acc.fma(alpha, FloatVector.fromArray(S, c, o));
        else r = acc.fma(alpha, FloatVector.fromArray(S, c, o).mul(beta));
        r.intoArray(c, o);
    }

    private static void store(FloatVector lo, FloatVector hi, FloatVector alpha, float beta, float[] c, int o,
            VectorMask<Float> m0, VectorMask<Float> m1) {
        store(lo, alpha, beta, c, o, m0);
        store(hi, alpha, beta, c, o + L, m1);
    }

    private static void store(FloatVector acc, FloatVector alpha, float beta, float[] c, int o, VectorMask<Float> m) {
        if (!m.anyTrue()) return;
        FloatVector r;
        if (beta == 0f) r = acc.mul(alpha);
        else if (beta == 1f) r = acc.fma(alpha, FloatVector.fromArray(S, c, o, m));
        else r = acc.fma(alpha, FloatVector.fromArray(S, c, o, m).mul(beta));
        r.intoArray(c, o, m);
    }

    @Override
    public void binary(Elementwise.Binary op, float[] a, int pa, float[] b, int pb, float[] out, int o, int len) {
        int j = 0, up = S.loopBound(len);
        switch (op) {
            case ADD -> { for (; j < up; j += L) FloatVector.fromArray(S, a, pa + j).add(FloatVector.fromArray(S, b, pb + j)).intoArray(out, o + j);
                          for (; j < len; j++) out[o + j] = a[pa + j] + b[pb + j]; }
            case SUB -> { for (; j < up; j += L) FloatVector.fromArray(S, a, pa + j).sub(FloatVector.fromArray(S, b, pb + j)).intoArray(out, o + j);
                          for (; j < len; j++) out[o + j] = a[pa + j] - b[pb + j]; }
            case MUL -> { for (; j < up; j += L) FloatVector.fromArray(S, a, pa + j).mul(FloatVector.fromArray(S, b, pb + j)).intoArray(out, o + j);
                          for (; j < len; j++) out[o + j] = a[pa + j] * b[pb + j]; }
            case DIV -> { for (; j < up; j += L) FloatVector.fromArray(S, a, pa + j).div(FloatVector.fromArray(S, b, pb + j)).intoArray(out, o + j);
                          for (; j < len; j++) out[o + j] = a[pa + j] / b[pb + j]; }
            default -> throw new IllegalArgumentException("binary: no vector kernel for " + op);
        }
    }

    @Override
    public void binaryScalar(Elementwise.Binary op, float[] a, int pa, float s, float[] out, int o, int len,
            boolean swapped) {
        int j = 0, up = S.loopBound(len);
        FloatVector sv = FloatVector.broadcast(S, s);
        switch (op) {
            case ADD -> { for (; j < up; j += L) FloatVector.fromArray(S, a, pa + j).add(sv).intoArray(out, o + j);
                          for (; j < len; j++) out[o + j] = a[pa + j] + s; }
            case MUL -> { for (; j < up; j += L) FloatVector.fromArray(S, a, pa + j).mul(sv).intoArray(out, o + j);
                          for (; j < len; j++) out[o + j] = a[pa + j] * s; }
            case SUB -> {
                if (swapped) { for (; j < up; j += L) sv.sub(FloatVector.fromArray(S, a, pa + j)).intoArray(out, o + j);
                               for (; j < len; j++) out[o + j] = s - a[pa + j]; }
                else { for (; j < up; j += L) FloatVector.fromArray(S, a, pa + j).sub(sv).intoArray(out, o + j);
                       for (; j < len; j++) out[o + j] = a[pa + j] - s; }
            }
            case DIV -> {
                if (swapped) { for (; j < up; j += L) sv.div(FloatVector.fromArray(S, a, pa + j)).intoArray(out, o + j);
                               for (; j < len; j++) out[o + j] = s / a[pa + j]; }
                else { for (; j < up; j += L) FloatVector.fromArray(S, a, pa + j).div(sv).intoArray(out, o + j);
                       for (; j < len; j++) out[o + j] = a[pa + j] / s; }
            }
            default -> throw new IllegalArgumentException("binaryScalar: no vector kernel for " + op);
        }
    }

    @Override
    public void relu(float[] x, int p, float[] out, int o, int len) {
        int j = 0, up = S.loopBound(len);
        FloatVector zero = FloatVector.zero(S);
        for (; j < up; j += L) FloatVector.fromArray(S, x, p + j).max(zero).intoArray(out, o + j);
        for (; j < len; j++) out[o + j] = ScalarKernels.relu(x[p + j]);
    }
}
