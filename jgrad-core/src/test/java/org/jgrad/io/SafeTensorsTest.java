package org.jgrad.io;

import static org.jgrad.io.StFiles.concat;
import static org.jgrad.io.StFiles.f32;
import static org.jgrad.io.StFiles.file;
import static org.jgrad.io.StFiles.le;
import static org.jgrad.io.StFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.DType;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {
    @TempDir
    Path dir;

    private SafeTensorsFile roundTrip(Map<String, Tensor> tensors, Map<String, String> meta) throws IOException {
        Path p = dir.resolve("rt.safetensors");
        SafeTensors.save(tensors, p, meta);
        return SafeTensors.load(p);
    }

    private static int[] bits(float[] f) {
        int[] b = new int[f.length];
        for (int i = 0; i < f.length; i++) b[i] = Float.floatToRawIntBits(f[i]);
        return b;
    }

    @Test
    void floatsRoundTripBitForBit() throws IOException {
        float[] v = {
            0f, -0f, 1f, -1.5f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.intBitsToFloat(0x007FFFFF),
            Float.MIN_NORMAL, Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN,
            Float.intBitsToFloat(0x7FC00001), Float.intBitsToFloat(0x7F800001), Float.intBitsToFloat(0xFFC12345),
            Float.intBitsToFloat(0xFFBFFFFF), (float) Math.PI
        };
        SafeTensorsFile f = roundTrip(Map.of("x", Tensor.fromArray(v, v.length)), null);
        Tensor x = f.tensors().get("x");
        assertEquals(DType.FLOAT32, x.dtype());
        assertArrayEquals(new int[] {v.length}, x.shape());
        assertArrayEquals(bits(v), bits(x.toFloatArray()));
    }

    @Test
    void largeRandomTensorRoundTripsAcrossChunks() throws IOException {
        // Several read/write chunks, with an odd length so the last chunk is partial.
        Tensor big = Tensor.randn(new Generator(7), 3, 1_000_003);
        Tensor idx = Tensor.randint(new Generator(8), Long.MIN_VALUE / 2, Long.MAX_VALUE / 2, 700_001);
        SafeTensorsFile f = roundTrip(Map.of("big", big, "idx", idx), null);
        assertArrayEquals(bits(big.toFloatArray()), bits(f.tensors().get("big").toFloatArray()));
        assertArrayEquals(new int[] {3, 1_000_003}, f.tensors().get("big").shape());
        assertArrayEquals(idx.toLongArray(), f.tensors().get("idx").toLongArray());
    }

    @Test
    void int64ExtremesRoundTrip() throws IOException {
        long[] v = {Long.MIN_VALUE, Long.MAX_VALUE, 0, -1, 1, 0x0123456789ABCDEFL, Integer.MIN_VALUE - 1L};
        Tensor t = roundTrip(Map.of("i", Tensor.ofLongs(v)), null).tensors().get("i");
        assertEquals(DType.INT64, t.dtype());
        assertArrayEquals(v, t.toLongArray());
    }

    @Test
    void scalarsAndEmptyTensorsRoundTrip() throws IOException {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("s", Tensor.scalar(-0f));
        m.put("sl", TensorData.wrapLongs(new long[] {42}));
        m.put("e0", Tensor.zeros(0));
        m.put("e1", Tensor.zeros(2, 0, 3));
        m.put("el", Tensor.zerosLong(0, 5));
        SafeTensorsFile f = roundTrip(m, null);
        assertArrayEquals(new int[0], f.tensors().get("s").shape());
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(f.tensors().get("s").item()));
        assertArrayEquals(new int[0], f.tensors().get("sl").shape());
        assertEquals(42L, f.tensors().get("sl").getLong());
        assertArrayEquals(new int[] {0}, f.tensors().get("e0").shape());
        assertArrayEquals(new int[] {2, 0, 3}, f.tensors().get("e1").shape());
        assertArrayEquals(new int[] {0, 5}, f.tensors().get("el").shape());
        assertEquals(DType.INT64, f.tensors().get("el").dtype());
    }

    @Test
    void unicodeAndEscapedNamesAndMetadataRoundTrip() throws IOException {
        List<String> names = List.of("héllo", "日本語.weight", "emoji 😀", "q\"b\\s/n\nt\tc\u0001\u001f\u007f", "", " ");
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) m.put(names.get(i), Tensor.of((float) i, i + 0.5f));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("hparams", "{\"lr\": 0.001, \"name\": \"Ω\"}");
        meta.put("format", "pt");
        meta.put("ключ", "значение 😀\n");
        SafeTensorsFile f = roundTrip(m, meta);
        assertEquals(m.keySet(), f.tensors().keySet());
        for (int i = 0; i < names.size(); i++)
            assertArrayEquals(new float[] {i, i + 0.5f}, f.tensors().get(names.get(i)).toFloatArray());
        assertEquals(List.copyOf(meta.entrySet()), List.copyOf(f.metadata().entrySet()));
    }

    @Test
    void viewsAreWrittenInRowMajorOrder() throws IOException {
        Tensor base = Tensor.arange(0, 6, 1).reshape(2, 3);
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("t", base.t());
        m.put("row", base.select(0, 1));
        m.put("col", base.select(1, 2));
        SafeTensorsFile f = roundTrip(m, null);
        assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, f.tensors().get("t").toFloatArray());
        assertArrayEquals(new int[] {3, 2}, f.tensors().get("t").shape());
        assertArrayEquals(new float[] {3, 4, 5}, f.tensors().get("row").toFloatArray());
        assertArrayEquals(new float[] {2, 5}, f.tensors().get("col").toFloatArray());
    }

    @Test
    void layoutFollowsTheReferenceOrderInt64FirstThenByUtf8Name() throws IOException {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("b", Tensor.of(1f, 2f));
        m.put("\uFF21", Tensor.of(1f, 2f)); // U+FF21 sorts before U+1F600 in UTF-16 but after it in UTF-8
        m.put("\uD83D\uDE00", Tensor.of(1f, 2f));
        m.put("a", Tensor.of(1f, 2f));
        m.put("z", Tensor.ofLongs(1, 2));
        m.put("y", Tensor.ofLongs(3));
        SafeTensorsFile f = roundTrip(m, null);
        assertEquals(List.of("y", "z", "a", "b", "\uFF21", "\uD83D\uDE00"), List.copyOf(f.tensors().keySet()));
    }

    @Test
    void saveRejectsReservedAndUnencodableNames() {
        Path p = dir.resolve("x.safetensors");
        assertThrows(IllegalArgumentException.class,
                () -> SafeTensors.save(Map.of("__metadata__", Tensor.of(1f)), p));
        assertThrows(IllegalArgumentException.class, () -> SafeTensors.save(Map.of("bad\uD800", Tensor.of(1f)), p));
        assertThrows(IllegalArgumentException.class,
                () -> SafeTensors.save(Map.of("a", Tensor.of(1f)), p, Map.of("k", "\uDC00")));
        assertEquals(false, Files.exists(p));
    }

    // ------------------------------------------------------------------ golden bytes of the reference

    private static final String GOLDEN_HEADER = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";

    /** What Python {@code safetensors.torch.save_file({"a": torch.tensor([1.0, 2.0])}, path)} writes. */
    private static byte[] goldenA() {
        assertEquals(54, GOLDEN_HEADER.length()); // so the reference pads it with two spaces to 56
        ByteBuffer b = ByteBuffer.allocate(8 + 56 + 8).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(56).put(GOLDEN_HEADER.getBytes(StandardCharsets.US_ASCII)).put((byte) ' ').put((byte) ' ');
        b.putFloat(1f).putFloat(2f);
        return b.array();
    }

    @Test
    void goldenReferenceFileIsReadAndReproducedByteForByte() throws IOException {
        Path ref = write(dir, "ref.safetensors", goldenA());
        SafeTensorsFile f = SafeTensors.load(ref);
        assertEquals(List.of("a"), List.copyOf(f.tensors().keySet()));
        assertArrayEquals(new float[] {1f, 2f}, f.tensors().get("a").toFloatArray());
        assertEquals(Map.of(), f.metadata());

        Path ours = dir.resolve("ours.safetensors");
        SafeTensors.save(Map.of("a", Tensor.of(1f, 2f)), ours);
        assertArrayEquals(goldenA(), Files.readAllBytes(ours));
        SafeTensors.save(Map.of("a", Tensor.of(1f, 2f)), ours, Map.of());
        assertArrayEquals(goldenA(), Files.readAllBytes(ours), "empty metadata must be omitted like None");
    }

    @Test
    void goldenReferenceVectorsFromItsOwnTestSuite() throws IOException {
        // The safetensors crate's serialization tests pin these layouts: an exactly-64-byte header
        // with no padding, a header padded with 7 spaces, an empty file, and metadata without tensors.
        Path p = dir.resolve("g.safetensors");
        float[] six = {0, 1, 2, 3, 4, 5};
        SafeTensors.save(Map.of("attn.0", Tensor.fromArray(six, 1, 2, 3)), p);
        assertArrayEquals(file("{\"attn.0\":{\"dtype\":\"F32\",\"shape\":[1,2,3],\"data_offsets\":[0,24]}}", false,
                f32(six)), Files.readAllBytes(p));
        assertEquals(64, Files.readAllBytes(p)[0]);
        SafeTensors.save(Map.of("attn0", Tensor.fromArray(six, 1, 1, 2, 3)), p);
        byte[] padded = Files.readAllBytes(p);
        assertEquals(72, padded[0]);
        assertEquals("{\"attn0\":{\"dtype\":\"F32\",\"shape\":[1,1,2,3],\"data_offsets\":[0,24]}}       ",
                new String(padded, 8, 72, StandardCharsets.UTF_8));
        SafeTensors.save(Map.of(), p);
        assertArrayEquals(new byte[] {8, 0, 0, 0, 0, 0, 0, 0, '{', '}', 32, 32, 32, 32, 32, 32}, Files.readAllBytes(p));
        SafeTensors.save(Map.of(), p, Map.of("framework", "pt"));
        assertArrayEquals(file("{\"__metadata__\":{\"framework\":\"pt\"}}", new byte[0]), Files.readAllBytes(p));
        assertEquals(40, Files.readAllBytes(p)[0]);
        assertEquals(Map.of("framework", "pt"), SafeTensors.load(p).metadata());
    }

    // ------------------------------------------------------------------ dtypes jgrad only reads

    @Test
    void readsHalfBfloatAndDoubleAsFloat32() throws IOException {
        byte[] f16 = le(0x3C00, 0xC000, 0x7C00, 0x0001, 0x7BFF, 0x8000, 0x3555);
        byte[] bf16 = le(0x3F80, 0xC040, 0x7F80, 0x0001, 0xFF80);
        ByteBuffer d = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN).putDouble(1.5).putDouble(-0.1)
                .putDouble(1e300);
        String h = "{\"h\":{\"dtype\":\"F16\",\"shape\":[7],\"data_offsets\":[0,14]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[5],\"data_offsets\":[14,24]},"
                + "\"d\":{\"dtype\":\"F64\",\"shape\":[3,1],\"data_offsets\":[24,48]}}";
        SafeTensorsFile f = SafeTensors.load(write(dir, "half.safetensors", file(h, concat(f16, bf16, d.array()))));
        assertEquals(List.of("h", "b", "d"), List.copyOf(f.tensors().keySet()));
        assertArrayEquals(new float[] {1f, -2f, Float.POSITIVE_INFINITY, 0x1p-24f, 65504f, -0f, 0.33325195f},
                f.tensors().get("h").toFloatArray());
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(f.tensors().get("h").toFloatArray()[5]));
        assertArrayEquals(new float[] {1f, -3f, Float.POSITIVE_INFINITY, Float.intBitsToFloat(0x00010000),
            Float.NEGATIVE_INFINITY}, f.tensors().get("b").toFloatArray());
        assertArrayEquals(new float[] {1.5f, -0.1f, Float.POSITIVE_INFINITY}, f.tensors().get("d").toFloatArray());
        assertArrayEquals(new int[] {3, 1}, f.tensors().get("d").shape());
        assertEquals(DType.FLOAT32, f.tensors().get("b").dtype());
    }

    @Test
    void readsNarrowIntegersAndBoolAsInt64() throws IOException {
        ByteBuffer i32 = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putInt(Integer.MIN_VALUE).putInt(-1)
                .putInt(7);
        ByteBuffer u32 = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(-1).putInt(5);
        byte[] i16 = le(0x8000, 0xFFFF, 0x7FFF);
        byte[] u16 = le(0xFFFF, 1);
        byte[] i8 = {(byte) 0x80, (byte) 0xFF, 0x7F};
        byte[] u8 = {(byte) 0xFF, 0, 1};
        byte[] bool = {1, 0, 1, 1};
        String h = "{\"i32\":{\"dtype\":\"I32\",\"shape\":[3],\"data_offsets\":[0,12]},"
                + "\"u32\":{\"dtype\":\"U32\",\"shape\":[2],\"data_offsets\":[12,20]},"
                + "\"i16\":{\"dtype\":\"I16\",\"shape\":[3],\"data_offsets\":[20,26]},"
                + "\"u16\":{\"dtype\":\"U16\",\"shape\":[2],\"data_offsets\":[26,30]},"
                + "\"i8\":{\"dtype\":\"I8\",\"shape\":[3],\"data_offsets\":[30,33]},"
                + "\"u8\":{\"dtype\":\"U8\",\"shape\":[3],\"data_offsets\":[33,36]},"
                + "\"bool\":{\"dtype\":\"BOOL\",\"shape\":[2,2],\"data_offsets\":[36,40]}}";
        SafeTensorsFile f = SafeTensors.load(write(dir, "ints.safetensors",
                file(h, concat(i32.array(), u32.array(), i16, u16, i8, u8, bool))));
        Map<String, Tensor> t = f.tensors();
        assertArrayEquals(new long[] {Integer.MIN_VALUE, -1, 7}, t.get("i32").toLongArray());
        assertArrayEquals(new long[] {0xFFFFFFFFL, 5}, t.get("u32").toLongArray());
        assertArrayEquals(new long[] {-32768, -1, 32767}, t.get("i16").toLongArray());
        assertArrayEquals(new long[] {65535, 1}, t.get("u16").toLongArray());
        assertArrayEquals(new long[] {-128, -1, 127}, t.get("i8").toLongArray());
        assertArrayEquals(new long[] {255, 0, 1}, t.get("u8").toLongArray());
        assertArrayEquals(new long[] {1, 0, 1, 1}, t.get("bool").toLongArray());
        assertArrayEquals(new int[] {2, 2}, t.get("bool").shape());
        for (Tensor x : t.values()) assertEquals(DType.INT64, x.dtype());
    }

    @Test
    void headerOrderIsKeptEvenWhenDataIsLaidOutDifferently() throws IOException {
        // Older writers sorted by name only; readers must not care how header and data order relate.
        String h = "{\"__metadata__\":{\"k\":\"v\"},\"second\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]},"
                + "\"first\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
        SafeTensorsFile f = SafeTensors.load(write(dir, "o.safetensors", file(h, f32(1f, 2f))));
        assertEquals(List.of("second", "first"), List.copyOf(f.tensors().keySet()));
        assertEquals(2f, f.tensors().get("second").item());
        assertEquals(1f, f.tensors().get("first").item());
    }

    @Test
    void acceptsWhitespaceEscapesAndUnpaddedHeaders() throws IOException {
        String h = "{ \"\\u0061\\ud83d\\ude00\" :\n\t{\"shape\" : [ 2 ] , \"dtype\":\"F32\",\r\"data_offsets\":[0 ,8]} }";
        SafeTensorsFile f = SafeTensors.load(write(dir, "ws.safetensors", file(h, false, f32(1f, 2f))));
        assertArrayEquals(new float[] {1f, 2f}, f.tensors().get("a\uD83D\uDE00").toFloatArray());
    }
}
