package org.jgrad.vision.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generator on the small subset (30 clips, a few seconds); skipped, saying so, without espeak-ng. */
class SpeechDigitsTest {
    @TempDir Path dir;

    @Test
    void generatesTheSubsetByVoiceAndReadsItAsLogMelMaps() throws Exception {
        assumeTrue(SpeechDigits.synthesizerAvailable(), "espeak-ng is not installed (apt-get install espeak-ng)");
        SpeechDigits small = SpeechDigits.small();
        assertEquals(30, small.generate(dir));
        assertTrue(Files.isRegularFile(dir.resolve("train/seven/en-us+m1_s150_p50.wav")));
        assertTrue(Files.isRegularFile(dir.resolve("test/seven/en-us+m7_s150_p50.wav")));
        assertTrue(Files.readString(dir.resolve("README.txt")).contains("Synthetic spoken digits"));
        assertEquals(0, small.generate(dir), "a second run keeps the files already there");

        Audio a = WavFile.read(dir.resolve("train/three/en-gb+f2_s150_p50.wav"));
        assertEquals(1, a.numChannels());
        assertTrue(a.seconds() > 0.2 && a.seconds() < 1.5, a.seconds() + " s");

        AudioFolder.Result r = AudioFolder.load(dir, LogMelFeatures.speech());
        assertEquals(List.of("eight", "five", "four", "nine", "one", "seven", "six", "three", "two", "zero"), r.classNames());
        assertArrayEquals(new int[] {20, 1, 40, 101}, r.train().inputTensor().shape());
        assertArrayEquals(new int[] {10, 1, 40, 101}, r.test().inputTensor().shape());
        float[] x = r.train().inputTensor().toFloatArray();
        float max = Float.NEGATIVE_INFINITY, min = Float.POSITIVE_INFINITY;
        for (float v : x) {
            max = Math.max(max, v);
            min = Math.min(min, v);
        }
        assertEquals(1f, max, 1e-6f); // each map's peak
        assertTrue(min >= -1f, "floor 80 dB below the peak: " + min);
        // two voices saying the same word differ
        assertNotEquals(r.train().get(0).input().toFloatArray()[2000], r.train().get(1).input().toFloatArray()[2000]);
    }

    @Test
    void aVoiceInBothSplitsIsRefused() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new SpeechDigits(List.of("en-us+m1"), List.of("en-us+m1"), List.of(150), List.of(50), 10, 20, 0));
        assertTrue(e.getMessage().contains("en-us+m1 is in both splits"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new SpeechDigits(List.of("en-us; rm"), List.of("en-us+m7"), List.of(150), List.of(50), 10, 20, 0));
    }

    @Test
    void aMissingSynthesizerIsNamedWithHowToInstallIt() throws Exception {
        String old = System.getProperty("jgrad.espeak");
        System.setProperty("jgrad.espeak", dir.resolve("no-such-espeak").toString());
        try {
            var e = assertThrows(java.io.IOException.class, () -> SpeechDigits.small().generate(dir));
            assertTrue(e.getMessage().contains("apt-get install espeak-ng"), e.getMessage());
        } finally {
            if (old == null) System.clearProperty("jgrad.espeak");
            else System.setProperty("jgrad.espeak", old);
        }
    }
}
