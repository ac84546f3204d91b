package org.jgrad.kernels;

/**
 * {@link KernelProvider} in plain Java, for JVMs without {@code jdk.incubator.vector}. The elementwise
 * loops are contiguous with no cross-iteration dependence, the form C2's auto-vectorizer (SuperWord)
 * turns into SIMD code; the GEMM tile is register-blocked instead (see {@link #MR}).
 */
final class ScalarKernels implements KernelProvider {
    static final ScalarKernels INSTANCE = new ScalarKernels();

    /**
     * GEMM tile: MR rows of C by one NR-wide panel of B. C2's SuperWord (JDK 25) vectorizes a loop
     * only if it can order every store against every load: it can for arrays indexed by the very same
     * expression (distinct arrays then meet, if at all, at the same element), never for arrays read and
     * written at unrelated offsets, which might overlap. So the kernel works on separate row arrays
     * indexed by the column alone: each B row of the panel is copied into its own array, C's rows
     * are summed in accumulator arrays, and the inner loop ({@link #fma4x4}) is
     * {@code c_i[j] = fma(a_ip, b_p[j], c_i[j])} for 4 rows × 4 k-steps, which SuperWord turns into
     * vector FMAs. Measured against the register-blocked 4×4 scalar tile it replaced: 6–8× at 256²–1024².
     * Each element is the same FMA chain from zero as the vector kernel's, merged the same way, so
     * both providers give the same bits.
     *
     * <p>Why 4×4 and not larger: the loop must start at index 0 and its body stay small for C2 to
     * unroll and vectorize it; an 8×2 body (8 stores) and any loop starting at a nonzero index ran as
     * scalar code (13 GFLOP/s against 100–120 for this body, in L1). Why NR = 512: each call of the
     * loop pays C2's scalar pre-loop (alignment) and post-loop (remainder), up to 15 + 15 iterations of
     * 16 scalar FMAs, on average about as costly as 256 columns of vector work; wider rows halve that
     * share.
     */
    private static final int MR = 4, NR = 512;

    /**
     * C rows accumulated together (RG) and k-steps per pass over them (KCH): RG accumulator rows
     * (16 KiB) and KCH B rows (16 KiB) stay in L1 while the kernel sweeps them, so each B row comes
     * from L2 once per RG rows of C instead of once per MR. KCH is a multiple of 4, so passes do not
     * split a 4-step group and every element still sees its k-steps in order.
     */
    private static final int RG = 8, KCH = 8;

    /**
     * Row arrays are allocated this long, together: with a header of 16 bytes, a length of 12 mod 16
     * floats makes each array 64-byte multiple, so that all rows share one cache-line phase and C2's
     * pre-loop, which aligns one of them, aligns them all (the 4×4 loop in L1, one JVM: 114–125 GFLOP/s
     * with rows of 252 floats, 93–98 with rows of 260).
     */
    private static final int ROW = NR + 12;

    /** Per thread: the B panel's rows (up to {@link Gemm#KC}, grown if a caller goes deeper), then RG accumulators. */
    private static final ThreadLocal<float[][]> PANEL_ROWS = new ThreadLocal<>();

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

    /**
     * No: the swap makes a Linear layer's batch (64 rows) the kernel's row length, and at 64 columns
     * the pre- and post-loop dominate; x·Wᵀ with Wᵀ packed runs the kernel over the layer's width.
     */
    @Override
    public boolean gemmSwapFewRows() {
        return false;
    }

    /** No: the B rows are copied, and summed over, only up to the panel's last real column. */
    @Override
    public boolean gemmReadsBPadding() {
        return false;
    }

    private static float[][] panelRows(int kc) {
        float[][] rows = PANEL_ROWS.get();
        if (rows == null || rows.length < kc + RG) {
            rows = new float[Math.max(kc, Gemm.KC) + RG][ROW];
            PANEL_ROWS.set(rows);
        }
        return rows;
    }

    @Override
    public void gemmBlock(int mc, int nc, int kc, float alpha, float[] a, int aOff, int lda, float[] ap, int apOff,
            float[] bp, int bpOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        float[][] rows = panelRows(kc);
        int accBase = rows.length - RG;
        int inPlace = a == null ? 0 : mc / MR * MR; // rows read from a; the rest are packed in ap
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            // The panel's rows, packed (kc×NR from jr·kc) or in place (ldb apart), into the kernel's row arrays.
            int bo = ldb == 0 ? bpOff + jr * kc : bpOff + jr, bStep = ldb == 0 ? NR : ldb;
            for (int p = 0; p < kc; p++) System.arraycopy(bp, bo + p * bStep, rows[p], 0, nr);
            for (int ig = 0; ig < mc; ig += RG) {
                int g = Math.min(RG, mc - ig), groups = (g + MR - 1) / MR;
                for (int i = 0; i < groups * MR; i++) java.util.Arrays.fill(rows[accBase + i], 0, nr, 0f);
                for (int pc = 0; pc < kc; pc += KCH) {
                    int pe = Math.min(kc, pc + KCH);
                    for (int s = 0; s < groups; s++) {
                        int ir = ig + s * MR;
                        float[] c0 = rows[accBase + s * MR], c1 = rows[accBase + s * MR + 1],
                                c2 = rows[accBase + s * MR + 2], c3 = rows[accBase + s * MR + 3];
                        // A element (i, p): as[ao + i*si + p*sp] either in place (row-major) or in a packed panel.
                        float[] as;
                        int ao, si, sp;
                        if (ir < inPlace) {
                            as = a;
                            ao = aOff + ir * lda;
                            si = lda;
                            sp = 1;
                        } else {
                            as = ap;
                            ao = apOff + (a == null ? ir * kc : 0);
                            si = 1;
                            sp = MR;
                        }
                        int p = pc;
                        for (; p + 4 <= pe; p += 4) {
                            int x = ao + p * sp;
                            fma4x4(nr, c0, c1, c2, c3, rows[p], rows[p + 1], rows[p + 2], rows[p + 3],
                                    as[x], as[x + sp], as[x + 2 * sp], as[x + 3 * sp],
                                    as[x + si], as[x + si + sp], as[x + si + 2 * sp], as[x + si + 3 * sp],
                                    as[x + 2 * si], as[x + 2 * si + sp], as[x + 2 * si + 2 * sp], as[x + 2 * si + 3 * sp],
                                    as[x + 3 * si], as[x + 3 * si + sp], as[x + 3 * si + 2 * sp], as[x + 3 * si + 3 * sp]);
                        }
                        for (; p < pe; p++) {
                            int x = ao + p * sp;
                            fma4x1(nr, c0, c1, c2, c3, rows[p], as[x], as[x + si], as[x + 2 * si], as[x + 3 * si]);
                        }
                    }
                }
                for (int i = 0; i < g; i++) merge(rows[accBase + i], c, cOff + (ig + i) * ldc + jr, nr, alpha, beta);
            }
        }
    }

    /**
     * Four k-steps of four accumulator rows: c_i[j] = fma(a_i3, b3[j], fma(a_i2, b2[j], fma(a_i1, b1[j],
     * fma(a_i0, b0[j], c_i[j])))). Every array is indexed by j alone, which is what lets SuperWord
     * vectorize it (see {@link #MR}).
     */
    private static void fma4x4(int n, float[] c0, float[] c1, float[] c2, float[] c3, float[] b0, float[] b1,
            float[] b2, float[] b3, float a00, float a01, float a02, float a03, float a10, float a11, float a12,
            float a13, float a20, float a21, float a22, float a23, float a30, float a31, float a32, float a33) {
        for (int j = 0; j < n; j++) {
            float x0 = b0[j], x1 = b1[j], x2 = b2[j], x3 = b3[j];
            c0[j] = Math.fma(a03, x3, Math.fma(a02, x2, Math.fma(a01, x1, Math.fma(a00, x0, c0[j]))));
            c1[j] = Math.fma(a13, x3, Math.fma(a12, x2, Math.fma(a11, x1, Math.fma(a10, x0, c1[j]))));
            c2[j] = Math.fma(a23, x3, Math.fma(a22, x2, Math.fma(a21, x1, Math.fma(a20, x0, c2[j]))));
            c3[j] = Math.fma(a33, x3, Math.fma(a32, x2, Math.fma(a31, x1, Math.fma(a30, x0, c3[j]))));
        }
    }

    /** One k-step of four accumulator rows (the k % 4 tail of {@link #fma4x4}). */
    private static void fma4x1(int n, float[] c0, float[] c1, float[] c2, float[] c3, float[] b, float a0, float a1,
            float a2, float a3) {
        for (int j = 0; j < n; j++) {
            float x = b[j];
            c0[j] = Math.fma(a0, x, c0[j]);
            c1[j] = Math.fma(a1, x, c1[j]);
            c2[j] = Math.fma(a2, x, c2[j]);
            c3[j] = Math.fma(a3, x, c3[j]);
        }
    }

    /** C row = beta·C + alpha·acc, as the vector kernel merges (C not read when beta is 0). */
    private static void merge(float[] acc, float[] c, int row, int nr, float alpha, float beta) {
        if (beta == 0f) for (int j = 0; j < nr; j++) c[row + j] = alpha * acc[j];
        else if (beta == 1f) for (int j = 0; j < nr; j++) c[row + j] = Math.fma(acc[j], alpha, c[row + j]);
        else for (int j = 0; j < nr; j++) c[row + j] = Math.fma(acc[j], alpha, c[row + j] * beta);
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

    // These repeat Elementwise.row's strided loop with the strides fixed at 1 (or 0). SuperWord vectorizes
    // such a loop only when every array is indexed by the same expression (see MR): arrays at different
    // offsets might overlap. So each has a same-offset form (the common case: whole tensors, offset 0),
    // and the general form stays scalar.
    @Override
    public void binary(Elementwise.Binary op, float[] a, int pa, float[] b, int pb, float[] out, int o, int len) {
        if (pa == o && pb == o) {
            int e = o + len;
            switch (op) {
                case ADD -> { for (int j = o; j < e; j++) out[j] = a[j] + b[j]; }
                case SUB -> { for (int j = o; j < e; j++) out[j] = a[j] - b[j]; }
                case MUL -> { for (int j = o; j < e; j++) out[j] = a[j] * b[j]; }
                case DIV -> { for (int j = o; j < e; j++) out[j] = a[j] / b[j]; }
                default -> throw new IllegalArgumentException("binary: no contiguous kernel for " + op);
            }
            return;
        }
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
        if (pa == o) {
            int e = o + len;
            switch (op) {
                case ADD -> { for (int j = o; j < e; j++) out[j] = a[j] + s; }
                case MUL -> { for (int j = o; j < e; j++) out[j] = a[j] * s; }
                case SUB -> {
                    if (swapped) for (int j = o; j < e; j++) out[j] = s - a[j];
                    else for (int j = o; j < e; j++) out[j] = a[j] - s;
                }
                case DIV -> {
                    if (swapped) for (int j = o; j < e; j++) out[j] = s / a[j];
                    else for (int j = o; j < e; j++) out[j] = a[j] / s;
                }
                default -> throw new IllegalArgumentException("binaryScalar: no contiguous kernel for " + op);
            }
            return;
        }
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
        if (p == o) for (int j = o, e = o + len; j < e; j++) out[j] = relu(x[j]);
        else for (int j = 0; j < len; j++) out[o + j] = relu(x[p + j]);
    }

    @Override
    public void reluBackward(float[] g, int pg, float[] y, int py, float[] dst, int d, int len) {
        if (pg == d && py == d) for (int j = d, e = d + len; j < e; j++) dst[j] = g[j] * positiveMask(y[j]);
        else for (int j = 0; j < len; j++) dst[d + j] = g[pg + j] * positiveMask(y[py + j]);
    }

    @Override
    public void relu6(float[] x, int p, float[] out, int o, int len) {
        for (int j = 0; j < len; j++) {
            float v = x[p + j];
            out[o + j] = v < 0f ? 0f : (v > 6f ? 6f : v);
        }
    }

    @Override
    public void relu6Backward(float[] g, int pg, float[] x, int px, float[] dst, int d, int len) {
        for (int j = 0; j < len; j++) {
            float v = x[px + j];
            dst[d + j] = g[pg + j] * (v > 0f && v < 6f ? 1f : 0f);
        }
    }

    /**
     * 1f where v &gt; 0 (+∞ included), else 0f (±0, negatives, NaN), computed on v's bits: v − 1 as an
     * int lies in [0, 0x7F7FFFFF] exactly for the positive floats. SuperWord vectorizes this, not the
     * select {@code v > 0f ? 1f : 0f} (a compare and a branch per element): the ReLU backward ran
     * about 7× faster over a LeNet-5 activation (one JVM, 300 k floats), with the same bits.
     */
    static float positiveMask(float v) {
        int t = Float.floatToRawIntBits(v) - 1;
        return Float.intBitsToFloat(~((t | (0x7F7FFFFF - t)) >> 31) & 0x3F800000);
    }

    /**
     * max(v, 0) that keeps NaN, as the vector max does: Math.max returns NaN for a NaN argument and
     * 0 for −0, and compiles without the branch that mispredicted on mixed-sign rows (the 12-float
     * tails of LeNet's 28-wide rows).
     */
    static float relu(float v) {
        return Math.max(v, 0f);
    }

    /** The four shifted copies of a plane that {@link #maxPool2x2Plane} reads, per thread. */
    private static final ThreadLocal<float[][]> POOL_ROWS = new ThreadLocal<>();

    /** Kept for the interface; the plane kernel below is what pooling calls. */
    @Override
    public void maxPool2x2Row(float[] x, int p, int w, int len, float[] best, float[] which) {
        for (int k = 0; k < len; k += 2) maxPool2x2Window(x, p + k, w, best, which, k);
    }

    /**
     * The whole plane at once, in a form SuperWord vectorizes: every position k of the plane (not only
     * the window corners) gets its window's maximum and the offset of the first element equal to it,
     * from four copies of the plane shifted by 0, 1, w and w + 1 and so indexed by k alone. The offset
     * is arithmetic on signum(m − v), 1 where v &lt; m and 0 where v equals it:
     * off = [a&lt;m]·(1 + [b&lt;m]·(w − 1 + [c&lt;m])). Row by row, the loops were as short as LeNet-5's maps
     * (27 and 9 positions) and the if-chain of the definition mispredicted on about half the windows:
     * its pools took 5.7× the vector kernel's time. Each output is then read back from x at the chosen
     * offset (so a −0 keeps its sign); a window whose maximum is infinite or NaN, where m − v is NaN,
     * takes the definition.
     */
    @Override
    public void maxPool2x2Plane(float[] x, int xOff, int h, int w, int oh, int ow, float[] out, int o, float[] which,
            float[] best, float[] bestWhich) {
        if (oh == 0 || ow == 0) return;
        // The last window's top-left corner is at (2·oh − 2)·w + 2·ow − 2; the shifted copies then read
        // up to (2·oh − 1)·w + 2·ow − 1, inside the plane.
        int len = (2 * oh - 2) * w + 2 * ow - 1;
        float[][] r = POOL_ROWS.get();
        if (r == null || r[0].length < len) {
            r = new float[6][Math.max(len, 1024)];
            POOL_ROWS.set(r);
        }
        float[] r0 = r[0], r0s = r[1], r1 = r[2], r1s = r[3], m = r[4], off = r[5];
        System.arraycopy(x, xOff, r0, 0, len);
        System.arraycopy(x, xOff + 1, r0s, 0, len);
        System.arraycopy(x, xOff + w, r1, 0, len);
        System.arraycopy(x, xOff + w + 1, r1s, 0, len);
        float wm1 = w - 1;
        for (int k = 0; k < len; k++) {
            float a = r0[k], b = r0s[k], c = r1[k], d = r1s[k];
            float mk = Math.max(Math.max(a, b), Math.max(c, d));
            m[k] = mk;
            off[k] = Math.signum(mk - a) * (1f + Math.signum(mk - b) * (wm1 + Math.signum(mk - c)));
        }
        for (int i = 0; i < oh; i++) {
            int row = 2 * i * w, dst = o + i * ow;
            for (int j = 0; j < ow; j++) {
                int k = row + 2 * j;
                float mk = m[k];
                if (mk - mk == 0f) {
                    float f = off[k];
                    out[dst + j] = x[xOff + k + (int) f];
                    which[dst + j] = f;
                } else {
                    maxPool2x2Window(x, xOff + k, w, best, bestWhich, 0);
                    out[dst + j] = best[0];
                    which[dst + j] = bestWhich[0];
                }
            }
        }
    }

    /** The definition for one window: the first element equal to its max, or its first NaN. */
    private static void maxPool2x2Window(float[] x, int q, int w, float[] best, float[] which, int k) {
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
        if (p == o) for (int j = o, e = o + len; j < e; j++) out[j] = x[j] * a + b;
        else for (int j = 0; j < len; j++) out[o + j] = x[p + j] * a + b;
    }

    @Override
    public void batchNormBackward(float[] g, int pg, float[] x, int px, float mu, float is, float k, float mdy,
            float mdyx, float[] out, int o, int len) {
        if (pg == o && px == o) {
            for (int j = o, e = o + len; j < e; j++) {
                float xhat = (x[j] - mu) * is;
                out[j] = k * (g[j] - mdy - xhat * mdyx);
            }
            return;
        }
        for (int j = 0; j < len; j++) {
            float xhat = (x[px + j] - mu) * is;
            out[o + j] = k * (g[pg + j] - mdy - xhat * mdyx);
        }
    }

    /**
     * Four running sums over interleaved elements, added at the end: one chain of double additions
     * waits four cycles per element (a convolution's bias gradient sums every output row so).
     */
    @Override
    public double sumCentered(float[] a, int p, int len, float mu, boolean square) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int j = 0;
        if (square) {
            for (; j + 4 <= len; j += 4) {
                double t0 = a[p + j] - mu, t1 = a[p + j + 1] - mu, t2 = a[p + j + 2] - mu, t3 = a[p + j + 3] - mu;
                s0 += t0 * t0;
                s1 += t1 * t1;
                s2 += t2 * t2;
                s3 += t3 * t3;
            }
            for (; j < len; j++) {
                double t = a[p + j] - mu;
                s0 += t * t;
            }
        } else {
            for (; j + 4 <= len; j += 4) {
                s0 += a[p + j] - mu;
                s1 += a[p + j + 1] - mu;
                s2 += a[p + j + 2] - mu;
                s3 += a[p + j + 3] - mu;
            }
            for (; j < len; j++) s0 += a[p + j] - mu;
        }
        return (s0 + s1) + (s2 + s3);
    }

    @Override
    public double sumExpShifted(float[] x, int p, int len, float shift) {
        double s = 0;
        for (int j = 0; j < len; j++) s += (float) Math.exp(x[p + j] - shift);
        return s;
    }

    @Override
    public void expShiftedScaled(float[] x, int p, float shift, float scale, float[] out, int o, int len) {
        for (int j = 0; j < len; j++) out[o + j] = scale * (float) Math.exp(x[p + j] - shift);
    }

    @Override
    public void sigmoidInPlace(float[] a, int p, int len) {
        for (int j = p, e = p + len; j < e; j++) a[j] = Elementwise.sigmoid(a[j]);
    }

    @Override
    public void tanhInPlace(float[] a, int p, int len) {
        for (int j = p, e = p + len; j < e; j++) a[j] = (float) Math.tanh(a[j]);
    }

    @Override
    public double dotCentered(float[] a, int pa, float[] b, int pb, int len, float mu) {
        double s = 0;
        for (int j = 0; j < len; j++) s += a[pa + j] * (double) (b[pb + j] - mu);
        return s;
    }

    /**
     * Rows of scratch for the convolution tiles, per thread: the same trick as the GEMM's (see
     * {@link #MR}). The kernels copy the shifted input rows, weight rows or gradient rows a tile reads
     * into separate arrays and sum into separate accumulator arrays, all indexed from 0 by the lane
     * alone, so that SuperWord vectorizes the multiply-adds.
     */
    private static final ThreadLocal<float[][]> CONV_ROWS = new ThreadLocal<>();

    /** At least {@code count} scratch rows of at least {@code width} floats each (contents undefined). */
    private static float[][] convRows(int count, int width) {
        float[][] rows = CONV_ROWS.get();
        if (rows == null || rows.length < count || rows[0].length < width) {
            int c = Math.max(count, rows == null ? 0 : rows.length), w = Math.max(width, rows == null ? 0 : rows[0].length);
            rows = new float[c][w];
            CONV_ROWS.set(rows);
        }
        return rows;
    }

    /**
     * Grid positions per {@link #convTile}: SuperWord's vector loop needs long rows (the 4×4 kernel ran
     * at about half its 256-lane speed over 64 lanes, three quarters over 128).
     */
    private static final int TILE = 128;
    /**
     * The by-channel block: AVX-512's 16 lanes, so that the scalar provider takes the same by-channel
     * decisions as the vector one on such a machine; but one call covers all padded channels
     * ({@link #convChannelSpan}), since SuperWord's loops run along them.
     */
    private static final int CHANNELS = 16;

    @Override
    public int convTileWidth() {
        return TILE;
    }

    @Override
    public void convTile(int taps, int[] off, float[] x, int q0, float[] w, int wo, float[] out, int oo, int ldo) {
        // The GEMM kernel's shape: six accumulator rows of TILE positions, each tap's shifted input row
        // copied into its own array (the "B row"), four taps per pass.
        float[][] r = convRows(10, TILE);
        float[] c0 = r[0], c1 = r[1], c2 = r[2], c3 = r[3], c4 = r[4], c5 = r[5], b0 = r[6], b1 = r[7], b2 = r[8],
                b3 = r[9];
        for (int i = 0; i < 6; i++) java.util.Arrays.fill(r[i], 0, TILE, 0f);
        int t = 0;
        for (; t + 4 <= taps; t += 4) {
            System.arraycopy(x, off[t] + q0, b0, 0, TILE);
            System.arraycopy(x, off[t + 1] + q0, b1, 0, TILE);
            System.arraycopy(x, off[t + 2] + q0, b2, 0, TILE);
            System.arraycopy(x, off[t + 3] + q0, b3, 0, TILE);
            int a = wo + 6 * t;
            fma4x4(TILE, c0, c1, c2, c3, b0, b1, b2, b3, w[a], w[a + 6], w[a + 12], w[a + 18], w[a + 1], w[a + 7],
                    w[a + 13], w[a + 19], w[a + 2], w[a + 8], w[a + 14], w[a + 20], w[a + 3], w[a + 9], w[a + 15],
                    w[a + 21]);
            fma2x4(TILE, c4, c5, b0, b1, b2, b3, w[a + 4], w[a + 10], w[a + 16], w[a + 22], w[a + 5], w[a + 11],
                    w[a + 17], w[a + 23]);
        }
        for (; t < taps; t++) {
            System.arraycopy(x, off[t] + q0, b0, 0, TILE);
            int a = wo + 6 * t;
            fma4x1(TILE, c0, c1, c2, c3, b0, w[a], w[a + 1], w[a + 2], w[a + 3]);
            fma2x1(TILE, c4, c5, b0, w[a + 4], w[a + 5]);
        }
        for (int i = 0; i < 6; i++) System.arraycopy(r[i], 0, out, oo + i * ldo, TILE);
    }

    /** {@link #fma4x4} for two accumulator rows. */
    private static void fma2x4(int n, float[] c0, float[] c1, float[] b0, float[] b1, float[] b2, float[] b3,
            float a00, float a01, float a02, float a03, float a10, float a11, float a12, float a13) {
        for (int j = 0; j < n; j++) {
            float x0 = b0[j], x1 = b1[j], x2 = b2[j], x3 = b3[j];
            c0[j] = Math.fma(a03, x3, Math.fma(a02, x2, Math.fma(a01, x1, Math.fma(a00, x0, c0[j]))));
            c1[j] = Math.fma(a13, x3, Math.fma(a12, x2, Math.fma(a11, x1, Math.fma(a10, x0, c1[j]))));
        }
    }

    /** One k-step of two accumulator rows. */
    private static void fma2x1(int n, float[] c0, float[] c1, float[] b, float a0, float a1) {
        for (int j = 0; j < n; j++) {
            float x = b[j];
            c0[j] = Math.fma(a0, x, c0[j]);
            c1[j] = Math.fma(a1, x, c1[j]);
        }
    }

    @Override
    public void overlapAddPlanes(float[] col, int co, int cs, int planes, int ld, int kH, int kW, int dH, int dW, int pT,
            int pL, int outH, int outW, float[] dst, int d, int ds, int h, int w) {
        for (int e = 0; e < planes; e++)
            for (int ih = 0; ih < h; ih++) {
                int r = d + e * ds + ih * w;
                for (int iw = 0; iw < w; iw++) dst[r + iw] = 0f;
                for (int ki = 0; ki < kH; ki++) {
                    int oh = ih + pT - ki * dH;
                    if (oh < 0 || oh >= outH) continue;
                    for (int kj = 0; kj < kW; kj++) {
                        // input columns whose output column ow = iw + pL − kj·dW is real
                        int shift = kj * dW - pL, from = Math.max(0, shift), to = Math.min(w, shift + outW);
                        int s = co + e * cs + (ki * kW + kj) * ld + oh * outW - shift;
                        for (int iw = from; iw < to; iw++) dst[r + iw] += col[s + iw];
                    }
                }
            }
    }

    @Override
    public void convWeightTile(int len, int imgs, float[] g, int go, int gs, int ldg, int[] off, int t0, float[] x,
            int xo, int xs, float[] dw, int dwo, int lddw) {
        // 24 dot products (6 gradient rows × 4 taps) along the grid, kept as TILE-lane partial sums in
        // 24 accumulator rows: each chunk of TILE positions copies its 6 gradient and 4 input rows, then
        // adds their 24 products lane by lane. The lanes are reduced in order at the end.
        float[][] r = convRows(34, TILE);
        for (int i = 0; i < 24; i++) java.util.Arrays.fill(r[i], 0, TILE, 0f);
        float[] g0 = r[24], g1 = r[25], g2 = r[26], g3 = r[27], g4 = r[28], g5 = r[29];
        float[] x0 = r[30], x1 = r[31], x2 = r[32], x3 = r[33];
        for (int i = 0; i < imgs; i++) {
            int gb = go + i * gs, xb = xo + i * xs;
            for (int q = 0; q < len; q += TILE) {
                int w = Math.min(TILE, len - q);
                if (w < TILE) for (int k = 24; k < 34; k++) java.util.Arrays.fill(r[k], w, TILE, 0f);
                System.arraycopy(g, gb + q, g0, 0, w);
                System.arraycopy(g, gb + ldg + q, g1, 0, w);
                System.arraycopy(g, gb + 2 * ldg + q, g2, 0, w);
                System.arraycopy(g, gb + 3 * ldg + q, g3, 0, w);
                System.arraycopy(g, gb + 4 * ldg + q, g4, 0, w);
                System.arraycopy(g, gb + 5 * ldg + q, g5, 0, w);
                System.arraycopy(x, xb + off[t0] + q, x0, 0, w);
                System.arraycopy(x, xb + off[t0 + 1] + q, x1, 0, w);
                System.arraycopy(x, xb + off[t0 + 2] + q, x2, 0, w);
                System.arraycopy(x, xb + off[t0 + 3] + q, x3, 0, w);
                // Accumulator row 4r + j holds gradient row r times input row j.
                products2x2(r[0], r[1], r[4], r[5], g0, g1, x0, x1);
                products2x2(r[2], r[3], r[6], r[7], g0, g1, x2, x3);
                products2x2(r[8], r[9], r[12], r[13], g2, g3, x0, x1);
                products2x2(r[10], r[11], r[14], r[15], g2, g3, x2, x3);
                products2x2(r[16], r[17], r[20], r[21], g4, g5, x0, x1);
                products2x2(r[18], r[19], r[22], r[23], g4, g5, x2, x3);
            }
        }
        for (int row = 0; row < 6; row++)
            for (int j = 0; j < 4; j++) {
                float[] acc = r[4 * row + j];
                float s = 0f;
                for (int k = 0; k < TILE; k++) s += acc[k];
                dw[dwo + row * lddw + j] += s;
            }
    }

    /**
     * a_ij[k] = fma(g_i[k], x_j[k], a_ij[k]) for two gradient rows and two input rows over TILE lanes.
     * Small on purpose: a 6×2 body (20 arrays) was too large for C2 to unroll, so SuperWord left it
     * scalar (1 vs 7 GFLOP/s measured).
     */
    private static void products2x2(float[] a00, float[] a01, float[] a10, float[] a11, float[] g0, float[] g1,
            float[] x0, float[] x1) {
        for (int k = 0; k < TILE; k++) {
            float u = x0[k], v = x1[k], h = g0[k], e = g1[k];
            a00[k] = Math.fma(h, u, a00[k]);
            a01[k] = Math.fma(h, v, a01[k]);
            a10[k] = Math.fma(e, u, a10[k]);
            a11[k] = Math.fma(e, v, a11[k]);
        }
    }

    /**
     * Layers with 12-23 output channels (LeNet-5's 16) would run by channel over one block of 16:
     * SuperWord runs such short loops mostly in its scalar pre- and post-loops. On LeNet-5's second
     * layer im2col + the 4×256-tile GEMM took less CPU than the grid (whole epoch, scalar provider,
     * back to back under load: 9.6-9.8 s against 11.3-11.9 s); by position it was slower still. Fewer
     * channels run by position (long loops along the grid), more channels by channel over long rows.
     */
    @Override
    public boolean convGridPays(int o) {
        return o < CHANNELS * DirectConv.BY_CHANNEL_MIN_FILL || o >= 2 * CHANNELS * DirectConv.BY_CHANNEL_MIN_FILL;
    }

    @Override
    public int convChannelBlock() {
        return CHANNELS;
    }

    @Override
    public int convChannelSpan(int opad, int block) {
        return opad;
    }

    @Override
    public void convWeightByChannel(int width, int np, int[] pos, int[] off, int t0, float[] x, float[] g, int go, int ldg,
            float[] dw, int dwo, int lddw) {
        // Twelve accumulator rows (taps) of CHANNELS lanes; per output position its gradient row is
        // copied and multiplied by the twelve input values of its window, two positions per pass. Width: all padded channels.
        float[][] r = convRows(14, width);
        for (int j = 0; j < 12; j++) java.util.Arrays.fill(r[j], 0, width, 0f);
        float[] u = r[12], v = r[13];
        int o0 = off[t0], o1 = off[t0 + 1], o2 = off[t0 + 2], o3 = off[t0 + 3], o4 = off[t0 + 4], o5 = off[t0 + 5],
                o6 = off[t0 + 6], o7 = off[t0 + 7], o8 = off[t0 + 8], o9 = off[t0 + 9], o10 = off[t0 + 10],
                o11 = off[t0 + 11];
        int p = 0;
        for (; p + 2 <= np; p += 2) {
            System.arraycopy(g, go + p * ldg, u, 0, width);
            System.arraycopy(g, go + (p + 1) * ldg, v, 0, width);
            int b = pos[p], e = pos[p + 1];
            outer2(width, r, 0, u, v, x[b + o0], x[e + o0], x[b + o1], x[e + o1], x[b + o2], x[e + o2], x[b + o3], x[e + o3]);
            outer2(width, r, 4, u, v, x[b + o4], x[e + o4], x[b + o5], x[e + o5], x[b + o6], x[e + o6], x[b + o7], x[e + o7]);
            outer2(width, r, 8, u, v, x[b + o8], x[e + o8], x[b + o9], x[e + o9], x[b + o10], x[e + o10], x[b + o11],
                    x[e + o11]);
        }
        if (p < np) {
            System.arraycopy(g, go + p * ldg, u, 0, width);
            java.util.Arrays.fill(v, 0, width, 0f);
            int b = pos[p];
            outer2(width, r, 0, u, v, x[b + o0], 0f, x[b + o1], 0f, x[b + o2], 0f, x[b + o3], 0f);
            outer2(width, r, 4, u, v, x[b + o4], 0f, x[b + o5], 0f, x[b + o6], 0f, x[b + o7], 0f);
            outer2(width, r, 8, u, v, x[b + o8], 0f, x[b + o9], 0f, x[b + o10], 0f, x[b + o11], 0f);
        }
        for (int j = 0; j < 12; j++) {
            float[] acc = r[j];
            int d = dwo + j * lddw;
            for (int c = 0; c < width; c++) dw[d + c] += acc[c];
        }
    }

    /** acc[o + j][c] = fma(xj1, v[c], fma(xj0, u[c], acc[o + j][c])) for four taps j: two positions' products. */
    private static void outer2(int width, float[][] acc, int o, float[] u, float[] v, float x00, float x01, float x10, float x11,
            float x20, float x21, float x30, float x31) {
        float[] a0 = acc[o], a1 = acc[o + 1], a2 = acc[o + 2], a3 = acc[o + 3];
        for (int c = 0; c < width; c++) {
            float p = u[c], q = v[c];
            a0[c] = Math.fma(x01, q, Math.fma(x00, p, a0[c]));
            a1[c] = Math.fma(x11, q, Math.fma(x10, p, a1[c]));
            a2[c] = Math.fma(x21, q, Math.fma(x20, p, a2[c]));
            a3[c] = Math.fma(x31, q, Math.fma(x30, p, a3[c]));
        }
    }

    @Override
    public void convByChannelTile(int vectors, int width, int taps, int[] off, float[] x, int[] pos, int p0, float[] w, int wo,
            int ldw, float[] out, int oo, int ldo) {
        // Positions × channels: each position an accumulator row of cw channels, each tap's weight row
        // copied into its own array, four positions × four taps per pass (the GEMM kernel again).
        int rows = 12 / vectors, cw = width;
        float[][] r = convRows(16, cw);
        for (int i = 0; i < rows; i++) java.util.Arrays.fill(r[i], 0, cw, 0f);
        float[] b0 = r[12], b1 = r[13], b2 = r[14], b3 = r[15];
        int t = 0;
        for (; t + 4 <= taps; t += 4) {
            int f0 = off[t], f1 = off[t + 1], f2 = off[t + 2], f3 = off[t + 3];
            System.arraycopy(w, wo + t * ldw, b0, 0, cw);
            System.arraycopy(w, wo + (t + 1) * ldw, b1, 0, cw);
            System.arraycopy(w, wo + (t + 2) * ldw, b2, 0, cw);
            System.arraycopy(w, wo + (t + 3) * ldw, b3, 0, cw);
            int i = 0;
            for (; i + 4 <= rows; i += 4) {
                int q0 = pos[p0 + i], q1 = pos[p0 + i + 1], q2 = pos[p0 + i + 2], q3 = pos[p0 + i + 3];
                fma4x4(cw, r[i], r[i + 1], r[i + 2], r[i + 3], b0, b1, b2, b3, x[q0 + f0], x[q0 + f1], x[q0 + f2],
                        x[q0 + f3], x[q1 + f0], x[q1 + f1], x[q1 + f2], x[q1 + f3], x[q2 + f0], x[q2 + f1], x[q2 + f2],
                        x[q2 + f3], x[q3 + f0], x[q3 + f1], x[q3 + f2], x[q3 + f3]);
            }
            if (i < rows) { // six rows: the last two
                int q0 = pos[p0 + i], q1 = pos[p0 + i + 1];
                fma2x4(cw, r[i], r[i + 1], b0, b1, b2, b3, x[q0 + f0], x[q0 + f1], x[q0 + f2], x[q0 + f3], x[q1 + f0],
                        x[q1 + f1], x[q1 + f2], x[q1 + f3]);
            }
        }
        for (; t < taps; t++) {
            int f = off[t];
            System.arraycopy(w, wo + t * ldw, b0, 0, cw);
            int i = 0;
            for (; i + 4 <= rows; i += 4)
                fma4x1(cw, r[i], r[i + 1], r[i + 2], r[i + 3], b0, x[pos[p0 + i] + f], x[pos[p0 + i + 1] + f],
                        x[pos[p0 + i + 2] + f], x[pos[p0 + i + 3] + f]);
            if (i < rows) fma2x1(cw, r[i], r[i + 1], b0, x[pos[p0 + i] + f], x[pos[p0 + i + 1] + f]);
        }
        for (int i = 0; i < rows; i++) System.arraycopy(r[i], 0, out, oo + i * ldo, cw);
    }

    /**
     * The channels-last layout's kernels gained nothing here: SuperWord's loops run along the output
     * channels either way, and on ResNet-18's 8×8 layer they took 1.0-1.4× the time of the by-channel
     * kernels (forward, weight gradient; one thread, load 17). So this provider keeps those.
     */
    @Override
    public boolean convChannelsLast() {
        return false;
    }

    @Override
    public void convChannelsLastTile(int width, int taps, int run, int[] off, float[] x, int[] pos, int p0, float[] w, int wo,
            float[] out, int oo, int ldo) {
        throw new UnsupportedOperationException("the plain-Java kernels do not read channels-last input (convChannelsLast)");
    }

    @Override
    public void convWeightChannelsLast(int width, int np, int[] pos, int f, float[] x, float[] g, int go, float[] dw, int dwo,
            int lddw) {
        throw new UnsupportedOperationException("the plain-Java kernels do not read channels-last input (convChannelsLast)");
    }

    @Override
    public void depthwiseTaps(int taps, int[] off, float[] x, float[] w, int wo, float[] out, int len) {
        java.util.Arrays.fill(out, 0, len, 0f);
        for (int t = 0; t < taps; t++) {
            float a = w[wo + t];
            int p = off[t];
            for (int j = 0; j < len; j++) out[j] = Math.fma(a, x[p + j], out[j]);
        }
    }

    @Override
    public void depthwiseScatter(int taps, int[] off, float[] g, float[] w, int wo, float[] dx, int len) {
        for (int t = 0; t < taps; t++) {
            float a = w[wo + t];
            int p = off[t];
            for (int j = 0; j < len; j++) dx[p + j] = Math.fma(a, g[j], dx[p + j]);
        }
    }

    @Override
    public void depthwiseDots(int taps, int[] off, float[] x, float[] g, int len, double[] acc, int ao) {
        for (int t = 0; t < taps; t++) {
            int p = off[t], j = 0;
            // Four partial sums: one float chain would serialize on the add latency.
            float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            for (; j + 4 <= len; j += 4) {
                s0 = Math.fma(g[j], x[p + j], s0);
                s1 = Math.fma(g[j + 1], x[p + j + 1], s1);
                s2 = Math.fma(g[j + 2], x[p + j + 2], s2);
                s3 = Math.fma(g[j + 3], x[p + j + 3], s3);
            }
            for (; j < len; j++) s0 = Math.fma(g[j], x[p + j], s0);
            acc[ao + t] += (double) s0 + s1 + s2 + s3;
        }
    }

    @Override
    public void l1Distances(float[] q, int q0, int q1, float[] t, int t0, int t1, int d, float[] out, int ldo) {
        for (int i = q0; i < q1; i++) {
            int a = i * d;
            for (int j = t0; j < t1; j++) {
                int b = j * d, p = 0;
                // Four partial sums: one float chain would serialize on the add latency.
                float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
                for (; p + 4 <= d; p += 4) {
                    s0 += Math.abs(q[a + p] - t[b + p]);
                    s1 += Math.abs(q[a + p + 1] - t[b + p + 1]);
                    s2 += Math.abs(q[a + p + 2] - t[b + p + 2]);
                    s3 += Math.abs(q[a + p + 3] - t[b + p + 3]);
                }
                for (; p < d; p++) s0 += Math.abs(q[a + p] - t[b + p]);
                out[(i - q0) * ldo + (j - t0)] = (s0 + s1) + (s2 + s3);
            }
        }
    }
}
