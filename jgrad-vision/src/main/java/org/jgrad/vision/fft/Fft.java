package org.jgrad.vision.fft;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The discrete Fourier transform {@code X[k] = Σ_n x[n]·e^{−2πi·kn/N}} of any length in
 * O(N log N), in double precision, with NumPy's conventions: the forward transform is unscaled and
 * the inverse divides by N, so {@code ifft(fft(x)) = x}.
 *
 * <p>Powers of two use an iterative radix-2 Cooley–Tukey transform; other lengths use Bluestein's
 * chirp-z algorithm, which rewrites the DFT as a convolution evaluated with power-of-two FFTs.
 * Twiddle factors are computed from exact integer angles (kn mod N) rather than by repeated
 * multiplication, which keeps the error near machine precision for long transforms.
 */
public final class Fft {
    private Fft() {}

    /** The forward DFT of {@code x} as a new array. */
    public static ComplexArray fft(ComplexArray x) {
        ComplexArray y = x.copy();
        transformInPlace(y.re(), y.im(), false);
        return y;
    }

    /** The inverse DFT {@code x[n] = (1/N) Σ_k X[k]·e^{+2πi·kn/N}} as a new array. */
    public static ComplexArray ifft(ComplexArray x) {
        ComplexArray y = x.copy();
        transformInPlace(y.re(), y.im(), true);
        return y;
    }

    /**
     * Transforms {@code re}/{@code im} in place: forward when {@code inverse} is false, otherwise the
     * inverse including the 1/N.
     */
    public static void transformInPlace(double[] re, double[] im, boolean inverse) {
        if (re.length != im.length)
            throw new IllegalArgumentException("fft: real and imaginary parts differ in length: " + re.length + " and "
                    + im.length);
        int n = re.length;
        if (n <= 1) return;
        // the inverse is the forward transform of the conjugate, conjugated
        if (inverse) negate(im);
        if ((n & (n - 1)) == 0) radix2(re, im);
        else bluestein(re, im);
        if (inverse) {
            negate(im);
            double s = 1.0 / n;
            for (int i = 0; i < n; i++) {
                re[i] *= s;
                im[i] *= s;
            }
        }
    }

    /**
     * The DFT of a real signal, keeping only the N/2 + 1 non-negative frequencies (the rest are
     * their complex conjugates), like {@code numpy.fft.rfft}.
     */
    public static ComplexArray rfft(double[] x) {
        ComplexArray full = fft(ComplexArray.ofReal(x));
        int m = x.length / 2 + 1;
        if (x.length == 0) return ComplexArray.zeros(0);
        return new ComplexArray(java.util.Arrays.copyOf(full.re(), m), java.util.Arrays.copyOf(full.im(), m));
    }

    /**
     * The real signal of length {@code n} whose {@link #rfft} is {@code spectrum}, like
     * {@code numpy.fft.irfft(spectrum, n)}: the missing negative frequencies are filled in as
     * conjugates, and the imaginary parts of the DC (and, for even n, Nyquist) bins are ignored.
     * Bins beyond n/2 are dropped; missing ones count as 0.
     */
    public static double[] irfft(ComplexArray spectrum, int n) {
        if (n < 1) throw new IllegalArgumentException("irfft: output length must be >= 1, got " + n);
        double[] re = new double[n], im = new double[n];
        int m = Math.min(spectrum.length(), n / 2 + 1);
        for (int k = 0; k < m; k++) {
            re[k] = spectrum.re()[k];
            im[k] = spectrum.im()[k];
        }
        im[0] = 0;
        if (n % 2 == 0 && m == n / 2 + 1) im[n / 2] = 0;
        for (int k = 1; k < m; k++) {
            if (n - k == k) continue;
            re[n - k] = re[k];
            im[n - k] = -im[k];
        }
        transformInPlace(re, im, true);
        return re;
    }

    // ------------------------------------------------------------------ radix 2

    private static final ConcurrentHashMap<Integer, double[][]> TWIDDLES = new ConcurrentHashMap<>();

    /** cos and sin of −2πk/n for k < n/2, cached per power of two. */
    private static double[][] twiddles(int n) {
        return TWIDDLES.computeIfAbsent(n, len -> {
            int h = len / 2;
            double[] c = new double[h], s = new double[h];
            for (int k = 0; k < h; k++) {
                double a = -2 * Math.PI * k / len;
                c[k] = Math.cos(a);
                s[k] = Math.sin(a);
            }
            return new double[][] {c, s};
        });
    }

    private static void radix2(double[] re, double[] im) {
        int n = re.length;
        // bit-reversal permutation, then butterflies of growing span
        for (int i = 1, j = 0; i < n; i++) {
            int bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1) j ^= bit;
            j ^= bit;
            if (i < j) {
                double t = re[i];
                re[i] = re[j];
                re[j] = t;
                t = im[i];
                im[i] = im[j];
                im[j] = t;
            }
        }
        double[][] tw = twiddles(n);
        double[] cs = tw[0], sn = tw[1];
        for (int len = 2; len <= n; len <<= 1) {
            int half = len >> 1, step = n / len;
            for (int start = 0; start < n; start += len) {
                for (int k = 0; k < half; k++) {
                    double wr = cs[k * step], wi = sn[k * step];
                    int a = start + k, b = a + half;
                    double xr = re[b] * wr - im[b] * wi, xi = re[b] * wi + im[b] * wr;
                    re[b] = re[a] - xr;
                    im[b] = im[a] - xi;
                    re[a] += xr;
                    im[a] += xi;
                }
            }
        }
    }

    // ------------------------------------------------------------------ Bluestein

    /**
     * Bluestein: with {@code kn = (k² + n² − (k−n)²)/2}, {@code X[k] = w̄[k] Σ_n (x[n] w̄[n]) w[k−n]}
     * where {@code w[m] = e^{iπm²/N}}; the sum is a linear convolution done with a power-of-two
     * circular one of length ≥ 2N − 1.
     */
    private static void bluestein(double[] re, double[] im) {
        int n = re.length;
        int m = Integer.highestOneBit(2 * n - 1);
        if (m < 2 * n - 1) m <<= 1;
        // chirp angle π·k²/N, with k² reduced mod 2N in exact integer arithmetic
        double[] cr = new double[n], ci = new double[n];
        long mod = 2L * n;
        for (int k = 0; k < n; k++) {
            long k2 = ((long) k * k) % mod;
            double a = Math.PI * k2 / n;
            cr[k] = Math.cos(a);
            ci[k] = Math.sin(a);
        }
        double[] ar = new double[m], ai = new double[m], br = new double[m], bi = new double[m];
        for (int k = 0; k < n; k++) {
            // a = x · conj(w)
            ar[k] = re[k] * cr[k] + im[k] * ci[k];
            ai[k] = im[k] * cr[k] - re[k] * ci[k];
        }
        br[0] = cr[0];
        bi[0] = ci[0];
        for (int k = 1; k < n; k++) {
            br[k] = br[m - k] = cr[k];
            bi[k] = bi[m - k] = ci[k];
        }
        radix2(ar, ai);
        radix2(br, bi);
        for (int k = 0; k < m; k++) {
            double r = ar[k] * br[k] - ai[k] * bi[k], i = ar[k] * bi[k] + ai[k] * br[k];
            ar[k] = r;
            ai[k] = -i; // conjugate so that a forward transform performs the inverse
        }
        radix2(ar, ai);
        double s = 1.0 / m;
        for (int k = 0; k < n; k++) {
            double r = ar[k] * s, i = -ai[k] * s;
            // X = conj(w) · conv
            re[k] = r * cr[k] + i * ci[k];
            im[k] = i * cr[k] - r * ci[k];
        }
    }

    private static void negate(double[] a) {
        for (int i = 0; i < a.length; i++) a[i] = -a[i];
    }
}
