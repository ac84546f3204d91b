package org.jgrad.kernels;

/**
 * Depthwise convolution (groups == input channels, any channel multiplier M = O / C): each
 * output channel {@code oc} reads input channel {@code oc / M} alone, through its own kH×kW
 * kernel. The grouped im2col path runs such a layer as C GEMMs of one row each, which spends
 * its time packing; here each image plane is convolved on its own.
 *
 * <p><b>Layout.</b> An input plane is copied once into a zero-padded plane split into
 * {@code strideH × strideW} phase sub-planes (sub-plane (a, b) holds the padded rows a, a + sH, …
 * and columns b, b + sW, …), each {@code rh × rw}. Then every kernel tap (u, v) of every output
 * position (i, j) reads element {@code (i + du, j + dv)} of one sub-plane, so a tap is one offset
 * into the phase plane and the whole output plane is computed as one contiguous run on a grid of
 * row length {@code rw}: {@code grid[i·rw + j] = Σ_t w[t] · phases[off[t] + i·rw + j]}. The
 * {@code rw − outW} extra columns of each grid row are computed and dropped (for the backward
 * passes the output gradient is spread onto the grid with zeros there). Strides above 1 and
 * dilation cost nothing extra beyond the phase split.
 *
 * <p>The forward and the input gradient run plane by plane across the thread pool; the weight
 * gradient runs channel by channel (each channel's kernels sum over the batch on one thread, so
 * the result does not depend on the thread count).
 */
public final class DepthwiseConv {
    private DepthwiseConv() {}

    /** Whether a conv2d of this geometry with {@code groups} groups is depthwise (this class's job). */
    public static boolean applies(Im2col.Geometry geo, int groups) {
        return groups > 1 && groups == geo.channels();
    }

    /** The phase-plane geometry and tap offsets of one conv2d shape. */
    record Plan(Im2col.Geometry geo, int rh, int rw, int[] off, int len) {
        static Plan of(Im2col.Geometry g) {
            int sH = g.strideH(), sW = g.strideW();
            // Only the padded rows/columns some output reads: trailing ones beyond are never used.
            int hp = (g.outH() - 1) * sH + (g.kernelH() - 1) * g.dilationH() + 1;
            int wp = (g.outW() - 1) * sW + (g.kernelW() - 1) * g.dilationW() + 1;
            int rh = (hp + sH - 1) / sH, rw = (wp + sW - 1) / sW;
            int[] off = new int[g.kernelH() * g.kernelW()];
            for (int u = 0; u < g.kernelH(); u++)
                for (int v = 0; v < g.kernelW(); v++) {
                    int a = u * g.dilationH(), b = v * g.dilationW();
                    off[u * g.kernelW() + v] = ((a % sH) * sW + b % sW) * rh * rw + (a / sH) * rw + b / sW;
                }
            int len = g.outH() == 0 || g.outW() == 0 ? 0 : (g.outH() - 1) * rw + g.outW();
            return new Plan(g, rh, rw, off, len);
        }

        int phaseSize() {
            return geo.strideH() * geo.strideW() * rh * rw;
        }

        /** Copies input plane x[xo..] into the zero-padded phase plane p[0..phaseSize). */
        void toPhases(float[] x, int xo, float[] p) {
            int h = geo.height(), w = geo.width(), sH = geo.strideH(), sW = geo.strideW();
            int pT = geo.padTop(), pL = geo.padLeft(), plane = rh * rw;
            java.util.Arrays.fill(p, 0, phaseSize(), 0f);
            int r0 = Math.max(0, -pT), r1 = Math.min(h, sH * rh - pT);
            int c0 = Math.max(0, -pL), c1 = Math.min(w, sW * rw - pL);
            for (int ih = r0; ih < r1; ih++) {
                int r = ih + pT, rowBase = (r % sH) * sW * plane + (r / sH) * rw;
                int src = xo + ih * w;
                if (sW == 1) {
                    if (c1 > c0) System.arraycopy(x, src + c0, p, rowBase + c0 + pL, c1 - c0);
                } else {
                    for (int iw = c0; iw < c1; iw++) {
                        int q = iw + pL;
                        p[rowBase + (q % sW) * plane + q / sW] = x[src + iw];
                    }
                }
            }
        }

        /** Adds the phase plane's gradient p back onto input plane dx[xo..] (the reverse of toPhases). */
        void fromPhases(float[] p, float[] dx, int xo) {
            int h = geo.height(), w = geo.width(), sH = geo.strideH(), sW = geo.strideW();
            int pT = geo.padTop(), pL = geo.padLeft(), plane = rh * rw;
            int r0 = Math.max(0, -pT), r1 = Math.min(h, sH * rh - pT);
            int c0 = Math.max(0, -pL), c1 = Math.min(w, sW * rw - pL);
            for (int ih = r0; ih < r1; ih++) {
                int r = ih + pT, rowBase = (r % sH) * sW * plane + (r / sH) * rw, dst = xo + ih * w;
                if (sW == 1) for (int iw = c0; iw < c1; iw++) dx[dst + iw] += p[rowBase + iw + pL];
                else for (int iw = c0; iw < c1; iw++) {
                    int q = iw + pL;
                    dx[dst + iw] += p[rowBase + (q % sW) * plane + q / sW];
                }
            }
        }

        /** Spreads one output-gradient plane g[go..] onto the grid (row length rw), zeros in the extra columns. */
        void toGrid(float[] g, int go, float[] grid) {
            int outH = geo.outH(), outW = geo.outW();
            for (int i = 0; i < outH; i++) {
                int d = i * rw;
                System.arraycopy(g, go + i * outW, grid, d, outW);
                if (i < outH - 1) java.util.Arrays.fill(grid, d + outW, d + rw, 0f);
            }
        }
    }

    /**
     * out[N, O, outH, outW] = depthwise conv of x[N, C, H, W] (from xOff) with w[O, 1, kH, kW] (from
     * wOff), plus b[O] (from bOff) when b is not null, then max(·, 0) when relu.
     */
    public static void forward(Im2col.Geometry geo, int n, int o, float[] x, int xOff, float[] w, int wOff,
            float[] b, int bOff, float[] out, int outOff, boolean relu) {
        forward(Kernels.DEFAULT, geo, n, o, x, xOff, w, wOff, b, bOff, out, outOff, relu);
    }

    static void forward(KernelProvider kp, Im2col.Geometry geo, int n, int o, float[] x, int xOff, float[] w, int wOff,
            float[] b, int bOff, float[] out, int outOff, boolean relu) {
        Plan plan = Plan.of(geo);
        int c = geo.channels(), m = o / c, kk = geo.kernelH() * geo.kernelW(), img = geo.height() * geo.width();
        int outW = geo.outW(), outH = geo.outH(), outPlane = outH * outW, rw = plan.rw;
        long work = (long) n * o * plan.len * kk;
        Parallel.forRange(n * c, grain(work, n * c), (p0, p1) -> {
            float[] ph = Scratch.get(Scratch.COL, plan.phaseSize()), grid = Scratch.get(Scratch.OUT, plan.len);
            for (int p = p0; p < p1; p++) {
                int i = p / c, ch = p % c;
                plan.toPhases(x, xOff + p * img, ph);
                for (int mi = 0; mi < m; mi++) {
                    int oc = ch * m + mi;
                    kp.depthwiseTaps(kk, plan.off, ph, w, wOff + oc * kk, grid, plan.len);
                    float bv = b == null ? 0f : b[bOff + oc];
                    int dst = outOff + (i * o + oc) * outPlane;
                    for (int r = 0; r < outH; r++) {
                        int s = r * rw, d = dst + r * outW;
                        if (relu) for (int j = 0; j < outW; j++) out[d + j] = ScalarKernels.relu(grid[s + j] + bv);
                        else if (b == null) System.arraycopy(grid, s, out, d, outW);
                        else for (int j = 0; j < outW; j++) out[d + j] = grid[s + j] + bv;
                    }
                }
            }
        });
    }

    /** dx[N, C, H, W] = the input gradient of {@link #forward} for output gradient g (from gOff); dx is overwritten. */
    public static void backwardInput(Im2col.Geometry geo, int n, int o, float[] g, int gOff, float[] w, int wOff,
            float[] dx, int dxOff) {
        backwardInput(Kernels.DEFAULT, geo, n, o, g, gOff, w, wOff, dx, dxOff);
    }

    static void backwardInput(KernelProvider kp, Im2col.Geometry geo, int n, int o, float[] g, int gOff, float[] w,
            int wOff, float[] dx, int dxOff) {
        Plan plan = Plan.of(geo);
        int c = geo.channels(), m = o / c, kk = geo.kernelH() * geo.kernelW(), img = geo.height() * geo.width();
        int outPlane = geo.outH() * geo.outW();
        long work = (long) n * o * plan.len * kk;
        Parallel.forRange(n * c, grain(work, n * c), (p0, p1) -> {
            float[] ph = Scratch.get(Scratch.COL, plan.phaseSize()), grid = Scratch.get(Scratch.GRAD, plan.len);
            for (int p = p0; p < p1; p++) {
                int i = p / c, ch = p % c;
                java.util.Arrays.fill(ph, 0, plan.phaseSize(), 0f);
                for (int mi = 0; mi < m; mi++) {
                    int oc = ch * m + mi;
                    plan.toGrid(g, gOff + (i * o + oc) * outPlane, grid);
                    kp.depthwiseScatter(kk, plan.off, grid, w, wOff + oc * kk, ph, plan.len);
                }
                java.util.Arrays.fill(dx, dxOff + p * img, dxOff + (p + 1) * img, 0f);
                plan.fromPhases(ph, dx, dxOff + p * img);
            }
        });
    }

    /** dw[O, 1, kH, kW] += the weight gradient of {@link #forward} for output gradient g (from gOff). */
    public static void backwardWeight(Im2col.Geometry geo, int n, int o, float[] g, int gOff, float[] x, int xOff,
            float[] dw) {
        backwardWeight(Kernels.DEFAULT, geo, n, o, g, gOff, x, xOff, dw);
    }

    static void backwardWeight(KernelProvider kp, Im2col.Geometry geo, int n, int o, float[] g, int gOff, float[] x,
            int xOff, float[] dw) {
        Plan plan = Plan.of(geo);
        int c = geo.channels(), m = o / c, kk = geo.kernelH() * geo.kernelW(), img = geo.height() * geo.width();
        int outPlane = geo.outH() * geo.outW();
        long work = (long) n * o * plan.len * kk;
        Parallel.forRange(c, grain(work, c), (c0, c1) -> {
            float[] ph = Scratch.get(Scratch.COL, plan.phaseSize()), grid = Scratch.get(Scratch.GRAD, plan.len);
            double[] acc = new double[m * kk];
            for (int ch = c0; ch < c1; ch++) {
                java.util.Arrays.fill(acc, 0);
                for (int i = 0; i < n; i++) {
                    plan.toPhases(x, xOff + (i * c + ch) * img, ph);
                    for (int mi = 0; mi < m; mi++) {
                        int oc = ch * m + mi;
                        plan.toGrid(g, gOff + (i * o + oc) * outPlane, grid);
                        kp.depthwiseDots(kk, plan.off, ph, grid, plan.len, acc, mi * kk);
                    }
                }
                for (int t = 0; t < m * kk; t++) dw[ch * m * kk + t] += (float) acc[t];
            }
        });
    }

    /** Units per task so that a task has at least 32K multiply-adds (a hand-off costs a few microseconds). */
    private static int grain(long work, int units) {
        if (units <= 0) return 1;
        long perUnit = Math.max(1, work / units);
        return (int) Math.max(1, Math.min(units, (1L << 15) / perUnit));
    }
}
