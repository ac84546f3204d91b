package org.jgrad.kernels;

/**
 * Max pooling over contiguous [h, w] planes, with PyTorch's choice of maximum (the first in
 * row-major window order, a NaN wins): the 2×2 stride-2 case on the provider's vector kernel, the
 * general strided/padded/dilated one (3×3 windows branch-free), adaptive windows, and the gradient
 * scatter they share. Planes are split across the thread pool when there is enough work.
 */
public final class MaxPoolLoops {
    private MaxPoolLoops() {}

    /**
     * 2×2, stride-2 max pooling of planes at x[xo..] (2·oh ≤ h, 2·ow ≤ w) into out; which gets the
     * chosen element's offset from its window's top-left corner (0, 1, w or w+1) as a float.
     */
    public static void maxPool2x2(float[] x, int xo, int planes, int h, int w, int oh, int ow, float[] out,
            float[] which) {
        maxPool2x2(Kernels.DEFAULT, x, xo, planes, h, w, oh, ow, out, which);
    }

    /** {@link #maxPool2x2} on the given provider, so that tests can run both in one JVM. */
    static void maxPool2x2(KernelProvider kp, float[] x, int xo, int planes, int h, int w, int oh, int ow, float[] out,
            float[] which) {
        int plane = h * w, outPlane = oh * ow;
        if (kp.maxPool2x2ByRowPairs(ow)) {
            forGroups(planes, rowPairPlanes(outPlane), outPlane,
                    (p, np) -> rowPairs(kp, x, xo + p * plane, np, h, w, oh, ow, out, p * outPlane, which));
            return;
        }
        int[] start = kp.maxPool2x2Gathers() ? windowStarts(h, w, oh, ow) : null;
        if (start != null) {
            int per = start.length / outPlane;
            forGroups(planes, per, outPlane, (p, np) -> kp.maxPool2x2Windows(x, xo + p * plane, start, np * outPlane, w,
                    out, p * outPlane, which));
            return;
        }
        int grain = (int) Math.max(1, Math.min(planes, (1L << 16) / Math.max(1, 4L * outPlane)));
        Parallel.forRange(planes, grain, (p0, p1) -> {
            int rs = Pooling.rowScratch(w);
            float[] best = new float[rs], bestWhich = new float[rs];
            for (int p = p0; p < p1; p++)
                Pooling.maxPool2x2Plane(x, xo + p * plane, h, w, oh, ow, out, p * outPlane, which, best, bestWhich);
        });
    }

    /** The plane indices {@code h·W + w} of the maxima {@link #maxPool2x2} chose, into idx[0..n). */
    public static void maxPool2x2Indices(float[] which, int n, int w, int oh, int ow, long[] idx) {
        int outPlane = oh * ow;
        for (int i = 0; i < n; i++) {
            int t = i % outPlane;
            idx[i] = 2 * (t / ow) * w + 2 * (t % ow) + (int) which[i];
        }
    }

    /** The input gradient of {@link #maxPool2x2} into dx (zeros on entry). */
    public static void maxPool2x2Backward(float[] g, int go, float[] which, int planes, int h, int w, int oh, int ow,
            float[] dx) {
        maxPool2x2Backward(Kernels.DEFAULT, g, go, which, null, planes, h, w, oh, ow, dx);
    }

    /**
     * The input gradient of a ReLU followed by {@link #maxPool2x2} (of the ReLU's input) into dx (zeros on
     * entry): each output's gradient goes to its maximum where the pooled value {@code kept} is positive,
     * else a zero (g · 0); see {@link KernelProvider#maxPool2x2ScatterRelu}.
     */
    public static void maxPool2x2ReluBackward(float[] g, int go, float[] which, float[] kept, int planes, int h, int w,
            int oh, int ow, float[] dx) {
        maxPool2x2Backward(Kernels.DEFAULT, g, go, which, kept, planes, h, w, oh, ow, dx);
    }

    /** {@link #maxPool2x2Backward} on the given provider, so that tests can run both in one JVM. */
    static void maxPool2x2Backward(KernelProvider kp, float[] g, int go, float[] which, int planes, int h, int w, int oh,
            int ow, float[] dx) {
        maxPool2x2Backward(kp, g, go, which, null, planes, h, w, oh, ow, dx);
    }

    /** Both backward passes on the given provider; {@code kept} null: no ReLU before the pool. */
    static void maxPool2x2Backward(KernelProvider kp, float[] g, int go, float[] which, float[] kept, int planes, int h,
            int w, int oh, int ow, float[] dx) {
        int plane = h * w, outPlane = oh * ow;
        int[] start = kp.maxPool2x2Gathers() ? windowStarts(h, w, oh, ow) : null;
        if (start != null) {
            int per = start.length / outPlane;
            forGroups(planes, per, outPlane, (p, np) -> {
                if (kept == null) kp.maxPool2x2Scatter(g, go + p * outPlane, which, p * outPlane, start, np * outPlane, dx,
                        p * plane);
                else kp.maxPool2x2ScatterRelu(g, go + p * outPlane, which, kept, p * outPlane, start, np * outPlane, dx,
                        p * plane);
            });
            return;
        }
        Pooling.forPlanes(planes, outPlane, p -> {
            int base = p * plane, ob = p * outPlane;
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++) {
                    int k = ob + i * ow + j, at = base + 2 * i * w + 2 * j + (int) which[k];
                    dx[at] += g[go + k];
                    if (kept != null) dx[at] *= kept[k] > 0f ? 1f : 0f;
                }
        });
    }

    /**
     * {@link #maxPool2x2} of planes [0, planes) at x[xo..] into out[oo..] and which[oo..], on the calling
     * thread: for a caller that has just written the planes (a convolution's images, still in cache) on
     * a thread of its own split. {@code start} is {@link #windowStarts}(h, w, oh, ow) where the provider
     * {@link KernelProvider#maxPool2x2Gathers gathers} and does not take these rows
     * {@link KernelProvider#maxPool2x2ByRowPairs by row pairs}, else null (not read).
     */
    static void maxPool2x2Inline(KernelProvider kp, int[] start, float[] x, int xo, int planes, int h, int w, int oh,
            int ow, float[] out, int oo, float[] which) {
        int plane = h * w, outPlane = oh * ow;
        if (kp.maxPool2x2ByRowPairs(ow)) {
            rowPairs(kp, x, xo, planes, h, w, oh, ow, out, oo, which);
            return;
        }
        if (start != null) {
            int per = start.length / outPlane;
            for (int p = 0; p < planes; p += per)
                kp.maxPool2x2Windows(x, xo + p * plane, start, Math.min(per, planes - p) * outPlane, w, out,
                        oo + p * outPlane, which);
            return;
        }
        int rs = Pooling.rowScratch(w);
        float[] best = new float[rs], bestWhich = new float[rs];
        for (int p = 0; p < planes; p++)
            Pooling.maxPool2x2Plane(kp, x, xo + p * plane, h, w, oh, ow, out, oo + p * outPlane, which, best, bestWhich);
    }

    /**
     * Planes per call of the row-pair kernel: about 2048 windows, so that a call's set-up (its masks and
     * bounds) is spread over many rows rather than paid per plane.
     */
    private static int rowPairPlanes(int outPlane) {
        return Math.max(1, 2048 / Math.max(1, outPlane));
    }

    /** {@link KernelProvider#maxPool2x2RowPairs} over planes: one run when the height is even, else plane by plane. */
    private static void rowPairs(KernelProvider kp, float[] x, int xo, int planes, int h, int w, int oh, int ow,
            float[] out, int o, float[] which) {
        if (h == 2 * oh) {
            kp.maxPool2x2RowPairs(x, xo, planes * oh, w, ow, out, o, which);
            return;
        }
        for (int p = 0; p < planes; p++)
            kp.maxPool2x2RowPairs(x, xo + p * h * w, oh, w, ow, out, o + p * oh * ow, which);
    }

    /** Table entries at most for {@link #windowStarts} (64 KiB); larger planes go row by row. */
    static final int MAX_WINDOW_TABLE = 1 << 14;
    /** Lanes a window table is rounded to: a multiple of every vector's float count up to 512 bits. */
    private static final int TABLE_LANES = 16;

    /**
     * Where each 2×2 window of a group of planes starts, relative to the group's first plane: the
     * windows of {@code per} planes, where per·oh·ow is the least whole number of {@link #TABLE_LANES}
     * (so that every group but the last is whole vectors); null when that is over
     * {@link #MAX_WINDOW_TABLE} entries.
     */
    static int[] windowStarts(int h, int w, int oh, int ow) {
        WindowTable[] kept = lastTables;
        for (WindowTable t : kept)
            if (t.h == h && t.w == w && t.oh == oh && t.ow == ow) return t.start;
        int[] start = buildWindowStarts(h, w, oh, ow);
        WindowTable[] next = new WindowTable[Math.min(KEPT_TABLES, kept.length + 1)];
        next[0] = new WindowTable(h, w, oh, ow, start);
        System.arraycopy(kept, 0, next, 1, next.length - 1);
        lastTables = next;
        return start;
    }

    /** A table built (its entries are never written after): a step asks for the same few tables again. */
    private record WindowTable(int h, int w, int oh, int ow, int[] start) {}

    /**
     * Tables kept: a step of a network with several 2×2 pools asks for each pool's table in its forward and
     * backward (LeNet-5: two, alternating, which a single kept table built again at every call).
     */
    private static final int KEPT_TABLES = 4;

    /** The last tables built, newest first; replaced whole, never written after. */
    private static volatile WindowTable[] lastTables = new WindowTable[0];

    private static int[] buildWindowStarts(int h, int w, int oh, int ow) {
        int outPlane = oh * ow;
        if (outPlane == 0) return null;
        int per = TABLE_LANES / gcd(outPlane, TABLE_LANES);
        if ((long) per * outPlane > MAX_WINDOW_TABLE) return null;
        int[] start = new int[per * outPlane];
        for (int p = 0, k = 0; p < per; p++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++) start[k++] = p * h * w + 2 * i * w + 2 * j;
        return start;
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    /** A run over planes [p, p + np) of one window table's group. */
    private interface GroupBody {
        void run(int p, int np);
    }

    /** Runs body over the planes in groups of {@code per}, groups split across the pool once there is enough work. */
    private static void forGroups(int planes, int per, int outPlane, GroupBody body) {
        int groups = (planes + per - 1) / per;
        long work = 4L * per * outPlane;
        int grain = (int) Math.max(1, Math.min(groups, (1L << 16) / Math.max(1, work)));
        Parallel.RangeBody run = (a, b) -> {
            for (int gi = a; gi < b; gi++) {
                int p = gi * per;
                body.run(p, Math.min(per, planes - p));
            }
        };
        if (groups < 2 * grain || Parallel.threads() == 1) {
            run.run(0, groups);
            return;
        }
        // Claimed pieces of a quarter of a thread's share, at least half the grain (as DirectConv's
        // images): a late worker takes what is left instead of holding the caller for a whole chunk.
        int pieces = 4 * Parallel.threads();
        Parallel.forClaimed(groups, Math.max((grain + 1) / 2, (groups + pieces - 1) / pieces), run);
    }

    /**
     * General max pooling of planes at xd[xo..] with −∞ padding into out, and the chosen plane
     * index of each output into idx.
     */
    public static void maxPool2d(float[] xd, int xo, int planes, int h, int w, int oh, int ow, int kH, int kW, int sH,
            int sW, int pH, int pW, int dH, int dW, float[] out, long[] idx) {
        // Taps of each window that land inside the input, worked out once per output row and column
        // so that the inner loops need no bounds checks.
        int[] u0 = new int[oh], u1 = new int[oh], v0 = new int[ow], v1 = new int[ow];
        tapRange(oh, sH, pH, dH, kH, h, u0, u1);
        tapRange(ow, sW, pW, dW, kW, w, v0, v1);
        // 3×3 windows read a copy of the plane framed by -∞, so that edge windows need no bounds. Each task
        // frames its planes in one buffer (the frame stays, the inside is overwritten plane by plane).
        boolean unrolled = kH == 3 && kW == 3 && dH == 1 && dW == 1;
        int hp = Math.max(h + pH, (oh - 1) * sH + 3), wp = Math.max(w + pW, (ow - 1) * sW + 3);
        // The columns a row of 3×3 windows spans in the framed plane.
        int span = ow == 0 ? 0 : (ow - 1) * sW + 3;
        long work = (long) oh * ow * kH * kW;
        Parallel.forRange(planes, (int) Math.max(1, Math.min(planes, (1L << 16) / Math.max(1, work))), (p0, p1) -> {
            float[] framed = null, colMax = null;
            int[] colRow = null;
            if (unrolled) {
                framed = new float[hp * wp];
                java.util.Arrays.fill(framed, Float.NEGATIVE_INFINITY);
                colMax = new float[span];
                colRow = new int[span];
            }
            for (int p = p0; p < p1; p++)
                plane(xd, xo + p * h * w, h, w, oh, ow, sH, sW, pH, pW, dH, dW, u0, u1, v0, v1, framed, wp, colMax,
                        colRow, out, idx, p * oh * ow);
        });
    }

    /**
     * One plane of {@link #maxPool2d}; {@code framed} (the 3×3 path's −∞-framed copy, else null) and the
     * column maxima of a row of windows ({@link #columnMaxima}) are the task's buffers.
     */
    private static void plane(float[] xd, int in, int h, int w, int oh, int ow, int sH, int sW, int pH, int pW,
            int dH, int dW, int[] u0, int[] u1, int[] v0, int[] v1, float[] framed, int wp, float[] colMax,
            int[] colRow, float[] out, long[] idx, int op) {
        boolean unrolled = framed != null;
        if (unrolled)
            for (int y = 0; y < h; y++) System.arraycopy(xd, in + y * w, framed, (y + pH) * wp + pW, w);
        for (int i = 0; i < oh; i++) {
            int hs = i * sH - pH;
            if (unrolled) columnMaxima(framed, i * sH * wp, wp, colMax.length, colMax, colRow);
            for (int j = 0; j < ow; j++) {
                int ws = j * sW - pW;
                int t = unrolled ? firstMax(colMax, colRow, j * sW) : -1;
                if (t >= 0) {
                    int bi = (hs + t / 3) * w + ws + t % 3;
                    out[op + i * ow + j] = xd[in + bi];
                    idx[op + i * ow + j] = bi;
                    continue;
                }
                // Pass 1 takes the max without data-dependent branches (Math.max lets NaN win);
                // pass 2 finds its first position, which is what PyTorch's strict '>' keeps.
                float best = Float.NEGATIVE_INFINITY;
                for (int u = u0[i]; u < u1[i]; u++) {
                    int row = in + (hs + u * dH) * w + ws;
                    for (int v = v0[j]; v < v1[j]; v++) best = Math.max(best, xd[row + v * dW]);
                }
                int bi = -1;
                search:
                for (int u = u0[i]; u < u1[i]; u++) {
                    int row = (hs + u * dH) * w + ws;
                    for (int v = v0[j]; v < v1[j]; v++) {
                        float val = xd[in + row + v * dW];
                        if (val == best || val != val) {
                            bi = row + v * dW;
                            best = val;
                            break search;
                        }
                    }
                }
                out[op + i * ow + j] = best;
                idx[op + i * ow + j] = bi;
            }
        }
    }

    /**
     * Each column's maximum over the three rows from {@code x[r..]} (rows {@code w} apart) into
     * {@code colMax[c]}, c in [0, span), and the first of those rows holding its bits into {@code colRow[c]}.
     * A column holding a NaN gets a NaN maximum, which sends its windows to the general search.
     */
    private static void columnMaxima(float[] x, int r, int w, int span, float[] colMax, int[] colRow) {
        int r1 = r + w, r2 = r1 + w;
        for (int c = 0; c < span; c++) {
            float a = x[r + c], b = x[r1 + c], d = x[r2 + c];
            float m = Math.max(Math.max(a, b), d);
            int mb = Float.floatToRawIntBits(m);
            colMax[c] = m;
            // 0 when a holds m, else 1 when b does, else 2.
            colRow[c] = (1 - same(Float.floatToRawIntBits(a), mb)) * (2 - same(Float.floatToRawIntBits(b), mb));
        }
    }

    /**
     * Tap (row-major, 0 to 8) of the first value holding the maximum's bits in the 3×3 window over columns
     * [c, c+3) of {@link #columnMaxima}'s row, or -1 when that maximum is NaN, ±0 or −∞, whose first occurrence
     * needs the general search (±0 compare equal, NaN not at all, and −∞ may be the frame). Otherwise
     * {@code Math.max} returned one of the window's values, bits and all: of the columns whose maximum it is,
     * the winner is the one whose first such row comes first, then the leftmost. Branch-free arithmetic
     * throughout: the winner's position in random data is unpredictable, and as branches (or as a chain of
     * nine conditional expressions, which C2 compiled to branches) it cost 13 ns or more an output.
     */
    private static int firstMax(float[] colMax, int[] colRow, int c) {
        float m0 = colMax[c], m1 = colMax[c + 1], m2 = colMax[c + 2];
        int b = Float.floatToRawIntBits(Math.max(Math.max(m0, m1), m2)), mag = b & 0x7FFFFFFF;
        if (mag > 0x7F800000 || mag == 0 || b == 0xFF800000) return -1;
        int e0 = same(Float.floatToRawIntBits(m0), b), e1 = same(Float.floatToRawIntBits(m1), b),
                e2 = same(Float.floatToRawIntBits(m2), b);
        // A column that does not hold the maximum offers tap 9, past every real one.
        int t0 = e0 * (colRow[c] * 3) + (1 - e0) * 9, t1 = e1 * (colRow[c + 1] * 3 + 1) + (1 - e1) * 9,
                t2 = e2 * (colRow[c + 2] * 3 + 2) + (1 - e2) * 9;
        return Math.min(Math.min(t0, t1), t2);
    }

    /** 1 when {@code a == b}, else 0, without a branch. */
    private static int same(int a, int b) {
        int d = a ^ b;
        return ((d | -d) >>> 31) ^ 1;
    }

    /**
     * For each output position along one axis, the half-open range of kernel taps {@code [lo, hi)} whose
     * input coordinate {@code pos·stride − pad + tap·dilation} lies in {@code [0, size)}.
     */
    private static void tapRange(int outSize, int stride, int pad, int dilation, int kernel, int size, int[] lo, int[] hi) {
        for (int i = 0; i < outSize; i++) {
            int start = i * stride - pad;
            int a = start >= 0 ? 0 : (-start + dilation - 1) / dilation;
            int b = size - start <= 0 ? 0 : Math.min(kernel, (size - start + dilation - 1) / dilation);
            lo[i] = Math.min(a, kernel);
            hi[i] = Math.max(lo[i], b);
        }
    }

    /** Adaptive max pooling of planes at xd[xo..] into out, the chosen plane indices into idx. */
    public static void adaptiveMaxPool2d(float[] xd, int xo, int planes, int h, int w, int outH, int outW, float[] out,
            long[] idx) {
        int[] r0 = new int[outH], r1 = new int[outH], c0 = new int[outW], c1 = new int[outW];
        Pooling.adaptiveWindows(h, outH, r0, r1);
        Pooling.adaptiveWindows(w, outW, c0, c1);
        Pooling.forPlanes(planes, (long) h * w, p -> {
            int in = xo + p * h * w, op = p * outH * outW;
            for (int i = 0; i < outH; i++)
                for (int j = 0; j < outW; j++) {
                    float best = Float.NEGATIVE_INFINITY;
                    int bi = -1;
                    for (int ih = r0[i]; ih < r1[i]; ih++)
                        for (int iw = c0[j]; iw < c1[j]; iw++) {
                            float val = xd[in + ih * w + iw];
                            if (bi < 0 || val > best || val != val) {
                                best = val;
                                bi = ih * w + iw;
                            }
                        }
                    out[op + i * outW + j] = best;
                    idx[op + i * outW + j] = bi;
                }
        });
    }

    /** Gradient of an index-selecting pool into dx (zeros on entry): each output's gradient added at its plane index. */
    public static void scatter(float[] gd, int go, long[] idx, int planes, int plane, int outPlane, float[] dx) {
        Pooling.forPlanes(planes, outPlane, p -> {
            int base = p * plane, ob = p * outPlane;
            for (int k = 0; k < outPlane; k++) {
                long i = idx[ob + k];
                if (i >= 0) dx[base + (int) i] += gd[go + ob + k];
            }
        });
    }
}
