package org.jgrad.vision.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jgrad.tensor.Tensor;
import org.jgrad.vision.fft.ComplexArray;
import org.junit.jupiter.api.Test;

class StftTest {

    /** Cases written by torch.stft (make_audio_fixtures.py): window padding, no centring, odd n_fft. */
    @Test
    void matchesTorchStft() throws Exception {
        List<String[]> lines = AudioRefs.lines("stft_refs.txt");
        int cases = 0;
        for (int i = 0; i < lines.size(); i += 4) {
            String[] c = lines.get(i);
            int nFft = Integer.parseInt(c[2]), hop = Integer.parseInt(c[3]), win = Integer.parseInt(c[4]);
            boolean center = c[5].equals("1");
            float[] x = AudioRefs.floats(lines.get(i + 1), 1);
            double[] re = AudioRefs.values(lines.get(i + 2), 1), im = AudioRefs.values(lines.get(i + 3), 1);
            Stft stft = new Stft(nFft, hop, win, center);
            ComplexArray[] got = stft.transform(x);
            int f = stft.numFrequencies(), t = got.length;
            assertEquals(re.length, f * t, c[1] + ": frames");
            double[] gre = new double[f * t], gim = new double[f * t];
            for (int j = 0; j < t; j++)
                for (int k = 0; k < f; k++) {
                    gre[k * t + j] = got[j].re()[k];
                    gim[k * t + j] = got[j].im()[k];
                }
            double[] both = concat(gre, gim), ref = concat(re, im);
            double err = AudioRefs.relError(both, ref);
            assertTrue(err < 1e-5, c[1] + ": relative error " + err);
            cases++;
        }
        assertEquals(4, cases);
    }

    @Test
    void powerSpectrogramIsSquaredMagnitudeInFrequencyByFrameLayout() {
        float[] x = new float[64];
        for (int i = 0; i < x.length; i++) x[i] = (float) Math.cos(2 * Math.PI * 4 * i / 16.0); // bin 4 of a 16-point frame
        Stft s = new Stft(16, 4, 16, true);
        Tensor p = s.spectrogram(Tensor.fromArray(x, x.length), 2), m = s.spectrogram(Tensor.fromArray(x, x.length), 1);
        assertArrayEquals(new int[] {9, 17}, p.shape());
        int frame = 8;
        assertEquals(p.get(4, frame), m.get(4, frame) * m.get(4, frame), 1e-3);
        // a cosine at bin 4 under a periodic Hann window: |X[4]| = N/4 = 4, neighbours N/8 = 2
        assertEquals(4.0, m.get(4, frame), 1e-5);
        assertEquals(2.0, m.get(3, frame), 1e-5);
        assertEquals(0.0, m.get(0, frame), 1e-5);
    }

    @Test
    void periodicHannWindow() {
        assertEquals(0.0, Stft.hann(0, 4));
        assertEquals(0.5, Stft.hann(1, 4), 1e-15);
        assertEquals(1.0, Stft.hann(2, 4), 1e-15);
        assertEquals(0.5, Stft.hann(3, 4), 1e-15);
    }

    @Test
    void badSizesAreRefusedWithTheNumbers() {
        var e = assertThrows(IllegalArgumentException.class, () -> new Stft(16, 4, 32, true));
        assertTrue(e.getMessage().contains("win_length 32 is longer than n_fft 16"), e.getMessage());
        var s = assertThrows(IllegalArgumentException.class, () -> new Stft(16, 4, 16, true).transform(new float[8]));
        assertTrue(s.getMessage().contains("8 samples"), s.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Stft(16, 4, 16, false).transform(new float[15]));
    }

    private static double[] concat(double[] a, double[] b) {
        double[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
