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
     * for 12 FMAs, within the two loads per cycle the core sustains. At 1024² on one core, 4×3, 8×2,
     * 12×2 and 8×3 vectors measured within noise of it (175–189 GFLOP/s best-of, docs/performance.md);
     * 6×2 stays as the variant with the fewest live registers (15 of 32) among equals, which leaves C2
     * the most slack.
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
        float[] tile = new float[MR * NR];
        // B micro-panel (kc×NR) stays in L1 while the A panels of the block stream past it from L2.
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            for (int ir = 0; ir < mc; ir += MR) {
                kernel(kc, ap, ir * kc, bp, jr * kc, tile);
                merge(tile, c, cOff + ir * ldc + jr, ldc, alpha, beta, Math.min(MR, mc - ir), nr);
            }
        }
    }

    /**
     * tile = one MR×NR product of an A panel and a B panel. The accumulators go to a scratch tile
     * (in L1) rather than to C directly: passing vectors to a store helper makes C2 box them whenever
     * it declines to inline the helper, which was measured to cost 4× at 1024².
     */
    private static void kernel(int kc, float[] ap, int ao, float[] bp, int bo, float[] tile) {
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
        c00.intoArray(tile, 0);
        c01.intoArray(tile, L);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + L);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + L);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + L);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + L);
        c50.intoArray(tile, 5 * NR);
        c51.intoArray(tile, 5 * NR + L);
    }

    /** C[0..mr)[0..nr) = beta·C + alpha·tile; C is not read when beta is 0. Columns past nr are masked. */
    private static void merge(float[] tile, float[] c, int co, int ldc, float alpha, float beta, int mr, int nr) {
        FloatVector al = FloatVector.broadcast(S, alpha);
        for (int i = 0; i < mr; i++) {
            int row = co + i * ldc;
            for (int j = 0; j < nr; j += L) {
                FloatVector t = FloatVector.fromArray(S, tile, i * NR + j);
                if (j + L <= nr) {
                    FloatVector r = beta == 0f ? t.mul(al)
                            : t.fma(al, beta == 1f ? FloatVector.fromArray(S, c, row + j)
                                    : FloatVector.fromArray(S, c, row + j).mul(beta));
                    r.intoArray(c, row + j);
                } else {
                    VectorMask<Float> m = S.indexInRange(j, nr);
                    FloatVector r = beta == 0f ? t.mul(al)
                            : t.fma(al, beta == 1f ? FloatVector.fromArray(S, c, row + j, m)
                                    : FloatVector.fromArray(S, c, row + j, m).mul(beta));
                    r.intoArray(c, row + j, m);
                }
            }
        }
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
