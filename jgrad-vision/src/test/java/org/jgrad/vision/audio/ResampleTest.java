package org.jgrad.vision.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

class ResampleTest {

    /** A tone well below both Nyquist frequencies comes out as the same tone sampled at the new rate. */
    @Test
    void aToneKeepsItsFrequencyAcrossRates() {
        int[][] pairs = {{22050, 16000}, {16000, 22050}, {44100, 8000}, {8000, 12000}};
        for (int[] p : pairs) {
            int from = p[0], to = p[1];
            float[] x = tone(440, from, from / 2);
            float[] y = Resample.resample(Tensor.fromArray(x, x.length), from, to).toFloatArray();
            assertEquals((int) Math.ceil((double) x.length * to / from), y.length, from + "->" + to + ": length");
            float[] expected = tone(440, to, y.length);
            double worst = 0;
            for (int i = y.length / 10; i < y.length * 9 / 10; i++) worst = Math.max(worst, Math.abs(y[i] - expected[i]));
            assertTrue(worst < 2e-3, from + "->" + to + ": worst error " + worst);
        }
    }

    /** Above the new Nyquist frequency the low-pass filter removes a tone instead of folding it down. */
    @Test
    void noAliasing() {
        float[] x = tone(7000, 22050, 11025);
        float[] y = Resample.resample(x, 22050, 8000);
        double rms = 0;
        for (int i = y.length / 10; i < y.length * 9 / 10; i++) rms += y[i] * y[i];
        rms = Math.sqrt(rms / (y.length * 0.8));
        assertTrue(rms < 0.01, "rms " + rms);
    }

    /** Each row of a waveform [C, L] is resampled on its own, exactly as the signal alone. */
    @Test
    void everyChannelIsResampledAlongTheLastDimension() {
        float[] a = tone(440, 22050, 1000), b = tone(1000, 22050, 1000);
        float[] both = new float[2000];
        System.arraycopy(a, 0, both, 0, 1000);
        System.arraycopy(b, 0, both, 1000, 1000);
        Tensor y = Resample.resample(Tensor.fromArray(both, 2, 1000), 22050, 16000);
        int n = Resample.resample(a, 22050, 16000).length;
        org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {2, n}, y.shape());
        org.junit.jupiter.api.Assertions.assertArrayEquals(Resample.resample(a, 22050, 16000), y.select(0, 0).toFloatArray());
        org.junit.jupiter.api.Assertions.assertArrayEquals(Resample.resample(b, 22050, 16000), y.select(0, 1).toFloatArray());
    }

    @Test
    void theSameRateIsTheSameAudio() {
        Audio a = Audio.mono(Tensor.of(1, 2, 3), 16000);
        assertSame(a, Resample.to(a, 16000));
        assertEquals(24000, Resample.to(a, 24000).sampleRate());
    }

    private static float[] tone(double hz, int rate, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) Math.sin(2 * Math.PI * hz * i / rate);
        return x;
    }
}
