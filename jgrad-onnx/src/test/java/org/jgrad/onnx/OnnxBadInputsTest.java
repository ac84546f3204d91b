package org.jgrad.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link Onnx#load} does with bad files (docs/bad-inputs.md): one {@link OnnxFormatException}
 * naming the file and the byte offset or the field, thrown before anything is built; sizes checked
 * before allocation; external data refused; every unsupported op named at once.
 */
class OnnxBadInputsTest {
    @TempDir
    Path dir;

    private OnnxFormatException refused(String name, byte[] bytes) throws Exception {
        Path f = dir.resolve(name);
        Files.write(f, bytes);
        OnnxFormatException e = assertThrows(OnnxFormatException.class, () -> Onnx.load(f));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        assertEquals(f, e.file());
        return e;
    }

    @Test
    void goodSeedsLoad() throws Exception {
        Path f = dir.resolve("mlp.onnx");
        Files.write(f, BadOnnxFiles.mlpBytes());
        assertEquals(4, Onnx.load(f).stateDict().size());
    }

    @Test
    void truncatedFileNamesTheByteOffset() throws Exception {
        OnnxFormatException e = refused("cut.onnx", BadOnnxFiles.truncated());
        assertTrue(e.byteOffset() >= 0 && e.getMessage().contains("byte offset"), e.getMessage());
    }

    @Test
    void textAndEmptyFilesAreNotModels() throws Exception {
        refused("text.onnx", BadOnnxFiles.text().toByteArray());
        OnnxFormatException e = refused("empty.onnx", new byte[0]);
        assertTrue(e.getMessage().contains("no graph"), e.getMessage());
    }

    @Test
    void rawDataShorterThanTheDimsClaim() throws Exception {
        OnnxFormatException e = refused("short.onnx", BadOnnxFiles.shortRawData());
        assertTrue(e.field().startsWith("graph.initializer[0] '0.weight'"), e.getMessage());
        assertTrue(e.getMessage().contains("raw_data holds 8 bytes but dims [3, 4] of FLOAT need 48"), e.getMessage());
    }

    @Test
    void dimsClaimingMoreThanAnArrayAreRefusedBeforeAllocating() throws Exception {
        OnnxFormatException e = refused("huge.onnx", BadOnnxFiles.hugeDims());
        assertTrue(e.getMessage().contains("more than 2^31-9 elements"), e.getMessage());
    }

    @Test
    void externalDataIsRefused() throws Exception {
        OnnxFormatException e = refused("ext.onnx", BadOnnxFiles.externalData());
        assertTrue(e.getMessage().contains("external file ('../../etc/passwd')"), e.getMessage());
    }

    @Test
    void everyUnsupportedOpIsNamedInOneError() throws Exception {
        OnnxFormatException e = refused("ops.onnx", BadOnnxFiles.unsupportedOps());
        assertTrue(e.getMessage().contains("Einsum (2 nodes), com.example::Frobnicate (1 node)"), e.getMessage());
    }

    @Test
    void undefinedInputsAndForeignOpsetsAndWrongRanks() throws Exception {
        assertTrue(refused("undef.onnx", BadOnnxFiles.undefinedInput()).getMessage()
                .contains("input 'nowhere' is not defined by an earlier node"));
        assertTrue(refused("opset.onnx", BadOnnxFiles.futureOpset()).getMessage().contains("opset 99 is outside"));
        OnnxFormatException e = refused("conv3d.onnx", BadOnnxFiles.conv3d());
        assertTrue(e.field().startsWith("graph.node[0]") && e.getMessage().contains("'strides' has 3 values"), e.getMessage());
    }

    @Test
    void aRangeOverTheMemoryBudgetIsRefusedBeforeAllocating() throws Exception {
        Path f = dir.resolve("range.onnx");
        Files.write(f, BadOnnxFiles.hugeRange());
        OnnxModel m = Onnx.load(f);
        String old = System.getProperty("jgrad.readBudget");
        System.setProperty("jgrad.readBudget", "64m");
        try {
            var e = assertThrows(IllegalArgumentException.class, () -> m.call(org.jgrad.tensor.Tensor.zeros(1, 4)));
            assertTrue(e.getMessage().contains("Range: 2147483647 elements needs") && e.getMessage().contains("memory budget"),
                    e.getMessage());
        } finally {
            if (old == null) System.clearProperty("jgrad.readBudget");
            else System.setProperty("jgrad.readBudget", old);
        }
    }

    @Test
    void fileOverTheMemoryBudgetIsRefusedBeforeReading() throws Exception {
        Path f = dir.resolve("big.onnx");
        Files.write(f, BadOnnxFiles.cnnBytes());
        String old = System.getProperty("jgrad.readBudget");
        System.setProperty("jgrad.readBudget", "1k");
        try {
            OnnxFormatException e = assertThrows(OnnxFormatException.class, () -> Onnx.load(f));
            assertTrue(e.getMessage().contains("memory budget"), e.getMessage());
        } finally {
            if (old == null) System.clearProperty("jgrad.readBudget");
            else System.setProperty("jgrad.readBudget", old);
        }
    }
}
