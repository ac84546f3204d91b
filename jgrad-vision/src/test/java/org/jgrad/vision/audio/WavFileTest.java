package org.jgrad.vision.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jgrad.data.DataFormatException;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WavFileTest {
    @TempDir Path dir;

    /** Files written by Python's wave module (8/16/24/32-bit PCM) and a float one with a LIST chunk. */
    @Test
    void readsWhatPythonWrote() throws Exception {
        int files = 0;
        for (String[] l : AudioRefs.lines("wav_refs.txt")) {
            Path f = Path.of(WavFileTest.class.getResource("wav/" + l[0]).toURI());
            Audio a = WavFile.read(f);
            int ch = Integer.parseInt(l[1]);
            assertEquals(ch, a.numChannels(), l[0]);
            assertEquals(Integer.parseInt(l[2]), a.sampleRate(), l[0]);
            float[] ref = AudioRefs.floats(l, 3);
            float[] got = new float[ref.length];
            for (int i = 0; i < a.length(); i++) for (int c = 0; c < ch; c++) got[i * ch + c] = a.waveform().get(c, i);
            assertArrayEquals(ref, got, 0f, l[0]);
            files++;
        }
        assertEquals(5, files);
    }

    @Test
    void writeThenReadKeepsTheSamplesAtEveryWidth() throws Exception {
        float[][] ch = {{0f, 0.5f, -0.5f, -1f, 0.25f}, {0.125f, -0.75f, 0f, 0.5f, -0.25f}};
        Audio a = new Audio(Tensor.of(ch), 16000);
        for (int bits : new int[] {0, 8, 16, 24, 32}) {
            Path f = dir.resolve("x" + bits + ".wav");
            WavFile.write(f, a, bits);
            Audio b = WavFile.read(f);
            assertEquals(16000, b.sampleRate());
            for (int c = 0; c < 2; c++) assertArrayEquals(ch[c], b.waveform().select(0, c).toFloatArray(), 1e-6f, bits + " bits");
        }
        assertArrayEquals(new float[] {0.0625f, -0.125f, -0.25f, -0.25f, 0f}, a.mixDown().toFloatArray(), 1e-7f);
    }

    @Test
    void aDataChunkClaimingMoreThanTheFileIsRefusedWithItsOffset() throws Exception {
        Path f = dir.resolve("cut.wav");
        WavFile.write(f, Audio.mono(Tensor.zeros(100), 8000), 16);
        byte[] b = Files.readAllBytes(f);
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(40, 2_000_000_000);
        Files.write(f, b);
        var e = assertThrows(DataFormatException.class, () -> WavFile.read(f));
        assertTrue(e.getMessage().startsWith(f + " (byte offset 40): data chunk claims 2000000000 bytes but only 200 are left"),
                e.getMessage());
    }

    @Test
    void badHeadersNameTheField() throws Exception {
        Path f = dir.resolve("x.wav");
        WavFile.write(f, Audio.mono(Tensor.zeros(10), 8000), 16);
        byte[] good = Files.readAllBytes(f);
        expect(f, patch(good, 0, "RIFX"), "(byte offset 0): not a WAV file: expected 'RIFF', found 'RIFX' (big-endian");
        expect(f, patch(good, 8, "AVI "), "(byte offset 8): not a WAV file: the RIFF form is 'AVI '");
        expect(f, patchShort(good, 20, 2), "(byte offset 20): format tag 2 is not supported");
        expect(f, patchShort(good, 22, 0), "(byte offset 22): 0 channels");
        expect(f, patchShort(good, 34, 12), "(byte offset 34): 12 bits per sample of integer PCM is not supported");
        expect(f, patchShort(good, 32, 3), "(byte offset 32): block align 3 does not match");
        expect(f, java.util.Arrays.copyOf(good, 30), "(byte offset 16): fmt chunk claims 16 bytes but only 10 are left");
        expect(f, java.util.Arrays.copyOf(good, 36), "(byte offset 36): no data chunk");
        expect(f, new byte[5], "(byte offset 0): a 5-byte file is too short");
        byte[] odd = good.clone();
        ByteBuffer.wrap(odd).order(ByteOrder.LITTLE_ENDIAN).putInt(40, 19);
        expect(f, odd, "(byte offset 40): data chunk of 19 bytes is not a whole number of 2-byte frames");
    }

    @Test
    void aClaimBeyondTheMemoryBudgetIsRefusedBeforeAllocating() throws Exception {
        // a sparse file: its length backs the claim, the budget does not
        Path f = dir.resolve("huge.wav");
        WavFile.write(f, Audio.mono(Tensor.zeros(2), 8000), 16);
        byte[] b = Files.readAllBytes(f);
        long claim = 400_000_000L;
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(40, (int) claim);
        Files.write(f, java.util.Arrays.copyOf(b, 44));
        try (var raf = new java.io.RandomAccessFile(f.toFile(), "rw")) {
            raf.setLength(44 + claim);
        }
        String old = System.getProperty("jgrad.readBudget");
        System.setProperty("jgrad.readBudget", "64m");
        try {
            var e = assertThrows(DataFormatException.class, () -> WavFile.read(f));
            assertTrue(e.getMessage().startsWith(f + " (byte offset 40): 200000000 frames of 1 channel(s); reading them needs 763 MiB"),
                    e.getMessage());
        } finally {
            if (old == null) System.clearProperty("jgrad.readBudget");
            else System.setProperty("jgrad.readBudget", old);
        }
    }

    private static void expect(Path f, byte[] bytes, String message) throws Exception {
        Files.write(f, bytes);
        var e = assertThrows(DataFormatException.class, () -> WavFile.read(f));
        assertTrue(e.getMessage().startsWith(f + " " + message), e.getMessage());
    }

    private static byte[] patch(byte[] b, int at, String s) {
        byte[] out = b.clone();
        System.arraycopy(s.getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, out, at, s.length());
        return out;
    }

    private static byte[] patchShort(byte[] b, int at, int v) {
        byte[] out = b.clone();
        ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putShort(at, (short) v);
        return out;
    }
}
