package org.jgrad.kernels;

/**
 * {@link KernelProvider} in plain Java, for JVMs without {@code jdk.incubator.vector}. The elementwise
 * loops are contiguous with no cross-iteration dependence, the form C2's auto-vectorizer (SuperWord)
 * turns into SIMD code; the GEMM tile is register-blocked instead (see {@link #MR}).
 */
final class ScalarKernels implements KernelProvider {
    static final ScalarKernels INSTANCE = new ScalarKernels();

    /**
     * Micro-tile 4×4 in sixteen scalar locals. JDK 25's SuperWord will not vectorize the array form
     * ({@code acc[r+j] += x*bp[b+j]}): it cannot prove that the store into one float[] and the load from
     * another, at unrelated offsets, do not overlap, and has no runtime alias check before JDK 26. Kept
     * in registers, the tile measured about 2× the array form (12 vs 6 GFLOP/s, one core).
     */
    private static final int MR = 4, NR = 4;

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
    public void gemmBlock(int mc, int nc, int kc, float alpha, float[] a, int aOff, int lda, float[] ap, float[] bp,
            float beta, float[] c, int cOff, int ldc) {
        float[] tile = new float[MR * NR];
        int inPlace = a == null ? 0 : mc / MR * MR; // rows read from a; the rest are packed in ap
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            for (int ir = 0; ir < mc; ir += MR) {
                if (ir < inPlace) kernelRows(kc, a, aOff + ir * lda, lda, bp, jr * kc, tile);
                else kernel(kc, ap, a == null ? ir * kc : 0, bp, jr * kc, tile);
                int mr = Math.min(MR, mc - ir);
                for (int i = 0; i < mr; i++) {
                    int row = cOff + (ir + i) * ldc + jr, t = i * NR;
                    if (beta == 0f) for (int j = 0; j < nr; j++) c[row + j] = alpha * tile[t + j];
                    else for (int j = 0; j < nr; j++) c[row + j] = beta * c[row + j] + alpha * tile[t + j];
                }
            }
        }
    }

    private static void kernel(int kc, float[] ap, int ao, float[] bp, int bo, float[] tile) {
        float c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        float c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        for (int p = 0; p < kc; p++) {
            int a = ao + p * MR, b = bo + p * NR;
            float b0 = bp[b], b1 = bp[b + 1], b2 = bp[b + 2], b3 = bp[b + 3];
            float x = ap[a];
            c00 += x * b0; c01 += x * b1; c02 += x * b2; c03 += x * b3;
            x = ap[a + 1];
            c10 += x * b0; c11 += x * b1; c12 += x * b2; c13 += x * b3;
            x = ap[a + 2];
            c20 += x * b0; c21 += x * b1; c22 += x * b2; c23 += x * b3;
            x = ap[a + 3];
            c30 += x * b0; c31 += x * b1; c32 += x * b2; c33 += x * b3;
        }
        tile[0] = c00; tile[1] = c01; tile[2] = c02; tile[3] = c03;
        tile[4] = c10; tile[5] = c11; tile[6] = c12; tile[7] = c13;
        tile[8] = c20; tile[9] = c21; tile[10] = c22; tile[11] = c23;
        tile[12] = c30; tile[13] = c31; tile[14] = c32; tile[15] = c33;
    }

    /** {@link #kernel} reading A in place: element (i, p) at {@code ao + i*lda + p}. */
    private static void kernelRows(int kc, float[] a, int ao, int lda, float[] bp, int bo, float[] tile) {
        float c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        float c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        int a0 = ao, a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
        for (int p = 0; p < kc; p++) {
            int b = bo + p * NR;
            float b0 = bp[b], b1 = bp[b + 1], b2 = bp[b + 2], b3 = bp[b + 3];
            float x = a[a0 + p];
            c00 += x * b0; c01 += x * b1; c02 += x * b2; c03 += x * b3;
            x = a[a1 + p];
            c10 += x * b0; c11 += x * b1; c12 += x * b2; c13 += x * b3;
            x = a[a2 + p];
            c20 += x * b0; c21 += x * b1; c22 += x * b2; c23 += x * b3;
            x = a[a3 + p];
            c30 += x * b0; c31 += x * b1; c32 += x * b2; c33 += x * b3;
        }
        tile[0] = c00; tile[1] = c01; tile[2] = c02; tile[3] = c03;
        tile[4] = c10; tile[5] = c11; tile[6] = c12; tile[7] = c13;
        tile[8] = c20; tile[9] = c21; tile[10] = c22; tile[11] = c23;
        tile[12] = c30; tile[13] = c31; tile[14] = c32; tile[15] = c33;
    }

    /**
     * Four source rows per pass keep four independent load streams and write 16 contiguous bytes per
     * step: measured 1.5× the one-row loop (3.1 vs 2.0 elements/ns on a 196×500 slice of a weight).
     */
    @Override
    public void transposeInto(float[] src, int s, int ld, int rows, int len, float[] dst, int d, int stride) {
        transpose(src, s, ld, rows, len, dst, d, stride);
    }

    /** {@link #transposeInto}, static for the vector provider's edges. */
    static void transpose(float[] src, int s, int ld, int rows, int len, float[] dst, int d, int stride) {
        int r = 0;
        for (; r + 4 <= rows; r += 4) {
            int s0 = s + r * ld, s1 = s0 + ld, s2 = s1 + ld, s3 = s2 + ld;
            for (int p = 0; p < len; p++) {
                int o = d + p * stride + r;
                dst[o] = src[s0 + p];
                dst[o + 1] = src[s1 + p];
                dst[o + 2] = src[s2 + p];
                dst[o + 3] = src[s3 + p];
            }
        }
        for (; r < rows; r++) {
            int sr = s + r * ld;
            for (int p = 0; p < len; p++) dst[d + p * stride + r] = src[sr + p];
        }
    }

    // These repeat Elementwise.row's strided loop with the strides fixed at 1 (or 0): only a constant
    // unit stride lets SuperWord vectorize them.
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

    @Override
    public void reluBackward(float[] g, int pg, float[] y, int py, float[] dst, int d, int len) {
        for (int j = 0; j < len; j++) dst[d + j] = g[pg + j] * (y[py + j] > 0f ? 1f : 0f);
    }

    /**
     * max(v, 0) that keeps NaN, as the vector max does: Math.max returns NaN for a NaN argument and
     * 0 for −0, and compiles without the branch that mispredicted on mixed-sign rows (the 12-float
     * tails of LeNet's 28-wide rows).
     */
    static float relu(float v) {
        return Math.max(v, 0f);
    }

    @Override
    public void maxPool2x2Row(float[] x, int p, int w, int len, float[] best, float[] which) {
        for (int k = 0; k < len; k += 2) {
            int q = p + k;
            float a = x[q], b = x[q + 1], c = x[q + w], d = x[q + w + 1];
            float m = Math.max(Math.max(Math.max(a, b), c), d);
            int off;
            if (a == m || a != a) { off = 0; m = a; }
            else if (b == m || b != b) { off = 1; m = b; }
            else if (c == m || c != c) { off = w; m = c; }
            else { off = w + 1; m = d; }
            best[k] = m;
            which[k] = off;
        }
    }

    @Override
    public void copyBlock(float[] src, int s, int ss, float[] dst, int d, int ds, int rows, int len) {
        for (int r = 0; r < rows; r++) System.arraycopy(src, s + r * ss, dst, d + r * ds, len);
    }

    @Override
    public void addBlock(float[] src, int s, int ss, float[] dst, int d, int ds, int rows, int len) {
        for (int r = 0; r < rows; r++) {
            int a = s + r * ss, b = d + r * ds;
            for (int j = 0; j < len; j++) dst[b + j] += src[a + j];
        }
    }

    @Override
    public void copyRowMasked(float[] src, int s, boolean[] keep, int k, float[] dst, int d, int len) {
        for (int j = 0; j < len; j++) dst[d + j] = keep[k + j] ? src[s + j] : 0f;
    }

    @Override
    public void addRowMasked(float[] src, int s, boolean[] keep, int k, float[] dst, int d, int len, int dLo,
            int dHi) {
        for (int j = 0; j < len; j++)
            if (keep[k + j]) dst[d + j] += src[s + j];
    }

    @Override
    public void scaleShift(float[] x, int p, float a, float b, float[] out, int o, int len) {
        for (int j = 0; j < len; j++) out[o + j] = x[p + j] * a + b;
    }

    @Override
    public void batchNormBackward(float[] g, int pg, float[] x, int px, float mu, float is, float k, float mdy,
            float mdyx, float[] out, int o, int len) {
        for (int j = 0; j < len; j++) {
            float xhat = (x[px + j] - mu) * is;
            out[o + j] = k * (g[pg + j] - mdy - xhat * mdyx);
        }
    }

    @Override
    public double sumCentered(float[] a, int p, int len, float mu, boolean square) {
        double s = 0;
        if (square) for (int j = 0; j < len; j++) {
            double t = a[p + j] - mu;
            s += t * t;
        }
        else for (int j = 0; j < len; j++) s += a[p + j] - mu;
        return s;
    }

    @Override
    public double dotCentered(float[] a, int pa, float[] b, int pb, int len, float mu) {
        double s = 0;
        for (int j = 0; j < len; j++) s += a[pa + j] * (double) (b[pb + j] - mu);
        return s;
    }

    @Override
    public int convTileWidth() {
        return 16;
    }

    @Override
    public void convTile(int taps, int[] off, float[] x, int q0, float[] w, int wo, float[] out, int oo, int ldo) {
        // Output position in the outer loop: the six sums of one column stay in registers.
        for (int j = 0; j < 16; j++) {
            float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0;
            for (int t = 0; t < taps; t++) {
                float v = x[off[t] + q0 + j];
                int a = wo + 6 * t;
                s0 += w[a] * v;
                s1 += w[a + 1] * v;
                s2 += w[a + 2] * v;
                s3 += w[a + 3] * v;
                s4 += w[a + 4] * v;
                s5 += w[a + 5] * v;
            }
            out[oo + j] = s0;
            out[oo + ldo + j] = s1;
            out[oo + 2 * ldo + j] = s2;
            out[oo + 3 * ldo + j] = s3;
            out[oo + 4 * ldo + j] = s4;
            out[oo + 5 * ldo + j] = s5;
        }
    }

    @Override
    public void convWeightTile(int len, int imgs, float[] g, int go, int gs, int ldg, int[] off, int t0, float[] x,
            int xo, int xs, float[] dw, int dwo, int lddw) {
        for (int r = 0; r < 6; r++)
            for (int j = 0; j < 4; j++) {
                float s = 0;
                for (int i = 0; i < imgs; i++) {
                    int gr = go + i * gs + r * ldg, xr = xo + i * xs + off[t0 + j];
                    for (int q = 0; q < len; q++) s += g[gr + q] * x[xr + q];
                }
                dw[dwo + r * lddw + j] += s;
            }
    }

    @Override
    public int convChannelBlock() {
        return 8;
    }

    @Override
    public void convWeightByChannel(int np, int[] pos, int[] off, int t0, float[] x, float[] g, int go, int ldg,
            float[] dw, int dwo, int lddw) {
        float[] acc = new float[8];
        for (int j = 0; j < 12; j++) {
            java.util.Arrays.fill(acc, 0f);
            for (int p = 0; p < np; p++) {
                float v = x[pos[p] + off[t0 + j]];
                int gr = go + p * ldg;
                for (int c = 0; c < 8; c++) acc[c] += v * g[gr + c];
            }
            for (int c = 0; c < 8; c++) dw[dwo + j * lddw + c] += acc[c];
        }
    }

    @Override
    public void convByChannelTile(int vectors, int taps, int[] off, float[] x, int[] pos, int p0, float[] w, int wo,
            int ldw, float[] out, int oo, int ldo) {
        int rows = 12 / vectors, cw = vectors * convChannelBlock();
        for (int r = 0; r < rows; r++) {
            int b = pos[p0 + r], d = oo + r * ldo;
            for (int c = 0; c < cw; c++) out[d + c] = 0f;
            for (int t = 0; t < taps; t++) {
                float v = x[b + off[t]];
                int wr = wo + t * ldw;
                for (int c = 0; c < cw; c++) out[d + c] += v * w[wr + c];
            }
        }
    }
}
