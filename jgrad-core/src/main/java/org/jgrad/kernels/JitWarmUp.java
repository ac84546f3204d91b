package org.jgrad.kernels;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Gets the GEMM and convolution kernels compiled before the first training step (or the first
 * served request) needs them.
 *
 * <p>Vector API code is only fast once C2 has compiled it: the interpreter and C1 run every
 * {@code FloatVector} operation as an object, two orders of magnitude slower. A fresh JVM therefore
 * spends its first hundreds of training steps (about 2 s of the MLP's first Fashion-MNIST epoch)
 * waiting for the JIT. A program that first reads its data can instead let a background thread
 * drive the kernels of a training step (the GEMM, the convolutions, a ResNet's passes, the small
 * per-layer kernels) through small shapes, so that C2 compiles them while the data is being read. The
 * thread stops after {@link #BUDGET_NANOS} or once its products are fast and it has run
 * {@link #RESNET_ROUNDS} rounds, whichever comes first, and it never touches the compute pool.
 */
public final class JitWarmUp {
    private JitWarmUp() {}

    /**
     * At most this long on the background thread, unless {@code -Djgrad.warmUpMillis=N} says otherwise. Its
     * rounds take 2.5–3.5 s of one core on a busy machine, less on an idle one, and it stops when they are done.
     */
    static final long BUDGET_NANOS = 3_000_000_000L;

    /**
     * Rounds of the ResNet passes before the warm-up may stop: past C2's {@code Tier4MinInvocationThreshold}
     * (600 calls), so that each kernel the passes call once a round is compiled by C2 here rather than in
     * the first training step. Stopping when the GEMM was fast (about 100 rounds) left the ResNet kernels
     * in C1 code, and C2 compiled them during the first step instead.
     */
    static final int RESNET_ROUNDS = 700;

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
        long end = System.nanoTime() + Long.getLong("jgrad.warmUpMillis", BUDGET_NANOS / 1_000_000L) * 1_000_000L;
        int done = 0, rounds = 0;
        boolean gemmWarm = false;
        long fastNanos = 2L * m * n * k / 20; // 20 GFLOP/s: compiled code, even on a busy core
        // The padded-grid convolution's kernels (a LeNet-like layer with 6 and with 16 output
        // channels: both tile shapes of every pass), small enough to stay on this thread.
        Im2col.Geometry conv = new Im2col.Geometry(2, 10, 10, 3, 3, 1, 1, 1, 1, 1, 1, 10, 10);
        float[] cx = fill(conv.imageSize()), cw = fill(16 * conv.colRows()), cy = new float[16 * 100],
                cg = fill(16 * 100), cdw = new float[cw.length], cdx = new float[cx.length];
        float[] cp = new float[16 * 25], cwhich = new float[16 * 25], cdy = new float[16 * 100];
        // LeNet-5's second layer: its forward and weight gradient run on five-tap kernel rows, its input
        // gradient on the column gradient and its overlap-add.
        Im2col.Geometry conv2 = new Im2col.Geometry(6, 14, 14, 5, 5, 1, 1, 0, 0, 1, 1, 10, 10);
        float[] c2x = fill(conv2.imageSize()), c2w = fill(16 * conv2.colRows()), c2y = new float[16 * 100],
                c2dw = new float[c2w.length], c2dx = new float[conv2.imageSize()];
        int[] poolStarts = Kernels.DEFAULT.maxPool2x2Gathers() ? MaxPoolLoops.windowStarts(10, 10, 5, 5) : null;
        // LeNet-5's first pool: rows of 14 windows, by row pairs on the vector provider
        float[] px = fill(2 * 28 * 28), pp = new float[2 * 14 * 14], pwhich = new float[pp.length];
        ResNetPasses resnet = new ResNetPasses();
        StepPasses step = new StepPasses();
        while (System.nanoTime() < end) {
            if (!gemmWarm) {
                long t0 = System.nanoTime();
                Gemm.sgemm(false, true, m, n, k, 1f, x, 0, k, w, 0, k, 0f, out, 0, n);  // y = x·Wᵀ
                Gemm.sgemm(true, false, n, k, m, 1f, g, 0, n, x, 0, k, 0f, out, 0, k);  // dW = gᵀ·x
                Gemm.sgemm(false, false, m, k, n, 1f, g, 0, n, w, 0, k, 0f, out, 0, k); // dx = g·W
                long gemmNanos = System.nanoTime() - t0;
                done += 3;
                for (int o : new int[] {6, 16}) {
                    // as LeNet's Conv2d, ReLU, MaxPool2d blocks run: the pool inside the forward, the
                    // ReLU's backward inside the pool's
                    int planes = o;
                    DirectConv.forward(conv, 1, o, cx, 0, cw, 0, null, 0, cy, 0, true, (i0, i1) -> MaxPoolLoops
                            .maxPool2x2Inline(Kernels.DEFAULT, poolStarts, cy, 0, planes, 10, 10, 5, 5, cp, 0, cwhich));
                    java.util.Arrays.fill(cdy, 0f);
                    MaxPoolLoops.maxPool2x2ReluBackward(cg, 0, cwhich, cp, o, 10, 10, 5, 5, cdy);
                    DirectConv.backwardWeight(conv, 1, o, cg, 0, cx, 0, cdw);
                    DirectConv.backwardInput(conv, 1, o, cg, 0, cw, 0, cdx, 0);
                }
                MaxPoolLoops.maxPool2x2Inline(Kernels.DEFAULT, null, px, 0, 2, 28, 28, 14, 14, pp, 0, pwhich);
                DirectConv.forward(conv2, 1, 16, c2x, 0, c2w, 0, null, 0, c2y, 0);
                DirectConv.backwardWeight(conv2, 1, 16, cg, 0, c2x, 0, c2dw);
                DirectConv.backwardInput(conv2, 1, 16, cg, 0, c2w, 0, c2dx, 0);
                gemmWarm = done > 300 && gemmNanos < 3 * fastNanos;
            }
            resnet.run();
            step.run();
            rounds++;
            if (gemmWarm && rounds >= RESNET_ROUNDS) break;
        }
        return done;
    }

    /**
     * One image through the kernels of a ResNet's training step and of its prepared inference, at
     * small sizes that take the same paths: the strided 7×7 stem (im2col), a 3×3/2 max pool with its
     * indices and scatter, the by-channel grid on an 8×8 map, im2col on 4×4 and 2×2 maps, strided 3×3
     * and 1×1 layers, batch norm's training passes, and the packed forward. Each pass is far below
     * the pool's thresholds, so everything stays on the warm-up thread.
     */
    private static final class ResNetPasses {
        private record Layer(ConvPlan plan, PackedConv packed, float[] x, float[] w, float[] g, float[] y, float[] dx,
                float[] dw) {}

        private final Layer[] layers;
        private final float[] pooled = new float[16 * 8 * 8], bnOut = new float[32 * 64], dbn = new float[32 * 64];
        private final long[] idx = new long[pooled.length];
        private final float[] gamma = fill(32), beta = fill(32), mean = new float[32], var = new float[32],
                uvar = new float[32], invStd = new float[32], dgamma = new float[32], dbeta = new float[32];

        ResNetPasses() {
            Im2col.Geometry[] geos = {
                new Im2col.Geometry(3, 16, 16, 7, 7, 2, 2, 3, 3, 1, 1, 8, 8),    // stem
                new Im2col.Geometry(16, 8, 8, 3, 3, 1, 1, 1, 1, 1, 1, 8, 8),     // 8×8 map: the grid by channel
                new Im2col.Geometry(16, 8, 8, 3, 3, 2, 2, 1, 1, 1, 1, 4, 4),     // strided 3×3
                new Im2col.Geometry(32, 4, 4, 3, 3, 1, 1, 1, 1, 1, 1, 4, 4),     // 4×4 map
                new Im2col.Geometry(32, 2, 2, 3, 3, 1, 1, 1, 1, 1, 1, 2, 2),     // 2×2 map
                new Im2col.Geometry(16, 8, 8, 1, 1, 2, 2, 0, 0, 1, 1, 4, 4)};    // 1×1 projection
            layers = new Layer[geos.length];
            for (int i = 0; i < geos.length; i++) {
                Im2col.Geometry geo = geos[i];
                int o = 32, out = o * geo.colCols();
                float[] w = fill(o * geo.colRows());
                layers[i] = new Layer(new ConvPlan(geo, 1, o, 1), new PackedConv(geo, o, w, 0, null, 0),
                        fill(geo.imageSize()), w, fill(out), new float[out], new float[geo.imageSize()],
                        new float[w.length]);
            }
        }

        void run() {
            for (Layer l : layers) {
                l.plan().forward(l.x(), 0, l.w(), 0, null, 0, l.y(), true);
                l.plan().backwardInput(l.g(), 0, l.w(), 0, l.dx());
                l.plan().backwardWeight(l.g(), 0, l.x(), 0, l.dw());
                l.plan().backwardBias(l.g(), 0);
                l.packed().forward(l.x(), 0, 1, l.y(), 0, true);
            }
            // The 8×8 layer's arrays (1,024 input floats) serve as four 16×16 planes for the pool.
            Layer map8 = layers[1];
            MaxPoolLoops.maxPool2d(map8.x(), 0, 4, 16, 16, 8, 8, 3, 3, 2, 2, 1, 1, 1, 1, pooled, idx);
            MaxPoolLoops.scatter(pooled, 0, idx, 4, 256, 64, map8.dx());
            BatchNorm.trainForward(map8.y(), 0, 1, 32, 64, gamma, beta, 1e-5f, mean, var, uvar, invStd, bnOut);
            BatchNorm.trainBackward(map8.g(), 0, map8.y(), 0, 1, 32, 64, gamma, mean, invStd, dgamma, dbeta, dbn);
            // The 2×2 and 1×1 stages' batch norms take the row kernels (planes below BatchNormRows.MAX_PLANE),
            // which the 8×8 plane above does not reach: one image of 2×2 planes and four of 1×1.
            Layer map2 = layers[4];
            for (int[] ns : new int[][] {{1, 4}, {4, 1}}) {
                BatchNorm.trainForward(map2.y(), 0, ns[0], 32, ns[1], gamma, beta, 1e-5f, mean, var, uvar, invStd, bnOut);
                BatchNorm.trainBackward(map2.g(), 0, map2.y(), 0, ns[0], 32, ns[1], gamma, mean, invStd, dgamma, dbeta, dbn);
            }
        }
    }

    /**
     * The small kernels around a Linear layer's products in a training step at batch 64 (the MLP's):
     * bias + ReLU, ReLU's backward, elementwise sums and products, the bias gradient, a cross-entropy
     * over 10 classes and its gradient, plain SGD and the batch's row gather. Each is called several
     * times a step, so before C2 compiles them the first few hundred steps run them as boxed Vector API
     * code; all are far below the pool's thresholds.
     */
    private static final class StepPasses {
        private static final int ROWS = 64, WIDTH = 200, CLASSES = 10;
        private final float[] a = fill(ROWS * WIDTH), b = fill(ROWS * WIDTH), out = new float[ROWS * WIDTH],
                bias = fill(WIDTH), biasGrad = new float[WIDTH], param = fill(ROWS * WIDTH),
                logits = fill(ROWS * CLASSES), losses = new float[ROWS], lossGrad = fill(ROWS),
                logitGrad = new float[ROWS * CLASSES];
        private final double[] lse = new double[ROWS];
        private final long[] targets = new long[ROWS], rows = new long[ROWS];

        StepPasses() {
            for (int i = 0; i < ROWS; i++) {
                targets[i] = i % CLASSES;
                rows[i] = (i * 37L) % ROWS;
            }
        }

        void run() {
            System.arraycopy(a, 0, out, 0, out.length);
            BiasRows.addRows(out, ROWS, WIDTH, bias, 0, 1, true);
            BiasRows.addRows(out, ROWS, WIDTH, bias, 0, 1, false);
            Elementwise.unary(Elementwise.Unary.RELU, a, 0, out, 0, out.length);
            Elementwise.reluBackward(b, 0, out, 0, out, 0, out.length);
            Elementwise.row(Elementwise.Binary.ADD, a, 0, 1, b, 0, 1, out, 0, out.length);
            Elementwise.row(Elementwise.Binary.MUL, a, 0, 1, b, 0, 1, out, 0, out.length);
            ReductionLoops.sumLeading(b, 0, ROWS, WIDTH, biasGrad);
            LossLoops.logSumExpRows(logits, 0, ROWS, CLASSES, 1, lse);
            LossLoops.crossEntropy(logits, 0, targets, 0, null, 0, lse, ROWS, CLASSES, 1, -100, 0, losses);
            java.util.Arrays.fill(logitGrad, 0f);
            LossLoops.crossEntropyBackward(lossGrad, 0, logits, 0, targets, 0, null, 0, lse, ROWS, CLASSES, 1, -100, 0,
                    logitGrad);
            OptimizerLoops.sgd(param, b, null, param.length, false, 1e-6f, 0, 0, 0, 0, false, false);
            IndexLoops.indexSelect(a, 0, 1, ROWS, WIDTH, rows, 0, ROWS, out);
        }
    }

    private static float[] fill(int len) {
        float[] a = new float[len];
        for (int i = 0; i < len; i++) a[i] = ((i * 37) % 17 - 8) / 8f;
        return a;
    }
}
