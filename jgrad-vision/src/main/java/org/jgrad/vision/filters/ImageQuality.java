package org.jgrad.vision.filters;

import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;

/**
 * "Information loss" between an image and a processed version of it: MSE, PSNR and SSIM, computed
 * in double precision over all channels.
 */
public final class ImageQuality {
    private ImageQuality() {}

    /** Mean of the squared pixel differences. */
    public static double mse(Tensor a, Tensor b) {
        float[][] d = pair("mse", a, b);
        double s = 0;
        for (int i = 0; i < d[0].length; i++) {
            double e = (double) d[0][i] - d[1][i];
            s += e * e;
        }
        return s / d[0].length;
    }

    /**
     * Peak signal-to-noise ratio {@code 10·log10(L² / MSE)} in dB, with L the value of white (1 for
     * images in [0, 1], 255 for 0..255); +∞ for identical images.
     */
    public static double psnr(Tensor a, Tensor b, double dataRange) {
        if (!(dataRange > 0)) throw new IllegalArgumentException("psnr: data range must be > 0, got " + dataRange);
        double m = mse(a, b);
        return m == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(dataRange * dataRange / m);
    }

    /** SSIM window side, as in Wang et al. (2004). */
    public static final int SSIM_WINDOW = 11;

    /** SSIM window's Gaussian σ and the stabilising constants K1, K2 of Wang et al. (2004). */
    public static final double SSIM_SIGMA = 1.5, SSIM_K1 = 0.01, SSIM_K2 = 0.03;

    /**
     * Mean structural similarity (Wang, Bovik, Sheikh, Simoncelli 2004): local means, variances and
     * covariance under an 11×11 Gaussian window (σ = 1.5, weights summing to 1), with
     * {@code C1 = (0.01 L)²}, {@code C2 = (0.03 L)²},
     * {@code SSIM = (2μxμy + C1)(2σxy + C2) / ((μx² + μy² + C1)(σx² + σy² + C2))}, averaged over
     * every window position that lies wholly inside the image (the reference MATLAB code's
     * {@code 'valid'} filtering), then over channels. Images smaller than 11 pixels a side use the
     * largest odd window that fits, with the same σ.
     *
     * @param a [C, H, W] or [H, W]
     * @param b same shape as {@code a}
     * @param dataRange L, the value of white (1 or 255)
     */
    public static double ssim(Tensor a, Tensor b, double dataRange) {
        float[][] d = pair("ssim", a, b);
        if (!(dataRange > 0)) throw new IllegalArgumentException("ssim: data range must be > 0, got " + dataRange);
        int[] s = a.shape();
        if (a.dim() < 2) throw new IllegalArgumentException("ssim: expected an image [C, H, W] or [H, W], got "
                + Shape.str(s));
        int h = s[s.length - 2], w = s[s.length - 1];
        int planes = d[0].length / (h * w);
        int win = Math.min(SSIM_WINDOW, Math.min(h, w));
        if (win % 2 == 0) win--;
        double[] g = gaussian1d(win, SSIM_SIGMA);
        double c1 = Math.pow(SSIM_K1 * dataRange, 2), c2 = Math.pow(SSIM_K2 * dataRange, 2);
        double total = 0;
        for (int p = 0; p < planes; p++) total += ssimPlane(d[0], d[1], p * h * w, h, w, g, c1, c2);
        return total / planes;
    }

    private static double ssimPlane(float[] x, float[] y, int off, int h, int w, double[] g, double c1, double c2) {
        int n = h * w;
        double[] xx = new double[n], yy = new double[n], xy = new double[n], xs = new double[n], ys = new double[n];
        for (int i = 0; i < n; i++) {
            double a = x[off + i], b = y[off + i];
            xs[i] = a;
            ys[i] = b;
            xx[i] = a * a;
            yy[i] = b * b;
            xy[i] = a * b;
        }
        int oh = h - g.length + 1, ow = w - g.length + 1;
        double[] mx = blurValid(xs, h, w, g), my = blurValid(ys, h, w, g);
        double[] sxx = blurValid(xx, h, w, g), syy = blurValid(yy, h, w, g), sxy = blurValid(xy, h, w, g);
        double sum = 0;
        for (int i = 0; i < oh * ow; i++) {
            double ux = mx[i], uy = my[i];
            double vx = sxx[i] - ux * ux, vy = syy[i] - uy * uy, cxy = sxy[i] - ux * uy;
            sum += (2 * ux * uy + c1) * (2 * cxy + c2) / ((ux * ux + uy * uy + c1) * (vx + vy + c2));
        }
        return sum / (oh * ow);
    }

    /** Separable Gaussian weighting over every window that fits ('valid'), rows then columns. */
    private static double[] blurValid(double[] src, int h, int w, double[] g) {
        int k = g.length, ow = w - k + 1, oh = h - k + 1;
        double[] rows = new double[h * ow];
        for (int i = 0; i < h; i++)
            for (int j = 0; j < ow; j++) {
                double s = 0;
                for (int t = 0; t < k; t++) s += g[t] * src[i * w + j + t];
                rows[i * ow + j] = s;
            }
        double[] out = new double[oh * ow];
        for (int i = 0; i < oh; i++)
            for (int j = 0; j < ow; j++) {
                double s = 0;
                for (int t = 0; t < k; t++) s += g[t] * rows[(i + t) * ow + j];
                out[i * ow + j] = s;
            }
        return out;
    }

    /** Normalised 1-D Gaussian; its outer product with itself is the 2-D SSIM window. */
    static double[] gaussian1d(int size, double sigma) {
        double[] g = new double[size];
        double c = (size - 1) / 2.0, sum = 0;
        for (int i = 0; i < size; i++) sum += g[i] = Math.exp(-(i - c) * (i - c) / (2 * sigma * sigma));
        for (int i = 0; i < size; i++) g[i] /= sum;
        return g;
    }

    private static float[][] pair(String op, Tensor a, Tensor b) {
        if (!Shape.same(a.shape(), b.shape()))
            throw new IllegalArgumentException(op + ": images differ in shape: " + Shape.str(a.shape()) + " and "
                    + Shape.str(b.shape()));
        if (a.numel() == 0) throw new IllegalArgumentException(op + ": images are empty " + Shape.str(a.shape()));
        return new float[][] {a.detach().contiguous().toFloatArray(), b.detach().contiguous().toFloatArray()};
    }
}
