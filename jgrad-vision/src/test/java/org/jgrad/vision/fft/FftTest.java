package org.jgrad.vision.fft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class FftTest {
    /** The O(N²) definition, with the angle reduced exactly (kn mod N) so the reference is accurate. */
    static ComplexArray dft(ComplexArray x, int sign) {
        int n = x.length();
        double[] re = new double[n], im = new double[n];
        for (int k = 0; k < n; k++) {
            double sr = 0, si = 0;
            for (int j = 0; j < n; j++) {
                double a = sign * 2 * Math.PI * (((long) k * j) % n) / n;
                double c = Math.cos(a), s = Math.sin(a);
                sr += x.re()[j] * c - x.im()[j] * s;
                si += x.re()[j] * s + x.im()[j] * c;
            }
            re[k] = sr;
            im[k] = si;
        }
        return new ComplexArray(re, im);
    }

    static ComplexArray random(int n, long seed) {
        Random r = new Random(seed);
        double[] re = new double[n], im = new double[n];
        for (int i = 0; i < n; i++) {
            re[i] = r.nextGaussian();
            im[i] = r.nextGaussian();
        }
        return new ComplexArray(re, im);
    }

    /** max |a − b| relative to max |b|. */
    static double relErr(ComplexArray a, ComplexArray b) {
        double err = 0, scale = 0;
        for (int i = 0; i < b.length(); i++) {
            err = Math.max(err, Math.hypot(a.re()[i] - b.re()[i], a.im()[i] - b.im()[i]));
            scale = Math.max(scale, Math.hypot(b.re()[i], b.im()[i]));
        }
        return err / Math.max(scale, 1e-300);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 5, 7, 8, 12, 16, 17, 100, 127, 128, 1000})
    void forwardAndInverseMatchTheDefinition(int n) {
        ComplexArray x = random(n, n);
        ComplexArray f = Fft.fft(x);
        assertTrue(relErr(f, dft(x, -1)) < 1e-9, "fft n=" + n + ": " + relErr(f, dft(x, -1)));
        ComplexArray ref = dft(x, +1);
        for (int i = 0; i < n; i++) {
            ref.re()[i] /= n;
            ref.im()[i] /= n;
        }
        assertTrue(relErr(Fft.ifft(x), ref) < 1e-9, "ifft n=" + n);
        assertTrue(relErr(Fft.ifft(f), x) < 1e-12, "round trip n=" + n);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 5, 8, 17, 100, 127, 128, 1000})
    void parsevalHolds(int n) {
        ComplexArray x = random(n, 31L * n);
        ComplexArray f = Fft.fft(x);
        double et = 0, ef = 0;
        for (int i = 0; i < n; i++) {
            et += x.re()[i] * x.re()[i] + x.im()[i] * x.im()[i];
            ef += f.re()[i] * f.re()[i] + f.im()[i] * f.im()[i];
        }
        assertEquals(et, ef / n, 1e-10 * et);
    }

    @Test
    void knownTransforms() {
        // an impulse has a flat spectrum; a constant has all its energy at DC
        ComplexArray impulse = ComplexArray.ofReal(new double[] {1, 0, 0, 0, 0});
        assertArrayEquals(new double[] {1, 1, 1, 1, 1}, Fft.fft(impulse).re(), 1e-15);
        ComplexArray ones = ComplexArray.ofReal(new double[] {1, 1, 1, 1, 1, 1});
        assertArrayEquals(new double[] {6, 0, 0, 0, 0, 0}, Fft.fft(ones).re(), 1e-14);
        // numpy.fft.fft([1, 2, 3, 4]) = [10, -2+2j, -2, -2-2j]
        ComplexArray f = Fft.fft(ComplexArray.ofReal(new double[] {1, 2, 3, 4}));
        assertArrayEquals(new double[] {10, -2, -2, -2}, f.re(), 1e-14);
        assertArrayEquals(new double[] {0, 2, 0, -2}, f.im(), 1e-14);
        assertEquals(0, Fft.fft(ComplexArray.zeros(0)).length());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 5, 8, 9, 100, 127})
    void rfftKeepsTheNonNegativeFrequenciesAndIrfftInvertsIt(int n) {
        Random r = new Random(n);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = r.nextGaussian();
        ComplexArray half = Fft.rfft(x), full = Fft.fft(ComplexArray.ofReal(x));
        assertEquals(n / 2 + 1, half.length());
        for (int k = 0; k < half.length(); k++) {
            assertEquals(full.re()[k], half.re()[k], 1e-12);
            assertEquals(full.im()[k], half.im()[k], 1e-12);
        }
        assertArrayEquals(x, Fft.irfft(half, n), 1e-12);
    }
}
