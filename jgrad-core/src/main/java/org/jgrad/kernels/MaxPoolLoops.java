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
        WindowTable t = lastTable;
        if (t != null && t.h == h && t.w == w && t.oh == oh && t.ow == ow) return t.start;
        int[] start = buildWindowStarts(h, w, oh, ow);
        lastTable = new WindowTable(h, w, oh, ow, start);
        return start;
    }

    /** The last table built (its entries are never written after): a step asks for the same few tables again. */
    private record WindowTable(int h, int w, int oh, int ow, int[] start) {}

    private static volatile WindowTable lastTable;

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
        // 3×3 windows read a copy of the plane framed by -∞, so that edge windows need no bounds.
        boolean unrolled = kH == 3 && kW == 3 && dH == 1 && dW == 1;
        int hp = Math.max(h + pH, (oh - 1) * sH + 3), wp = Math.max(w + pW, (ow - 1) * sW + 3);
        Pooling.forPlanes(planes, (long) oh * ow * kH * kW, p -> {
            int in = xo + p * h * w, op = p * oh * ow;
            float[] framed = null;
            if (unrolled) {
                framed = new float[hp * wp];
                java.util.Arrays.fill(framed, Float.NEGATIVE_INFINITY);
                for (int y = 0; y < h; y++) System.arraycopy(xd, in + y * w, framed, (y + pH) * wp + pW, w);
            }
            for (int i = 0; i < oh; i++) {
                int hs = i * sH - pH;
                for (int j = 0; j < ow; j++) {
                    int ws = j * sW - pW;
                    int t = unrolled ? max3x3(framed, i * sH * wp + j * sW, wp) : -1;
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
        });
    }

    /**
     * Tap (row-major, 0 to 8) of the winner of the 3×3 window at {@code x[r..]} with rows {@code w}
     * apart, or -1 when the window holds a NaN or its maximum is ±0 or -∞, whose first occurrence
     * needs the general search (±0 compare equal, NaN not at all, and -∞ may be the frame).
     * Otherwise the first tap holding the maximum's bits is the first that equals it. All on ints,
     * which compile to conditional moves: the float comparisons of the window loops were branches
     * that random data makes unpredictable (the stem's 3×3/2 pool took 18 ns per output).
     */
    private static int max3x3(float[] x, int r, int w) {
        int p1 = r + w, p2 = p1 + w;
        int b0 = Float.floatToRawIntBits(x[r]), b1 = Float.floatToRawIntBits(x[r + 1]),
                b2 = Float.floatToRawIntBits(x[r + 2]), b3 = Float.floatToRawIntBits(x[p1]),
                b4 = Float.floatToRawIntBits(x[p1 + 1]), b5 = Float.floatToRawIntBits(x[p1 + 2]),
                b6 = Float.floatToRawIntBits(x[p2]), b7 = Float.floatToRawIntBits(x[p2 + 1]),
                b8 = Float.floatToRawIntBits(x[p2 + 2]);
        // A NaN has the largest magnitude bits; it and a zero maximum go to the general search.
        int mag = Math.max(Math.max(Math.max(b0 & 0x7FFFFFFF, b1 & 0x7FFFFFFF), Math.max(b2 & 0x7FFFFFFF,
                b3 & 0x7FFFFFFF)), Math.max(Math.max(Math.max(b4 & 0x7FFFFFFF, b5 & 0x7FFFFFFF),
                Math.max(b6 & 0x7FFFFFFF, b7 & 0x7FFFFFFF)), b8 & 0x7FFFFFFF));
        if (mag > 0x7F800000) return -1;
        int m = Math.max(Math.max(Math.max(key(b0), key(b1)), Math.max(key(b2), key(b3))),
                Math.max(Math.max(Math.max(key(b4), key(b5)), Math.max(key(b6), key(b7))), key(b8)));
        // Key of -∞ and of the zeros: the maximum may be the frame, or a zero of either sign.
        if (m == NEG_INF_KEY || m == 0 || m == -1) return -1;
        int b = key(m);
        // Scanned from the last tap back, so that the first match is the one left standing.
        int t = b8 == b ? 8 : -1;
        t = b7 == b ? 7 : t;
        t = b6 == b ? 6 : t;
        t = b5 == b ? 5 : t;
        t = b4 == b ? 4 : t;
        t = b3 == b ? 3 : t;
        t = b2 == b ? 2 : t;
        t = b1 == b ? 1 : t;
        return b0 == b ? 0 : t;
    }

    /**
     * Float bits mapped to ints that order as the (non-NaN) floats do, -0 just below +0; the map
     * is its own inverse.
     */
    private static int key(int bits) {
        return bits ^ ((bits >> 31) & 0x7FFFFFFF);
    }

    private static final int NEG_INF_KEY = key(Float.floatToRawIntBits(Float.NEGATIVE_INFINITY));

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
