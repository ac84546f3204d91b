package org.jgrad.kernels;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Gets the GEMM and padded-grid convolution kernels compiled before the first training step needs them.
 *
 * <p>Vector API code is only fast once C2 has compiled it: the interpreter and C1 run every
 * {@code FloatVector} operation as an object, two orders of magnitude slower. A fresh JVM therefore
 * spends its first hundreds of training steps (about 2 s of the MLP's first Fashion-MNIST epoch)
 * waiting for the JIT. A program that first reads its data can instead let a background thread
 * drive the GEMM through the shapes a training step uses, so that C2 compiles it while the data is
 * being read. The thread stops after {@link #BUDGET_NANOS} or when its products are fast, whichever
 * comes first, and it never touches the compute pool.
 */
public final class JitWarmUp {
    private JitWarmUp() {}

    /** At most this long on the background thread. */
    static final long BUDGET_NANOS = 1_500_000_000L;

    private static final AtomicBoolean STARTED = new AtomicBoolean();

    /**
     * Starts the warm-up on a daemon thread, once per JVM; returns at once. Does nothing on the
     * plain-Java kernels, which C1 already runs at a useful speed, or with {@code -Djgrad.warmUp=false}.
     */
    public static void startInBackground() {
        if (!Boolean.parseBoolean(System.getProperty("jgrad.warmUp", "true"))) return;
        if (!Kernels.implementation().startsWith("vector") || !STARTED.compareAndSet(false, true)) return;
        Thread t = new Thread(JitWarmUp::run, "jgrad-jit-warm-up");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    /** Runs the warm-up on the calling thread; returns the number of products it computed. */
    static int run() {
        // A Linear layer's three products at a small batch (x·Wᵀ, gᵀ·x, g·W) and a square one: the
        // packing paths for every transpose case and both micro-kernel edges (n = 200 is not a
        // multiple of the 32-wide tile). Each product is below Gemm's threading threshold.
        int m = 64, k = 160, n = 200;
        float[] x = fill(m * k), w = fill(n * k), g = fill(m * n), out = new float[Math.max(n * k, m * n)];
        long end = System.nanoTime() + BUDGET_NANOS;
        int done = 0;
        long fastNanos = 2L * m * n * k / 20; // 20 GFLOP/s: compiled code, even on a busy core
        // The padded-grid convolution's kernels (a LeNet-like layer with 6 and with 16 output
        // channels: both tile shapes of every pass), small enough to stay on this thread.
        Im2col.Geometry conv = new Im2col.Geometry(2, 10, 10, 3, 3, 1, 1, 1, 1, 1, 1, 10, 10);
        float[] cx = fill(conv.imageSize()), cw = fill(16 * conv.colRows()), cy = new float[16 * 100],
                cg = fill(16 * 100), cdw = new float[cw.length], cdx = new float[cx.length];
        while (System.nanoTime() < end) {
            long t0 = System.nanoTime();
            Gemm.sgemm(false, true, m, n, k, 1f, x, 0, k, w, 0, k, 0f, out, 0, n);  // y = x·Wᵀ
            Gemm.sgemm(true, false, n, k, m, 1f, g, 0, n, x, 0, k, 0f, out, 0, k);  // dW = gᵀ·x
            Gemm.sgemm(false, false, m, k, n, 1f, g, 0, n, w, 0, k, 0f, out, 0, k); // dx = g·W
            done += 3;
            for (int o : new int[] {6, 16}) {
                DirectConv.forward(conv, 1, o, cx, 0, cw, 0, null, 0, cy, 0, true);
                DirectConv.backwardWeight(conv, 1, o, cg, 0, cx, 0, cdw);
                DirectConv.backwardInput(conv, 1, o, cg, 0, cw, 0, cdx, 0);
            }
            if (done > 300 && System.nanoTime() - t0 < 3 * fastNanos) break;
        }
        return done;
    }

    private static float[] fill(int len) {
        float[] a = new float[len];
        for (int i = 0; i < len; i++) a[i] = ((i * 37) % 17 - 8) / 8f;
        return a;
    }
}
