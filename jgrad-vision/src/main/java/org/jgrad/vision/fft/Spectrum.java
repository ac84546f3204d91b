package org.jgrad.vision.fft;

import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;
import org.jgrad.vision.image.Color;

/**
 * Images of an image's 2-D Fourier transform, centred with {@code fftshift} so that low
 * frequencies sit in the middle, as textbooks draw them.
 */
public final class Spectrum {
    private Spectrum() {}

    /** The centred 2-D DFT of a [H, W], [1, H, W] or [3, H, W] image (colour is converted to grey first). */
    public static ComplexArray centredTransform(Tensor image) {
        Tensor g = plane(image);
        int h = g.size(0), w = g.size(1);
        double[] re = new double[h * w];
        float[] d = g.contiguous().toFloatArray();
        for (int i = 0; i < re.length; i++) re[i] = d[i];
        return Fft2.fftshift(Fft2.fft2(ComplexArray.ofReal(re), h, w), h, w);
    }

    /**
     * The log-magnitude spectrum {@code log(1 + |F|)}, centred and min–max scaled to [0, 1], as a
     * [1, H, W] image. The logarithm is what makes anything but the DC term visible: |F| spans many
     * orders of magnitude.
     */
    public static Tensor magnitudeImage(Tensor image) {
        int[] hw = size(image);
        double[] mag = centredTransform(image).abs();
        for (int i = 0; i < mag.length; i++) mag[i] = Math.log1p(mag[i]);
        return toImage(minMax(mag), hw);
    }

    /** The phase spectrum arg F mapped from [−π, π] to [0, 1], centred, as a [1, H, W] image. */
    public static Tensor phaseImage(Tensor image) {
        int[] hw = size(image);
        double[] ph = centredTransform(image).phase();
        for (int i = 0; i < ph.length; i++) ph[i] = (ph[i] + Math.PI) / (2 * Math.PI);
        return toImage(ph, hw);
    }

    private static double[] minMax(double[] a) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (double v : a) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        double span = hi - lo;
        for (int i = 0; i < a.length; i++) a[i] = span > 0 ? (a[i] - lo) / span : 0;
        return a;
    }

    private static Tensor toImage(double[] a, int[] hw) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) f[i] = (float) a[i];
        return TensorData.wrap(f, 1, hw[0], hw[1]);
    }

    private static int[] size(Tensor image) {
        Tensor g = plane(image);
        return new int[] {g.size(0), g.size(1)};
    }

    private static Tensor plane(Tensor image) {
        if (image.dim() == 2) return image.detach();
        if (image.dim() == 3 && (image.size(0) == 1 || image.size(0) == 3))
            return Color.grayscale(image.detach()).select(0, 0);
        throw new IllegalArgumentException("spectrum: expected an image [H, W] or [1 or 3, H, W], got "
                + Shape.str(image.shape()));
    }
}
