package org.jgrad.keras;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each bad Keras input gets a {@link KerasFormatException} naming the file, the place and the problem. */
class KerasBadInputsTest {
    @TempDir
    Path dir;

    private static KerasFormatException refused(Path file) {
        return assertThrows(KerasFormatException.class, () -> KerasConfigModel.load(file));
    }

    private static void assertMessage(KerasFormatException e, Path file, String... parts) {
        String m = e.getMessage();
        assertTrue(m.startsWith(file.toString()), "starts with the file: " + m);
        assertEquals(file, e.file());
        for (String p : parts) assertTrue(m.contains(p), "'" + p + "' in: " + m);
    }

    /** A copy of a fixture archive with config.json replaced by {@code edit(config)}. */
    private Path withConfig(String fixture, java.util.function.UnaryOperator<String> edit) throws Exception {
        Path out = dir.resolve("edited-" + fixture);
        try (ZipFile in = new ZipFile(Fixtures.path(fixture).toFile());
             ZipOutputStream zo = new ZipOutputStream(Files.newOutputStream(out))) {
            for (var en = in.entries(); en.hasMoreElements(); ) {
                ZipEntry e = en.nextElement();
                byte[] b = in.getInputStream(e).readAllBytes();
                if (e.getName().equals("config.json")) b = edit.apply(new String(b, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
                zo.putNextEntry(new ZipEntry(e.getName()));
                zo.write(b);
                zo.closeEntry();
            }
        }
        return out;
    }

    @Test
    void anotherKindOfFileIsNamedAsSuch() throws Exception {
        Path f = Files.writeString(dir.resolve("notes.keras"), "just some text\n");
        assertMessage(refused(f), f, "neither a .keras archive (zip) nor an HDF5 file");
    }

    @Test
    void truncatedArchive() {
        Path f = Fixtures.path("bad/truncated.keras");
        assertMessage(refused(f), f, "not a readable zip archive");
    }

    @Test
    void endRecordClaimingBytesPastTheEnd() throws Exception {
        // The end-of-central-directory record's comment length (its last two bytes) claims 169 bytes the
        // file does not have: ZipFile reads them with a plain read and throws EOFException, not ZipException.
        byte[] b = Files.readAllBytes(Fixtures.path("sequential_cnn.keras"));
        assertEquals(0, b[b.length - 1]);
        assertEquals(0, b[b.length - 2]);
        b[b.length - 2] = (byte) 169;
        Path f = Files.write(dir.resolve("comment-past-end.keras"), b);
        assertMessage(refused(f), f, "not a readable zip archive", "past the file's " + b.length + " bytes");
        assertEquals(false, KerasFile.looksLikeKeras(f));
    }

    @Test
    void truncatedHdf5InsideAnArchive() throws Exception {
        Path out = dir.resolve("cut-h5.keras");
        try (ZipFile in = new ZipFile(Fixtures.path("sequential_cnn.keras").toFile());
             ZipOutputStream zo = new ZipOutputStream(Files.newOutputStream(out))) {
            for (var en = in.entries(); en.hasMoreElements(); ) {
                ZipEntry e = en.nextElement();
                byte[] b = in.getInputStream(e).readAllBytes();
                if (e.getName().equals("model.weights.h5")) b = java.util.Arrays.copyOf(b, b.length / 3);
                zo.putNextEntry(new ZipEntry(e.getName()));
                zo.write(b);
                zo.closeEntry();
            }
        }
        KerasFormatException e = refused(out);
        assertMessage(e, out, "model.weights.h5");
    }

    @Test
    void anEntryInflatingPastItsLimitIsRefusedBeforeItIsRead() throws Exception {
        // 70 MiB of spaces deflate to about 70 KB: the declared size is checked before inflating.
        Path f = dir.resolve("bomb.keras");
        try (ZipOutputStream zo = new ZipOutputStream(Files.newOutputStream(f))) {
            zo.putNextEntry(new ZipEntry("config.json"));
            byte[] spaces = new byte[1 << 20];
            java.util.Arrays.fill(spaces, (byte) ' ');
            for (int i = 0; i < 70; i++) zo.write(spaces);
            zo.closeEntry();
            zo.putNextEntry(new ZipEntry("model.weights.h5"));
            zo.write(new byte[16]);
            zo.closeEntry();
        }
        assertMessage(refused(f), f, "config.json", "claims 73400320 bytes, more than the 67108864 bytes allowed");
    }

    @Test
    void archiveWithoutWeights() throws Exception {
        Path f = dir.resolve("nothing.keras");
        try (ZipOutputStream zo = new ZipOutputStream(Files.newOutputStream(f))) {
            zo.putNextEntry(new ZipEntry("config.json"));
            zo.write("{}".getBytes(StandardCharsets.UTF_8));
            zo.closeEntry();
        }
        assertMessage(refused(f), f, "without 'model.weights.h5'");
    }

    @Test
    void datasetClaimingMoreThanTheFileHoldsIsRefusedBeforeAllocation() {
        Path f = Fixtures.path("bad/huge_claim.weights.h5");
        KerasFormatException e = assertThrows(KerasFormatException.class, () -> KerasFile.read(f));
        assertMessage(e, f, "layers/dense/vars/0", "shape [32768, 8192] (1073741824 bytes)", "more than the");
    }

    @Test
    void compressedDatasetIsRefused() {
        Path f = Fixtures.path("bad/compressed.weights.h5");
        KerasFormatException e = assertThrows(KerasFormatException.class, () -> KerasFile.read(f));
        assertMessage(e, f, "layers/dense/vars/0", "filtered (compressed) dataset");
    }

    @Test
    void linksAreNotFollowed() {
        Path f = Fixtures.path("bad/external_link.weights.h5");
        KerasFormatException e = assertThrows(KerasFormatException.class, () -> KerasFile.read(f));
        assertMessage(e, f, "'dense' is a link; links are not followed");
    }

    @Test
    void unsupportedLayersAreListedByNameInOneError() {
        Path f = Fixtures.path("bad/recurrent.keras");
        assertMessage(refused(f), f, "2 layers are not supported: lstm (LSTM), gru (GRU)", "jgrad builds");
    }

    @Test
    void configThatIsNotJson() throws Exception {
        Path f = withConfig("sequential_cnn.keras", c -> c.substring(0, c.length() / 2));
        assertMessage(refused(f), f, "config.json", "invalid JSON at line 1");
    }

    @Test
    void configNestedTooDeep() throws Exception {
        Path f = withConfig("sequential_cnn.keras", c -> "[".repeat(5000) + "]".repeat(5000));
        assertMessage(refused(f), f, "config.json", "invalid JSON", "nesting depth");
    }

    @Test
    void subclassedModelConfig() throws Exception {
        Path f = withConfig("sequential_cnn.keras", c -> c.replaceFirst("\"Sequential\"", "\"MyModel\""));
        assertMessage(refused(f), f, "config.json class_name", "the model is a 'MyModel'");
    }

    @Test
    void cyclicGraph() throws Exception {
        // The first Conv2D of the functional model takes its input from the layer after it.
        Path f = withConfig("functional.keras", c -> c.replaceFirst("\"keras_history\": \\[\"image\", 0, 0\\]",
                "\"keras_history\": [\"stem_bn\", 0, 0]"));
        assertMessage(refused(f), f, "the layer graph has a cycle");
    }

    @Test
    void configFieldOfTheWrongType() throws Exception {
        Path f = withConfig("sequential_cnn.keras", c -> c.replaceFirst("\"strides\": \\[2, 2\\]", "\"strides\": [0, 2]"));
        assertMessage(refused(f), f, "config.json config.layers[4].config.strides", "expected an integer in [1, 65536], found 0");
    }

    @Test
    void weightsThatDoNotFitTheConfigLeaveTheModelUnchanged() throws Exception {
        // The config asks for 7 units where the file's kernel has 5.
        Path f = withConfig("sequential_cnn.keras", c -> c.replaceFirst("\"units\": 5", "\"units\": 7"));
        KerasConfigModel net = KerasConfigModel.build(KerasFile.read(f).config(), f, "config.json");
        Map<String, Tensor> before = net.stateDict();
        Map<String, float[]> copy = new java.util.HashMap<>();
        before.forEach((k, v) -> copy.put(k, v.toFloat().toFloatArray()));
        KerasFormatException e = assertThrows(KerasFormatException.class, () -> net.loadWeights(f));
        assertMessage(e, f, "Dense layer 'dense_1': weight has shape [5, 16] after conversion", "needs [7, 16]");
        net.stateDict().forEach((k, v) -> assertTrue(java.util.Arrays.equals(copy.get(k), v.toFloat().toFloatArray()),
                "unchanged: " + k));
    }

    @Test
    void weightsOfAnotherModelAreListed() throws Exception {
        KerasConfigModel net = KerasConfigModel.load(Fixtures.path("functional.keras"));
        Path w = Fixtures.path("sequential_cnn.weights.h5");
        KerasFormatException e = assertThrows(KerasFormatException.class, () -> net.loadWeights(w));
        assertMessage(e, w, "the weights do not fit the model's config: no weights for stem_conv (Conv2D)",
                "weights for layers the config does not have: conv2d");
    }

    @Test
    void weightsOnlyFileCannotBeBuiltAlone() {
        Path f = Fixtures.path("sequential_cnn.weights.h5");
        assertMessage(refused(f), f, "a weights-only file (H5_WEIGHTS) has no model config");
    }

    @Test
    void readBudgetIsAppliedToEntries() throws Exception {
        String old = System.getProperty("jgrad.readBudget");
        System.setProperty("jgrad.readBudget", "20k");
        try {
            Path f = Fixtures.path("sequential_cnn.keras");
            assertMessage(refused(f), f, "model.weights.h5", "memory budget");
        } finally {
            if (old == null) System.clearProperty("jgrad.readBudget");
            else System.setProperty("jgrad.readBudget", old);
        }
    }

}
