package org.jgrad.backend.cpu;

import java.util.Arrays;

/**
 * Zero-filled arrays for the gradient that the fused convolution's pool scatters into and that only the
 * convolution's backward reads, given back by that backward when it is done
 * ({@link CpuPool#maxPool2x2ReluBackward}, {@link CpuPool#giveBack}): LeNet-5's pools scattered into fresh
 * 1.2 MB and 0.4 MB arrays at every step. Per thread: an array is lent out of this thread's free arrays (or
 * new), remembered as lent, and only an array lent on this thread and not yet given back goes back among
 * the free ones, so that no array is lent twice at once. An array never given back (an exception in between,
 * a gradient someone kept) is simply not reused; the memory of the lent ones is bounded.
 */
final class LentGradients {
    private LentGradients() {}

    /** Free arrays kept per thread, by exact length: a layer's training and evaluation batches, two layers. */
    private static final int FREE = 4;

    /** Arrays remembered as lent per thread; the oldest is forgotten (then never reused) past this. */
    private static final int LENT = 8;

    /** Longest array reused (2 MiB, as {@link UnreadOutputs#MAX_KEPT}, for the same reason): larger ones are allocated per call. */
    static final int MAX_REUSED = 1 << 19;

    private static final class PerThread {
        final float[][] free = new float[FREE][], lent = new float[LENT][];
    }

    private static final ThreadLocal<PerThread> ARRAYS = ThreadLocal.withInitial(PerThread::new);

    /** A zero-filled array of {@code length} floats, lent until {@link #giveBack}. */
    static float[] lend(int length) {
        if (length > MAX_REUSED) return new float[length];
        PerThread t = ARRAYS.get();
        float[] a = take(t.free, length);
        if (a != null) Arrays.fill(a, 0f);
        else a = new float[length];
        push(t.lent, a);
        return a;
    }

    /** Makes {@code a} free again if it was lent on this thread and not given back since; else does nothing. */
    static void giveBack(float[] a) {
        if (a == null) return;
        PerThread t = ARRAYS.get();
        for (int i = 0; i < LENT; i++)
            if (t.lent[i] == a) {
                System.arraycopy(t.lent, i + 1, t.lent, i, LENT - 1 - i);
                t.lent[LENT - 1] = null;
                push(t.free, a);
                return;
            }
    }

    /** Removes and returns the array of exactly {@code length} floats in {@code list}, or null. */
    private static float[] take(float[][] list, int length) {
        for (int i = 0; i < list.length; i++) {
            float[] a = list[i];
            if (a != null && a.length == length) {
                System.arraycopy(list, i + 1, list, i, list.length - 1 - i);
                list[list.length - 1] = null;
                return a;
            }
        }
        return null;
    }

    /** Puts {@code a} first in {@code list}; the last entry falls off. */
    private static void push(float[][] list, float[] a) {
        System.arraycopy(list, 0, list, 1, list.length - 1);
        list[0] = a;
    }
}
