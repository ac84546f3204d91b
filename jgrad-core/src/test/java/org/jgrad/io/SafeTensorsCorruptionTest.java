package org.jgrad.io;

import static org.jgrad.io.StFiles.assertBad;
import static org.jgrad.io.StFiles.concat;
import static org.jgrad.io.StFiles.f32;
import static org.jgrad.io.StFiles.file;
import static org.jgrad.io.StFiles.withRawHeader;
import static org.jgrad.io.StFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every malformed file must fail with a SafeTensorsException that names it, before allocating. */
class SafeTensorsCorruptionTest {
    @TempDir
    Path dir;

    private static final String ONE = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";

    private Path bad(String header, byte[] data) throws IOException {
        return write(dir, "bad.safetensors", file(header, data));
    }

    private byte[] validFile() throws IOException {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("w", Tensor.of(new float[][] {{1, 2, 3}, {4, 5, 6}}));
        m.put("step", Tensor.ofLongs(7, -8));
        m.put("s", Tensor.scalar(0.5f));
        Path p = dir.resolve("valid.safetensors");
        SafeTensors.save(m, p, Map.of("k", "v ü"));
        return Files.readAllBytes(p);
    }

    @Test
    void everyProperPrefixFailsCleanlyAndTheWholeFileLoads() throws IOException {
        byte[] full = validFile();
        Path p = dir.resolve("prefix.safetensors");
        for (int len = 0; len < full.length; len++) {
            Files.write(p, Arrays.copyOf(full, len));
            SafeTensorsException e = assertBad(p);
            if (len < 8) assertEquals(-1, e.byteOffset(), e.getMessage());
        }
        Files.write(p, full);
        SafeTensorsFile f = SafeTensors.load(p);
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, f.tensors().get("w").toFloatArray());
        assertArrayEquals(new long[] {7, -8}, f.tensors().get("step").toLongArray());
    }

    @Test
    void extraBytesAfterTheDataAreRejected() throws IOException {
        byte[] full = validFile();
        Path p = write(dir, "trailing.safetensors", concat(full, new byte[] {0}));
        SafeTensorsException e = assertBad(p, "1 trailing bytes");
        assertEquals(full.length, e.byteOffset());
    }

    @Test
    void flippedOrFuzzedBytesNeverEscapeAsAnotherException() throws IOException {
        byte[] full = validFile();
        Path p = dir.resolve("fuzz.safetensors");
        int headerEnd = 8 + (int) ByteBuffer.wrap(full).order(ByteOrder.LITTLE_ENDIAN).getLong();
        byte[] probes = {0, ' ', '"', '\\', '{', '}', '[', ']', ',', ':', '-', '0', '9', 'e', '.', (byte) 0xC3,
            (byte) 0xFF, 0x7F, 0x01};
        int failures = 0;
        for (int i = 0; i < headerEnd; i++) {
            for (byte probe : probes) {
                byte[] b = full.clone();
                if (b[i] == probe) continue;
                b[i] = probe;
                Files.write(p, b);
                failures += loadsOrFailsCleanly(p) ? 0 : 1;
            }
            byte[] b = full.clone();
            b[i] ^= (byte) 0xFF;
            Files.write(p, b);
            failures += loadsOrFailsCleanly(p) ? 0 : 1;
        }
        Random rnd = new Random(1234);
        for (int iter = 0; iter < 2000; iter++) {
            byte[] b = full.clone();
            int flips = 1 + rnd.nextInt(4);
            for (int k = 0; k < flips; k++) b[8 + rnd.nextInt(headerEnd - 8)] = (byte) rnd.nextInt(256);
            Files.write(p, b);
            failures += loadsOrFailsCleanly(p) ? 0 : 1;
        }
        // Almost every mutation breaks the header; a handful (e.g. a changed metadata letter) are valid.
        assertTrue(failures > 1000, "only " + failures + " mutations rejected");
    }

    /** True when it loaded; false when it failed with a SafeTensorsException; fails the test otherwise. */
    private static boolean loadsOrFailsCleanly(Path p) {
        try {
            SafeTensors.load(p);
            return true;
        } catch (SafeTensorsException e) {
            if (!e.getMessage().contains(p.toString())) fail("message does not name the file: " + e.getMessage());
            return false;
        } catch (Throwable t) {
            throw new AssertionError("a corrupt file escaped as " + t, t);
        }
    }

    // ------------------------------------------------------------------ header length

    private Path withLength(long n, int actualBytes) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8 + actualBytes).order(ByteOrder.LITTLE_ENDIAN).putLong(n);
        return write(dir, "len.safetensors", b.array());
    }

    @Test
    void headerLengthLimits() throws IOException {
        SafeTensorsException e = assertBad(withLength(-1L, 16), "18446744073709551615", "exceeds");
        assertEquals(0, e.byteOffset());
        assertBad(withLength(1L << 62, 16), "exceeds");
        assertBad(withLength(SafeTensors.MAX_HEADER_BYTES + 1, 16), "exceeds the 100000000-byte limit");
        assertBad(withLength(17, 16), "runs past the end of the file");
        assertBad(withLength(0, 0), "header does not start with '{'");
        assertBad(write(dir, "short.safetensors", new byte[] {2, 0, 0}), "3 bytes long");
    }

    // ------------------------------------------------------------------ JSON structure

    @Test
    void headerMustBeOneStrictJsonObject() throws IOException {
        assertBad(bad("[]", new byte[0]), "does not start with '{'");
        assertBad(bad(" {}", new byte[0]), "does not start with '{'");
        assertBad(bad("{", new byte[0]), "unexpected end");
        assertBad(bad("{\"a\":}", new byte[0]), "unexpected character '}'");
        assertBad(bad("{\"a\":1,}", new byte[0]), "expected a string key");
        assertBad(bad("{}x", new byte[0]), "unexpected data after");
        assertBad(bad("{}{}", new byte[0]), "unexpected data after");
        assertBad(bad("{} \0", new byte[0]), "unexpected data after");
        assertBad(bad("{'a':1}", new byte[0]), "expected a string key");
        assertBad(bad("{\"a\" 1}", new byte[0]), "expected ':'");
        assertBad(bad("{\"a\":tru}", new byte[0]), "invalid literal");
        assertBad(bad("{\"a\":\"x}", new byte[0]), "unterminated string");
        assertBad(bad("{\"a\":\"\\q\"}", new byte[0]), "invalid escape");
        assertBad(bad("{\"a\":\"\\u12G4\"}", new byte[0]), "invalid hex digit");
        assertBad(bad("{\"a\":\"\\ud800\"}", new byte[0]), "unpaired high surrogate");
        assertBad(bad("{\"a\":\"\\udc00\"}", new byte[0]), "unpaired low surrogate");
        assertBad(bad("{\"a\":\"\\ud800\\u0041\"}", new byte[0]), "not followed by a low surrogate");
        assertBad(bad("{\"a\":\"tab\there\"}", new byte[0]), "unescaped control character");
        assertBad(bad("{\"a\":[1,2]]}", new byte[0]), "expected ',' or '}'");
        assertBad(bad("{\"a\":[1 2]}", new byte[0]), "expected ',' or ']'");
    }

    @Test
    void invalidUtf8IsRejectedWithItsOffset() throws IOException {
        byte[] h = "{\"ab\":1}".getBytes(StandardCharsets.US_ASCII);
        h[3] = (byte) 0xC3; // a lead byte followed by '"' is malformed
        SafeTensorsException e = assertBad(write(dir, "utf8.safetensors", withRawHeader(pad(h), new byte[0])),
                "invalid UTF-8");
        assertEquals(8 + 3, e.byteOffset());
        byte[] overlong = concat("{\"".getBytes(StandardCharsets.US_ASCII), new byte[] {(byte) 0xC0, (byte) 0xAF},
                "\":1}".getBytes(StandardCharsets.US_ASCII));
        assertBad(write(dir, "utf8b.safetensors", withRawHeader(pad(overlong), new byte[0])), "invalid UTF-8");
        byte[] surrogate = concat("{\"".getBytes(StandardCharsets.US_ASCII),
                new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, "\":1}".getBytes(StandardCharsets.US_ASCII));
        assertBad(write(dir, "utf8c.safetensors", withRawHeader(pad(surrogate), new byte[0])), "invalid UTF-8");
        byte[] outside = "{}\u00e9".getBytes(StandardCharsets.UTF_8);
        assertBad(write(dir, "utf8d.safetensors", withRawHeader(pad(outside), new byte[0])), "unexpected data");
    }

    private static byte[] pad(byte[] h) {
        byte[] out = Arrays.copyOf(h, (h.length + 7) & ~7);
        Arrays.fill(out, h.length, out.length, (byte) ' ');
        return out;
    }

    @Test
    void duplicateKeysAreRejectedAtEveryLevel() throws IOException {
        String dup = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}";
        SafeTensorsException e = assertBad(bad(dup, f32(1, 2)), "duplicate key 'a'");
        assertEquals(8 + dup.lastIndexOf("\"a\""), e.byteOffset());
        assertBad(bad("{\"a\":{\"dtype\":\"F32\",\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", f32(1)),
                "duplicate key 'dtype'");
        assertBad(bad("{\"__metadata__\":{\"k\":\"1\",\"k\":\"2\"}}", new byte[0]), "duplicate key 'k'");
        // Escapes decode before comparison: "\u0061" is "a".
        assertBad(bad("{\"a\":{},\"\\u0061\":{}}", new byte[0]), "duplicate key 'a'");
    }

    @Test
    void nestingAndNumbersAreBounded() throws IOException {
        String deep = "[".repeat(200) + "]".repeat(200);
        assertBad(bad("{\"__metadata__\":" + deep + "}", new byte[0]), "nesting deeper than 64");
        assertBad(bad("{\"a\":{\"dtype\":\"F32\",\"shape\":[2.0],\"data_offsets\":[0,8]}}", f32(1, 2)), "non-integer");
        assertBad(bad("{\"a\":{\"dtype\":\"F32\",\"shape\":[2e0],\"data_offsets\":[0,8]}}", f32(1, 2)), "non-integer");
        assertBad(bad("{\"a\":{\"dtype\":\"F32\",\"shape\":[02],\"data_offsets\":[0,8]}}", f32(1, 2)), "leading zero");
        assertBad(bad("{\"a\":{\"dtype\":\"F32\",\"shape\":[-],\"data_offsets\":[0,8]}}", f32(1, 2)), "'-' not followed");
        assertBad(bad("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,18446744073709551616]}}", f32(1, 2)),
                "64-bit range");
        assertBad(bad("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,9223372036854775808]}}", f32(1, 2)),
                "64-bit range");
    }

    // ------------------------------------------------------------------ entries

    @Test
    void entriesMustHaveExactlyTheThreeFieldsWithTheRightTypes() throws IOException {
        assertBad(bad("{\"a\":[]}", new byte[0]), "tensor 'a'", "must be an object");
        assertBad(bad("{\"a\":{\"shape\":[2],\"data_offsets\":[0,8]}}", f32(1, 2)), "tensor 'a'", "missing 'dtype'");
        assertBad(bad("{\"a\":{\"dtype\":\"F32\",\"data_offsets\":[0,8]}}", f32(1, 2)), "missing 'shape'");
        assertBad(bad("{\"a\":{\"dtype\":\"F32\",\"shape\":[2]}}", f32(1, 2)), "missing 'data_offsets'");
        assertBad(bad("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8],\"x\":1}}", f32(1, 2)),
                "unexpected key 'x'");
        assertBad(bad("{\"a\":{\"dtype\":32,\"shape\":[2],\"data_offsets\":[0,8]}}", f32(1, 2)), "dtype must be a string");
        assertBad(bad("{\"a\":{\"dtype\":\"F32\",\"shape\":2,\"data_offsets\":[0,8]}}", f32(1, 2)), "shape must be");
        assertBad(bad("{\"a\":{\"dtype\":\"F32\",\"shape\":[\"2\"],\"data_offsets\":[0,8]}}", f32(1, 2)), "shape must be");
        assertBad(bad("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8,8]}}", f32(1, 2)), "[begin, end]");
        assertBad(bad("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0]}}", f32(1, 2)), "[begin, end]");
        assertBad(bad("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":{}}}", f32(1, 2)), "[begin, end]");
        assertBad(bad("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[null,8]}}", f32(1, 2)), "[begin, end]");
        assertBad(bad("{\"__metadata__\":[]}", new byte[0]), "'__metadata__' must be an object");
        assertBad(bad("{\"__metadata__\":{\"k\":1}}", new byte[0]), "value for key 'k' must be a string");
    }

    @Test
    void dtypesMustBeKnownAndSupported() throws IOException {
        String h = "{\"a\":{\"dtype\":\"F128\",\"shape\":[1],\"data_offsets\":[0,16]}}";
        SafeTensorsException e = assertBad(bad(h, new byte[16]), "tensor 'a'", "unknown dtype 'F128'");
        assertEquals(8 + h.indexOf("\"F128\""), e.byteOffset());
        assertEquals("a", e.tensorName());
        assertBad(bad("{\"a\":{\"dtype\":\"U64\",\"shape\":[1],\"data_offsets\":[0,8]}}", new byte[8]),
                "unsupported dtype 'U64'");
        assertBad(bad("{\"a\":{\"dtype\":\"f32\",\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4]),
                "unknown dtype 'f32'");
    }

    @Test
    void hostileNamesAreEscapedAndShortenedInMessages() throws IOException {
        String name = "x\n".repeat(5000);
        String jsonName = "x\\n".repeat(5000);
        String h = "{\"" + jsonName + "\":{\"dtype\":\"??\",\"shape\":[],\"data_offsets\":[0,0]}}";
        SafeTensorsException e = assertBad(bad(h, new byte[0]), "x\\u000ax", "(10000 chars)", "unknown dtype '??'");
        assertEquals(name, e.tensorName());
        assertTrue(e.getMessage().length() < 2000, e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void shapesMustBeNonNegativeAndNotOverflow() throws IOException {
        assertBad(bad("{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,0]}}", new byte[0]),
                "negative dimension -1");
        assertBad(bad("{\"a\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296,4],\"data_offsets\":[0,0]}}",
                new byte[0]), "overflows 64 bits");
        assertBad(bad("{\"a\":{\"dtype\":\"F64\",\"shape\":[2305843009213693952],\"data_offsets\":[0,0]}}",
                new byte[0]), "byte size of the shape overflows");
        // A zero dimension makes the byte count right, but the other dimension still cannot be represented.
        assertBad(bad("{\"a\":{\"dtype\":\"F32\",\"shape\":[0,4294967296],\"data_offsets\":[0,0]}}", new byte[0]),
                "dimension over 2^31-1");
    }

    @Test
    void twoToTheFortyElementsAreRejectedWithoutAllocating() throws IOException {
        // Consistent offsets: the claim is only caught by comparing with the real file size.
        SafeTensorsException e = assertBad(bad("{\"huge\":{\"dtype\":\"F32\",\"shape\":[1048576,1048576],"
                + "\"data_offsets\":[0,4398046511104]}}", f32(1, 2)), "tensor 'huge'", "run past the end of the data");
        assertEquals("huge", e.tensorName());
        assertBad(bad("{\"huge\":{\"dtype\":\"F32\",\"shape\":[1099511627776],\"data_offsets\":[0,8]}}", f32(1, 2)),
                "span 8 bytes but shape [1099511627776] of F32 needs 4398046511104");
        // Within the file but beyond what a jgrad tensor can hold: must not allocate a huge array either.
        assertBad(bad("{\"u\":{\"dtype\":\"U8\",\"shape\":[2147483648],\"data_offsets\":[0,2147483648]}}", f32(1, 2)),
                "run past the end");
    }

    @Test
    void offsetsMustBeOrderedSizedAndInside() throws IOException {
        SafeTensorsException e = assertBad(bad("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]}}",
                f32(1, 2)), "tensor 'a'", "0 <= begin <= end");
        assertEquals(8 + ONE.indexOf("[0,8]"), e.byteOffset());
        assertBad(bad("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[-8,0]}}", f32(1, 2)), "0 <= begin");
        assertBad(bad("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,12]}}", f32(1, 2)),
                "run past the end of the data section (8 bytes)");
        assertBad(bad("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4]}}", f32(1)),
                "span 4 bytes but shape [2] of F32 needs 8");
        assertBad(bad("{\"a\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,0]}}", new byte[0]),
                "span 0 bytes but shape [] of F32 needs 4");
    }

    @Test
    void tensorsMustTileTheDataSectionExactly() throws IOException {
        SafeTensorsException overlap = assertBad(bad("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", f32(1, 2)),
                "tensor 'b'", "overlaps tensor 'a'");
        int n = (int) Files.size(dir.resolve("bad.safetensors")) - 8 - 8;
        assertEquals(8 + n + 4, overlap.byteOffset());
        assertBad(bad("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", f32(1)), "overlaps");
        assertBad(bad("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"e\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[4,4]}}", f32(1, 2)), "tensor 'e'", "overlaps");
        SafeTensorsException gap = assertBad(bad("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}",
                f32(1, 2)), "tensor 'a'", "bytes [0, 4) before this tensor belong to no tensor");
        assertEquals(Files.size(dir.resolve("bad.safetensors")) - 8, gap.byteOffset());
        assertBad(bad("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}", f32(1, 2, 3)), "tensor 'b'",
                "[4, 8)");
        SafeTensorsException trailing = assertBad(bad(ONE, f32(1, 2, 3)), "4 trailing bytes");
        assertNull(trailing.tensorName());
        assertBad(bad("{}", new byte[1]), "1 trailing bytes");
        // Empty tensors anywhere at the boundary are fine.
        SafeTensorsFile ok = SafeTensors.load(bad("{\"z\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,8]},"
                + "\"y\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]}," + ONE.substring(1), f32(1, 2)));
        assertEquals(3, ok.tensors().size());
    }
}
