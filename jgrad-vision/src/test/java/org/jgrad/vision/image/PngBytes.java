package org.jgrad.vision.image;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * PNG files assembled byte by byte from the specification (signature, IHDR, one IDAT of
 * filter-0 scanlines, IEND), so decoding tests compare against pixel bytes that no image library
 * produced.
 */
final class PngBytes {
    private PngBytes() {}

    /** Colour types of the PNG specification. */
    static final int GREY = 0, RGB = 2, GREY_ALPHA = 4;

    /** An 8-bit PNG of {@code width × height} whose scanlines hold {@code samples} (row-major, interleaved). */
    static byte[] png(int width, int height, int colorType, int bitDepth, int[] samples) throws IOException {
        int perPixel = switch (colorType) {
            case GREY -> 1;
            case RGB -> 3;
            case GREY_ALPHA -> 2;
            default -> throw new IllegalArgumentException("colour type " + colorType);
        };
        int bytesPerSample = bitDepth / 8;
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        for (int y = 0; y < height; y++) {
            raw.write(0); // filter type None
            for (int i = 0; i < width * perPixel; i++) {
                int v = samples[y * width * perPixel + i];
                if (bytesPerSample == 2) raw.write(v >> 8);
                raw.write(v & 0xFF);
            }
        }
        Deflater d = new Deflater();
        d.setInput(raw.toByteArray());
        d.finish();
        byte[] buf = new byte[raw.size() + 64];
        int n = d.deflate(buf);
        d.end();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
        DataOutputStream h = new DataOutputStream(ihdr);
        h.writeInt(width);
        h.writeInt(height);
        h.writeByte(bitDepth);
        h.writeByte(colorType);
        h.writeByte(0); // deflate
        h.writeByte(0); // adaptive filtering
        h.writeByte(0); // no interlace
        chunk(out, "IHDR", ihdr.toByteArray());
        chunk(out, "IDAT", java.util.Arrays.copyOf(buf, n));
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws IOException {
        DataOutputStream s = new DataOutputStream(out);
        s.writeInt(data.length);
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        s.write(t);
        s.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        s.writeInt((int) crc.getValue());
    }
}
