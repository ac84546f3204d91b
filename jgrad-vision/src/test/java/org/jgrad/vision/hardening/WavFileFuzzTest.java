package org.jgrad.vision.hardening;

import static org.jgrad.vision.hardening.FuzzContract.require;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import org.jgrad.data.DataFormatException;
import org.jgrad.vision.audio.Audio;
import org.jgrad.vision.audio.WavFile;
import org.junit.jupiter.api.Timeout;

/** Fuzzes {@link WavFile#read}: the input is the file. */
class WavFileFuzzTest {
    private static final Path FILE = FuzzContract.scratch(".wav");

    @FuzzTest(maxDuration = "5s")
    @Timeout(10)
    void read(byte[] data) {
        Audio a = FuzzContract.run(data.length, DataFormatException.class, () -> WavFile.read(FuzzContract.write(FILE, data)));
        if (a == null) return;
        require(a.numChannels() >= 1 && a.numChannels() <= WavFile.MAX_CHANNELS, a.numChannels() + " channels");
        // every sample came from the file: at least one byte per sample, plus the 12-byte RIFF header
        require((long) a.length() * a.numChannels() <= data.length - 12L, a + " from " + data.length + " bytes");
    }

}
