package org.jgrad.kernels;

/** Local response normalization's sum over a window of neighbouring channels. */
public final class ChannelWindow {
    private ChannelWindow() {}

    /**
     * {@code out[i, ch, :] = Σ x[i, q, :]} over {@code q ∈ [ch − before, ch + after] ∩ [0, C)} into a zeroed
     * out (local response norm's window sum), images in parallel.
     */
    public static void sum(float[] xd, int xo, int n, int c, int s, int before, int after, float[] out) {
        int grain = (int) Math.max(1, (1L << 16) / Math.max(1, (long) c * s * (before + after + 1)));
        Parallel.forRange(n, grain, (a, b) -> {
            for (int i = a; i < b; i++)
                for (int ch = 0; ch < c; ch++) {
                    int dst = (i * c + ch) * s;
                    for (int q = Math.max(0, ch - before); q <= Math.min(c - 1, ch + after); q++) {
                        int src = xo + (i * c + q) * s;
                        for (int j = 0; j < s; j++) out[dst + j] += xd[src + j];
                    }
                }
        });
    }
}
