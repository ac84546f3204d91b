package org.jgrad.kernels;

/**
 * Per-thread scratch arrays for the temporaries of one kernel call (column matrices, gathered
 * gradients, GEMM packing buffers), grown on demand and kept, so that a training step does not allocate and zero-fill
 * megabytes of buffers every layer. A slot is owned by one call at a time on its thread: a caller
 * must not call into code that uses the same slot while it still reads its array, and must not
 * let the array escape (into a tensor). The contents are garbage: callers overwrite what they read.
 */
public final class Scratch {
    private Scratch() {}

    /** Slots used by the convolution: the column matrix, the gathered output gradient, the GEMM result. */
    public static final int COL = 0, GRAD = 1, OUT = 2;

    /**
     * Slots used inside {@link Gemm} (distinct from the convolution's, which hold their arrays across
     * the GEMM calls): the packed A block, the packed B block, the transposed product of the few-rows path,
     * the operand a split GEMM packs once for all its threads (read by them while the caller waits).
     */
    static final int GEMM_A = 3, GEMM_B = 4, GEMM_T = 5, GEMM_SHARED = 7;

    /** Slot used inside {@link Im2col}: an image channel split into its even and odd columns. */
    static final int PHASES = 6;

    private static final int SLOTS = 8;

    private static final ThreadLocal<float[][]> BUFFERS = ThreadLocal.withInitial(() -> new float[SLOTS][0]);

    /** The calling thread's array of slot {@code slot}, at least {@code size} long; its contents are undefined. */
    public static float[] get(int slot, int size) {
        float[][] b = BUFFERS.get();
        float[] a = b[slot];
        if (a.length < size) {
            // Grow with headroom so that slowly growing requests do not reallocate every call.
            a = new float[Math.max(size, (int) Math.min(Integer.MAX_VALUE - 8, a.length + (long) a.length / 2))];
            b[slot] = a;
        }
        return a;
    }
}
