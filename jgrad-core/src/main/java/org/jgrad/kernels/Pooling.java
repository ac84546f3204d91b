package org.jgrad.kernels;

/** Pooling loops whose fast form needs the Vector API (see {@link KernelProvider}). */
public final class Pooling {
    private Pooling() {}

    /**
     * Window table of 2×2, stride-2 max pooling over an [h, w] plane with an [oh, ow] output
     * (2·oh ≤ h, 2·ow ≤ w): entry t = i·ow + j is the window's top-left offset {@code 2i·w + 2j},
     * padded with zeros to a whole number of vectors as {@link #maxPool2x2} needs.
     */
    public static int[] table2x2(int w, int oh, int ow) {
        int n = oh * ow, lanes = 64;
        int[] t = new int[(n + lanes - 1) / lanes * lanes];
        for (int i = 0; i < oh; i++)
            for (int j = 0; j < ow; j++) t[i * ow + j] = 2 * i * w + 2 * j;
        return t;
    }

    /**
     * 2×2 max pooling of the n windows of {@code table} (from {@link #table2x2}) in the plane at
     * x[xOff..] of width w: out[o+t] is the first element equal to the window's max (or its first
     * NaN), pos[po+t] its offset in the plane.
     */
    public static void maxPool2x2(float[] x, int xOff, int w, int[] table, int n, float[] out, int o, int[] pos, int po) {
        Kernels.DEFAULT.maxPool2x2(x, xOff, w, table, n, out, o, pos, po);
    }

    /** {@link #maxPool2x2} on the given provider, so that tests can run both in one JVM. */
    static void maxPool2x2(KernelProvider k, float[] x, int xOff, int w, int[] table, int n, float[] out, int o, int[] pos,
            int po) {
        k.maxPool2x2(x, xOff, w, table, n, out, o, pos, po);
    }
}
