package org.jgrad.backend.cpu;

/**
 * Per-thread arrays for the outputs an op computes on the way and that nothing reads afterwards: the
 * convolution's output inside {@code conv2dReluMaxPool2d}, which only the pool that follows it reads,
 * from cache, inside the same call (the backward reads the input, the weight and the gradient; the
 * ReLU's and the pool's nodes read the pooled values and choices). The tensor over it still has to
 * exist for the graph's convolution and relu nodes, but a fresh 1.2 MB array for it (LeNet-5's first
 * layer at batch 64, plus 0.4 MB for the second) was zeroed and collected at every step. The next call
 * with the same length on the same thread writes over it, so its values are those of a later call
 * whenever one came in between: only the op's own forward may read them.
 *
 * <p>A few lengths are kept (a training batch, an evaluation batch and a last partial batch, per layer);
 * arrays above {@link #MAX_KEPT} floats are not kept.
 */
final class UnreadOutputs {
    private UnreadOutputs() {}

    /** Arrays kept per thread: two layers' training and evaluation lengths, with room for a partial batch. */
    private static final int KEPT = 6;

    /**
     * Longest array kept (2 MiB, above LeNet-5's 1.2 MB at batch 64): larger ones are allocated per call, as
     * before. With 16 MiB, LeNet-5's evaluation at batch 1000 kept its arrays alive across collections: the
     * live set rose by 150 MB, ParallelGC paused 50–150 ms copying it and grew the heap (`jgrad bench --only
     * lenet,infer`: peak RSS 669 against 534 MiB, LeNet-5 inference 53,000 against 121,000 images/s).
     */
    static final int MAX_KEPT = 1 << 19;

    private static final ThreadLocal<float[][]> KEPT_ARRAYS = ThreadLocal.withInitial(() -> new float[KEPT][]);

    /** An array of exactly {@code length} floats whose contents are undefined; the caller overwrites all of it. */
    static float[] get(int length) {
        if (length > MAX_KEPT) return new float[length];
        float[][] kept = KEPT_ARRAYS.get();
        for (int i = 0; i < KEPT; i++) {
            float[] a = kept[i];
            if (a != null && a.length == length) {
                // Most recently used first, so that the least recently used falls off the end.
                System.arraycopy(kept, 0, kept, 1, i);
                kept[0] = a;
                return a;
            }
        }
        float[] a = new float[length];
        System.arraycopy(kept, 0, kept, 1, KEPT - 1);
        kept[0] = a;
        return a;
    }
}
