package org.jgrad.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The central directory of a zip archive whose entries are stored uncompressed, as {@code torch.save}
 * writes them: each entry is a byte range of the file that the reader then reads in place. Parsed
 * here rather than with {@link java.util.zip.ZipFile} because the readers need each entry's absolute
 * file offset (to read storages straight into tensors and to say where a problem lies), and because
 * every size and offset must be checked against the file before it is used.
 *
 * <p>Checked: the end-of-central-directory record (and its zip64 form) lies in the file; the central
 * directory lies before it; every entry is unencrypted, a stored one's compressed and uncompressed
 * sizes agree, its local header and data lie inside the file before the central directory, and no
 * name appears twice. Compressed entries are listed but not read ({@link #requireStored}).
 */
final class StoredZip {
    /**
     * One entry: its data is {@code size} bytes at absolute file offset {@code dataOffset} when
     * {@code method} is 0 (stored); other methods are listed, so that the archive can be recognised,
     * but {@link #requireStored} refuses to read them.
     */
    record Entry(String name, long dataOffset, long size, int method, long headerOffset) {}

    /** Fails unless the entry is stored uncompressed, so that its bytes are its data. */
    static void requireStored(Entry e, Path file) throws PyTorchFormatException {
        if (e.method() != 0)
            throw new PyTorchFormatException(file, e.headerOffset(), "entry '" + e.name() + "' is compressed (method "
                    + e.method() + "); torch.save stores entries uncompressed, and jgrad reads only stored entries");
    }

    private static final int EOCD_SIG = 0x06054b50, ZIP64_LOCATOR_SIG = 0x07064b50, ZIP64_EOCD_SIG = 0x06064b50;
    private static final int CEN_SIG = 0x02014b50, LOC_SIG = 0x04034b50;
    private static final int EOCD_LEN = 22, CEN_LEN = 46, LOC_LEN = 30;
    private static final long U32 = 0xFFFFFFFFL;

    private StoredZip() {}

    /** True if the file starts with a zip local-file header. */
    static boolean hasZipMagic(byte[] head, int n) {
        return n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
    }

    /** Reads and checks the central directory; entries in directory order. */
    static Map<String, Entry> read(FileChannel ch, Path file) throws IOException {
        long size = ch.size();
        // The EOCD record sits in the last 22 + 65535 (comment) bytes.
        int tailLen = (int) Math.min(size, EOCD_LEN + 0xFFFF);
        ByteBuffer tail = readAt(ch, file, size - tailLen, tailLen);
        int eocd = -1;
        for (int i = tailLen - EOCD_LEN; i >= 0; i--) {
            if (tail.getInt(i) == EOCD_SIG && i + EOCD_LEN + (tail.getShort(i + 20) & 0xFFFF) == tailLen) {
                eocd = i;
                break;
            }
        }
        if (eocd < 0)
            throw new PyTorchFormatException(file, -1, "a zip archive without its end-of-central-directory record "
                    + "(truncated or not a complete torch.save file)");
        long eocdPos = size - tailLen + eocd;
        long entries = tail.getShort(eocd + 10) & 0xFFFF;
        long cenSize = tail.getInt(eocd + 12) & U32;
        long cenOffset = tail.getInt(eocd + 16) & U32;
        long cenEnd = eocdPos;
        if (eocdPos >= 20 && readAt(ch, file, eocdPos - 20, 4).getInt(0) == ZIP64_LOCATOR_SIG) {
            ByteBuffer loc = readAt(ch, file, eocdPos - 20, 20);
            long z64 = loc.getLong(8);
            if (z64 < 0 || z64 > eocdPos - 20 - 56)
                throw new PyTorchFormatException(file, eocdPos - 20, "zip64 end-of-central-directory offset " + z64
                        + " lies outside the file");
            ByteBuffer rec = readAt(ch, file, z64, 56);
            if (rec.getInt(0) != ZIP64_EOCD_SIG)
                throw new PyTorchFormatException(file, z64, "no zip64 end-of-central-directory record where the locator points");
            entries = rec.getLong(32);
            cenSize = rec.getLong(40);
            cenOffset = rec.getLong(48);
            cenEnd = z64;
        }
        if (cenOffset < 0 || cenSize < 0 || cenOffset > cenEnd || cenSize > cenEnd - cenOffset)
            throw new PyTorchFormatException(file, eocdPos, "central directory [" + cenOffset + ", +" + cenSize
                    + ") does not lie before its end record at " + cenEnd);
        if (cenSize > Integer.MAX_VALUE - 8)
            throw new PyTorchFormatException(file, eocdPos, "central directory of " + cenSize + " bytes is too large");
        if (entries < 0 || entries > cenSize / CEN_LEN)
            throw new PyTorchFormatException(file, eocdPos, "the end record claims " + entries
                    + " entries, more than a " + cenSize + "-byte central directory holds");
        ByteBuffer cen = readAt(ch, file, cenOffset, (int) cenSize);
        Map<String, Entry> out = new LinkedHashMap<>();
        int p = 0;
        for (long k = 0; k < entries; k++) {
            long at = cenOffset + p;
            if (p > cenSize - CEN_LEN || cen.getInt(p) != CEN_SIG)
                throw new PyTorchFormatException(file, at, "central directory entry " + k + " is not a valid header");
            int flags = cen.getShort(p + 8) & 0xFFFF;
            int method = cen.getShort(p + 10) & 0xFFFF;
            long csize = cen.getInt(p + 20) & U32, usize = cen.getInt(p + 24) & U32;
            int nameLen = cen.getShort(p + 28) & 0xFFFF, extraLen = cen.getShort(p + 30) & 0xFFFF;
            int commentLen = cen.getShort(p + 32) & 0xFFFF;
            long localOffset = cen.getInt(p + 42) & U32;
            if ((long) p + CEN_LEN + nameLen + extraLen + commentLen > cenSize)
                throw new PyTorchFormatException(file, at, "central directory entry " + k + " runs past the directory's end");
            byte[] nameBytes = new byte[nameLen];
            cen.get(p + CEN_LEN, nameBytes);
            String name = new String(nameBytes, StandardCharsets.UTF_8);
            // Zip64: the fields that overflowed 32 bits are 0xFFFFFFFF and come, in this order, in extra field 1.
            int e = p + CEN_LEN + nameLen, eEnd = e + extraLen;
            while (e + 4 <= eEnd) {
                int id = cen.getShort(e) & 0xFFFF, len = cen.getShort(e + 2) & 0xFFFF;
                int q = e + 4, qEnd = e + 4 + len;
                if (qEnd > eEnd)
                    throw new PyTorchFormatException(file, cenOffset + e, "entry '" + name + "': extra field runs past its end");
                if (id == 1) {
                    if (usize == U32) { usize = q + 8 <= qEnd ? cen.getLong(q) : -1; q += 8; }
                    if (csize == U32) { csize = q + 8 <= qEnd ? cen.getLong(q) : -1; q += 8; }
                    if (localOffset == U32) { localOffset = q + 8 <= qEnd ? cen.getLong(q) : -1; }
                    if (usize < 0 || csize < 0 || localOffset < 0)
                        throw new PyTorchFormatException(file, cenOffset + e, "entry '" + name + "': bad zip64 extra field");
                }
                e = qEnd;
            }
            if ((flags & 1) != 0)
                throw new PyTorchFormatException(file, at, "entry '" + name + "' is encrypted");
            if (method == 0 && csize != usize)
                throw new PyTorchFormatException(file, at, "stored entry '" + name + "' claims " + csize
                        + " bytes compressed but " + usize + " uncompressed");
            if (localOffset > cenOffset - LOC_LEN)
                throw new PyTorchFormatException(file, at, "entry '" + name + "': local header offset " + localOffset
                        + " is not before the central directory at " + cenOffset);
            ByteBuffer loc = readAt(ch, file, localOffset, LOC_LEN);
            if (loc.getInt(0) != LOC_SIG)
                throw new PyTorchFormatException(file, localOffset, "entry '" + name + "': no local header where the "
                        + "central directory points");
            long dataOffset = localOffset + LOC_LEN + (loc.getShort(26) & 0xFFFF) + (loc.getShort(28) & 0xFFFF);
            if (dataOffset > cenOffset || csize > cenOffset - dataOffset)
                throw new PyTorchFormatException(file, localOffset, "entry '" + name + "': its " + csize
                        + " bytes at offset " + dataOffset + " run past the start of the central directory at " + cenOffset);
            if (out.put(name, new Entry(name, dataOffset, usize, method, at)) != null)
                throw new PyTorchFormatException(file, at, "entry '" + name + "' appears twice in the archive");
            p += CEN_LEN + nameLen + extraLen + commentLen;
        }
        return out;
    }

    /** Reads {@code len} bytes at {@code pos} (which the caller has checked lie in the file). */
    static ByteBuffer readAt(FileChannel ch, Path file, long pos, int len) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
        long p = pos;
        while (b.hasRemaining()) {
            int r = ch.read(b, p);
            if (r < 0) throw new PyTorchFormatException(file, p, "file ended early (was it truncated while being read?)");
            p += r;
        }
        return b.flip();
    }
}
