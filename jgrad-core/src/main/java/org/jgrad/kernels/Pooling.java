package org.jgrad.kernels;

/**
 * Pooling loops whose fast form needs the Vector API (see {@link KernelProvider}), and what the
 * pooling loops of {@link MaxPoolLoops} and {@link AvgPoolLoops} share: the plane-parallel driver
 * and PyTorch's adaptive windows.
 */
public final class Pooling {
    private Pooling() {}

    /** A body run for one (n, c) plane. */
    interface PlaneBody {
        void run(int plane);
    }

    /** Runs {@code body} for every plane, split across the pool once there is ~64k inner work per task. */
    static void forPlanes(int planes, long workPerPlane, PlaneBody body) {
        int grain = (int) Math.max(1, Math.min(planes, (1L << 16) / Math.max(1, workPerPlane)));
        Parallel.forRange(planes, grain, (a, b) -> {
            for (int p = a; p < b; p++) body.run(p);
        });
    }

    /**
     * PyTorch's adaptive window of each output {@code i < out} over {@code in} elements:
     * {@code [⌊i·in/out⌋, ⌈(i+1)·in/out⌉)}.
     */
    static void adaptiveWindows(int in, int out, int[] start, int[] end) {
        for (int i = 0; i < out; i++) {
            start[i] = (int) Math.floorDiv((long) i * in, out);
            end[i] = (int) -Math.floorDiv(-(long) (i + 1) * in, out);
        }
    }

    /**
     * 2×2, stride-2 max pooling of one [h, w] plane at x[xOff..] into [oh, ow] at out[o..]
     * (2·oh ≤ h, 2·ow ≤ w): each output is the first element of its window equal to the window's
     * max, or its first NaN, and which[o..] gets its offset from the window's top-left corner
     * (0, 1, w or w+1) as a float. {@code best} and {@code bestWhich} are scratch of at least
     * {@link #rowScratch}(w) floats.
     */
    public static void maxPool2x2Plane(float[] x, int xOff, int h, int w, int oh, int ow, float[] out, int o,
            float[] which, float[] best, float[] bestWhich) {
        maxPool2x2Plane(Kernels.DEFAULT, x, xOff, h, w, oh, ow, out, o, which, best, bestWhich);
    }

    /** Scratch length {@link #maxPool2x2Plane} needs for a plane of width w. */
    public static int rowScratch(int w) {
        return (w + 63) / 64 * 64 + 64;
    }

    /** {@link #maxPool2x2Plane} on the given provider, so that tests can run both in one JVM. */
    static void maxPool2x2Plane(KernelProvider k, float[] x, int xOff, int h, int w, int oh, int ow, float[] out, int o,
            float[] which, float[] best, float[] bestWhich) {
        k.maxPool2x2Plane(x, xOff, h, w, oh, ow, out, o, which, best, bestWhich);
    }
}
