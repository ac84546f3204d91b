package org.jgrad.kernels;

/**
 * Training-mode batch norm of inputs with small planes (ResNet-18's 8×8 to 1×1 stages at 32×32
 * input), computed image by image over the contiguous [C·S] row of each image instead of plane by
 * plane: with S = 1 the per-plane loops of {@link BatchNorm#trainForward} made 16 384 calls of
 * length 1 per pass, and with S = 16 or 64 each plane summed one to four vectors and then reduced its
 * lanes in order. Here each pass is one kernel call per image over a run of channels of its row, against
 * per-position accumulators and constants (the vector provider's batch-norm row kernels; C2 would not
 * vectorize these loops). Runs of channels go to the pool's threads once there is enough work. Per
 * channel the statistics are the same sums, taken in a different order: per position over the images
 * in float, then over the S positions in double.
 */
public final class BatchNormRows {
    private BatchNormRows() {}

    /**
     * Planes below this size go row by row. One thread, 32 images (thread CPU, forward + backward): planes
     * of 64 (ResNet-18's 8×8 stage, 64 channels) 220 µs plane by plane, 140 µs here; of 16 (128 channels)
     * 295 and 67 µs; of 256 (its stem) 617 µs plane by plane and 800 here.
     */
    public static final int MAX_PLANE = 128;

    /** Values per task of the channel split. */
    private static final long GRAIN = 1L << 16;

    private static void forChannelRuns(int n, int c, int s, Parallel.RangeBody body) {
        Parallel.forRange(c, (int) Math.max(1, GRAIN / Math.max(1, (long) n * s)), body);
    }

    /**
     * Fills mean, var (biased), uvar (unbiased), invStd per channel and writes the normalized,
     * scaled and shifted output; gamma and beta may be null.
     */
    public static void forward(float[] x, int xo, int n, int c, int s, float[] gamma, float[] beta, float eps, float[] mean,
            float[] var, float[] uvar, float[] invStd, float[] out) {
        forward(x, xo, n, c, s, gamma, beta, eps, mean, var, uvar, invStd, out, null, 0, false);
    }

    /** {@link #forward} followed, row by row, by {@code + residual} and the ReLU ({@code BatchNorm}'s fused epilogue). */
    static void forward(float[] x, int xo, int n, int c, int s, float[] gamma, float[] beta, float eps, float[] mean,
            float[] var, float[] uvar, float[] invStd, float[] out, float[] residual, int ro, boolean relu) {
        int cs = c * s;
        long m = (long) n * s;
        KernelProvider k = Kernels.DEFAULT;
        forChannelRuns(n, c, s, (c0, c1) -> {
            // positions [q0, q0 + len) of every image row: the channels [c0, c1)
            int q0 = c0 * s, len = (c1 - c0) * s;
            float[] acc = new float[len], row = new float[len];
            for (int i = 0; i < n; i++) k.binary(Elementwise.Binary.ADD, acc, 0, x, xo + i * cs + q0, acc, 0, len);
            for (int ch = c0; ch < c1; ch++) mean[ch] = (float) (sum(acc, (ch - c0) * s, s) / m);
            perPosition(mean, c0, c1, s, row);
            java.util.Arrays.fill(acc, 0f);
            for (int i = 0; i < n; i++) k.addSquaredDeviations(x, xo + i * cs + q0, row, acc, len);
            float[] scale = new float[c1 - c0], shift = new float[c1 - c0];
            for (int ch = c0; ch < c1; ch++) {
                double sq = sum(acc, (ch - c0) * s, s), v = sq / m, mu = mean[ch];
                var[ch] = (float) v;
                uvar[ch] = (float) (sq / (m - 1));
                double is = 1 / Math.sqrt(v + eps);
                invStd[ch] = (float) is;
                double gm = gamma == null ? 1 : gamma[ch];
                scale[ch - c0] = (float) (is * gm);
                shift[ch - c0] = (float) ((beta == null ? 0 : beta[ch]) - mu * is * gm);
            }
            float[] shiftRow = acc;
            perPosition(scale, 0, c1 - c0, s, row);
            perPosition(shift, 0, c1 - c0, s, shiftRow);
            for (int i = 0; i < n; i++) {
                int b = i * cs + q0;
                k.scaleShiftRows(x, xo + b, row, shiftRow, out, b, len);
                BatchNorm.epilogue(out, b, len, residual, ro, relu);
            }
        });
    }

    /**
     * The backward of {@link #forward}: dgamma and dbeta per channel, and dx (when not null) by the
     * closed form {@code γ/√(σ²+eps) · (dy − mean(dy) − x̂·mean(dy·x̂))}.
     */
    public static void backward(float[] g, int go, float[] x, int xo, int n, int c, int s, float[] gamma, float[] mean,
            float[] invStd, float[] dgamma, float[] dbeta, float[] dx) {
        backward(g, go, x, xo, n, c, s, gamma, mean, invStd, dgamma, dbeta, dx, null);
    }

    /**
     * {@link #backward} of {@code relu(batch norm)} when {@code reluOut} (its output, contiguous from 0) is not
     * null: each run's gradient masked by {@code [reluOut > 0]} first, into the task's scratch.
     */
    static void backward(float[] g, int go, float[] x, int xo, int n, int c, int s, float[] gamma, float[] mean,
            float[] invStd, float[] dgamma, float[] dbeta, float[] dx, float[] reluOut) {
        int cs = c * s;
        long m = (long) n * s;
        KernelProvider kp = Kernels.DEFAULT;
        forChannelRuns(n, c, s, (c0, c1) -> {
            int q0 = c0 * s, len = (c1 - c0) * s, cn = c1 - c0;
            float[] muRow = new float[len], accG = new float[len], accGx = new float[len];
            perPosition(mean, c0, c1, s, muRow);
            // the run's gradient: image i's at gOff + i·gStride of gr
            float[] gr = g;
            int gOff = go + q0, gStride = cs;
            if (reluOut != null) {
                gr = Scratch.get(Scratch.GRAD, n * len);
                for (int i = 0; i < n; i++) kp.reluBackward(g, go + i * cs + q0, reluOut, i * cs + q0, gr, i * len, len);
                gOff = 0;
                gStride = len;
            }
            for (int i = 0; i < n; i++)
                kp.addGradientSums(gr, gOff + i * gStride, x, xo + i * cs + q0, muRow, accG, accGx, len);
            float[] k = new float[cn], mdy = new float[cn], mdyx = new float[cn];
            for (int ch = c0; ch < c1; ch++) {
                double sdy = sum(accG, (ch - c0) * s, s), sdyx = sum(accGx, (ch - c0) * s, s) * invStd[ch];
                dbeta[ch] = (float) sdy;
                dgamma[ch] = (float) sdyx;
                k[ch - c0] = invStd[ch] * (gamma == null ? 1 : gamma[ch]);
                mdy[ch - c0] = (float) (sdy / m);
                mdyx[ch - c0] = (float) (sdyx / m);
            }
            if (dx == null) return;
            float[] isRow = new float[len], kRow = accG, mdyRow = accGx, mdyxRow = new float[len];
            perPosition(invStd, c0, c1, s, isRow);
            perPosition(k, 0, cn, s, kRow);
            perPosition(mdy, 0, cn, s, mdyRow);
            perPosition(mdyx, 0, cn, s, mdyxRow);
            for (int i = 0; i < n; i++) {
                int b = i * cs + q0;
                kp.batchNormBackwardRows(gr, gOff + i * gStride, x, xo + b, muRow, isRow, kRow, mdyRow, mdyxRow, dx, b, len);
            }
        });
    }

    /** row[(ch − c0)·s + j] = perChannel[ch] for ch in [c0, c1): per-channel values repeated over their positions. */
    private static void perPosition(float[] perChannel, int c0, int c1, int s, float[] row) {
        for (int ch = c0; ch < c1; ch++) java.util.Arrays.fill(row, (ch - c0) * s, (ch - c0 + 1) * s, perChannel[ch]);
    }

    private static double sum(float[] a, int from, int len) {
        double t = 0;
        for (int j = 0; j < len; j++) t += a[from + j];
        return t;
    }
}
