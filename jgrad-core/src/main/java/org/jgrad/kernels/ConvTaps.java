package org.jgrad.kernels;

/**
 * Moves a window of kernel taps between a convolution weight's full layout and a smaller one: the
 * taps a convolution keeps when the others read only padding (see {@code ConvPlan}'s callers).
 */
public final class ConvTaps {
    private ConvTaps() {}

    /**
     * Moves the kH2×kW2 window at tap (ki0, kj0) of each of {@code rows} kH×kW kernels between the
     * full weight layout ({@code full}) and the reduced one ({@code part}): into {@code part}, or
     * added back into {@code full} when {@code toFull} (a gradient: zeros, or the existing {@code .grad}
     * it accumulates into). Plain loops: the window of ResNet's 1×1-map layers
     * is one float per kernel, for which one arraycopy call each cost more than the whole move.
     */
    public static void copyTaps(float[] full, int fOff, int kH, int kW, float[] part, int pOff, int kH2, int kW2,
            int ki0, int kj0, int rows, boolean toFull) {
        // Bound by memory (a 512×512×3×3 weight is 9.4 MB, every cache line of it touched): two
        // cores draw more bandwidth than one, and the other thread would wait meanwhile.
        Parallel.forRange(rows, 1 << 14, (r0, r1) -> copyTaps(full, fOff, kH, kW, part, pOff, kH2, kW2, ki0, kj0, r0, r1,
                toFull));
    }

    private static void copyTaps(float[] full, int fOff, int kH, int kW, float[] part, int pOff, int kH2, int kW2,
            int ki0, int kj0, int r0, int r1, boolean toFull) {
        int kk = kH * kW, kk2 = kH2 * kW2;
        if (kk2 == 1) {
            int f = fOff + ki0 * kW + kj0;
            if (toFull) for (int r = r0; r < r1; r++) full[f + r * kk] += part[pOff + r];
            else for (int r = r0; r < r1; r++) part[pOff + r] = full[f + r * kk];
            return;
        }
        for (int r = r0; r < r1; r++)
            for (int u = 0; u < kH2; u++) {
                int f = fOff + r * kk + (ki0 + u) * kW + kj0, q = pOff + r * kk2 + u * kW2;
                if (toFull) for (int v = 0; v < kW2; v++) full[f + v] += part[q + v];
                else for (int v = 0; v < kW2; v++) part[q + v] = full[f + v];
            }
    }
}
