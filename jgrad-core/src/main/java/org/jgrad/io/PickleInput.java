package org.jgrad.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Sequential, buffered reading of a byte range {@code [start, limit)} of a file, for the unpickler.
 * Every length read from the file is checked against the bytes left before anything is allocated for
 * it, so a pickle claiming a 4 GB string fails at once.
 */
final class PickleInput {
    private final FileChannel ch;
    private final Path file;
    private final long limit;
    private final ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    private long bufStart; // file offset of buf's first byte

    PickleInput(FileChannel ch, Path file, long start, long limit) {
        this.ch = ch;
        this.file = file;
        this.limit = limit;
        this.bufStart = start;
        buf.limit(0);
    }

    Path file() {
        return file;
    }

    /** Absolute file offset of the next byte. */
    long position() {
        return bufStart + buf.position();
    }

    long remaining() {
        return limit - position();
    }

    private void need(int n, String what) throws IOException {
        if (n > remaining())
            throw new PyTorchFormatException(file, position(), "pickle ends early: " + what + " needs " + n
                    + " bytes but only " + remaining() + " are left");
        if (buf.remaining() >= n) return;
        long pos = position();
        buf.clear();
        int want = (int) Math.min(buf.capacity(), limit - pos);
        buf.limit(want);
        long p = pos;
        while (buf.hasRemaining()) {
            int r = ch.read(buf, p);
            if (r < 0) throw new PyTorchFormatException(file, p, "file ended early (was it truncated while being read?)");
            p += r;
        }
        buf.flip();
        bufStart = pos;
    }

    int u8(String what) throws IOException {
        need(1, what);
        return buf.get() & 0xFF;
    }

    /** Little-endian unsigned integer of 1 to 8 bytes ({@code n == 8} may come back negative). */
    long le(int n, String what) throws IOException {
        need(n, what);
        long v = 0;
        for (int i = 0; i < n; i++) v |= (buf.get() & 0xFFL) << (8 * i);
        return v;
    }

    double bigEndianDouble(String what) throws IOException {
        need(8, what);
        long bits = 0;
        for (int i = 0; i < 8; i++) bits = bits << 8 | (buf.get() & 0xFFL);
        return Double.longBitsToDouble(bits);
    }

    /** {@code n} bytes, with {@code n} checked against what is left first. */
    byte[] bytes(long n, String what) throws IOException {
        if (n < 0 || n > remaining())
            throw new PyTorchFormatException(file, position(), "pickle ends early: " + what + " claims "
                    + Long.toUnsignedString(n) + " bytes but only " + remaining() + " are left");
        byte[] out = new byte[(int) n];
        int done = 0;
        while (done < n) {
            if (!buf.hasRemaining()) need((int) Math.min(buf.capacity(), n - done), what);
            int k = Math.min(buf.remaining(), (int) n - done);
            buf.get(out, done, k);
            done += k;
        }
        return out;
    }

    /** A protocol-0 text line without its newline; at most {@code max} bytes. */
    String line(String what, int max) throws IOException {
        StringBuilder sb = new StringBuilder();
        long start = position();
        while (true) {
            int c = u8(what);
            if (c == '\n') return sb.toString();
            if (sb.length() >= max)
                throw new PyTorchFormatException(file, start, what + " is longer than " + max + " bytes");
            sb.append((char) c);
        }
    }
}
