package org.jgrad.vision.fft;

/**
 * Complex numbers as two parallel double arrays, the layout the FFT works on in place.
 *
 * @param re real parts
 * @param im imaginary parts, same length
 */
public record ComplexArray(double[] re, double[] im) {
    /**
     * Wraps the two arrays as they are (not copied): transforms that take a ComplexArray may work in place.
     *
     * @throws IllegalArgumentException when either is null or their lengths differ
     */
    public ComplexArray {
        if (re == null || im == null || re.length != im.length)
            throw new IllegalArgumentException("ComplexArray: real and imaginary parts must have the same length, got "
                    + (re == null ? "null" : re.length) + " and " + (im == null ? "null" : im.length));
    }

    /** n zeros. */
    public static ComplexArray zeros(int n) {
        return new ComplexArray(new double[n], new double[n]);
    }

    /** A real signal (imaginary parts 0); the input is copied. */
    public static ComplexArray ofReal(double[] re) {
        return new ComplexArray(re.clone(), new double[re.length]);
    }

    /** Number of elements. */
    public int length() {
        return re.length;
    }

    /** A deep copy. */
    public ComplexArray copy() {
        return new ComplexArray(re.clone(), im.clone());
    }

    /** |z| of each element. */
    public double[] abs() {
        double[] a = new double[re.length];
        for (int i = 0; i < a.length; i++) a[i] = Math.hypot(re[i], im[i]);
        return a;
    }

    /** arg z of each element, in (−π, π]. */
    public double[] phase() {
        double[] a = new double[re.length];
        for (int i = 0; i < a.length; i++) a[i] = Math.atan2(im[i], re[i]);
        return a;
    }
}
