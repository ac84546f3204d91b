package org.jgrad.vision.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

class MelSpectrogramTest {

    /** Filterbanks from the transcription of torchaudio's melscale_fbanks in make_audio_fixtures.py. */
    @Test
    void filterbanksMatchTorchaudiosFormula() throws Exception {
        int n = 0;
        for (List<String[]> lines = AudioRefs.lines("mel_refs.txt"); n < 3; n++) {
            String[] c = lines.get(2 * n);
            assertEquals("fbank", c[0]);
            MelFilterbank fb = MelFilterbank.of(Integer.parseInt(c[2]), Double.parseDouble(c[3]), Double.parseDouble(c[4]),
                    Integer.parseInt(c[5]), Integer.parseInt(c[6]), c[7].equals("htk") ? MelScale.HTK : MelScale.SLANEY,
                    c[8].equals("slaney"));
            double[] ref = AudioRefs.values(lines.get(2 * n + 1), 1);
            double[] got = new double[ref.length];
            int k = 0;
            for (double[] row : fb.weights()) for (double v : row) got[k++] = v;
            assertEquals(ref.length, k, c[1]);
            double err = AudioRefs.relError(got, ref);
            assertTrue(err < 1e-12, c[1] + ": relative error " + err);
        }
    }

    /** Mel spectrograms: torch.stft's power spectrogram times the filterbank, and AmplitudeToDB with top_db 80. */
    @Test
    void melSpectrogramsMatchTorch() throws Exception {
        List<String[]> lines = AudioRefs.lines("mel_refs.txt");
        int cases = 0;
        for (int i = 6; i < lines.size(); i += 4) {
            String[] c = lines.get(i);
            assertEquals("melspec", c[0]);
            MelSpectrogram mel = MelSpectrogram.of(Integer.parseInt(c[2]), Integer.parseInt(c[3]), Integer.parseInt(c[4]),
                    Integer.parseInt(c[5]));
            float[] x = AudioRefs.floats(lines.get(i + 1), 1);
            Tensor m = mel.apply(x);
            assertEquals(mel.numMels(), m.size(0));
            double err = AudioRefs.relError(toDoubles(m), AudioRefs.values(lines.get(i + 2), 1));
            assertTrue(err < 1e-5, c[1] + ": mel relative error " + err);
            double dbErr = AudioRefs.relError(toDoubles(MelSpectrogram.toDecibels(m, 80)), AudioRefs.values(lines.get(i + 3), 1));
            assertTrue(dbErr < 1e-5, c[1] + ": dB relative error " + dbErr);
            cases++;
        }
        assertEquals(2, cases);
    }

    @Test
    void htkAndSlaneyScalesRoundTrip() {
        for (MelScale s : MelScale.values())
            for (double hz : new double[] {0, 100, 999, 1000, 1001, 4000, 11025})
                assertEquals(hz, s.toHz(s.toMel(hz)), 1e-9 * Math.max(1, hz), s + " at " + hz);
        assertEquals(1000.0, MelScale.HTK.toMel(1000), 0.05); // the scale's anchor: 1 kHz is about 1000 mel
        assertEquals(15.0, MelScale.SLANEY.toMel(1000), 1e-12);
    }

    @Test
    void decibelsFloorAtTopDb() {
        Tensor db = MelSpectrogram.toDecibels(Tensor.of(1f, 1e-3f, 0f, 100f), 50);
        assertArrayEquals(new float[] {0f, -30f, -30f, 20f}, db.toFloatArray(), 1e-4f);
        assertEquals(-100f, MelSpectrogram.toDecibels(Tensor.of(0f), 0).toFloatArray()[0], 1e-4f);
    }

    @Test
    void aFilterbankThatDoesNotFitTheStftIsRefused() {
        var fb = MelFilterbank.of(10, 0, 4000, 4, 8000, MelScale.HTK, false);
        var e = assertThrows(IllegalArgumentException.class, () -> new MelSpectrogram(Stft.of(400), fb, 2));
        assertTrue(e.getMessage().contains("10 frequencies") && e.getMessage().contains("201"), e.getMessage());
    }

    private static double[] toDoubles(Tensor t) {
        float[] f = t.contiguous().toFloatArray();
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }
}
