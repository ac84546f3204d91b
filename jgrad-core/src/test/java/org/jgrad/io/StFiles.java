package org.jgrad.io;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Builds safetensors files byte by byte, so tests do not depend on the writer under test. */
final class StFiles {
    private StFiles() {}

    /** The 8-byte length, the header (padded with spaces to a multiple of 8 when asked), the data. */
    static byte[] file(String header, boolean pad, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        int n = pad ? (h.length + 7) & ~7 : h.length;
        ByteBuffer b = ByteBuffer.allocate(8 + n + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(n).put(h);
        for (int i = h.length; i < n; i++) b.put((byte) ' ');
        return b.put(data).array();
    }

    static byte[] file(String header, byte[] data) {
        return file(header, true, data);
    }

    static byte[] withRawHeader(byte[] header, byte[] data) {
        return ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(header.length).put(header).put(data).array();
    }

    static byte[] le(int... shorts16) {
        ByteBuffer b = ByteBuffer.allocate(shorts16.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int s : shorts16) b.putShort((short) s);
        return b.array();
    }

    static byte[] f32(float... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) b.putFloat(x);
        return b.array();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    static Path write(Path dir, String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    /** Loading fails with our exception type, naming the file and each fragment. */
    static SafeTensorsException assertBad(Path p, String... fragments) {
        SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> SafeTensors.load(p));
        String m = e.getMessage();
        assertTrue(m.contains(p.toString()), () -> "message does not name the file: " + m);
        assertTrue(e.file().equals(p), () -> "file() is " + e.file());
        for (String f : fragments) assertTrue(m.contains(f), () -> "message lacks '" + f + "': " + m);
        return e;
    }
}
