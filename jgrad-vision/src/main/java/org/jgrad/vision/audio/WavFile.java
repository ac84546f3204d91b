package org.jgrad.vision.audio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.jgrad.data.DataFormatException;
import org.jgrad.internal.TensorData;
import org.jgrad.io.MemoryBudget;

/**
 * Reads and writes RIFF WAVE files: integer PCM of 8 (unsigned), 16, 24 and 32 bits and IEEE float of
 * 32 bits, any number of channels from 1 to {@value #MAX_CHANNELS}, including the
 * {@code WAVE_FORMAT_EXTENSIBLE} header that many tools write for them. Samples come back as floats in
 * [-1, 1]: integers divided by 2^(bits-1) (8-bit samples are first centred on 128), floats as stored.
 *
 * <p>A header is a claim: the {@code data} chunk's size is checked against the bytes left in the file
 * and the samples' memory against {@link MemoryBudget} before anything is allocated. Every problem is a
 * {@link DataFormatException} whose message starts with the file and the byte offset of the field at
 * fault ({@code speech.wav (byte offset 40): data chunk claims 4000000 bytes but only 1200 are left}).
 * Chunks other than {@code fmt } and {@code data} ({@code LIST}, {@code fact}, ...) are skipped.
 */
public final class WavFile {
    private WavFile() {}

    /** The most channels a file may have. */
    public static final int MAX_CHANNELS = 16;

    private static final int PCM = 1, IEEE_FLOAT = 3, EXTENSIBLE = 0xFFFE;

    /**
     * Reads {@code file}.
     *
     * @throws DataFormatException when the bytes are not a WAV file this reader takes, naming the offset
     * @throws IOException when the file cannot be read
     */
    public static Audio read(Path file) throws IOException {
        long size = Files.size(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return new Parser(file.toString(), ch, size).parse();
        }
    }

    private static final class Parser {
        private final String name;
        private final FileChannel ch;
        private final long size;

        Parser(String name, FileChannel ch, long size) {
            this.name = name;
            this.ch = ch;
            this.size = size;
        }

        Audio parse() throws IOException {
            if (size < 12) throw bad(0, "a " + size + "-byte file is too short for a RIFF WAVE header (12 bytes)");
            ByteBuffer head = bytes(0, 12);
            String riff = ascii(head, 0), wave = ascii(head, 8);
            if (!riff.equals("RIFF"))
                throw bad(0, "not a WAV file: expected 'RIFF', found '" + printable(riff) + "'"
                        + (riff.equals("RIFX") ? " (big-endian RIFX is not supported)" : ""));
            if (!wave.equals("WAVE")) throw bad(8, "not a WAV file: the RIFF form is '" + printable(wave) + "', not 'WAVE'");
            long pos = 12;
            Format fmt = null;
            while (pos + 8 <= size) {
                ByteBuffer h = bytes(pos, 8);
                String id = ascii(h, 0);
                long len = Integer.toUnsignedLong(h.getInt(4));
                long body = pos + 8;
                if (id.equals("fmt ")) {
                    if (len < 16) throw bad(pos + 4, "fmt chunk is " + len + " bytes, fewer than the 16 a format needs");
                    if (len > size - body)
                        throw bad(pos + 4, "fmt chunk claims " + len + " bytes but only " + (size - body) + " are left");
                    fmt = Format.parse(this, body, bytes(body, (int) Math.min(len, 40)));
                } else if (id.equals("data")) {
                    if (fmt == null) throw bad(pos, "data chunk before the fmt chunk (the format is not known yet)");
                    if (len > size - body)
                        throw bad(pos + 4, "data chunk claims " + len + " bytes but only " + (size - body) + " are left"
                                + " (truncated file, or a streaming writer that never filled in the size)");
                    return samples(fmt, body, len, pos + 4);
                } else if (len > size - body) {
                    throw bad(pos + 4, "chunk '" + printable(id) + "' claims " + len + " bytes but only " + (size - body)
                            + " are left");
                }
                pos = body + len + (len & 1); // chunks are padded to an even length
            }
            throw bad(Math.min(pos, size), fmt == null ? "no fmt chunk" : "no data chunk");
        }

        private Audio samples(Format f, long at, long len, long lenField) throws IOException {
            int block = f.channels * f.bytesPerSample;
            if (len % block != 0)
                throw bad(lenField, "data chunk of " + len + " bytes is not a whole number of " + block + "-byte frames ("
                        + f.channels + " channel(s) of " + f.bits + " bits)");
            long frames = len / block;
            if (frames > Integer.MAX_VALUE - 8)
                throw bad(lenField, frames + " frames per channel, more than a Java array holds");
            long need = frames * f.channels * 4;
            if (!MemoryBudget.allows(need))
                throw bad(lenField, frames + " frames of " + f.channels + " channel(s); reading them "
                        + MemoryBudget.refusal(need, "the float samples"));
            int length = (int) frames;
            float[] out = new float[f.channels * length]; // [channels, frames]
            ByteBuffer buf = ByteBuffer.allocate(Math.max(block, (1 << 16) / block * block)).order(ByteOrder.LITTLE_ENDIAN);
            long done = 0;
            while (done < frames) {
                int n = (int) Math.min(frames - done, buf.capacity() / block);
                buf.clear().limit(n * block);
                read(buf, at + done * block);
                buf.flip();
                for (int i = 0; i < n; i++)
                    for (int c = 0; c < f.channels; c++) out[c * length + (int) (done + i)] = f.sample(buf);
                done += n;
            }
            return new Audio(TensorData.wrap(out, f.channels, length), f.rate);
        }

        ByteBuffer bytes(long at, int n) throws IOException {
            ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
            read(b, at);
            return b.flip();
        }

        private void read(ByteBuffer b, long at) throws IOException {
            long p = at;
            while (b.hasRemaining()) {
                int r = ch.read(b, p);
                if (r < 0) throw bad(p, "file ended early (it shrank while being read?)");
                p += r;
            }
        }

        DataFormatException bad(long offset, String what) {
            return new DataFormatException(name + " (byte offset " + offset + "): " + what);
        }
    }

    /** The fields of a fmt chunk that decide how samples are stored. */
    private record Format(int tag, int channels, int rate, int bits, int bytesPerSample) {
        static Format parse(Parser p, long at, ByteBuffer b) throws DataFormatException {
            int tag = Short.toUnsignedInt(b.getShort(0));
            int channels = Short.toUnsignedInt(b.getShort(2));
            long rate = Integer.toUnsignedLong(b.getInt(4));
            int blockAlign = Short.toUnsignedInt(b.getShort(12));
            int bits = Short.toUnsignedInt(b.getShort(14));
            if (tag == EXTENSIBLE) {
                if (b.limit() < 40)
                    throw p.bad(at, "WAVE_FORMAT_EXTENSIBLE needs a 40-byte fmt chunk, this one has " + b.limit());
                tag = Short.toUnsignedInt(b.getShort(24)); // the sub-format GUID starts with the format tag
            }
            if (tag != PCM && tag != IEEE_FLOAT)
                throw p.bad(at, "format tag " + tag + " is not supported (only PCM, 1, and IEEE float, 3)");
            if (channels < 1 || channels > MAX_CHANNELS)
                throw p.bad(at + 2, channels + " channels; a WAV file here has 1 to " + MAX_CHANNELS);
            if (rate < 1 || rate > Integer.MAX_VALUE) throw p.bad(at + 4, "sample rate " + rate + " Hz is not usable");
            boolean ok = tag == PCM ? bits == 8 || bits == 16 || bits == 24 || bits == 32 : bits == 32;
            if (!ok)
                throw p.bad(at + 14, bits + " bits per sample " + (tag == PCM ? "of integer PCM" : "of IEEE float")
                        + " is not supported (integer PCM: 8, 16, 24 or 32; float: 32)");
            int bytes = bits / 8;
            if (blockAlign != channels * bytes)
                throw p.bad(at + 12, "block align " + blockAlign + " does not match " + channels + " channel(s) of " + bits
                        + " bits (" + channels * bytes + " bytes a frame)");
            return new Format(tag, channels, (int) rate, bits, bytes);
        }

        float sample(ByteBuffer b) {
            if (tag == IEEE_FLOAT) return b.getFloat();
            return switch (bits) {
                case 8 -> (Byte.toUnsignedInt(b.get()) - 128) / 128f;
                case 16 -> b.getShort() / 32768f;
                case 24 -> {
                    int lo = Byte.toUnsignedInt(b.get()), mid = Byte.toUnsignedInt(b.get()), hi = b.get();
                    yield ((hi << 16) | (mid << 8) | lo) / 8388608f;
                }
                default -> (float) (b.getInt() / 2147483648.0);
            };
        }
    }

    /**
     * Writes {@code audio} as integer PCM of {@code bits} (8, 16, 24 or 32) or, with {@code bits} 0, as 32-bit
     * IEEE float. Integer samples are rounded and clipped to the range; the float format stores them as given.
     */
    public static void write(Path file, Audio audio, int bits) throws IOException {
        boolean isFloat = bits == 0;
        int bytes = isFloat ? 4 : bits / 8;
        if (!isFloat && bits != 8 && bits != 16 && bits != 24 && bits != 32)
            throw new IllegalArgumentException("WavFile.write: bits must be 8, 16, 24, 32 or 0 (float), got " + bits);
        long dataLen = (long) audio.length() * audio.numChannels() * bytes;
        if (dataLen > 0xFFFFFFFFL - 36) throw new IllegalArgumentException("WavFile.write: too long for a WAV file");
        ByteBuffer b = ByteBuffer.allocate((int) (44 + dataLen + (dataLen & 1))).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt((int) (36 + dataLen + (dataLen & 1)))
                .put("WAVE".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        b.put("fmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(16)
                .putShort((short) (isFloat ? IEEE_FLOAT : PCM)).putShort((short) audio.numChannels())
                .putInt(audio.sampleRate()).putInt(audio.sampleRate() * audio.numChannels() * bytes)
                .putShort((short) (audio.numChannels() * bytes)).putShort((short) (isFloat ? 32 : bits));
        b.put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt((int) dataLen);
        float[][] channels = audio.channelArrays();
        for (int i = 0; i < audio.length(); i++)
            for (float[] c : channels) {
                float v = c[i];
                if (isFloat) {
                    b.putFloat(v);
                    continue;
                }
                double scale = Math.pow(2, bits - 1);
                long q = Math.round(v * scale);
                q = Math.max((long) -scale, Math.min((long) scale - 1, q));
                switch (bits) {
                    case 8 -> b.put((byte) (q + 128));
                    case 16 -> b.putShort((short) q);
                    case 24 -> b.put((byte) q).put((byte) (q >> 8)).put((byte) (q >> 16));
                    default -> b.putInt((int) q);
                }
            }
        Files.write(file, b.array());
    }

    private static String ascii(ByteBuffer b, int at) {
        char[] c = new char[4];
        for (int i = 0; i < 4; i++) c[i] = (char) (b.get(at + i) & 0xFF);
        return new String(c);
    }

    private static String printable(String s) {
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) out.append(c >= 32 && c < 127 ? String.valueOf(c) : String.format("\\x%02x", (int) c));
        return out.toString();
    }
}
