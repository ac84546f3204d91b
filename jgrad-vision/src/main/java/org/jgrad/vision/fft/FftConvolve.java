package org.jgrad.vision.fft;

import org.jgrad.internal.TensorData;
import org.jgrad.ops.ConvOps.ConvolveMode;
import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;

/**
 * True (flipped-kernel) convolution through the convolution theorem: {@code f * g = IDFT(DFT(f)·DFT(g))}
 * once both are zero-padded to the full output size, so that the circular convolution the DFT
 * computes has nothing to wrap around. Costs O(N log N) instead of O(N·K); worth it for large
 * kernels. Same results and modes as {@link org.jgrad.ops.ConvOps#convolve2d}.
 */
public final class FftConvolve {
    private FftConvolve() {}

    /** The full linear convolution of two 1-D signals, length {@code a.length + b.length − 1}. */
    public static double[] convolve(double[] a, double[] b) {
        if (a.length == 0 || b.length == 0) throw new IllegalArgumentException("convolve: empty signal");
        int n = a.length + b.length - 1, m = pow2(n);
        ComplexArray fa = Fft.fft(ComplexArray.ofReal(java.util.Arrays.copyOf(a, m)));
        ComplexArray fb = Fft.fft(ComplexArray.ofReal(java.util.Arrays.copyOf(b, m)));
        ComplexArray prod = multiply(fa, fb);
        Fft.transformInPlace(prod.re(), prod.im(), true);
        return java.util.Arrays.copyOf(prod.re(), n);
    }

    /** {@link #convolve2d(Tensor, Tensor, ConvolveMode)} with the mode as "full", "same" or "valid". */
    public static Tensor convolve2d(Tensor image, Tensor kernel, String mode) {
        return convolve2d(image, kernel, ConvolveMode.of(mode));
    }

    /**
     * 2-D convolution of image [H, W] with kernel [kH, kW]: {@code FULL} is (H+kH−1)×(W+kW−1),
     * {@code SAME} its centre of the image's size starting at ((kH−1)/2, (kW−1)/2), {@code VALID} the
     * (H−kH+1)×(W−kW+1) part where the kernel lies inside the image.
     */
    public static Tensor convolve2d(Tensor image, Tensor kernel, ConvolveMode mode) {
        if (image.dim() != 2 || kernel.dim() != 2 || image.numel() == 0 || kernel.numel() == 0)
            throw new IllegalArgumentException("fftConvolve2d: expected non-empty 2-D image and kernel, got "
                    + Shape.str(image.shape()) + " and " + Shape.str(kernel.shape()));
        int h = image.size(0), w = image.size(1), kh = kernel.size(0), kw = kernel.size(1);
        int fh = h + kh - 1, fw = w + kw - 1, ph = pow2(fh), pw = pow2(fw);
        ComplexArray fi = Fft2.fft2(padded(image, ph, pw), ph, pw);
        ComplexArray fk = Fft2.fft2(padded(kernel, ph, pw), ph, pw);
        ComplexArray full = Fft2.ifft2(multiply(fi, fk), ph, pw);
        int top, left, oh, ow;
        switch (mode) {
            case FULL -> { top = 0; left = 0; oh = fh; ow = fw; }
            case SAME -> { top = (kh - 1) / 2; left = (kw - 1) / 2; oh = h; ow = w; }
            case VALID -> {
                if (kh > h || kw > w)
                    throw new IllegalArgumentException("fftConvolve2d: mode \"valid\" needs the kernel "
                            + Shape.str(kernel.shape()) + " to fit inside the image " + Shape.str(image.shape()));
                top = kh - 1; left = kw - 1; oh = h - kh + 1; ow = w - kw + 1;
            }
            default -> throw new IllegalArgumentException("fftConvolve2d: mode must not be null");
        }
        float[] out = new float[oh * ow];
        for (int i = 0; i < oh; i++)
            for (int j = 0; j < ow; j++) out[i * ow + j] = (float) full.re()[(top + i) * pw + left + j];
        return TensorData.wrap(out, oh, ow);
    }

    private static ComplexArray padded(Tensor t, int ph, int pw) {
        int h = t.size(0), w = t.size(1);
        float[] d = t.detach().contiguous().toFloatArray();
        double[] re = new double[ph * pw];
        for (int i = 0; i < h; i++)
            for (int j = 0; j < w; j++) re[i * pw + j] = d[i * w + j];
        return new ComplexArray(re, new double[ph * pw]);
    }

    private static ComplexArray multiply(ComplexArray a, ComplexArray b) {
        int n = a.length();
        double[] re = new double[n], im = new double[n];
        for (int i = 0; i < n; i++) {
            re[i] = a.re()[i] * b.re()[i] - a.im()[i] * b.im()[i];
            im[i] = a.re()[i] * b.im()[i] + a.im()[i] * b.re()[i];
        }
        return new ComplexArray(re, im);
    }

    private static int pow2(int n) {
        int m = Integer.highestOneBit(Math.max(1, n));
        return m < n ? m << 1 : m;
    }
}
