package org.jgrad.kernels;

/**
 * Which entries of each column-matrix row of a "shifted" im2col geometry (stride 1, output rows as
 * wide as the input's) read the image rather than padding. In such a geometry tap t's row is the
 * channel's plane shifted by one offset, except for the entries whose pixel lies in the padding:
 * whole output rows at the top or bottom, and a few columns at the left or right of every output
 * row. On small maps (ResNet's 8×8 to 2×2 stages) zeroing those one short row at a time cost more
 * than the copy; a per-tap mask lets a vector kernel copy or add the whole row at once.
 */
final class ShiftMasks {
    private ShiftMasks() {}

    /** Entries of keep past a row's end that a vector kernel may read (a vector of up to 64 lanes). */
    static final int SLACK = 64;

    private static final class Cache {
        Im2col.Geometry geo;
        boolean[] keep = new boolean[0];
    }

    private static final ThreadLocal<Cache> CACHE = ThreadLocal.withInitial(Cache::new);

    /** Distance between the masks of consecutive taps in {@link #of}'s array. */
    static int stride(Im2col.Geometry g) {
        return g.colCols() + SLACK;
    }

    /**
     * The masks of geometry g's kH·kW taps, tap t = ki·kW + kj at {@code t·stride(g)}: entry
     * {@code oh·outW + ow} is true when the tap's pixel for that output lies inside the image. The
     * array is the calling thread's, reused while the geometry stays the same; callers must not keep
     * it across calls or write to it.
     */
    static boolean[] of(Im2col.Geometry g) {
        Cache c = CACHE.get();
        if (g == c.geo || g.equals(c.geo)) return c.keep;
        int kH = g.kernelH(), kW = g.kernelW(), outH = g.outH(), outW = g.outW(), st = stride(g);
        long need = (long) kH * kW * st;
        if (need > Integer.MAX_VALUE - 8)
            throw new IllegalArgumentException("conv2d: the padding masks of a " + kH + "x" + kW + " kernel over a " + outH
                    + "x" + outW + " output need " + need + " entries, more than one Java array holds (2^31-9);"
                    + " use a smaller image or tile it");
        int size = (int) need;
        if (c.keep.length < size) c.keep = new boolean[size];
        boolean[] keep = c.keep;
        java.util.Arrays.fill(keep, 0, size, false);
        for (int ki = 0; ki < kH; ki++) {
            int shH = ki * g.dilationH() - g.padTop();
            int ohLo = Math.min(outH, Math.max(0, -shH)), ohHi = Math.max(ohLo, Math.min(outH, g.height() - shH));
            for (int kj = 0; kj < kW; kj++) {
                int shW = kj * g.dilationW() - g.padLeft();
                int owLo = Math.min(outW, Math.max(0, -shW)), owHi = Math.max(owLo, Math.min(outW, g.width() - shW));
                int base = (ki * kW + kj) * st;
                for (int oh = ohLo; oh < ohHi; oh++)
                    java.util.Arrays.fill(keep, base + oh * outW + owLo, base + oh * outW + owHi, true);
            }
        }
        c.geo = g;
        return keep;
    }
}
