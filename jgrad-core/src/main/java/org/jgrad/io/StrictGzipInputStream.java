package org.jgrad.io;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import java.util.zip.ZipException;

/**
 * Decompresses gzip data (RFC 1952), one member or several concatenated, like
 * {@link java.util.zip.GZIPInputStream} but strict about what follows a member: the JDK's stream
 * silently ignores bytes after a member that are not another gzip header, so a file with garbage
 * appended reads as valid. Here they fail with a {@link ZipException} naming their offset in the
 * compressed file. A stream cut off in the compressed data or the trailer throws
 * {@link EOFException}; corrupt deflate data, a bad header or a CRC/length mismatch in a trailer
 * throws {@link ZipException}, as the JDK's stream does.
 */
public final class StrictGzipInputStream extends InputStream {
    private final InputStream in;
    private final byte[] buf = new byte[1 << 16];
    private int pos, len;
    /** Compressed bytes consumed before {@code buf[0]}. */
    private long base;
    private final Inflater inflater = new Inflater(true);
    private final CRC32 crc = new CRC32();
    private long memberBytes;
    private boolean eof, closed;

    /**
     * Reads the first member's header.
     *
     * @throws ZipException if the data does not start with a gzip header ("Not in GZIP format")
     * @throws EOFException if it ends inside the header
     */
    public StrictGzipInputStream(InputStream in) throws IOException {
        this.in = in;
        header(true);
    }

    /** Offset in the compressed input of the next byte not yet handed to the inflater. */
    private long offset() {
        return base + pos;
    }

    private boolean fill() throws IOException {
        base += len;
        pos = 0;
        len = 0;
        int n;
        do n = in.read(buf, 0, buf.length); while (n == 0);
        if (n < 0) return false;
        len = n;
        return true;
    }

    private int rawByte() throws IOException {
        if (pos == len && !fill()) throw new EOFException("Unexpected end of gzip header or trailer at offset " + offset());
        return buf[pos++] & 0xFF;
    }

    private void header(boolean first) throws IOException {
        long start = offset();
        if (!first && pos == len && !fill()) {
            eof = true;
            return;
        }
        int m0 = first ? rawByte() : buf[pos++] & 0xFF;
        int m1 = (pos == len && !fill()) ? -1 : buf[pos++] & 0xFF;
        if (m0 != 0x1f || m1 != 0x8b) {
            if (first) throw new ZipException("Not in GZIP format");
            throw new ZipException("unexpected bytes after the end of the gzip data, at offset " + start
                    + " of the compressed file (not another gzip member)");
        }
        if (rawByte() != 8) throw new ZipException("Unsupported compression method at offset " + (start + 2));
        int flags = rawByte();
        if ((flags & 0xE0) != 0) throw new ZipException("reserved gzip header flags set at offset " + (start + 3));
        for (int i = 0; i < 6; i++) rawByte(); // mtime, extra flags, OS
        if ((flags & 4) != 0) {
            int xlen = rawByte() | rawByte() << 8;
            for (int i = 0; i < xlen; i++) rawByte();
        }
        if ((flags & 8) != 0) while (rawByte() != 0) {} // file name
        if ((flags & 16) != 0) while (rawByte() != 0) {} // comment
        if ((flags & 2) != 0) { rawByte(); rawByte(); } // header CRC
        inflater.reset();
        crc.reset();
        memberBytes = 0;
    }

    private void trailer() throws IOException {
        long at = offset();
        long stored = 0, size = 0;
        for (int i = 0; i < 4; i++) stored |= (long) rawByte() << (8 * i);
        for (int i = 0; i < 4; i++) size |= (long) rawByte() << (8 * i);
        if (stored != crc.getValue()) throw new ZipException("Corrupt GZIP trailer: CRC mismatch at offset " + at);
        if (size != (memberBytes & 0xFFFFFFFFL)) throw new ZipException("Corrupt GZIP trailer: length mismatch at offset " + at);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int n) throws IOException {
        if (closed) throw new IOException("Stream closed");
        java.util.Objects.checkFromIndexSize(off, n, b.length);
        if (n == 0) return 0;
        while (!eof) {
            int got;
            try {
                got = inflater.inflate(b, off, n);
            } catch (DataFormatException e) {
                throw new ZipException(e.getMessage() == null ? "invalid deflate data" : e.getMessage());
            }
            if (got > 0) {
                crc.update(b, off, got);
                memberBytes += got;
                return got;
            }
            if (inflater.finished()) {
                pos = len - inflater.getRemaining();
                trailer();
                header(false);
            } else if (inflater.needsDictionary()) {
                throw new ZipException("deflate data needs a preset dictionary, which gzip does not have");
            } else if (inflater.needsInput()) {
                if (pos == len && !fill()) throw new EOFException("Unexpected end of ZLIB input stream");
                inflater.setInput(buf, pos, len - pos);
                pos = len;
            }
        }
        return -1;
    }

    @Override
    public void close() throws IOException {
        if (closed) return;
        closed = true;
        inflater.end();
        in.close();
    }
}
