package org.jgrad.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jgrad.tensor.DType;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files written by the Hugging Face safetensors library itself (see make_reference_files.py). */
class ReferenceFilesTest {
    @TempDir
    Path dir;

    private Path resource(String name) throws IOException {
        Path p = dir.resolve(name);
        try (InputStream in = getClass().getResourceAsStream(name)) {
            Files.copy(in, p);
        }
        return p;
    }

    private static void assertFloats(float[] expected, Tensor t) {
        assertEquals(DType.FLOAT32, t.dtype());
        float[] got = t.toFloatArray();
        assertEquals(expected.length, got.length);
        for (int i = 0; i < got.length; i++)
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(got[i]), "element " + i);
    }

    @Test
    void readsEveryDtypeTheReferenceWrites() throws IOException {
        SafeTensorsFile f = SafeTensors.load(resource("reference-all-dtypes.safetensors"));
        Map<String, Tensor> t = f.tensors();
        assertEquals(Map.of("format", "np"), f.metadata());
        // The reference orders by alignment, then name.
        assertEquals(List.of("i64", "f64", "empty", "f32", "scalar", "ünï 😀", "u32", "i32", "f16", "u16", "i16", "i8",
                "u8", "b"), List.copyOf(t.keySet()));
        assertFloats(new float[] {1f, -0f, Float.POSITIVE_INFINITY, Float.NaN, Float.MIN_VALUE, 3.5f}, t.get("f32"));
        assertArrayEquals(new int[] {2, 3}, t.get("f32").shape());
        assertFloats(new float[] {1f, -2f, 65504f, 0x1p-24f}, t.get("f16"));
        assertFloats(new float[] {1.5f, -0.1f, Float.POSITIVE_INFINITY}, t.get("f64"));
        assertFloats(new float[] {2.5f}, t.get("scalar"));
        assertArrayEquals(new int[0], t.get("scalar").shape());
        assertArrayEquals(new int[] {2, 0}, t.get("empty").shape());
        assertFloats(new float[] {1f, 2f}, t.get("ünï 😀"));
        assertArrayEquals(new long[] {Long.MIN_VALUE, Long.MAX_VALUE, 0}, t.get("i64").toLongArray());
        assertArrayEquals(new long[] {Integer.MIN_VALUE, 7}, t.get("i32").toLongArray());
        assertArrayEquals(new long[] {-32768, 5}, t.get("i16").toLongArray());
        assertArrayEquals(new long[] {-128, 127}, t.get("i8").toLongArray());
        assertArrayEquals(new long[] {255, 0}, t.get("u8").toLongArray());
        assertArrayEquals(new long[] {65535}, t.get("u16").toLongArray());
        assertArrayEquals(new long[] {4294967295L}, t.get("u32").toLongArray());
        assertArrayEquals(new long[] {1, 0, 1}, t.get("b").toLongArray());
    }

    @Test
    void ourWriterReproducesTheReferenceByteForByte() throws IOException {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("zeta", Tensor.of(1f, 2f, 3f));
        m.put("ünï 😀", Tensor.of(new float[][] {{1, 2}, {3, 4}}));
        m.put("alpha", Tensor.ofLongs(Long.MIN_VALUE, 5));
        m.put("s", Tensor.scalar(-0f));
        m.put("empty", Tensor.zeros(2, 0));
        m.put("q\"\\\n\u0001", Tensor.ofLongs(1));
        Path ours = dir.resolve("ours.safetensors");
        SafeTensors.save(m, ours, Map.of("k\n", "v ü \"x\""));
        assertArrayEquals(Files.readAllBytes(resource("reference-mixed.safetensors")), Files.readAllBytes(ours));
    }
}
