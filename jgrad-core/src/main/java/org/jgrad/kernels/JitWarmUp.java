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
        LeNetPasses lenet = new LeNetPasses();
        ResNetPasses resnet = new ResNetPasses();
        StepPasses step = new StepPasses();
        while (System.nanoTime() < end) {
            if (!gemmWarm) {
                long t0 = System.nanoTime();
                Gemm.sgemm(false, true, m, n, k, 1f, x, 0, k, w, 0, k, 0f, out, 0, n);  // y = x·Wᵀ
                Gemm.sgemm(true, false, n, k, m, 1f, g, 0, n, x, 0, k, 0f, out, 0, k);  // dW = gᵀ·x
                Gemm.sgemm(false, false, m, k, n, 1f, g, 0, n, w, 0, k, 0f, out, 0, k); // dx = g·W
                long gemmNanos = System.nanoTime() - t0;
                // dW += gᵀ·x, as into a gradient that already exists: the micro-kernels add into C themselves
                // then, and a C2 version compiled before any call took that branch traps back to the
                // interpreter on the first such call and is compiled again (docs/performance.md, "Warm-up").
                Gemm.sgemm(true, false, n, k, m, 1f, g, 0, n, x, 0, k, 1f, out, 0, k);
                done += 4;
                gemmWarm = done > 400 && gemmNanos < 3 * fastNanos;
            }
            lenet.run();
            resnet.run();
            step.run();
            rounds++;
            if (gemmWarm && rounds >= RESNET_ROUNDS) break;
        }
        return done;
    }

    /**
     * One image through LeNet-5's two convolution blocks at their real sizes (28×28 with 5×5 taps and padding
     * 2 into 6 channels, then 14×14 into 16), as a training step runs them: the forward with its fused ReLU
     * and 2×2 max pool, the pool's backward with the ReLU's, the weight and bias gradients, and the second
     * layer's input gradient. The convolution's plans pick their paths by geometry (five-tap kernel rows,
     * the column gradient's overlap-add), so smaller stand-in layers left LeNet's own kernels to be compiled
     * in its first epoch. One image stays below the pool's thresholds.
     */
    static final class LeNetPasses {
        private record Block(ConvPlan plan, Im2col.Geometry geo, int o, float[] x, float[] w, float[] b, float[] y,
                float[] pooled, float[] which, float[] dPooled, float[] dy, float[] dx, float[] dw) {}

        /** LeNet-5's convolutions on 28×28 images; their output channels are {@link #CHANNELS}. */
        static final Im2col.Geometry[] LAYERS = {new Im2col.Geometry(1, 28, 28, 5, 5, 1, 1, 2, 2, 1, 1, 28, 28),
            new Im2col.Geometry(6, 14, 14, 5, 5, 1, 1, 0, 0, 1, 1, 10, 10)};
        static final int[] CHANNELS = {6, 16};

        private final Block[] blocks = {block(LAYERS[0], CHANNELS[0]), block(LAYERS[1], CHANNELS[1])};

        private static Block block(Im2col.Geometry geo, int o) {
            int out = o * geo.outH() * geo.outW(), pooled = out / 4;
            float[] w = fill(o * geo.colRows());
            return new Block(new ConvPlan(geo, 1, o, 1), geo, o, fill(geo.imageSize()), w, fill(o), new float[out],
                    new float[pooled], new float[pooled], fill(pooled), new float[out], new float[geo.imageSize()],
                    new float[w.length]);
        }

        void run() {
            for (int i = 0; i < blocks.length; i++) {
                Block l = blocks[i];
                int oh = l.geo().outH(), ow = l.geo().outW();
                l.plan().forwardMaxPool2x2(l.x(), 0, l.w(), 0, l.b(), 0, l.y(), true, oh / 2, ow / 2, l.pooled(),
                        l.which());
                java.util.Arrays.fill(l.dy(), 0f);
                MaxPoolLoops.maxPool2x2ReluBackward(l.dPooled(), 0, l.which(), l.pooled(), l.o(), oh, ow, oh / 2, ow / 2,
                        l.dy());
                // as a training step's convolution backward takes them (with the bias's plane sums in the split)
                l.plan().backwardWeightAndBias(l.dy(), 0, l.x(), 0, l.dw());
                // the first layer's input is the data, which needs no gradient
                if (i > 0) l.plan().backwardInput(l.dy(), 0, l.w(), 0, l.dx());
            }
        }
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
