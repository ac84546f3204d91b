package org.jgrad.kernels;

/**
 * Layer normalization over the last {@code d} values of each row: {@code y = (x − μ)/√(σ² + eps)·w + b}
 * with the biased variance, as PyTorch's {@code layer_norm}. Sums are taken in double.
 */
public final class LayerNormRows {
    private LayerNormRows() {}

    /**
     * Normalizes {@code rows} rows of {@code d} values; {@code w}, {@code b} may be null (no affine part).
     * Saves each row's mean and 1/√(σ² + eps) for the backward pass.
     */
    public static void forward(float[] x, int xOff, int rows, int d, float[] w, int wOff, float[] b, int bOff, float eps,
            float[] y, float[] mean, float[] rstd) {
        Parallel.forRange(rows, Math.max(1, 16384 / Math.max(d, 1)), (from, to) -> {
            for (int r = from; r < to; r++) {
                int p = xOff + r * d, o = r * d;
                double s = 0;
                for (int j = 0; j < d; j++) s += x[p + j];
                float mu = (float) (s / d);
                double v = 0;
                for (int j = 0; j < d; j++) {
                    float c = x[p + j] - mu;
                    v += (double) c * c;
                }
                float is = (float) (1 / Math.sqrt(v / d + eps));
                mean[r] = mu;
                rstd[r] = is;
                for (int j = 0; j < d; j++) {
                    float h = (x[p + j] - mu) * is;
                    y[o + j] = w == null ? h : h * w[wOff + j] + (b == null ? 0f : b[bOff + j]);
                }
            }
        });
    }

    /**
     * Gradients from {@code g}: {@code dx = rstd·(ĝ − mean(ĝ) − x̂·mean(ĝ·x̂))} with {@code ĝ = g·w},
     * {@code dw = Σ g·x̂}, {@code db = Σ g} over rows; any output may be null.
     */
    public static void backward(float[] g, int gOff, float[] x, int xOff, int rows, int d, float[] w, int wOff,
            float[] mean, float[] rstd, float[] dx, float[] dw, float[] db) {
        if (dx != null)
            Parallel.forRange(rows, Math.max(1, 16384 / Math.max(d, 1)), (from, to) -> {
                for (int r = from; r < to; r++) {
                    int p = xOff + r * d, q = gOff + r * d, o = r * d;
                    float mu = mean[r], is = rstd[r];
                    double sg = 0, sgx = 0;
                    for (int j = 0; j < d; j++) {
                        float gh = w == null ? g[q + j] : g[q + j] * w[wOff + j];
                        sg += gh;
                        sgx += (double) gh * (x[p + j] - mu) * is;
                    }
                    float mg = (float) (sg / d), mgx = (float) (sgx / d);
                    for (int j = 0; j < d; j++) {
                        float gh = w == null ? g[q + j] : g[q + j] * w[wOff + j];
                        dx[o + j] = is * (gh - mg - (x[p + j] - mu) * is * mgx);
                    }
                }
            });
        if (dw != null || db != null) {
            double[] aw = new double[d], ab = new double[d];
            for (int r = 0; r < rows; r++) {
                int p = xOff + r * d, q = gOff + r * d;
                float mu = mean[r], is = rstd[r];
                for (int j = 0; j < d; j++) {
                    aw[j] += (double) g[q + j] * ((x[p + j] - mu) * is);
                    ab[j] += g[q + j];
                }
            }
            for (int j = 0; j < d; j++) {
                if (dw != null) dw[j] = (float) aw[j];
                if (db != null) db[j] = (float) ab[j];
            }
        }
    }
}
