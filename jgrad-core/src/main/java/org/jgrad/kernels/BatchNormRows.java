package org.jgrad.kernels;

/**
 * Training-mode batch norm of inputs with small planes (ResNet-18's 2×2 and 1×1 stages at 32×32
 * input), computed image by image over the contiguous [C·S] row of each image instead of plane by
 * plane: with S = 1 the per-plane loops of {@link BatchNorm#trainForward} made 16 384 calls of
 * length 1 per pass, where these rows are a few plain loops that C2 vectorizes. Per channel the
 * statistics are the same sums, taken in a different order: per position over the images in
 * float, then over the S positions in double.
 */
public final class BatchNormRows {
    private BatchNormRows() {}

    /** Planes below this size go row by row. */
    public static final int MAX_PLANE = 16;

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
        float[] acc = new float[cs], row = new float[cs];
        for (int i = 0; i < n; i++) {
            int b = xo + i * cs;
            for (int q = 0; q < cs; q++) acc[q] += x[b + q];
        }
        for (int ch = 0; ch < c; ch++) mean[ch] = (float) (sum(acc, ch * s, s) / m);
        perPosition(mean, s, row);
        java.util.Arrays.fill(acc, 0f);
        for (int i = 0; i < n; i++) {
            int b = xo + i * cs;
            for (int q = 0; q < cs; q++) {
                float t = x[b + q] - row[q];
                acc[q] += t * t;
            }
        }
        float[] scale = new float[c], shift = new float[c];
        for (int ch = 0; ch < c; ch++) {
            double sq = sum(acc, ch * s, s), v = sq / m, mu = mean[ch];
            var[ch] = (float) v;
            uvar[ch] = (float) (sq / (m - 1));
            double is = 1 / Math.sqrt(v + eps);
            invStd[ch] = (float) is;
            double gm = gamma == null ? 1 : gamma[ch];
            scale[ch] = (float) (is * gm);
            shift[ch] = (float) ((beta == null ? 0 : beta[ch]) - mu * is * gm);
        }
        float[] shiftRow = new float[cs];
        perPosition(scale, s, row);
        perPosition(shift, s, shiftRow);
        for (int i = 0; i < n; i++) {
            int b = i * cs;
            for (int q = 0; q < cs; q++) out[b + q] = x[xo + b + q] * row[q] + shiftRow[q];
            BatchNorm.epilogue(out, b, cs, residual, ro, relu);
        }
    }

    /**
     * The backward of {@link #forward}: dgamma and dbeta per channel, and dx (when not null) by the
     * closed form {@code γ/√(σ²+eps) · (dy − mean(dy) − x̂·mean(dy·x̂))}.
     */
    public static void backward(float[] g, int go, float[] x, int xo, int n, int c, int s, float[] gamma, float[] mean,
            float[] invStd, float[] dgamma, float[] dbeta, float[] dx) {
        int cs = c * s;
        long m = (long) n * s;
        float[] muRow = new float[cs], accG = new float[cs], accGx = new float[cs];
        perPosition(mean, s, muRow);
        for (int i = 0; i < n; i++) {
            int b = i * cs;
            for (int q = 0; q < cs; q++) {
                float gv = g[go + b + q];
                accG[q] += gv;
                accGx[q] += gv * (x[xo + b + q] - muRow[q]);
            }
        }
        float[] k = new float[c], mdy = new float[c], mdyx = new float[c];
        for (int ch = 0; ch < c; ch++) {
            double sdy = sum(accG, ch * s, s), sdyx = sum(accGx, ch * s, s) * invStd[ch];
            dbeta[ch] = (float) sdy;
            dgamma[ch] = (float) sdyx;
            k[ch] = invStd[ch] * (gamma == null ? 1 : gamma[ch]);
            mdy[ch] = (float) (sdy / m);
            mdyx[ch] = (float) (sdyx / m);
        }
        if (dx == null) return;
        float[] isRow = new float[cs], kRow = new float[cs], mdyRow = new float[cs], mdyxRow = new float[cs];
        perPosition(invStd, s, isRow);
        perPosition(k, s, kRow);
        perPosition(mdy, s, mdyRow);
        perPosition(mdyx, s, mdyxRow);
        for (int i = 0; i < n; i++) {
            int b = i * cs;
            for (int q = 0; q < cs; q++) {
                float xhat = (x[xo + b + q] - muRow[q]) * isRow[q];
                dx[b + q] = kRow[q] * (g[go + b + q] - mdyRow[q] - xhat * mdyxRow[q]);
            }
        }
    }

    /** row[ch·s + j] = perChannel[ch]: a per-channel value repeated over the channel's positions. */
    private static void perPosition(float[] perChannel, int s, float[] row) {
        for (int ch = 0; ch < perChannel.length; ch++) java.util.Arrays.fill(row, ch * s, (ch + 1) * s, perChannel[ch]);
    }

    private static double sum(float[] a, int from, int len) {
        double t = 0;
        for (int j = 0; j < len; j++) t += a[from + j];
        return t;
    }
}
