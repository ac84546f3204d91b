package org.jgrad.vision.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jgrad.data.DataFormatException;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AudioFolderTest {
    @TempDir Path dir;

    @Test
    void readsBothSplitsWithClassesFromTheTrainingFolders() throws Exception {
        tone(dir.resolve("train/high/a.wav"), 3000, 22050, 0.3);
        tone(dir.resolve("train/high/b.wav"), 3100, 16000, 0.5);
        tone(dir.resolve("train/low/a.wav"), 200, 22050, 0.4);
        tone(dir.resolve("test/low/c.wav"), 250, 8000, 0.6);
        assertTrue(AudioFolder.looksLikeAudioFolder(dir));
        AudioFolder.Result r = AudioFolder.load(dir, LogMelFeatures.speech());
        assertEquals(List.of("high", "low"), r.classNames());
        assertArrayEquals(new long[] {0, 0, 1}, r.train().targetTensor().toLongArray());
        assertArrayEquals(new long[] {1}, r.test().targetTensor().toLongArray());
        // a high tone's energy is in the top mel bands, a low one's in the bottom ones
        assertTrue(bandMean(r.train().inputTensor(), 0, 35) > bandMean(r.train().inputTensor(), 0, 5));
        assertTrue(bandMean(r.test().inputTensor(), 0, 5) > bandMean(r.test().inputTensor(), 0, 35));
    }

    @Test
    void aTestClassUnknownToTrainingAndABadFileAreNamed() throws Exception {
        tone(dir.resolve("train/a/x.wav"), 300, 16000, 0.3);
        tone(dir.resolve("test/b/y.wav"), 300, 16000, 0.3);
        var e = assertThrows(DataFormatException.class, () -> AudioFolder.load(dir, LogMelFeatures.speech()));
        assertTrue(e.getMessage().contains("class 'b' has no training examples"), e.getMessage());
        Files.delete(dir.resolve("test/b/y.wav"));
        Files.delete(dir.resolve("test/b"));
        Files.createDirectories(dir.resolve("test/a"));
        Files.write(dir.resolve("test/a/bad.wav"), new byte[] {'R', 'I', 'F', 'F', 0, 0, 0, 0, 'A', 'V', 'I', ' '});
        var bad = assertThrows(DataFormatException.class, () -> AudioFolder.load(dir, LogMelFeatures.speech()));
        assertTrue(bad.getMessage().startsWith(dir.resolve("test/a/bad.wav") + " (byte offset 8)"), bad.getMessage());
        assertFalse(AudioFolder.looksLikeAudioFolder(dir.resolve("train")));
    }

    @Test
    void theLoudPartIsCentredInTheWindow() {
        float[] x = new float[100];
        for (int i = 10; i < 20; i++) x[i] = 1;
        float[] c = LogMelFeatures.centred(x, 50);
        for (int i = 0; i < 50; i++) assertEquals(i >= 20 && i < 30 ? 1f : 0f, c[i], "sample " + i);
        float[] longer = LogMelFeatures.centred(new float[] {1, 2, 3, 4, 5, 6}, 2);
        assertArrayEquals(new float[] {3, 4}, longer);
    }

    private static double bandMean(Tensor maps, int sample, int band) {
        Tensor row = maps.select(0, sample).select(0, 0).select(0, band);
        double s = 0;
        for (float v : row.contiguous().toFloatArray()) s += v;
        return s / row.numel();
    }

    private static void tone(Path f, double hz, int rate, double seconds) throws Exception {
        Files.createDirectories(f.getParent());
        float[] x = new float[(int) (rate * seconds)];
        for (int i = 0; i < x.length; i++) x[i] = (float) (0.5 * Math.sin(2 * Math.PI * hz * i / rate));
        WavFile.write(f, Audio.mono(Tensor.fromArray(x, x.length), rate), 16);
    }
}
