package org.jgrad.kernels;

/**
 * Direct (no im2col) stride-1 convolution for layers with a tiny column matrix, such as a first
 * layer over one input channel (LeNet's 1→6 5×5, a VGG-style 1→32 3×3): there the im2col matrix
 * has only c·kH·kW ≤ {@link #MAX_TAPS} rows, and copying it (and packing and transposing it for
 * the GEMM) cost more than the multiply-adds. Each image's channels are copied once into a
 * zero-padded plane, and every output row is a run of vector FMAs over shifted rows of it.
 */
public final class DirectConv {
    private DirectConv() {}

    /** Largest c·kH·kW taken by the direct path. */
    public static final int MAX_TAPS = 32;

    /** Whether {@link #forward} and {@link #backwardWeight} handle this geometry (one group, stride and dilation 1). */
    public static boolean applies(Im2col.Geometry g, int groups) {
        return groups == 1 && g.strideH() == 1 && g.strideW() == 1 && g.dilationH() == 1 && g.dilationW() == 1
                && g.colRows() <= MAX_TAPS && g.outW() >= 4 && g.outH() >= 1;
    }

    /** Rows and columns of the padded plane: every tap of every output pixel lies inside it. */
    private static int paddedRows(Im2col.Geometry g) {
        return g.outH() + g.kernelH() - 1;
    }

    private static int paddedCols(Im2col.Geometry g) {
        return g.outW() + g.kernelW() - 1;
    }

    /** Copies image x[xOff..] ([C, H, W]) into xp as C zero-padded planes of paddedRows × paddedCols. */
    private static void pad(Im2col.Geometry g, float[] x, int xOff, float[] xp) {
        int h = g.height(), w = g.width(), rows = paddedRows(g), cols = paddedCols(g);
        for (int c = 0; c < g.channels(); c++) {
            int src = xOff + c * h * w, dst = c * rows * cols;
            int qLo = Math.min(cols, g.padLeft()), qHi = Math.max(qLo, Math.min(cols, g.padLeft() + w));
            for (int r = 0; r < rows; r++) {
                int ih = r - g.padTop(), d = dst + r * cols;
                if (ih < 0 || ih >= h) {
                    java.util.Arrays.fill(xp, d, d + cols, 0f);
                    continue;
                }
                for (int q = 0; q < qLo; q++) xp[d + q] = 0f;
                System.arraycopy(x, src + ih * w + qLo - g.padLeft(), xp, d + qLo, qHi - qLo);
                for (int q = qHi; q < cols; q++) xp[d + q] = 0f;
            }
        }
    }

    /**
     * out[i, oc] = b[oc] + Σ_c w[oc, c] ⋆ x[i, c] for n images; out is [n, o, outH, outW] from 0, w is
     * [o, C, kH, kW] from wOff, b is [o] from bOff or null.
     */
    public static void forward(Im2col.Geometry g, int n, int o, float[] x, int xOff, float[] w, int wOff, float[] b,
            int bOff, float[] out) {
        forward(Kernels.DEFAULT, g, n, o, x, xOff, w, wOff, b, bOff, out);
    }

    static void forward(KernelProvider k, Im2col.Geometry g, int n, int o, float[] x, int xOff, float[] w, int wOff,
            float[] b, int bOff, float[] out) {
        int c = g.channels(), kH = g.kernelH(), kW = g.kernelW(), outH = g.outH(), outW = g.outW();
        int rows = paddedRows(g), cols = paddedCols(g), img = g.imageSize(), taps = kH * kW;
        int grain = (int) Math.max(1, (1L << 16) / Math.max(1, (long) o * g.colRows() * outH * outW));
        Parallel.forRange(n, grain, (i0, i1) -> {
            float[] xp = new float[c * rows * cols];
            for (int i = i0; i < i1; i++) {
                pad(g, x, xOff + i * img, xp);
                for (int oc = 0; oc < o; oc++) {
                    float bias = b == null ? 0f : b[bOff + oc];
                    int plane = (i * o + oc) * outH * outW;
                    for (int oh = 0; oh < outH; oh++)
                        for (int ci = 0; ci < c; ci++)
                            k.correlateRow(xp, ci * rows * cols + oh * cols, cols, kH, kW, w, wOff + (oc * c + ci) * taps,
                                    bias, ci > 0, out, plane + oh * outW, outW);
                }
            }
        });
    }

    /**
     * dw[oc, c] += Σ_i g[i, oc] ⋆ x[i, c]: the weight gradient of {@link #forward}, accumulated into
     * dw ([o, C, kH, kW] from 0); g is [n, o, outH, outW] from gOff.
     */
    public static void backwardWeight(Im2col.Geometry g, int n, int o, float[] gr, int gOff, float[] x, int xOff,
            float[] dw) {
        backwardWeight(Kernels.DEFAULT, g, n, o, gr, gOff, x, xOff, dw);
    }

    static void backwardWeight(KernelProvider k, Im2col.Geometry g, int n, int o, float[] gr, int gOff, float[] x,
            int xOff, float[] dw) {
        int c = g.channels(), kH = g.kernelH(), kW = g.kernelW(), outH = g.outH(), outW = g.outW();
        int rows = paddedRows(g), cols = paddedCols(g), img = g.imageSize(), taps = kH * kW;
        int grain = (int) Math.max(1, (1L << 16) / Math.max(1, (long) o * g.colRows() * outH * outW));
        Parallel.forRange(n, grain, (i0, i1) -> {
            // Each range sums into its own buffer; the buffers are added under a lock once.
            float[] part = new float[dw.length], xp = new float[c * rows * cols];
            for (int i = i0; i < i1; i++) {
                pad(g, x, xOff + i * img, xp);
                for (int oc = 0; oc < o; oc++)
                    for (int ci = 0; ci < c; ci++)
                        k.correlatePlaneGrad(xp, ci * rows * cols, cols, gr, gOff + (i * o + oc) * outH * outW, outH, outW,
                                kH, kW, part, (oc * c + ci) * taps);
            }
            synchronized (dw) {
                for (int j = 0; j < dw.length; j++) dw[j] += part[j];
            }
        });
    }
}
