package org.jgrad.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jgrad.tensor.DType;
import org.jgrad.tensor.Generator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvAndSyntheticTest {
    @TempDir Path dir;

    @Test
    void readsHeaderLabelByNameAndStringClasses() throws IOException {
        Path f = dir.resolve("flowers.csv");
        Files.writeString(f, "length,species,width\n1.5,setosa,2\n\n3,virginica,4.25\n2,setosa,1\n");
        CsvDataset.Result r = CsvDataset.read(f, CsvDataset.Options.defaults().label("species"));
        assertEquals(List.of("length", "width"), r.featureNames());
        assertEquals(List.of("setosa", "virginica"), r.classNames());
        assertArrayEquals(new int[] {3, 2}, r.dataset().inputTensor().shape());
        assertEquals(4.25f, r.dataset().inputTensor().get(1, 1));
        assertArrayEquals(new long[] {0, 1, 0}, r.dataset().targetTensor().toLongArray());
    }

    @Test
    void regressionTargetsAreFloat() throws IOException {
        Path f = dir.resolve("r.csv");
        Files.writeString(f, "1,2,0.5\n3,4,1.5\n");
        CsvDataset.Result r = CsvDataset.read(f, CsvDataset.Options.defaults().regression(true));
        assertEquals(DType.FLOAT32, r.dataset().targetTensor().dtype());
        assertEquals(1.5f, r.dataset().targetTensor().get(1));
    }

    @Test
    void nonNumericCellNamesFileLineAndColumn() throws IOException {
        Path f = dir.resolve("bad.csv");
        Files.writeString(f, "a,b,label\n1,2,0\n3,oops,1\n");
        var e = assertThrows(DataFormatException.class, () -> CsvDataset.read(f, CsvDataset.Options.defaults()));
        assertEquals(f + ":3: column 2 ('b') is not a number: 'oops'", e.getMessage());
        Files.writeString(f, "1,2,0\n3,1\n");
        var e2 = assertThrows(DataFormatException.class, () -> CsvDataset.read(f, CsvDataset.Options.defaults()));
        assertEquals(f + ":2: expected 3 columns, found 2", e2.getMessage());
    }

    @Test
    void syntheticSetsAreBalancedAndSeeded() {
        for (Synthetic2D.Kind k : Synthetic2D.Kind.values()) {
            TensorDataset a = Synthetic2D.generate(k, 200, 0.1, new Generator(1));
            TensorDataset b = Synthetic2D.generate(k, 200, 0.1, new Generator(1));
            assertArrayEquals(new int[] {200, 2}, a.inputTensor().shape());
            assertArrayEquals(a.inputTensor().toFloatArray(), b.inputTensor().toFloatArray(), 0f, k.name());
            float max = a.inputTensor().abs().max().item();
            assertTrue(max < 7f, k + " points stay in the Playground's square, got " + max);
            if (!k.isRegression()) {
                long ones = 0;
                for (long v : a.targetTensor().toLongArray()) ones += v;
                assertTrue(ones > 60 && ones < 140, k + " has both classes: " + ones);
            }
        }
        // noise-free XOR: the label is the sign of x*y
        TensorDataset xor = Synthetic2D.generate(Synthetic2D.Kind.XOR, 100, 0, new Generator(2));
        for (int i = 0; i < 100; i++) {
            float p = xor.inputTensor().get(i, 0) * xor.inputTensor().get(i, 1);
            assertEquals(p >= 0 ? 1L : 0L, xor.targetTensor().getLong(i));
        }
    }
}
