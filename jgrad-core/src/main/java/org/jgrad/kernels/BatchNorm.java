package org.jgrad.kernels;

/**
 * Batch normalization's loops over a contiguous [N, C, S] input (S the product of the trailing dims):
 * training statistics and output, evaluation output, and both backward passes. Channels run in
 * parallel; each channel's sums are taken plane by plane (vector lanes within a plane, the planes in
 * double), except that small planes go image by image through {@link BatchNormRows}. gamma and beta
 * are per-channel arrays of C, or null for 1 and 0.
 */
public final class BatchNorm {
    private BatchNorm() {}

    private interface ChannelBody {
        void run(int c);
    }

    /** body(c) for every channel, split over threads with about 64K values per task. */
    private static void forChannels(int channels, long m, ChannelBody body) {
        int grain = (int) Math.max(1, (1L << 16) / Math.max(1, m));
        Parallel.forRange(channels, grain, (a, b) -> {
            for (int c = a; c < b; c++) body.run(c);
        });
    }

    /**
     * Training forward: fills mean, var (biased), uvar (unbiased) and invStd per channel, and writes
     * {@code out = γ·(x − μ)/√(σ² + eps) + β} (contiguous from 0).
     */
    public static void trainForward(float[] xd, int xo, int n, int c, int s, float[] gamma, float[] beta, float eps,
            float[] mean, float[] var, float[] uvar, float[] invStd, float[] out) {
        trainForward(xd, xo, n, c, s, gamma, beta, eps, mean, var, uvar, invStd, out, null, 0, false);
    }

    /**
     * {@link #trainForward(float[], int, int, int, int, float[], float[], float, float[], float[], float[], float[], float[])}
     * with {@code out = relu(y + residual)} instead of y ({@code residual} a contiguous [N, C, S] block from
     * {@code ro}, or null; the ReLU only when {@code relu}): each plane gets the add and the ReLU right after
     * its scale and shift, while it is in cache, with the kernels the separate ops use (bitwise their values).
     * A ResNet block's {@code relu(bn1(·))} and {@code relu(bn2(·) + identity)} without two arrays and passes.
     */
    public static void trainForward(float[] xd, int xo, int n, int c, int s, float[] gamma, float[] beta, float eps,
            float[] mean, float[] var, float[] uvar, float[] invStd, float[] out, float[] residual, int ro, boolean relu) {
        int m = n * s;
        if (s < BatchNormRows.MAX_PLANE) {
            BatchNormRows.forward(xd, xo, n, c, s, gamma, beta, eps, mean, var, uvar, invStd, out, residual, ro, relu);
            return;
        }
        forChannels(c, m, ch -> {
            // Two passes (mean, then squared deviations from it), each plane summed in vector lanes
            // and the planes in double.
            double sum = 0;
            for (int i = 0; i < n; i++) sum += Elementwise.sumCentered(xd, xo + (i * c + ch) * s, s, 0f, false);
            double mu = sum / m, sq = 0;
            for (int i = 0; i < n; i++) sq += Elementwise.sumCentered(xd, xo + (i * c + ch) * s, s, (float) mu, true);
            double v = sq / m;
            mean[ch] = (float) mu;
            var[ch] = (float) v;
            uvar[ch] = (float) (sq / (m - 1));
            double is = 1 / Math.sqrt(v + eps);
            invStd[ch] = (float) is;
            float scale = (float) (is * (gamma == null ? 1 : gamma[ch]));
            float shift = (float) ((beta == null ? 0 : beta[ch]) - mu * is * (gamma == null ? 1 : gamma[ch]));
            for (int i = 0; i < n; i++) {
                int b = (i * c + ch) * s;
                Elementwise.scaleShift(xd, xo + b, scale, shift, out, b, s);
                epilogue(out, b, s, residual, ro, relu);
            }
        });
    }

    /** out[b, b+len) += residual (when not null), then the ReLU (when asked for), with the separate ops' kernels. */
    static void epilogue(float[] out, int b, int len, float[] residual, int ro, boolean relu) {
        if (residual != null) Elementwise.row(Elementwise.Binary.ADD, out, b, 1, residual, ro + b, 1, out, b, len);
        if (relu) Elementwise.unary(Elementwise.Unary.RELU, out, b, out, b, len);
    }

    /**
     * The backward of {@link #trainForward}: dgamma and dbeta per channel, and dx (when not null) by the
     * closed form {@code γ/√(σ²+eps) · (dy − mean(dy) − x̂·mean(dy·x̂))}.
     */
    public static void trainBackward(float[] gd, int go, float[] xd, int xo, int n, int c, int s, float[] gamma,
            float[] mean, float[] invStd, float[] dgamma, float[] dbeta, float[] dx) {
        trainBackward(gd, go, xd, xo, n, c, s, gamma, mean, invStd, dgamma, dbeta, dx, null);
    }

    /**
     * {@link #trainBackward(float[], int, float[], int, int, int, int, float[], float[], float[], float[], float[], float[])}
     * of {@code relu(batch norm)} when {@code reluOut} (its output, contiguous from 0) is not null: the gradient is
     * first masked by {@code [reluOut > 0]} with the ReLU backward's kernel, a channel's planes at a time into the
     * task's scratch (in cache for the two passes that read it), so bitwise as the two backward ops.
     */
    public static void trainBackward(float[] gd, int go, float[] xd, int xo, int n, int c, int s, float[] gamma,
            float[] mean, float[] invStd, float[] dgamma, float[] dbeta, float[] dx, float[] reluOut) {
        int m = n * s;
        if (s < BatchNormRows.MAX_PLANE) {
            if (reluOut != null) {
                // small layers: the masked gradient as one array
                float[] masked = new float[n * c * s];
                Elementwise.reluBackward(gd, go, reluOut, 0, masked, 0, masked.length);
                BatchNormRows.backward(masked, 0, xd, xo, n, c, s, gamma, mean, invStd, dgamma, dbeta, dx);
            } else BatchNormRows.backward(gd, go, xd, xo, n, c, s, gamma, mean, invStd, dgamma, dbeta, dx);
            return;
        }
        forChannels(c, m, ch -> {
            double sdy = 0, sdyx = 0;
            float mu = mean[ch], is = invStd[ch];
            // With a ReLU the channel's masked gradient, plane i at i·s of the scratch; else g itself.
            float[] g = gd;
            if (reluOut != null) {
                g = Scratch.get(Scratch.GRAD, m);
                for (int i = 0; i < n; i++) {
                    int b = (i * c + ch) * s;
                    Elementwise.reluBackward(gd, go + b, reluOut, b, g, i * s, s);
                }
            }
            for (int i = 0; i < n; i++) {
                int b = (i * c + ch) * s, p = reluOut != null ? i * s : go + b;
                sdy += Elementwise.sumCentered(g, p, s, 0f, false);
                sdyx += Elementwise.dotCentered(g, p, xd, xo + b, s, mu);
            }
            sdyx *= is;
            dbeta[ch] = (float) sdy;
            dgamma[ch] = (float) sdyx;
            if (dx == null) return;
            float k = is * (gamma == null ? 1 : gamma[ch]);
            float mdy = (float) (sdy / m), mdyx = (float) (sdyx / m);
            for (int i = 0; i < n; i++) {
                int b = (i * c + ch) * s, p = reluOut != null ? i * s : go + b;
                Elementwise.batchNormBackward(g, p, xd, xo + b, mu, is, k, mdy, mdyx, dx, b, s);
            }
        });
    }

    /**
     * Evaluation forward with fixed statistics rm, rv: fills invStd per channel and writes
     * {@code out = γ·(x − rm)/√(rv + eps) + β} (contiguous from 0).
     */
    public static void evalForward(float[] xd, int xo, int n, int c, int s, float[] gamma, float[] beta, float[] rm,
            float[] rv, float eps, float[] invStd, float[] out) {
        forChannels(c, n * s, ch -> {
            invStd[ch] = (float) (1 / Math.sqrt((double) rv[ch] + eps));
            float scale = invStd[ch] * (gamma == null ? 1 : gamma[ch]);
            float shift = (beta == null ? 0 : beta[ch]) - rm[ch] * scale;
            for (int i = 0; i < n; i++) {
                int b = (i * c + ch) * s;
                for (int j = 0; j < s; j++) out[b + j] = xd[xo + b + j] * scale + shift;
            }
        });
    }

    /** The backward of {@link #evalForward}: dgamma, dbeta per channel and dx (when not null) = dy·γ/√(rv + eps). */
    public static void evalBackward(float[] gd, int go, float[] xd, int xo, int n, int c, int s, float[] gamma, float[] rm,
            float[] invStd, float[] dgamma, float[] dbeta, float[] dx) {
        forChannels(c, n * s, ch -> {
            double sdy = 0, sdyx = 0;
            float is = invStd[ch], k = is * (gamma == null ? 1 : gamma[ch]);
            for (int i = 0; i < n; i++) {
                int b = (i * c + ch) * s;
                for (int j = 0; j < s; j++) {
                    float dy = gd[go + b + j];
                    sdy += dy;
                    sdyx += dy * ((xd[xo + b + j] - rm[ch]) * is);
                    if (dx != null) dx[b + j] = dy * k;
                }
            }
            dbeta[ch] = (float) sdy;
            dgamma[ch] = (float) sdyx;
        });
    }
}
