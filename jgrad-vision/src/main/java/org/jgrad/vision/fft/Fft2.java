package org.jgrad.vision.fft;

/**
 * Two-dimensional DFTs of row-major h×w complex arrays (rows, then columns, each with {@link Fft}),
 * with NumPy's {@code fft2}/{@code ifft2} scaling, and the quadrant shifts {@code fftshift}/{@code ifftshift}.
 */
public final class Fft2 {
    private Fft2() {}

    /** The 2-D forward DFT of an h×w array, as a new array. */
    public static ComplexArray fft2(ComplexArray x, int h, int w) {
        return transform(x, h, w, false);
    }

    /** The 2-D inverse DFT (divides by h·w), as a new array. */
    public static ComplexArray ifft2(ComplexArray x, int h, int w) {
        return transform(x, h, w, true);
    }

    private static ComplexArray transform(ComplexArray x, int h, int w, boolean inverse) {
        check(x.length(), h, w);
        ComplexArray y = x.copy();
        double[] re = y.re(), im = y.im();
        double[] rr = new double[w], ri = new double[w];
        for (int i = 0; i < h; i++) {
            System.arraycopy(re, i * w, rr, 0, w);
            System.arraycopy(im, i * w, ri, 0, w);
            Fft.transformInPlace(rr, ri, inverse);
            System.arraycopy(rr, 0, re, i * w, w);
            System.arraycopy(ri, 0, im, i * w, w);
        }
        double[] cr = new double[h], ci = new double[h];
        for (int j = 0; j < w; j++) {
            for (int i = 0; i < h; i++) {
                cr[i] = re[i * w + j];
                ci[i] = im[i * w + j];
            }
            Fft.transformInPlace(cr, ci, inverse);
            for (int i = 0; i < h; i++) {
                re[i * w + j] = cr[i];
                im[i * w + j] = ci[i];
            }
        }
        return y;
    }

    /** Moves the zero frequency from index (0, 0) to the centre (h/2, w/2), like {@code numpy.fft.fftshift}. */
    public static double[] fftshift(double[] a, int h, int w) {
        return roll(a, h, w, h / 2, w / 2);
    }

    /** Undoes {@link #fftshift} (they differ for odd sizes), like {@code numpy.fft.ifftshift}. */
    public static double[] ifftshift(double[] a, int h, int w) {
        return roll(a, h, w, -(h / 2), -(w / 2));
    }

    /** {@link #fftshift} of both parts. */
    public static ComplexArray fftshift(ComplexArray a, int h, int w) {
        return new ComplexArray(fftshift(a.re(), h, w), fftshift(a.im(), h, w));
    }

    /** {@link #ifftshift} of both parts. */
    public static ComplexArray ifftshift(ComplexArray a, int h, int w) {
        return new ComplexArray(ifftshift(a.re(), h, w), ifftshift(a.im(), h, w));
    }

    /** 1-D {@code fftshift}: element 0 moves to index n/2. */
    public static double[] fftshift(double[] a) {
        return roll(a, 1, a.length, 0, a.length / 2);
    }

    /** 1-D {@code ifftshift}. */
    public static double[] ifftshift(double[] a) {
        return roll(a, 1, a.length, 0, -(a.length / 2));
    }

    /** Circular shift by (dy, dx): element (i, j) moves to ((i + dy) mod h, (j + dx) mod w). */
    private static double[] roll(double[] a, int h, int w, int dy, int dx) {
        check(a.length, h, w);
        double[] out = new double[a.length];
        for (int i = 0; i < h; i++) {
            int ti = Math.floorMod(i + dy, h);
            for (int j = 0; j < w; j++) out[ti * w + Math.floorMod(j + dx, w)] = a[i * w + j];
        }
        return out;
    }

    private static void check(int length, int h, int w) {
        if (h < 0 || w < 0 || (long) h * w != length)
            throw new IllegalArgumentException("fft2: " + length + " elements do not form a " + h + "x" + w + " array");
    }
}
