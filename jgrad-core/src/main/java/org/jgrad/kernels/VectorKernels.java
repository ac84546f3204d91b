package org.jgrad.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link KernelProvider} on the Vector API. The only class that links against
 * {@code jdk.incubator.vector}; {@link Kernels} loads it reflectively so that its absence is not fatal.
 */
final class VectorKernels implements KernelProvider {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Ints in a vector of the same shape (gather and scatter indices). */
    private static final VectorSpecies<Integer> I = S.withLanes(int.class);

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
    public void gemmBlock(int mc, int nc, int kc, float alpha, float[] a, int aOff, int lda, float[] ap, int apOff,
            float[] bp, int bpOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        float[] tile = new float[MR * NR];
        int inPlace = a == null ? 0 : mc / MR * MR; // rows read from a; the rest are packed in ap
        // A packed B panel is kc×NR from jr·kc; one read in place is NR columns of kc rows ldb apart.
        int bStep = ldb == 0 ? NR : ldb, bPanel = ldb == 0 ? kc : 1;
        // B micro-panel (kc×NR) stays in L1 while the A panels of the block stream past it from L2.
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            for (int ir = 0; ir < mc; ir += MR) {
                int co = cOff + ir * ldc + jr;
                // A whole tile with alpha = 1 and beta = 0 or 1 goes from the accumulators straight to C.
                int direct = nr == NR && ir + MR <= mc && alpha == 1f ? (beta == 0f ? STORE : beta == 1f ? ADD : 0) : 0;
                int bo = bpOff + jr * bPanel;
                // Where the kernel leaves its accumulators (the tile or C) is chosen here rather than by a branch in
                // the kernel: C2 compiled that branch with only the modes seen so far and trapped on the first
                // other one (the sgemm row's whole tiles, then a training step's edge tiles), and the micro-kernels
                // then ran as C1 code until compiled again, seconds into a first epoch (docs/performance.md, "Warm-up").
                float[] d = direct == 0 ? tile : c;
                int dOff = direct == 0 ? 0 : co, dStride = direct == 0 ? NR : ldc;
                if (ir < inPlace) kernelRows(kc, a, aOff + ir * lda, lda, bp, bo, bStep, d, dOff, dStride, direct == ADD);
                else kernel(kc, ap, apOff + (a == null ? ir * kc : 0), bp, bo, bStep, d, dOff, dStride, direct == ADD);
                if (direct != 0) continue;
                if (nr == NR) merge(tile, c, co, ldc, alpha, beta, Math.min(MR, mc - ir));
                else mergeEdge(tile, c, co, ldc, alpha, beta, Math.min(MR, mc - ir), nr);
            }
        }
    }

    /**
     * {@link #kernel} with the A panel read in place from six rows of a row-major matrix (element (i, p)
     * at {@code ao + i*lda + p}) instead of a packed panel: the same loads and FMAs in the same order,
     * from six sequential streams.
     */
    private static void kernelRows(int kc, float[] ap, int ao, int lda, float[] bp, int bo, int bStep, float[] d,
            int dOff, int dStride, boolean add) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00,
                c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
        int a0 = ao, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda, a4 = a3 + lda, a5 = a4 + lda;
        for (int p = 0; p < kc; p++) {
            int b = bo + p * bStep;
            FloatVector b0 = FloatVector.fromArray(S, bp, b), b1 = FloatVector.fromArray(S, bp, b + L);
            FloatVector x = FloatVector.broadcast(S, ap[a0 + p]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, ap[a1 + p]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, ap[a2 + p]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, ap[a3 + p]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, ap[a4 + p]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, ap[a5 + p]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
        }
        int r0 = dOff, r1 = r0 + dStride, r2 = r1 + dStride, r3 = r2 + dStride, r4 = r3 + dStride, r5 = r4 + dStride;
        if (add) {
            c00.add(FloatVector.fromArray(S, d, r0)).intoArray(d, r0);
            c01.add(FloatVector.fromArray(S, d, r0 + L)).intoArray(d, r0 + L);
            c10.add(FloatVector.fromArray(S, d, r1)).intoArray(d, r1);
            c11.add(FloatVector.fromArray(S, d, r1 + L)).intoArray(d, r1 + L);
            c20.add(FloatVector.fromArray(S, d, r2)).intoArray(d, r2);
            c21.add(FloatVector.fromArray(S, d, r2 + L)).intoArray(d, r2 + L);
            c30.add(FloatVector.fromArray(S, d, r3)).intoArray(d, r3);
            c31.add(FloatVector.fromArray(S, d, r3 + L)).intoArray(d, r3 + L);
            c40.add(FloatVector.fromArray(S, d, r4)).intoArray(d, r4);
            c41.add(FloatVector.fromArray(S, d, r4 + L)).intoArray(d, r4 + L);
            c50.add(FloatVector.fromArray(S, d, r5)).intoArray(d, r5);
            c51.add(FloatVector.fromArray(S, d, r5 + L)).intoArray(d, r5 + L);
            return;
        }
        c00.intoArray(d, r0);
        c01.intoArray(d, r0 + L);
        c10.intoArray(d, r1);
        c11.intoArray(d, r1 + L);
        c20.intoArray(d, r2);
        c21.intoArray(d, r2 + L);
        c30.intoArray(d, r3);
        c31.intoArray(d, r3 + L);
        c40.intoArray(d, r4);
        c41.intoArray(d, r4 + L);
        c50.intoArray(d, r5);
        c51.intoArray(d, r5 + L);
    }

    /** How a kernel leaves its tile: in the scratch tile for {@link #merge}, or stored or added into C. */
    private static final int STORE = 1, ADD = 2;

    /**
     * tile = one MR×NR product of an A panel and a B panel. The accumulators go to a scratch tile
     * (in L1) for {@link #merge} to scale and mask: passing vectors to a store helper makes C2 box them
     * whenever it declines to inline the helper, which was measured to cost 4× at 1024². A whole tile
     * with alpha = 1 and beta = 0 or 1 (STORE or ADD) is written to C here instead ({@code d} is C, rows
     * {@code dStride} apart from {@code dOff}, and {@code add} adds C's values), bitwise as merge would
     * (1·t = t, fma(t, 1, c) = t + c): at k = 64 (a Linear weight gradient) the round trip through the
     * tile was a tenth of the product.
     */
    private static void kernel(int kc, float[] ap, int ao, float[] bp, int bo, int bStep, float[] d, int dOff,
            int dStride, boolean add) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00,
                c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
        for (int p = 0; p < kc; p++) {
            int a = ao + p * MR, b = bo + p * bStep;
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
        int r0 = dOff, r1 = r0 + dStride, r2 = r1 + dStride, r3 = r2 + dStride, r4 = r3 + dStride, r5 = r4 + dStride;
        if (add) {
            c00.add(FloatVector.fromArray(S, d, r0)).intoArray(d, r0);
            c01.add(FloatVector.fromArray(S, d, r0 + L)).intoArray(d, r0 + L);
            c10.add(FloatVector.fromArray(S, d, r1)).intoArray(d, r1);
            c11.add(FloatVector.fromArray(S, d, r1 + L)).intoArray(d, r1 + L);
            c20.add(FloatVector.fromArray(S, d, r2)).intoArray(d, r2);
            c21.add(FloatVector.fromArray(S, d, r2 + L)).intoArray(d, r2 + L);
            c30.add(FloatVector.fromArray(S, d, r3)).intoArray(d, r3);
            c31.add(FloatVector.fromArray(S, d, r3 + L)).intoArray(d, r3 + L);
            c40.add(FloatVector.fromArray(S, d, r4)).intoArray(d, r4);
            c41.add(FloatVector.fromArray(S, d, r4 + L)).intoArray(d, r4 + L);
            c50.add(FloatVector.fromArray(S, d, r5)).intoArray(d, r5);
            c51.add(FloatVector.fromArray(S, d, r5 + L)).intoArray(d, r5 + L);
            return;
        }
        c00.intoArray(d, r0);
        c01.intoArray(d, r0 + L);
        c10.intoArray(d, r1);
        c11.intoArray(d, r1 + L);
        c20.intoArray(d, r2);
        c21.intoArray(d, r2 + L);
        c30.intoArray(d, r3);
        c31.intoArray(d, r3 + L);
        c40.intoArray(d, r4);
        c41.intoArray(d, r4 + L);
        c50.intoArray(d, r5);
        c51.intoArray(d, r5 + L);
    }

    /** C[0..mr)[0..NR) = beta·C + alpha·tile; C is not read when beta is 0. */
    private static void merge(float[] tile, float[] c, int co, int ldc, float alpha, float beta, int mr) {
        FloatVector al = FloatVector.broadcast(S, alpha);
        for (int i = 0; i < mr; i++) {
            int row = co + i * ldc, t = i * NR;
            FloatVector t0 = FloatVector.fromArray(S, tile, t), t1 = FloatVector.fromArray(S, tile, t + L);
            if (beta == 0f) {
                t0 = t0.mul(al);
                t1 = t1.mul(al);
            } else if (beta == 1f) {
                t0 = t0.fma(al, FloatVector.fromArray(S, c, row));
                t1 = t1.fma(al, FloatVector.fromArray(S, c, row + L));
            } else {
                t0 = t0.fma(al, FloatVector.fromArray(S, c, row).mul(beta));
                t1 = t1.fma(al, FloatVector.fromArray(S, c, row + L).mul(beta));
            }
            t0.intoArray(c, row);
            t1.intoArray(c, row + L);
        }
    }

    /**
     * {@link #merge} for a right-edge tile of nr &lt; NR columns, in plain Java: the masked vector form
     * spent most of its time building and checking masks (a tenth of an MLP step's samples), and an
     * edge tile is at most one per row of tiles.
     */
    private static void mergeEdge(float[] tile, float[] c, int co, int ldc, float alpha, float beta, int mr,
            int nr) {
        for (int i = 0; i < mr; i++) {
            int row = co + i * ldc, t = i * NR;
            if (beta == 0f) for (int j = 0; j < nr; j++) c[row + j] = alpha * tile[t + j];
            else if (beta == 1f) for (int j = 0; j < nr; j++) c[row + j] = Math.fma(tile[t + j], alpha, c[row + j]);
            else for (int j = 0; j < nr; j++) c[row + j] = Math.fma(tile[t + j], alpha, c[row + j] * beta);
        }
    }

    @Override
    public void transposeInto(float[] src, int s, int ld, int rows, int len, float[] dst, int d, int stride) {
        if (L != 16) {
            ScalarKernels.transpose(src, s, ld, rows, len, dst, d, stride);
            return;
        }
        // Measured ~2× the scalar four-row copy (4.8 vs 2.0-2.4 elements/ns, weight slice 196×500).
        int r = 0, full = len & ~15;
        for (; r + 16 <= rows; r += 16) {
            int sr = s + r * ld;
            for (int p = 0; p < full; p += 16) transpose16(src, sr, ld, p, dst, d + r, stride);
            if (full < len) ScalarKernels.transpose(src, sr + full, ld, 16, len - full, dst, d + full * stride + r, stride);
        }
        if (r < rows) ScalarKernels.transpose(src, s + r * ld, ld, rows - r, len, dst, d + r, stride);
    }

    /** Two-source permute indices for round h of {@link #transpose16}; null unless vectors have 16 lanes. */
    private static FloatVector swapBit(int h, boolean upper) {
        if (L != 16) return null;
        float[] v = new float[16];
        for (int j = 0; j < 16; j++) v[j] = upper ? ((j & h) == 0 ? j + h : 16 + j) : ((j & h) == 0 ? j : 16 + j - h);
        return FloatVector.fromArray(S, v, 0);
    }

    private static final FloatVector LO0 = swapBit(8, false), HI0 = swapBit(8, true), LO1 = swapBit(4, false),
            HI1 = swapBit(4, true), LO2 = swapBit(2, false), HI2 = swapBit(2, true), LO3 = swapBit(1, false),
            HI3 = swapBit(1, true);

    /**
     * The 16×16 block at rows [0, 16), columns [p, p+16) of a strip, transposed in registers: 16 loads,
     * four rounds of 16 two-source permutes (round h swaps bit h of the row index with bit h of the
     * column index), 16 stores.
     */
    private static void transpose16(float[] src, int s, int ld, int p, float[] dst, int d, int stride) {
        FloatVector r0 = FloatVector.fromArray(S, src, s + 0 * ld + p);
        FloatVector r1 = FloatVector.fromArray(S, src, s + 1 * ld + p);
        FloatVector r2 = FloatVector.fromArray(S, src, s + 2 * ld + p);
        FloatVector r3 = FloatVector.fromArray(S, src, s + 3 * ld + p);
        FloatVector r4 = FloatVector.fromArray(S, src, s + 4 * ld + p);
        FloatVector r5 = FloatVector.fromArray(S, src, s + 5 * ld + p);
        FloatVector r6 = FloatVector.fromArray(S, src, s + 6 * ld + p);
        FloatVector r7 = FloatVector.fromArray(S, src, s + 7 * ld + p);
        FloatVector r8 = FloatVector.fromArray(S, src, s + 8 * ld + p);
        FloatVector r9 = FloatVector.fromArray(S, src, s + 9 * ld + p);
        FloatVector r10 = FloatVector.fromArray(S, src, s + 10 * ld + p);
        FloatVector r11 = FloatVector.fromArray(S, src, s + 11 * ld + p);
        FloatVector r12 = FloatVector.fromArray(S, src, s + 12 * ld + p);
        FloatVector r13 = FloatVector.fromArray(S, src, s + 13 * ld + p);
        FloatVector r14 = FloatVector.fromArray(S, src, s + 14 * ld + p);
        FloatVector r15 = FloatVector.fromArray(S, src, s + 15 * ld + p);
        FloatVector t0, t1;
        t0 = LO0.selectFrom(r0, r8); t1 = HI0.selectFrom(r0, r8); r0 = t0; r8 = t1;
        t0 = LO0.selectFrom(r1, r9); t1 = HI0.selectFrom(r1, r9); r1 = t0; r9 = t1;
        t0 = LO0.selectFrom(r2, r10); t1 = HI0.selectFrom(r2, r10); r2 = t0; r10 = t1;
        t0 = LO0.selectFrom(r3, r11); t1 = HI0.selectFrom(r3, r11); r3 = t0; r11 = t1;
        t0 = LO0.selectFrom(r4, r12); t1 = HI0.selectFrom(r4, r12); r4 = t0; r12 = t1;
        t0 = LO0.selectFrom(r5, r13); t1 = HI0.selectFrom(r5, r13); r5 = t0; r13 = t1;
        t0 = LO0.selectFrom(r6, r14); t1 = HI0.selectFrom(r6, r14); r6 = t0; r14 = t1;
        t0 = LO0.selectFrom(r7, r15); t1 = HI0.selectFrom(r7, r15); r7 = t0; r15 = t1;
        t0 = LO1.selectFrom(r0, r4); t1 = HI1.selectFrom(r0, r4); r0 = t0; r4 = t1;
        t0 = LO1.selectFrom(r1, r5); t1 = HI1.selectFrom(r1, r5); r1 = t0; r5 = t1;
        t0 = LO1.selectFrom(r2, r6); t1 = HI1.selectFrom(r2, r6); r2 = t0; r6 = t1;
        t0 = LO1.selectFrom(r3, r7); t1 = HI1.selectFrom(r3, r7); r3 = t0; r7 = t1;
        t0 = LO1.selectFrom(r8, r12); t1 = HI1.selectFrom(r8, r12); r8 = t0; r12 = t1;
        t0 = LO1.selectFrom(r9, r13); t1 = HI1.selectFrom(r9, r13); r9 = t0; r13 = t1;
        t0 = LO1.selectFrom(r10, r14); t1 = HI1.selectFrom(r10, r14); r10 = t0; r14 = t1;
        t0 = LO1.selectFrom(r11, r15); t1 = HI1.selectFrom(r11, r15); r11 = t0; r15 = t1;
        t0 = LO2.selectFrom(r0, r2); t1 = HI2.selectFrom(r0, r2); r0 = t0; r2 = t1;
        t0 = LO2.selectFrom(r1, r3); t1 = HI2.selectFrom(r1, r3); r1 = t0; r3 = t1;
        t0 = LO2.selectFrom(r4, r6); t1 = HI2.selectFrom(r4, r6); r4 = t0; r6 = t1;
        t0 = LO2.selectFrom(r5, r7); t1 = HI2.selectFrom(r5, r7); r5 = t0; r7 = t1;
        t0 = LO2.selectFrom(r8, r10); t1 = HI2.selectFrom(r8, r10); r8 = t0; r10 = t1;
        t0 = LO2.selectFrom(r9, r11); t1 = HI2.selectFrom(r9, r11); r9 = t0; r11 = t1;
        t0 = LO2.selectFrom(r12, r14); t1 = HI2.selectFrom(r12, r14); r12 = t0; r14 = t1;
        t0 = LO2.selectFrom(r13, r15); t1 = HI2.selectFrom(r13, r15); r13 = t0; r15 = t1;
        t0 = LO3.selectFrom(r0, r1); t1 = HI3.selectFrom(r0, r1); r0 = t0; r1 = t1;
        t0 = LO3.selectFrom(r2, r3); t1 = HI3.selectFrom(r2, r3); r2 = t0; r3 = t1;
        t0 = LO3.selectFrom(r4, r5); t1 = HI3.selectFrom(r4, r5); r4 = t0; r5 = t1;
        t0 = LO3.selectFrom(r6, r7); t1 = HI3.selectFrom(r6, r7); r6 = t0; r7 = t1;
        t0 = LO3.selectFrom(r8, r9); t1 = HI3.selectFrom(r8, r9); r8 = t0; r9 = t1;
        t0 = LO3.selectFrom(r10, r11); t1 = HI3.selectFrom(r10, r11); r10 = t0; r11 = t1;
        t0 = LO3.selectFrom(r12, r13); t1 = HI3.selectFrom(r12, r13); r12 = t0; r13 = t1;
        t0 = LO3.selectFrom(r14, r15); t1 = HI3.selectFrom(r14, r15); r14 = t0; r15 = t1;
        r0.intoArray(dst, d + (p + 0) * stride);
        r1.intoArray(dst, d + (p + 1) * stride);
        r2.intoArray(dst, d + (p + 2) * stride);
        r3.intoArray(dst, d + (p + 3) * stride);
        r4.intoArray(dst, d + (p + 4) * stride);
        r5.intoArray(dst, d + (p + 5) * stride);
        r6.intoArray(dst, d + (p + 6) * stride);
        r7.intoArray(dst, d + (p + 7) * stride);
        r8.intoArray(dst, d + (p + 8) * stride);
        r9.intoArray(dst, d + (p + 9) * stride);
        r10.intoArray(dst, d + (p + 10) * stride);
        r11.intoArray(dst, d + (p + 11) * stride);
        r12.intoArray(dst, d + (p + 12) * stride);
        r13.intoArray(dst, d + (p + 13) * stride);
        r14.intoArray(dst, d + (p + 14) * stride);
        r15.intoArray(dst, d + (p + 15) * stride);
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

    @Override
    public void reluBackward(float[] g, int pg, float[] y, int py, float[] dst, int d, int len) {
        int j = 0, up = S.loopBound(len);
        FloatVector zero = FloatVector.zero(S), one = FloatVector.broadcast(S, 1f);
        for (; j < up; j += L) {
            var pos = FloatVector.fromArray(S, y, py + j).compare(VectorOperators.GT, 0f);
            FloatVector.fromArray(S, g, pg + j).mul(zero.blend(one, pos)).intoArray(dst, d + j);
        }
        for (; j < len; j++) dst[d + j] = g[pg + j] * (y[py + j] > 0f ? 1f : 0f);
    }

    @Override
    public void relu6(float[] x, int p, float[] out, int o, int len) {
        // selects rather than max/min, so that −0 and NaN come out as the scalar loop leaves them
        int j = 0, up = S.loopBound(len);
        FloatVector zero = FloatVector.zero(S), six = FloatVector.broadcast(S, 6f);
        for (; j < up; j += L) {
            FloatVector v = FloatVector.fromArray(S, x, p + j);
            v.blend(zero, v.compare(VectorOperators.LT, 0f)).blend(six, v.compare(VectorOperators.GT, 6f)).intoArray(out, o + j);
        }
        for (; j < len; j++) {
            float v = x[p + j];
            out[o + j] = v < 0f ? 0f : (v > 6f ? 6f : v);
        }
    }

    @Override
    public void relu6Backward(float[] g, int pg, float[] x, int px, float[] dst, int d, int len) {
        int j = 0, up = S.loopBound(len);
        FloatVector zero = FloatVector.zero(S), one = FloatVector.broadcast(S, 1f);
        for (; j < up; j += L) {
            FloatVector v = FloatVector.fromArray(S, x, px + j);
            var inside = v.compare(VectorOperators.GT, 0f).and(v.compare(VectorOperators.LT, 6f));
            FloatVector.fromArray(S, g, pg + j).mul(zero.blend(one, inside)).intoArray(dst, d + j);
        }
        for (; j < len; j++) {
            float v = x[px + j];
            dst[d + j] = g[pg + j] * (v > 0f && v < 6f ? 1f : 0f);
        }
    }

    @Override
    public void maxPool2x2Row(float[] x, int p, int w, int len, float[] best, float[] which) {
        // Every k, not only the even ones: four contiguous loads and lane-wise selects instead of the
        // scalar loop's data-dependent branches (which of four is the max), which mispredicted on
        // every other window; the caller keeps the even entries.
        FloatVector zero = FloatVector.zero(S), one = FloatVector.broadcast(S, 1f), down = FloatVector.broadcast(S, w),
                diag = FloatVector.broadcast(S, w + 1);
        for (int k = 0; k < len; k += L) {
            FloatVector a, b, c, d;
            // Full loads also past len while they stay inside the array (lanes past len are scratch
            // the caller ignores) rather than masked ones: LeNet's first pool (64×6×28×28, one thread)
            // 248 → 203 µs.
            if (k + L <= len || p + w + k + 1 + L <= x.length) {
                a = FloatVector.fromArray(S, x, p + k);
                b = FloatVector.fromArray(S, x, p + k + 1);
                c = FloatVector.fromArray(S, x, p + w + k);
                d = FloatVector.fromArray(S, x, p + w + k + 1);
            } else {
                VectorMask<Float> m = S.indexInRange(k, len);
                a = FloatVector.fromArray(S, x, p + k, m);
                b = FloatVector.fromArray(S, x, p + k + 1, m);
                c = FloatVector.fromArray(S, x, p + w + k, m);
                d = FloatVector.fromArray(S, x, p + w + k + 1, m);
            }
            FloatVector mx = a.max(b).max(c).max(d);
            VectorMask<Float> ma = a.eq(mx).or(a.compare(VectorOperators.NE, a));
            VectorMask<Float> mb = b.eq(mx).or(b.compare(VectorOperators.NE, b));
            VectorMask<Float> mc = c.eq(mx).or(c.compare(VectorOperators.NE, c));
            d.blend(c, mc).blend(b, mb).blend(a, ma).intoArray(best, k);
            diag.blend(down, mc).blend(one, mb).blend(zero, ma).intoArray(which, k);
        }
    }

    /** Permute indices whose lane i is {@code f(i)}. */
    private static FloatVector lanePattern(java.util.function.IntUnaryOperator f) {
        float[] v = new float[L];
        for (int i = 0; i < L; i++) v[i] = f.applyAsInt(i);
        return FloatVector.fromArray(S, v, 0);
    }

    /** The even and odd elements of two vectors (two-source permutes). */
    private static final FloatVector EVENS = lanePattern(i -> 2 * i), ODDS = lanePattern(i -> 2 * i + 1);

    /**
     * How many of {@code rows} leading rows, the r-th starting at {@code start + r·step}, keep an access
     * {@code span} floats long inside an array of {@code length}: the others go through the definition
     * rather than a masked access sticking out of the array (the Vector API's per-lane check).
     */
    private static int rowsInside(int length, int start, int step, int span, int rows) {
        if (start + span > length) return 0;
        if (step <= 0) return rows;
        return (int) Math.min(rows, (long) (length - start - span) / step + 1);
    }

    /**
     * Rows of more than half a vector of windows (LeNet's first pool, 14 a row): per row pair a fixed cost of
     * about 10 ns, so narrower rows (its second pool's 5) stay on the gathers, which were faster there.
     */
    @Override
    public boolean maxPool2x2ByRowPairs(int ow) {
        return 2 * ow > L;
    }

    @Override
    public void maxPool2x2RowPairs(float[] x, int xo, int rows, int w, int ow, float[] out, int o, float[] which) {
        // Two contiguous loads per input row and two-source permutes that split them into even and odd
        // columns give the four elements of L windows; gathering them (maxPool2x2Windows) took four
        // gathers per L windows, which cost more than the rest of the pool.
        FloatVector zero = FloatVector.zero(S), one = FloatVector.broadcast(S, 1f), down = FloatVector.broadcast(S, w),
                diag = FloatVector.broadcast(S, w + 1);
        int chunks = (ow + L - 1) / L, last = (chunks - 1) * L;
        VectorMask<Float> tail = lanesIn(0, ow - last);
        int safe = Math.min(rowsInside(x.length, xo + w, 2 * w, 2 * L * chunks, rows),
                rowsInside(Math.min(out.length, which.length), o, ow, last + L, rows));
        for (int r = 0; r < safe; r++) {
            int top = xo + 2 * r * w, dst = o + r * ow;
            for (int j0 = 0; j0 < ow; j0 += L) {
                int t = top + 2 * j0;
                FloatVector u0 = FloatVector.fromArray(S, x, t), u1 = FloatVector.fromArray(S, x, t + L),
                        l0 = FloatVector.fromArray(S, x, t + w), l1 = FloatVector.fromArray(S, x, t + w + L);
                FloatVector a = EVENS.selectFrom(u0, u1), b = ODDS.selectFrom(u0, u1), c = EVENS.selectFrom(l0, l1),
                        d = ODDS.selectFrom(l0, l1);
                FloatVector mx = a.max(b).max(c).max(d);
                VectorMask<Float> ma = a.eq(mx).or(a.compare(VectorOperators.NE, a));
                VectorMask<Float> mb = b.eq(mx).or(b.compare(VectorOperators.NE, b));
                VectorMask<Float> mc = c.eq(mx).or(c.compare(VectorOperators.NE, c));
                FloatVector best = d.blend(c, mc).blend(b, mb).blend(a, ma),
                        at = diag.blend(down, mc).blend(one, mb).blend(zero, ma);
                if (j0 < last) {
                    best.intoArray(out, dst + j0);
                    at.intoArray(which, dst + j0);
                } else {
                    best.intoArray(out, dst + j0, tail);
                    at.intoArray(which, dst + j0, tail);
                }
            }
        }
        if (safe < rows)
            KernelProvider.super.maxPool2x2RowPairs(x, xo + 2 * safe * w, rows - safe, w, ow, out, o + safe * ow, which);
    }

    @Override
    public boolean maxPool2x2Gathers() {
        return true;
    }

    @Override
    public void maxPool2x2Windows(float[] x, int xo, int[] start, int count, int w, float[] out, int o,
            float[] which) {
        // Four gathers give 16 whole windows, numbered through rows and planes: no odd (discarded)
        // positions, no row tails, and outputs stored as whole vectors. Row by row, LeNet's 14- and
        // 5-window rows were one or two partly used vectors plus a scalar copy of every output.
        FloatVector zero = FloatVector.zero(S), one = FloatVector.broadcast(S, 1f), down = FloatVector.broadcast(S, w),
                diag = FloatVector.broadcast(S, w + 1);
        int k = 0;
        for (; k + L <= count; k += L) {
            FloatVector a = FloatVector.fromArray(S, x, xo, start, k), b = FloatVector.fromArray(S, x, xo + 1, start, k),
                    c = FloatVector.fromArray(S, x, xo + w, start, k), d = FloatVector.fromArray(S, x, xo + w + 1, start, k);
            FloatVector mx = a.max(b).max(c).max(d);
            VectorMask<Float> ma = a.eq(mx).or(a.compare(VectorOperators.NE, a));
            VectorMask<Float> mb = b.eq(mx).or(b.compare(VectorOperators.NE, b));
            VectorMask<Float> mc = c.eq(mx).or(c.compare(VectorOperators.NE, c));
            d.blend(c, mc).blend(b, mb).blend(a, ma).intoArray(out, o + k);
            diag.blend(down, mc).blend(one, mb).blend(zero, ma).intoArray(which, o + k);
        }
        // A masked gather still checks the bounds of its unset lanes (the next plane's windows, past the
        // array for the last group): the last partial vector goes through the definition.
        for (; k < count; k++) {
            int q = xo + start[k];
            float best = x[q], at = 0f;
            float v = x[q + 1];
            if (v > best || (v != v && best == best)) {
                best = v;
                at = 1f;
            }
            v = x[q + w];
            if (v > best || (v != v && best == best)) {
                best = v;
                at = w;
            }
            v = x[q + w + 1];
            if (v > best || (v != v && best == best)) {
                best = v;
                at = w + 1;
            }
            out[o + k] = best;
            which[o + k] = at;
        }
    }

    @Override
    public void maxPool2x2Scatter(float[] g, int go, float[] which, int o, int[] start, int count, float[] dx,
            int xo) {
        int[] at = new int[L];
        int k = 0;
        for (; k + L <= count; k += L) {
            IntVector.fromArray(I, start, k)
                    .add((IntVector) FloatVector.fromArray(S, which, o + k).convert(VectorOperators.F2I, 0))
                    .intoArray(at, 0);
            FloatVector.fromArray(S, g, go + k).add(0f).intoArray(dx, xo, at, 0);
        }
        for (; k < count; k++) dx[xo + start[k] + (int) which[o + k]] = g[go + k] + 0f;
    }

    @Override
    public void maxPool2x2ScatterRelu(float[] g, int go, float[] which, float[] kept, int o, int[] start, int count,
            float[] dx, int xo) {
        int[] at = new int[L];
        FloatVector zero = FloatVector.zero(S), one = FloatVector.broadcast(S, 1f);
        int k = 0;
        for (; k + L <= count; k += L) {
            IntVector.fromArray(I, start, k)
                    .add((IntVector) FloatVector.fromArray(S, which, o + k).convert(VectorOperators.F2I, 0))
                    .intoArray(at, 0);
            var pos = FloatVector.fromArray(S, kept, o + k).compare(VectorOperators.GT, 0f);
            FloatVector.fromArray(S, g, go + k).add(0f).mul(zero.blend(one, pos)).intoArray(dx, xo, at, 0);
        }
        for (; k < count; k++)
            dx[xo + start[k] + (int) which[o + k]] = (g[go + k] + 0f) * (kept[o + k] > 0f ? 1f : 0f);
    }

    @Override
    public void copyBlock(float[] src, int s, int ss, float[] dst, int d, int ds, int rows, int len) {
        // Rows of 1 to 16 floats (the 10-wide rows of LeNet's second convolution): one masked
        // load/store per row instead of a scalar loop with its pre/post-loop set-up.
        int up = S.loopBound(len);
        VectorMask<Float> tail = S.indexInRange(up, len);
        // Rows whose masked tail would stick out of an array are copied plainly (the per-lane check).
        int safe = len == up ? rows : Math.min(rowsInside(src.length, s + up, ss, L, rows), rowsInside(dst.length, d + up, ds, L, rows));
        for (int r = 0; r < safe; r++) {
            int a = s + r * ss, b = d + r * ds, j = 0;
            for (; j < up; j += L) FloatVector.fromArray(S, src, a + j).intoArray(dst, b + j);
            if (j < len) FloatVector.fromArray(S, src, a + j, tail).intoArray(dst, b + j, tail);
        }
        for (int r = safe; r < rows; r++) System.arraycopy(src, s + r * ss, dst, d + r * ds, len);
    }

    @Override
    public void biasReluBlock(float[] src, int s, int ss, float bias, boolean relu, float[] dst, int d, int ds, int rows,
            int len) {
        // LeNet's first layer: rows of 28, one whole vector and a masked one, where binaryScalar per row
        // left 12 floats a row to its scalar tail.
        int up = S.loopBound(len);
        VectorMask<Float> tail = lanesIn(0, len - up);
        FloatVector b = FloatVector.broadcast(S, bias), zero = FloatVector.zero(S);
        int safe = len == up ? rows : Math.min(rowsInside(src.length, s + up, ss, L, rows), rowsInside(dst.length, d + up, ds, L, rows));
        for (int r = 0; r < safe; r++) {
            int a = s + r * ss, c = d + r * ds, j = 0;
            for (; j < up; j += L) {
                FloatVector v = FloatVector.fromArray(S, src, a + j).add(b);
                (relu ? v.max(zero) : v).intoArray(dst, c + j);
            }
            if (j < len) {
                FloatVector v = FloatVector.fromArray(S, src, a + j, tail).add(b);
                (relu ? v.max(zero) : v).intoArray(dst, c + j, tail);
            }
        }
        if (safe < rows)
            KernelProvider.super.biasReluBlock(src, s + safe * ss, ss, bias, relu, dst, d + safe * ds, ds, rows - safe, len);
    }

    @Override
    public void addBlock(float[] src, int s, int ss, float[] dst, int d, int ds, int rows, int len) {
        int up = S.loopBound(len);
        VectorMask<Float> tail = S.indexInRange(up, len);
        for (int r = 0; r < rows; r++) {
            int a = s + r * ss, b = d + r * ds, j = 0;
            for (; j < up; j += L)
                FloatVector.fromArray(S, dst, b + j).add(FloatVector.fromArray(S, src, a + j)).intoArray(dst, b + j);
            if (j < len)
                FloatVector.fromArray(S, dst, b + j, tail).add(FloatVector.fromArray(S, src, a + j, tail))
                        .intoArray(dst, b + j, tail);
        }
    }

    @Override
    public void copyRowMasked(float[] src, int s, boolean[] keep, int k, float[] dst, int d, int len) {
        // A masked load reads zeros in the padding lanes: one load and one store per vector, where
        // the row-by-row copy and zeroing of an 8×8 map took a dozen short loops per row. Rows
        // shorter than a vector (a 2×2 map's 4) are 3× faster as the scalar loop.
        if (len < L) {
            ScalarKernels.INSTANCE.copyRowMasked(src, s, keep, k, dst, d, len);
            return;
        }
        for (int j = 0; j < len; j += L) {
            if (!inArray(s + j, src.length) || !inArray(d + j, dst.length)) {
                ScalarKernels.INSTANCE.copyRowMasked(src, s + j, keep, k + j, dst, d + j, Math.min(L, len - j));
                continue;
            }
            VectorMask<Float> m = VectorMask.fromArray(S, keep, k + j);
            if (j + L <= len) FloatVector.fromArray(S, src, s + j, m).intoArray(dst, d + j);
            else {
                VectorMask<Float> tail = S.indexInRange(j, len);
                FloatVector.fromArray(S, src, s + j, m.and(tail)).intoArray(dst, d + j, tail);
            }
        }
    }

    @Override
    public void addRowMasked(float[] src, int s, boolean[] keep, int k, float[] dst, int d, int len, int dLo,
            int dHi) {
        // A blend and a full store: the first form (masked add and masked store, with the mask
        // assigned on two paths) ran at ~100 ns per vector on JDK 25, this one at ~15 ns per
        // 64-float row. The full store rewrites the unkept lanes with the values just read, which
        // is why it must stay inside [dLo, dHi).
        if (len < L) {
            ScalarKernels.INSTANCE.addRowMasked(src, s, keep, k, dst, d, len, dLo, dHi);
            return;
        }
        for (int j = 0; j < len; j += L) {
            if (!inArray(s + j, src.length) || d + j < dLo || d + j > dHi - L) {
                ScalarKernels.INSTANCE.addRowMasked(src, s + j, keep, k + j, dst, d + j, Math.min(L, len - j), dLo, dHi);
                continue;
            }
            // No mask variable assigned on two paths: C2 then boxes the mask (~90 ns per vector).
            FloatVector v = FloatVector.fromArray(S, dst, d + j), sum = v.add(FloatVector.fromArray(S, src, s + j));
            if (j + L <= len) v.blend(sum, VectorMask.fromArray(S, keep, k + j)).intoArray(dst, d + j);
            else v.blend(sum, VectorMask.fromArray(S, keep, k + j).and(S.indexInRange(j, len))).intoArray(dst, d + j);
        }
    }

    /**
     * Whether a whole vector at {@code off} lies inside an array of {@code length}. A masked access
     * that sticks out of the array (its lanes there masked off) takes the Vector API's per-lane
     * check, which C2 does not intrinsify: a few such calls per step at the ends of the batch cost
     * more than all the others (about 0.2 ms each in the ResNet-18 profile).
     */
    private static boolean inArray(int off, int length) {
        return off >= 0 && off <= length - L;
    }

    @Override
    public void scaleShift(float[] x, int p, float a, float b, float[] out, int o, int len) {
        int j = 0, up = S.loopBound(len);
        FloatVector va = FloatVector.broadcast(S, a), vb = FloatVector.broadcast(S, b);
        for (; j < up; j += L) FloatVector.fromArray(S, x, p + j).mul(va).add(vb).intoArray(out, o + j);
        for (; j < len; j++) out[o + j] = x[p + j] * a + b;
    }

    @Override
    public void batchNormBackward(float[] g, int pg, float[] x, int px, float mu, float is, float k, float mdy,
            float mdyx, float[] out, int o, int len) {
        int j = 0, up = S.loopBound(len);
        FloatVector vmu = FloatVector.broadcast(S, mu), vis = FloatVector.broadcast(S, is), vk = FloatVector.broadcast(S, k),
                vmdy = FloatVector.broadcast(S, mdy), vmdyx = FloatVector.broadcast(S, mdyx);
        for (; j < up; j += L) {
            FloatVector xhat = FloatVector.fromArray(S, x, px + j).sub(vmu).mul(vis);
            FloatVector.fromArray(S, g, pg + j).sub(vmdy).sub(xhat.mul(vmdyx)).mul(vk).intoArray(out, o + j);
        }
        for (; j < len; j++) {
            float xhat = (x[px + j] - mu) * is;
            out[o + j] = k * (g[pg + j] - mdy - xhat * mdyx);
        }
    }

    @Override
    public void addSquaredDeviations(float[] x, int p, float[] mu, float[] acc, int len) {
        int j = 0, up = S.loopBound(len);
        for (; j < up; j += L) {
            FloatVector t = FloatVector.fromArray(S, x, p + j).sub(FloatVector.fromArray(S, mu, j));
            FloatVector.fromArray(S, acc, j).add(t.mul(t)).intoArray(acc, j);
        }
        for (; j < len; j++) {
            float t = x[p + j] - mu[j];
            acc[j] += t * t;
        }
    }

    @Override
    public void addGradientSums(float[] g, int pg, float[] x, int px, float[] mu, float[] accG, float[] accGx, int len) {
        int j = 0, up = S.loopBound(len);
        for (; j < up; j += L) {
            FloatVector gv = FloatVector.fromArray(S, g, pg + j);
            FloatVector.fromArray(S, accG, j).add(gv).intoArray(accG, j);
            FloatVector d = FloatVector.fromArray(S, x, px + j).sub(FloatVector.fromArray(S, mu, j));
            FloatVector.fromArray(S, accGx, j).add(gv.mul(d)).intoArray(accGx, j);
        }
        for (; j < len; j++) {
            float gv = g[pg + j];
            accG[j] += gv;
            accGx[j] += gv * (x[px + j] - mu[j]);
        }
    }

    @Override
    public void scaleShiftRows(float[] x, int p, float[] a, float[] b, float[] out, int o, int len) {
        int j = 0, up = S.loopBound(len);
        for (; j < up; j += L)
            FloatVector.fromArray(S, x, p + j).mul(FloatVector.fromArray(S, a, j)).add(FloatVector.fromArray(S, b, j))
                    .intoArray(out, o + j);
        for (; j < len; j++) out[o + j] = x[p + j] * a[j] + b[j];
    }

    @Override
    public void batchNormBackwardRows(float[] g, int pg, float[] x, int px, float[] mu, float[] is, float[] k, float[] mdy,
            float[] mdyx, float[] out, int o, int len) {
        int j = 0, up = S.loopBound(len);
        for (; j < up; j += L) {
            FloatVector xhat = FloatVector.fromArray(S, x, px + j).sub(FloatVector.fromArray(S, mu, j))
                    .mul(FloatVector.fromArray(S, is, j));
            FloatVector.fromArray(S, g, pg + j).sub(FloatVector.fromArray(S, mdy, j))
                    .sub(xhat.mul(FloatVector.fromArray(S, mdyx, j))).mul(FloatVector.fromArray(S, k, j)).intoArray(out, o + j);
        }
        for (; j < len; j++) {
            float xhat = (x[px + j] - mu[j]) * is[j];
            out[o + j] = k[j] * (g[pg + j] - mdy[j] - xhat * mdyx[j]);
        }
    }

    @Override
    public double sumCentered(float[] a, int p, int len, float mu, boolean square) {
        int up = S.loopBound(len), j = 0;
        FloatVector m = FloatVector.broadcast(S, mu), acc = FloatVector.zero(S);
        if (square) {
            for (; j < up; j += L) {
                FloatVector t = FloatVector.fromArray(S, a, p + j).sub(m);
                acc = t.fma(t, acc);
            }
        } else {
            for (; j < up; j += L) acc = acc.add(FloatVector.fromArray(S, a, p + j).sub(m));
        }
        double s = sumLanesInOrder(acc);
        for (; j < len; j++) {
            double t = a[p + j] - mu;
            s += square ? t * t : t;
        }
        return s;
    }

    @Override
    public double sumExpShifted(float[] x, int p, int len, float shift) {
        int up = S.loopBound(len), j = 0;
        FloatVector m = FloatVector.broadcast(S, shift), acc = FloatVector.zero(S);
        double s = 0;
        // fold the float lanes into the double sum every 64 vectors, so that long rows keep float's precision
        while (j < up) {
            int end = Math.min(up, j + 64 * L);
            for (; j < end; j += L) acc = acc.add(FloatVector.fromArray(S, x, p + j).sub(m).lanewise(VectorOperators.EXP));
            s += sumLanesInOrder(acc);
            acc = FloatVector.zero(S);
        }
        for (; j < len; j++) s += (float) Math.exp(x[p + j] - shift);
        return s;
    }

    @Override
    public void expShiftedScaled(float[] x, int p, float shift, float scale, float[] out, int o, int len) {
        int up = S.loopBound(len), j = 0;
        FloatVector m = FloatVector.broadcast(S, shift), k = FloatVector.broadcast(S, scale);
        for (; j < up; j += L)
            FloatVector.fromArray(S, x, p + j).sub(m).lanewise(VectorOperators.EXP).mul(k).intoArray(out, o + j);
        for (; j < len; j++) out[o + j] = scale * (float) Math.exp(x[p + j] - shift);
    }

    @Override
    public void sigmoidInPlace(float[] a, int p, int len) {
        int up = S.loopBound(len), j = 0;
        FloatVector one = FloatVector.broadcast(S, 1f);
        for (; j < up; j += L) {
            FloatVector v = FloatVector.fromArray(S, a, p + j);
            one.div(v.neg().lanewise(VectorOperators.EXP).add(one)).intoArray(a, p + j);
        }
        for (; j < len; j++) a[p + j] = Elementwise.sigmoid(a[p + j]);
    }

    @Override
    public void tanhInPlace(float[] a, int p, int len) {
        int up = S.loopBound(len), j = 0;
        for (; j < up; j += L) FloatVector.fromArray(S, a, p + j).lanewise(VectorOperators.TANH).intoArray(a, p + j);
        for (; j < len; j++) a[p + j] = (float) Math.tanh(a[p + j]);
    }

    @Override
    public double dotCentered(float[] a, int pa, float[] b, int pb, int len, float mu) {
        int up = S.loopBound(len), j = 0;
        FloatVector m = FloatVector.broadcast(S, mu), acc = FloatVector.zero(S);
        for (; j < up; j += L)
            acc = FloatVector.fromArray(S, a, pa + j).fma(FloatVector.fromArray(S, b, pb + j).sub(m), acc);
        double s = sumLanesInOrder(acc);
        for (; j < len; j++) s += a[pa + j] * (double) (b[pb + j] - mu);
        return s;
    }

    @Override
    public int convTileWidth() {
        return NR;
    }

    @Override
    public void convTile(int taps, int[] off, float[] x, int q0, float[] w, int wo, float[] out, int oo, int ldo) {
        // The GEMM micro-kernel's 6×2 register tile, with B read in place: tap t's row of the
        // "column matrix" is the input plane itself, shifted by off[t], so nothing is copied or packed.
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00,
                c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
        for (int t = 0; t < taps; t++) {
            int a = wo + 6 * t, b = off[t] + q0;
            FloatVector b0 = FloatVector.fromArray(S, x, b), b1 = FloatVector.fromArray(S, x, b + L);
            FloatVector v = FloatVector.broadcast(S, w[a]);
            c00 = v.fma(b0, c00);
            c01 = v.fma(b1, c01);
            v = FloatVector.broadcast(S, w[a + 1]);
            c10 = v.fma(b0, c10);
            c11 = v.fma(b1, c11);
            v = FloatVector.broadcast(S, w[a + 2]);
            c20 = v.fma(b0, c20);
            c21 = v.fma(b1, c21);
            v = FloatVector.broadcast(S, w[a + 3]);
            c30 = v.fma(b0, c30);
            c31 = v.fma(b1, c31);
            v = FloatVector.broadcast(S, w[a + 4]);
            c40 = v.fma(b0, c40);
            c41 = v.fma(b1, c41);
            v = FloatVector.broadcast(S, w[a + 5]);
            c50 = v.fma(b0, c50);
            c51 = v.fma(b1, c51);
        }
        int r = oo;
        c00.intoArray(out, r);
        c01.intoArray(out, r + L);
        r += ldo;
        c10.intoArray(out, r);
        c11.intoArray(out, r + L);
        r += ldo;
        c20.intoArray(out, r);
        c21.intoArray(out, r + L);
        r += ldo;
        c30.intoArray(out, r);
        c31.intoArray(out, r + L);
        r += ldo;
        c40.intoArray(out, r);
        c41.intoArray(out, r + L);
        r += ldo;
        c50.intoArray(out, r);
        c51.intoArray(out, r + L);
    }

    @Override
    public void overlapAddPlanes(float[] col, int co, int cs, int planes, int ld, int kH, int kW, int dH, int dW, int pT,
            int pL, int outH, int outW, float[] dst, int d, int ds, int h, int w) {
        int e = 0;
        for (; e + 6 <= planes; e += 6)
            overlapAddSix(col, co + e * cs, cs, ld, kH, kW, dH, dW, pT, pL, outH, outW, dst, d + e * ds, ds, h, w);
        for (; e < planes; e++)
            overlapAddOne(col, co + e * cs, ld, kH, kW, dH, dW, pT, pL, outH, outW, dst, d + e * ds, h, w);
    }

    /**
     * {@link #overlapAddPlanes} of six planes at once: the loops over rows, kernel rows and columns, and
     * their masks, are shared by six independent sums (one plane at a time, the short kernel-row loops
     * and one chain of dependent adds per row took about 1.5× the time).
     */
    private static void overlapAddSix(float[] col, int co, int cs, int ld, int kH, int kW, int dH, int dW, int pT, int pL,
            int outH, int outW, float[] dst, int d, int ds, int h, int w) {
        for (int m0 = 0; m0 < w; m0 += L) {
            VectorMask<Float> keep = lanesIn(0, w - m0);
            for (int ih = 0; ih < h; ih++) {
                FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0;
                int kiLo = firstKernelRow(ih + pT, outH, dH), kiHi = Math.min(kH - 1, (ih + pT) / dH);
                for (int kj = 0; kj < kW; kj++) {
                    // lane m is input column m0 + m, output column m0 + m + pL − kj·dW
                    int shift = kj * dW - pL - m0;
                    VectorMask<Float> m = lanesIn(shift, shift + outW);
                    int s = co + kj * ld - shift;
                    for (int ki = kiLo; ki <= kiHi; ki++) {
                        int r = s + ki * kW * ld + (ih + pT - ki * dH) * outW;
                        a0 = a0.add(FloatVector.fromArray(S, col, r), m);
                        a1 = a1.add(FloatVector.fromArray(S, col, r + cs), m);
                        a2 = a2.add(FloatVector.fromArray(S, col, r + 2 * cs), m);
                        a3 = a3.add(FloatVector.fromArray(S, col, r + 3 * cs), m);
                        a4 = a4.add(FloatVector.fromArray(S, col, r + 4 * cs), m);
                        a5 = a5.add(FloatVector.fromArray(S, col, r + 5 * cs), m);
                    }
                }
                int o = d + ih * w + m0;
                a0.intoArray(dst, o, keep);
                a1.intoArray(dst, o + ds, keep);
                a2.intoArray(dst, o + 2 * ds, keep);
                a3.intoArray(dst, o + 3 * ds, keep);
                a4.intoArray(dst, o + 4 * ds, keep);
                a5.intoArray(dst, o + 5 * ds, keep);
            }
        }
    }

    /** {@link #overlapAddPlanes} of one plane, its sums split by kernel column parity. */
    private static void overlapAddOne(float[] col, int co, int ld, int kH, int kW, int dH, int dW, int pT, int pL, int outH,
            int outW, float[] dst, int d, int h, int w) {
        for (int m0 = 0; m0 < w; m0 += L) {
            VectorMask<Float> keep = lanesIn(0, w - m0);
            for (int ih = 0; ih < h; ih++) {
                FloatVector s0 = FloatVector.zero(S), s1 = s0;
                int kiLo = firstKernelRow(ih + pT, outH, dH), kiHi = Math.min(kH - 1, (ih + pT) / dH);
                int kj = 0;
                for (; kj + 1 < kW; kj += 2) {
                    int shift = kj * dW - pL - m0;
                    VectorMask<Float> m0k = lanesIn(shift, shift + outW), m1k = lanesIn(shift + dW, shift + dW + outW);
                    int s = co + kj * ld - shift, t = s + ld - dW;
                    for (int ki = kiLo; ki <= kiHi; ki++) {
                        int r = ki * kW * ld + (ih + pT - ki * dH) * outW;
                        s0 = s0.add(FloatVector.fromArray(S, col, s + r), m0k);
                        s1 = s1.add(FloatVector.fromArray(S, col, t + r), m1k);
                    }
                }
                if (kj < kW) {
                    int shift = kj * dW - pL - m0;
                    VectorMask<Float> m = lanesIn(shift, shift + outW);
                    int s = co + kj * ld - shift;
                    for (int ki = kiLo; ki <= kiHi; ki++)
                        s0 = s0.add(FloatVector.fromArray(S, col, s + ki * kW * ld + (ih + pT - ki * dH) * outW), m);
                }
                s0.add(s1).intoArray(dst, d + ih * w + m0, keep);
            }
        }
    }

    /** The first kernel row ki ≥ 0 whose output row {@code row − ki·dH} is below outH. */
    private static int firstKernelRow(int row, int outH, int dH) {
        return row < outH ? 0 : (row - outH) / dH + 1;
    }

    /** The lane numbers 0, 1, ..., L − 1 as floats. */
    private static final float[] LANE_NUMBERS = new float[L];
    static {
        for (int i = 0; i < L; i++) LANE_NUMBERS[i] = i;
    }

    /**
     * The lanes m with lo ≤ m &lt; hi, by two compares against the lane numbers: {@code S.indexInRange}
     * with bounds that vary call to call was not compiled to a mask instruction (the Java fallback took
     * most of the overlap-add's time).
     */
    private static VectorMask<Float> lanesIn(int lo, int hi) {
        FloatVector lane = FloatVector.fromArray(S, LANE_NUMBERS, 0);
        return lane.compare(VectorOperators.GE, (float) lo).and(lane.compare(VectorOperators.LT, (float) hi));
    }

    @Override
    public void convWeightTile(int len, int imgs, float[] g, int go, int gs, int ldg, int[] off, int t0, float[] x,
            int xo, int xs, float[] dw, int dwo, int lddw) {
        // 6 gradient rows × 4 taps of dot products along the grid, as two 6×2 passes: 12 vector sums
        // each, which C2 keeps in registers and intrinsifies (a 24-sum tile fell back to the Vector
        // API's Java code: 20× slower).
        convWeightTile2(len, imgs, g, go, gs, ldg, xo + off[t0], xo + off[t0 + 1], x, xs, dw, dwo, lddw);
        convWeightTile2(len, imgs, g, go, gs, ldg, xo + off[t0 + 2], xo + off[t0 + 3], x, xs, dw, dwo + 2, lddw);
    }

    @Override
    public int convWeightLaneWidth() {
        return L;
    }

    @Override
    public void convWeightLanes(int len, float[] g, int go, int ldg, int xa, int xb, float[] x, float[] acc, int ao) {
        FloatVector a00 = FloatVector.fromArray(S, acc, ao), a01 = FloatVector.fromArray(S, acc, ao + L),
                a10 = FloatVector.fromArray(S, acc, ao + 2 * L), a11 = FloatVector.fromArray(S, acc, ao + 3 * L),
                a20 = FloatVector.fromArray(S, acc, ao + 4 * L), a21 = FloatVector.fromArray(S, acc, ao + 5 * L),
                a30 = FloatVector.fromArray(S, acc, ao + 6 * L), a31 = FloatVector.fromArray(S, acc, ao + 7 * L),
                a40 = FloatVector.fromArray(S, acc, ao + 8 * L), a41 = FloatVector.fromArray(S, acc, ao + 9 * L),
                a50 = FloatVector.fromArray(S, acc, ao + 10 * L), a51 = FloatVector.fromArray(S, acc, ao + 11 * L);
        int g0 = go, g1 = g0 + ldg, g2 = g1 + ldg, g3 = g2 + ldg, g4 = g3 + ldg, g5 = g4 + ldg;
        for (int q = 0; q < len; q += L) {
            FloatVector v0 = FloatVector.fromArray(S, x, xa + q), v1 = FloatVector.fromArray(S, x, xb + q);
            FloatVector u = FloatVector.fromArray(S, g, g0 + q);
            a00 = u.fma(v0, a00);
            a01 = u.fma(v1, a01);
            u = FloatVector.fromArray(S, g, g1 + q);
            a10 = u.fma(v0, a10);
            a11 = u.fma(v1, a11);
            u = FloatVector.fromArray(S, g, g2 + q);
            a20 = u.fma(v0, a20);
            a21 = u.fma(v1, a21);
            u = FloatVector.fromArray(S, g, g3 + q);
            a30 = u.fma(v0, a30);
            a31 = u.fma(v1, a31);
            u = FloatVector.fromArray(S, g, g4 + q);
            a40 = u.fma(v0, a40);
            a41 = u.fma(v1, a41);
            u = FloatVector.fromArray(S, g, g5 + q);
            a50 = u.fma(v0, a50);
            a51 = u.fma(v1, a51);
        }
        a00.intoArray(acc, ao);
        a01.intoArray(acc, ao + L);
        a10.intoArray(acc, ao + 2 * L);
        a11.intoArray(acc, ao + 3 * L);
        a20.intoArray(acc, ao + 4 * L);
        a21.intoArray(acc, ao + 5 * L);
        a30.intoArray(acc, ao + 6 * L);
        a31.intoArray(acc, ao + 7 * L);
        a40.intoArray(acc, ao + 8 * L);
        a41.intoArray(acc, ao + 9 * L);
        a50.intoArray(acc, ao + 10 * L);
        a51.intoArray(acc, ao + 11 * L);
    }

    private static void convWeightTile2(int len, int imgs, float[] g, int go, int gs, int ldg, int xa, int xb,
            float[] x, int xs, float[] dw, int dwo, int lddw) {
        FloatVector a00 = FloatVector.zero(S), a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00, a30 = a00,
                a31 = a00, a40 = a00, a41 = a00, a50 = a00, a51 = a00;
        for (int i = 0; i < imgs; i++) {
            int g0 = go + i * gs, g1 = g0 + ldg, g2 = g1 + ldg, g3 = g2 + ldg, g4 = g3 + ldg, g5 = g4 + ldg;
            int x0 = xa + i * xs, x1 = xb + i * xs;
            for (int q = 0; q < len; q += L) {
                FloatVector v0 = FloatVector.fromArray(S, x, x0 + q), v1 = FloatVector.fromArray(S, x, x1 + q);
                FloatVector u = FloatVector.fromArray(S, g, g0 + q);
                a00 = u.fma(v0, a00);
                a01 = u.fma(v1, a01);
                u = FloatVector.fromArray(S, g, g1 + q);
                a10 = u.fma(v0, a10);
                a11 = u.fma(v1, a11);
                u = FloatVector.fromArray(S, g, g2 + q);
                a20 = u.fma(v0, a20);
                a21 = u.fma(v1, a21);
                u = FloatVector.fromArray(S, g, g3 + q);
                a30 = u.fma(v0, a30);
                a31 = u.fma(v1, a31);
                u = FloatVector.fromArray(S, g, g4 + q);
                a40 = u.fma(v0, a40);
                a41 = u.fma(v1, a41);
                u = FloatVector.fromArray(S, g, g5 + q);
                a50 = u.fma(v0, a50);
                a51 = u.fma(v1, a51);
            }
        }
        // Lanes are summed in lane order in plain Java, not by reduceLanes: its C2 intrinsic adds them
        // in a tree while the interpreted form adds them in sequence, so a weight gradient (and a
        // whole training run) depended on when C2 compiled this method.
        float[] lanes = new float[12 * L];
        a00.intoArray(lanes, 0);
        a01.intoArray(lanes, L);
        a10.intoArray(lanes, 2 * L);
        a11.intoArray(lanes, 3 * L);
        a20.intoArray(lanes, 4 * L);
        a21.intoArray(lanes, 5 * L);
        a30.intoArray(lanes, 6 * L);
        a31.intoArray(lanes, 7 * L);
        a40.intoArray(lanes, 8 * L);
        a41.intoArray(lanes, 9 * L);
        a50.intoArray(lanes, 10 * L);
        a51.intoArray(lanes, 11 * L);
        for (int r = 0; r < 6; r++)
            for (int j = 0; j < 2; j++) dw[dwo + r * lddw + j] += sumInOrder(lanes, (2 * r + j) * L);
    }

    /** lanes[o] + lanes[o+1] + ... + lanes[o+L-1], added left to right. */
    private static float sumInOrder(float[] lanes, int o) {
        float s = lanes[o];
        for (int i = 1; i < L; i++) s += lanes[o + i];
        return s;
    }

    /**
     * The lanes of v summed in lane order, in double. Not {@code reduceLanes(ADD)}, whose order differs
     * between C2-compiled and interpreted code: the same call gave different bits before and after
     * the JIT compiled it.
     */
    private static double sumLanesInOrder(FloatVector v) {
        // lane by lane rather than through a fresh float[L]: batch norm calls this once per plane, and on
        // small planes the array (allocation, store, reload) cost more than the sums
        double s = 0;
        for (int i = 0; i < L; i++) s += v.lane(i);
        return s;
    }

    @Override
    public int convChannelBlock() {
        return L;
    }

    @Override
    public void convWeightByChannel(int width, int np, int[] pos, int[] off, int t0, float[] x, float[] g, int go, int ldg,
            float[] dw, int dwo, int lddw) {
        // Twelve taps × one vector of output channels: per output position one gradient vector and
        // twelve broadcast input values. Every lane is a real channel and every position a real pixel.
        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0, a8 = a0,
                a9 = a0, a10 = a0, a11 = a0;
        int o0 = off[t0], o1 = off[t0 + 1], o2 = off[t0 + 2], o3 = off[t0 + 3], o4 = off[t0 + 4], o5 = off[t0 + 5],
                o6 = off[t0 + 6], o7 = off[t0 + 7], o8 = off[t0 + 8], o9 = off[t0 + 9], o10 = off[t0 + 10],
                o11 = off[t0 + 11];
        // One loop over every position of the group (numbered through rows and images): 4×4 maps
        // had the row loop's set-up every 4 positions.
        for (int p = 0; p < np; p++) {
            FloatVector v = FloatVector.fromArray(S, g, go + p * ldg);
            int b = pos[p];
            a0 = FloatVector.broadcast(S, x[b + o0]).fma(v, a0);
            a1 = FloatVector.broadcast(S, x[b + o1]).fma(v, a1);
            a2 = FloatVector.broadcast(S, x[b + o2]).fma(v, a2);
            a3 = FloatVector.broadcast(S, x[b + o3]).fma(v, a3);
            a4 = FloatVector.broadcast(S, x[b + o4]).fma(v, a4);
            a5 = FloatVector.broadcast(S, x[b + o5]).fma(v, a5);
            a6 = FloatVector.broadcast(S, x[b + o6]).fma(v, a6);
            a7 = FloatVector.broadcast(S, x[b + o7]).fma(v, a7);
            a8 = FloatVector.broadcast(S, x[b + o8]).fma(v, a8);
            a9 = FloatVector.broadcast(S, x[b + o9]).fma(v, a9);
            a10 = FloatVector.broadcast(S, x[b + o10]).fma(v, a10);
            a11 = FloatVector.broadcast(S, x[b + o11]).fma(v, a11);
        }
        int r = dwo;
        a0.add(FloatVector.fromArray(S, dw, r)).intoArray(dw, r);
        r += lddw;
        a1.add(FloatVector.fromArray(S, dw, r)).intoArray(dw, r);
        r += lddw;
        a2.add(FloatVector.fromArray(S, dw, r)).intoArray(dw, r);
        r += lddw;
        a3.add(FloatVector.fromArray(S, dw, r)).intoArray(dw, r);
        r += lddw;
        a4.add(FloatVector.fromArray(S, dw, r)).intoArray(dw, r);
        r += lddw;
        a5.add(FloatVector.fromArray(S, dw, r)).intoArray(dw, r);
        r += lddw;
        a6.add(FloatVector.fromArray(S, dw, r)).intoArray(dw, r);
        r += lddw;
        a7.add(FloatVector.fromArray(S, dw, r)).intoArray(dw, r);
        r += lddw;
        a8.add(FloatVector.fromArray(S, dw, r)).intoArray(dw, r);
        r += lddw;
        a9.add(FloatVector.fromArray(S, dw, r)).intoArray(dw, r);
        r += lddw;
        a10.add(FloatVector.fromArray(S, dw, r)).intoArray(dw, r);
        r += lddw;
        a11.add(FloatVector.fromArray(S, dw, r)).intoArray(dw, r);
    }

    @Override
    public boolean convFiveTapRowsPay() {
        return true;
    }

    @Override
    public void convWeightFiveTapRows(int width, int rows, int[] rowStart, int r0, int len, int offA, int offB, float[] x,
            float[] g, int go, int ldg, float[] dw, int dwo, int lddw) {
        // Ten taps × one vector of channels, two positions per step: per kernel row six broadcast input
        // values serve ten fused multiply-adds (one value and one broadcast per multiply-add in
        // convWeightByChannel, whose broadcasts capped it near half the FMA peak; LeNet's second layer
        // took 0.5–0.6× the time).
        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0, a4 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0,
                b4 = a0;
        int p = go;
        for (int r = 0; r < rows; r++) {
            int qa = rowStart[r0 + r] + offA, qb = rowStart[r0 + r] + offB, q = 0;
            for (; q + 1 < len; q += 2) {
                FloatVector g0 = FloatVector.fromArray(S, g, p), g1 = FloatVector.fromArray(S, g, p + ldg);
                p += 2 * ldg;
                int i = qa + q;
                FloatVector v0 = FloatVector.broadcast(S, x[i]), v1 = FloatVector.broadcast(S, x[i + 1]);
                a0 = v1.fma(g1, v0.fma(g0, a0));
                v0 = FloatVector.broadcast(S, x[i + 2]);
                a1 = v0.fma(g1, v1.fma(g0, a1));
                v1 = FloatVector.broadcast(S, x[i + 3]);
                a2 = v1.fma(g1, v0.fma(g0, a2));
                v0 = FloatVector.broadcast(S, x[i + 4]);
                a3 = v0.fma(g1, v1.fma(g0, a3));
                v1 = FloatVector.broadcast(S, x[i + 5]);
                a4 = v1.fma(g1, v0.fma(g0, a4));
                i = qb + q;
                v0 = FloatVector.broadcast(S, x[i]);
                v1 = FloatVector.broadcast(S, x[i + 1]);
                b0 = v1.fma(g1, v0.fma(g0, b0));
                v0 = FloatVector.broadcast(S, x[i + 2]);
                b1 = v0.fma(g1, v1.fma(g0, b1));
                v1 = FloatVector.broadcast(S, x[i + 3]);
                b2 = v1.fma(g1, v0.fma(g0, b2));
                v0 = FloatVector.broadcast(S, x[i + 4]);
                b3 = v0.fma(g1, v1.fma(g0, b3));
                v1 = FloatVector.broadcast(S, x[i + 5]);
                b4 = v1.fma(g1, v0.fma(g0, b4));
            }
            if (q < len) {
                FloatVector g0 = FloatVector.fromArray(S, g, p);
                p += ldg;
                int i = qa + q, k = qb + q;
                a0 = FloatVector.broadcast(S, x[i]).fma(g0, a0);
                a1 = FloatVector.broadcast(S, x[i + 1]).fma(g0, a1);
                a2 = FloatVector.broadcast(S, x[i + 2]).fma(g0, a2);
                a3 = FloatVector.broadcast(S, x[i + 3]).fma(g0, a3);
                a4 = FloatVector.broadcast(S, x[i + 4]).fma(g0, a4);
                b0 = FloatVector.broadcast(S, x[k]).fma(g0, b0);
                b1 = FloatVector.broadcast(S, x[k + 1]).fma(g0, b1);
                b2 = FloatVector.broadcast(S, x[k + 2]).fma(g0, b2);
                b3 = FloatVector.broadcast(S, x[k + 3]).fma(g0, b3);
                b4 = FloatVector.broadcast(S, x[k + 4]).fma(g0, b4);
            }
        }
        int r = dwo;
        a0.add(FloatVector.fromArray(S, dw, r)).intoArray(dw, r);
        r += lddw;
        a1.add(FloatVector.fromArray(S, dw, r)).intoArray(dw, r);
        r += lddw;
        a2.add(FloatVector.fromArray(S, dw, r)).intoArray(dw, r);
        r += lddw;
        a3.add(FloatVector.fromArray(S, dw, r)).intoArray(dw, r);
        r += lddw;
        a4.add(FloatVector.fromArray(S, dw, r)).intoArray(dw, r);
        r += lddw;
        b0.add(FloatVector.fromArray(S, dw, r)).intoArray(dw, r);
        r += lddw;
        b1.add(FloatVector.fromArray(S, dw, r)).intoArray(dw, r);
        r += lddw;
        b2.add(FloatVector.fromArray(S, dw, r)).intoArray(dw, r);
        r += lddw;
        b3.add(FloatVector.fromArray(S, dw, r)).intoArray(dw, r);
        r += lddw;
        b4.add(FloatVector.fromArray(S, dw, r)).intoArray(dw, r);
    }

    @Override
    public void convByChannelFiveTapRows(int rows, int[] rowOff, float[] x, int b, float[] w, int wo, int ldw, float[] out,
            int oo, int ldo) {
        // Per kernel row: five weight vectors, then each of the fourteen input values the ten positions
        // read is broadcast once and multiplied into every position whose window holds it (byChannelTile1
        // broadcast one value per multiply-add, which capped it near half the FMA peak).
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0, c8 = c0,
                c9 = c0;
        for (int r = 0; r < rows; r++) {
            int i = b + rowOff[r], t = wo + 5 * r * ldw;
            FloatVector w0 = FloatVector.fromArray(S, w, t), w1 = FloatVector.fromArray(S, w, t + ldw),
                    w2 = FloatVector.fromArray(S, w, t + 2 * ldw), w3 = FloatVector.fromArray(S, w, t + 3 * ldw),
                    w4 = FloatVector.fromArray(S, w, t + 4 * ldw);
                FloatVector v = FloatVector.broadcast(S, x[i]);
                c0 = v.fma(w0, c0);
                v = FloatVector.broadcast(S, x[i + 1]);
                c1 = v.fma(w0, c1);
                c0 = v.fma(w1, c0);
                v = FloatVector.broadcast(S, x[i + 2]);
                c2 = v.fma(w0, c2);
                c1 = v.fma(w1, c1);
                c0 = v.fma(w2, c0);
                v = FloatVector.broadcast(S, x[i + 3]);
                c3 = v.fma(w0, c3);
                c2 = v.fma(w1, c2);
                c1 = v.fma(w2, c1);
                c0 = v.fma(w3, c0);
                v = FloatVector.broadcast(S, x[i + 4]);
                c4 = v.fma(w0, c4);
                c3 = v.fma(w1, c3);
                c2 = v.fma(w2, c2);
                c1 = v.fma(w3, c1);
                c0 = v.fma(w4, c0);
                v = FloatVector.broadcast(S, x[i + 5]);
                c5 = v.fma(w0, c5);
                c4 = v.fma(w1, c4);
                c3 = v.fma(w2, c3);
                c2 = v.fma(w3, c2);
                c1 = v.fma(w4, c1);
                v = FloatVector.broadcast(S, x[i + 6]);
                c6 = v.fma(w0, c6);
                c5 = v.fma(w1, c5);
                c4 = v.fma(w2, c4);
                c3 = v.fma(w3, c3);
                c2 = v.fma(w4, c2);
                v = FloatVector.broadcast(S, x[i + 7]);
                c7 = v.fma(w0, c7);
                c6 = v.fma(w1, c6);
                c5 = v.fma(w2, c5);
                c4 = v.fma(w3, c4);
                c3 = v.fma(w4, c3);
                v = FloatVector.broadcast(S, x[i + 8]);
                c8 = v.fma(w0, c8);
                c7 = v.fma(w1, c7);
                c6 = v.fma(w2, c6);
                c5 = v.fma(w3, c5);
                c4 = v.fma(w4, c4);
                v = FloatVector.broadcast(S, x[i + 9]);
                c9 = v.fma(w0, c9);
                c8 = v.fma(w1, c8);
                c7 = v.fma(w2, c7);
                c6 = v.fma(w3, c6);
                c5 = v.fma(w4, c5);
                v = FloatVector.broadcast(S, x[i + 10]);
                c9 = v.fma(w1, c9);
                c8 = v.fma(w2, c8);
                c7 = v.fma(w3, c7);
                c6 = v.fma(w4, c6);
                v = FloatVector.broadcast(S, x[i + 11]);
                c9 = v.fma(w2, c9);
                c8 = v.fma(w3, c8);
                c7 = v.fma(w4, c7);
                v = FloatVector.broadcast(S, x[i + 12]);
                c9 = v.fma(w3, c9);
                c8 = v.fma(w4, c8);
                v = FloatVector.broadcast(S, x[i + 13]);
                c9 = v.fma(w4, c9);
        }
        c0.intoArray(out, oo);
        c1.intoArray(out, oo + ldo);
        c2.intoArray(out, oo + 2 * ldo);
        c3.intoArray(out, oo + 3 * ldo);
        c4.intoArray(out, oo + 4 * ldo);
        c5.intoArray(out, oo + 5 * ldo);
        c6.intoArray(out, oo + 6 * ldo);
        c7.intoArray(out, oo + 7 * ldo);
        c8.intoArray(out, oo + 8 * ldo);
        c9.intoArray(out, oo + 9 * ldo);
    }

    @Override
    public void convByChannelTile(int vectors, int width, int taps, int[] off, float[] x, int[] pos, int p0, float[] w, int wo,
            int ldw, float[] out, int oo, int ldo) {
        if (vectors == 2) byChannelTile2(taps, off, x, pos, p0, w, wo, ldw, out, oo, ldo);
        else byChannelTile1(taps, off, x, pos, p0, w, wo, ldw, out, oo, ldo);
    }

    private static void byChannelTile2(int taps, int[] off, float[] x, int[] pos, int p0, float[] w, int wo, int ldw,
            float[] out, int oo, int ldo) {
        // The GEMM micro-kernel's 6×2 tile with A gathered on the fly: six output positions (rows),
        // each tap's input value broadcast against two vectors of that tap's weights.
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00,
                c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
        int q0 = pos[p0], q1 = pos[p0 + 1], q2 = pos[p0 + 2], q3 = pos[p0 + 3], q4 = pos[p0 + 4], q5 = pos[p0 + 5];
        for (int t = 0; t < taps; t++) {
            int f = off[t], b = wo + t * ldw;
            FloatVector b0 = FloatVector.fromArray(S, w, b), b1 = FloatVector.fromArray(S, w, b + L);
            FloatVector v = FloatVector.broadcast(S, x[q0 + f]);
            c00 = v.fma(b0, c00);
            c01 = v.fma(b1, c01);
            v = FloatVector.broadcast(S, x[q1 + f]);
            c10 = v.fma(b0, c10);
            c11 = v.fma(b1, c11);
            v = FloatVector.broadcast(S, x[q2 + f]);
            c20 = v.fma(b0, c20);
            c21 = v.fma(b1, c21);
            v = FloatVector.broadcast(S, x[q3 + f]);
            c30 = v.fma(b0, c30);
            c31 = v.fma(b1, c31);
            v = FloatVector.broadcast(S, x[q4 + f]);
            c40 = v.fma(b0, c40);
            c41 = v.fma(b1, c41);
            v = FloatVector.broadcast(S, x[q5 + f]);
            c50 = v.fma(b0, c50);
            c51 = v.fma(b1, c51);
        }
        int r = oo;
        c00.intoArray(out, r);
        c01.intoArray(out, r + L);
        r += ldo;
        c10.intoArray(out, r);
        c11.intoArray(out, r + L);
        r += ldo;
        c20.intoArray(out, r);
        c21.intoArray(out, r + L);
        r += ldo;
        c30.intoArray(out, r);
        c31.intoArray(out, r + L);
        r += ldo;
        c40.intoArray(out, r);
        c41.intoArray(out, r + L);
        r += ldo;
        c50.intoArray(out, r);
        c51.intoArray(out, r + L);
    }

    /** Floats per row of a {@link #convChannelsLastTile} weight panel: two vectors, a constant so that the loads' index is a counter times a constant. */
    private static final int W2 = 2 * L;

    @Override
    public void convChannelsLastTile(int width, int taps, int run, int[] off, float[] x, int[] pos, int p0, float[] w, int wo,
            float[] out, int oo, int ldo) {
        // byChannelTile2's 6×2 tile, but each tap's input channels are contiguous: the inner loop reads
        // x[a + i] and w[b + i·W2], which C2 bounds-checks once per loop instead of once per load.
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00,
                c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
        int q0 = pos[p0], q1 = pos[p0 + 1], q2 = pos[p0 + 2], q3 = pos[p0 + 3], q4 = pos[p0 + 4], q5 = pos[p0 + 5];
        for (int s = 0; s < taps; s++) {
            int f = off[s], a0 = q0 + f, a1 = q1 + f, a2 = q2 + f, a3 = q3 + f, a4 = q4 + f, a5 = q5 + f;
            int b = wo + s * run * W2;
            for (int i = 0; i < run; i++) {
                int bi = b + i * W2;
                FloatVector b0 = FloatVector.fromArray(S, w, bi), b1 = FloatVector.fromArray(S, w, bi + L);
                FloatVector v = FloatVector.broadcast(S, x[a0 + i]);
                c00 = v.fma(b0, c00);
                c01 = v.fma(b1, c01);
                v = FloatVector.broadcast(S, x[a1 + i]);
                c10 = v.fma(b0, c10);
                c11 = v.fma(b1, c11);
                v = FloatVector.broadcast(S, x[a2 + i]);
                c20 = v.fma(b0, c20);
                c21 = v.fma(b1, c21);
                v = FloatVector.broadcast(S, x[a3 + i]);
                c30 = v.fma(b0, c30);
                c31 = v.fma(b1, c31);
                v = FloatVector.broadcast(S, x[a4 + i]);
                c40 = v.fma(b0, c40);
                c41 = v.fma(b1, c41);
                v = FloatVector.broadcast(S, x[a5 + i]);
                c50 = v.fma(b0, c50);
                c51 = v.fma(b1, c51);
            }
        }
        int r = oo;
        c00.intoArray(out, r);
        c01.intoArray(out, r + L);
        r += ldo;
        c10.intoArray(out, r);
        c11.intoArray(out, r + L);
        r += ldo;
        c20.intoArray(out, r);
        c21.intoArray(out, r + L);
        r += ldo;
        c30.intoArray(out, r);
        c31.intoArray(out, r + L);
        r += ldo;
        c40.intoArray(out, r);
        c41.intoArray(out, r + L);
        r += ldo;
        c50.intoArray(out, r);
        c51.intoArray(out, r + L);
    }

    @Override
    public void convWeightChannelsLast(int width, int np, int[] pos, int f, float[] x, float[] g, int go, float[] dw, int dwo,
            int lddw) {
        // Six input channels × two vectors of output channels: per output position two gradient vectors
        // and six neighbouring input values (C2 checks their bounds as one span), against
        // convWeightByChannel's twelve separately checked loads per vector.
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00,
                c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
        for (int p = 0; p < np; p++) {
            int gi = go + p * W2, b = pos[p] + f;
            FloatVector g0 = FloatVector.fromArray(S, g, gi), g1 = FloatVector.fromArray(S, g, gi + L);
            FloatVector v = FloatVector.broadcast(S, x[b]);
            c00 = v.fma(g0, c00);
            c01 = v.fma(g1, c01);
            v = FloatVector.broadcast(S, x[b + 1]);
            c10 = v.fma(g0, c10);
            c11 = v.fma(g1, c11);
            v = FloatVector.broadcast(S, x[b + 2]);
            c20 = v.fma(g0, c20);
            c21 = v.fma(g1, c21);
            v = FloatVector.broadcast(S, x[b + 3]);
            c30 = v.fma(g0, c30);
            c31 = v.fma(g1, c31);
            v = FloatVector.broadcast(S, x[b + 4]);
            c40 = v.fma(g0, c40);
            c41 = v.fma(g1, c41);
            v = FloatVector.broadcast(S, x[b + 5]);
            c50 = v.fma(g0, c50);
            c51 = v.fma(g1, c51);
        }
        int r = dwo;
        c00.add(FloatVector.fromArray(S, dw, r)).intoArray(dw, r);
        c01.add(FloatVector.fromArray(S, dw, r + L)).intoArray(dw, r + L);
        r += lddw;
        c10.add(FloatVector.fromArray(S, dw, r)).intoArray(dw, r);
        c11.add(FloatVector.fromArray(S, dw, r + L)).intoArray(dw, r + L);
        r += lddw;
        c20.add(FloatVector.fromArray(S, dw, r)).intoArray(dw, r);
        c21.add(FloatVector.fromArray(S, dw, r + L)).intoArray(dw, r + L);
        r += lddw;
        c30.add(FloatVector.fromArray(S, dw, r)).intoArray(dw, r);
        c31.add(FloatVector.fromArray(S, dw, r + L)).intoArray(dw, r + L);
        r += lddw;
        c40.add(FloatVector.fromArray(S, dw, r)).intoArray(dw, r);
        c41.add(FloatVector.fromArray(S, dw, r + L)).intoArray(dw, r + L);
        r += lddw;
        c50.add(FloatVector.fromArray(S, dw, r)).intoArray(dw, r);
        c51.add(FloatVector.fromArray(S, dw, r + L)).intoArray(dw, r + L);
    }

    private static void byChannelTile1(int taps, int[] off, float[] x, int[] pos, int p0, float[] w, int wo, int ldw,
            float[] out, int oo, int ldo) {
        // Twelve positions × one vector of channels: one weight load and twelve broadcasts per tap.
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0, c8 = c0,
                c9 = c0, c10 = c0, c11 = c0;
        int q0 = pos[p0], q1 = pos[p0 + 1], q2 = pos[p0 + 2], q3 = pos[p0 + 3], q4 = pos[p0 + 4], q5 = pos[p0 + 5],
                q6 = pos[p0 + 6], q7 = pos[p0 + 7], q8 = pos[p0 + 8], q9 = pos[p0 + 9], q10 = pos[p0 + 10],
                q11 = pos[p0 + 11];
        for (int t = 0; t < taps; t++) {
            int f = off[t];
            FloatVector b = FloatVector.fromArray(S, w, wo + t * ldw);
            c0 = FloatVector.broadcast(S, x[q0 + f]).fma(b, c0);
            c1 = FloatVector.broadcast(S, x[q1 + f]).fma(b, c1);
            c2 = FloatVector.broadcast(S, x[q2 + f]).fma(b, c2);
            c3 = FloatVector.broadcast(S, x[q3 + f]).fma(b, c3);
            c4 = FloatVector.broadcast(S, x[q4 + f]).fma(b, c4);
            c5 = FloatVector.broadcast(S, x[q5 + f]).fma(b, c5);
            c6 = FloatVector.broadcast(S, x[q6 + f]).fma(b, c6);
            c7 = FloatVector.broadcast(S, x[q7 + f]).fma(b, c7);
            c8 = FloatVector.broadcast(S, x[q8 + f]).fma(b, c8);
            c9 = FloatVector.broadcast(S, x[q9 + f]).fma(b, c9);
            c10 = FloatVector.broadcast(S, x[q10 + f]).fma(b, c10);
            c11 = FloatVector.broadcast(S, x[q11 + f]).fma(b, c11);
        }
        c0.intoArray(out, oo + 0 * ldo);
        c1.intoArray(out, oo + 1 * ldo);
        c2.intoArray(out, oo + 2 * ldo);
        c3.intoArray(out, oo + 3 * ldo);
        c4.intoArray(out, oo + 4 * ldo);
        c5.intoArray(out, oo + 5 * ldo);
        c6.intoArray(out, oo + 6 * ldo);
        c7.intoArray(out, oo + 7 * ldo);
        c8.intoArray(out, oo + 8 * ldo);
        c9.intoArray(out, oo + 9 * ldo);
        c10.intoArray(out, oo + 10 * ldo);
        c11.intoArray(out, oo + 11 * ldo);
    }

    @Override
    public void depthwiseTaps(int taps, int[] off, float[] x, float[] w, int wo, float[] out, int len) {
        // Two vectors of output per pass keep two independent FMA chains; each tap is one load each.
        int j = 0;
        for (; j + 2 * L <= len; j += 2 * L) {
            FloatVector c0 = FloatVector.zero(S), c1 = c0;
            for (int t = 0; t < taps; t++) {
                FloatVector a = FloatVector.broadcast(S, w[wo + t]);
                int p = off[t] + j;
                c0 = a.fma(FloatVector.fromArray(S, x, p), c0);
                c1 = a.fma(FloatVector.fromArray(S, x, p + L), c1);
            }
            c0.intoArray(out, j);
            c1.intoArray(out, j + L);
        }
        for (; j < len; j += L) {
            VectorMask<Float> m = S.indexInRange(j, len);
            FloatVector c0 = FloatVector.zero(S);
            for (int t = 0; t < taps; t++)
                c0 = FloatVector.broadcast(S, w[wo + t]).fma(FloatVector.fromArray(S, x, off[t] + j, m), c0);
            c0.intoArray(out, j, m);
        }
    }

    @Override
    public void depthwiseScatter(int taps, int[] off, float[] g, float[] w, int wo, float[] dx, int len) {
        int up = S.loopBound(len);
        for (int t = 0; t < taps; t++) {
            FloatVector a = FloatVector.broadcast(S, w[wo + t]);
            int p = off[t], j = 0;
            for (; j < up; j += L)
                a.fma(FloatVector.fromArray(S, g, j), FloatVector.fromArray(S, dx, p + j)).intoArray(dx, p + j);
            for (; j < len; j++) dx[p + j] = Math.fma(w[wo + t], g[j], dx[p + j]);
        }
    }

    @Override
    public void depthwiseDots(int taps, int[] off, float[] x, float[] g, int len, double[] acc, int ao) {
        int up = S.loopBound(len);
        float[] lanes = DOT_LANES.get();
        for (int t = 0; t < taps; t++) {
            int p = off[t], j = 0;
            FloatVector s = FloatVector.zero(S);
            for (; j < up; j += L) s = FloatVector.fromArray(S, g, j).fma(FloatVector.fromArray(S, x, p + j), s);
            // lanes summed in order through a per-thread buffer (no array per tap, the same bits every run)
            s.intoArray(lanes, 0);
            double d = 0;
            for (int i = 0; i < L; i++) d += lanes[i];
            for (; j < len; j++) d += g[j] * x[p + j];
            acc[ao + t] += d;
        }
    }

    private static final ThreadLocal<float[]> DOT_LANES = ThreadLocal.withInitial(() -> new float[L]);

    /** Four query rows share each load of a training row, which keeps the loop bound by arithmetic rather than by memory. */
    @Override
    public void l1Distances(float[] q, int q0, int q1, float[] t, int t0, int t1, int d, float[] out, int ldo) {
        int i = q0;
        for (; i + 4 <= q1; i += 4) {
            int a0 = i * d, a1 = a0 + d, a2 = a1 + d, a3 = a2 + d;
            for (int j = t0; j < t1; j++) {
                int b = j * d, p = 0, up = S.loopBound(d);
                FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
                for (; p < up; p += S.length()) {
                    FloatVector vb = FloatVector.fromArray(S, t, b + p);
                    s0 = s0.add(FloatVector.fromArray(S, q, a0 + p).sub(vb).abs());
                    s1 = s1.add(FloatVector.fromArray(S, q, a1 + p).sub(vb).abs());
                    s2 = s2.add(FloatVector.fromArray(S, q, a2 + p).sub(vb).abs());
                    s3 = s3.add(FloatVector.fromArray(S, q, a3 + p).sub(vb).abs());
                }
                float r0 = s0.reduceLanes(VectorOperators.ADD), r1 = s1.reduceLanes(VectorOperators.ADD);
                float r2 = s2.reduceLanes(VectorOperators.ADD), r3 = s3.reduceLanes(VectorOperators.ADD);
                for (; p < d; p++) {
                    float vb = t[b + p];
                    r0 += Math.abs(q[a0 + p] - vb);
                    r1 += Math.abs(q[a1 + p] - vb);
                    r2 += Math.abs(q[a2 + p] - vb);
                    r3 += Math.abs(q[a3 + p] - vb);
                }
                int o = (i - q0) * ldo + (j - t0);
                out[o] = r0;
                out[o + ldo] = r1;
                out[o + 2 * ldo] = r2;
                out[o + 3 * ldo] = r3;
            }
        }
        for (; i < q1; i++) {
            int a = i * d;
            for (int j = t0; j < t1; j++) {
                int b = j * d, p = 0, up = S.loopBound(d);
                FloatVector s = FloatVector.zero(S);
                for (; p < up; p += S.length())
                    s = s.add(FloatVector.fromArray(S, q, a + p).sub(FloatVector.fromArray(S, t, b + p)).abs());
                float r = s.reduceLanes(VectorOperators.ADD);
                for (; p < d; p++) r += Math.abs(q[a + p] - t[b + p]);
                out[(i - q0) * ldo + (j - t0)] = r;
            }
        }
    }
}
