package org.jgrad.hardening;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jgrad.data.CsvDataset;
import org.jgrad.data.DataFormatException;
import org.jgrad.data.DataLoader;
import org.jgrad.data.TensorDataset;
import org.jgrad.internal.TensorData;
import org.jgrad.io.Checkpoint;
import org.jgrad.io.FileFormatException;
import org.jgrad.io.SafeTensors;
import org.jgrad.io.SafeTensorsException;
import org.jgrad.io.Weights;
import org.jgrad.nn.Linear;
import org.jgrad.nn.Sequential;
import org.jgrad.nn.loss.CrossEntropyLoss;
import org.jgrad.optim.Adam;
import org.jgrad.optim.ParamGroup;
import org.jgrad.optim.SGD;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.jgrad.train.Trainer;
import org.jgrad.train.TrainingDivergedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One test per row of the table in {@code docs/bad-inputs.md}: each kind of bad input, and exactly
 * what the user sees. Keep the two in step.
 */
class BadInputsTest {
    @TempDir
    Path dir;

    private static byte[] st(String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(h.length).put(h).put(data).array();
    }

    private Path file(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    private static void assertNames(FileFormatException e, Path f, String... parts) {
        assertTrue(e.getMessage().startsWith(f.toString()), "message starts with the file: " + e.getMessage());
        for (String p : parts) assertTrue(e.getMessage().contains(p), "message mentions '" + p + "': " + e.getMessage());
    }

    // ---- files

    @Test
    void truncatedFile() throws IOException {
        Path good = dir.resolve("w.safetensors");
        SafeTensors.save(Map.of("w", Tensor.of(1f, 2f, 3f)), good);
        byte[] all = Files.readAllBytes(good);
        Path cut = file("cut.safetensors", java.util.Arrays.copyOf(all, all.length - 4));
        SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> SafeTensors.load(cut));
        assertNames(e, cut, "tensor 'w'", "byte offset", "run past the end of the data section");
    }

    @Test
    void wrongMagic() throws IOException {
        Path f = file("png.safetensors", "\u0089PNG\r\n\u001a\n0000000000000000".getBytes(StandardCharsets.ISO_8859_1));
        SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> SafeTensors.load(f));
        assertNames(e, f, "byte offset 0", "header length");
    }

    @Test
    void headerOrOffsetBeyondTheEnd() throws IOException {
        Path f = file("far.safetensors", st("{\"w\":{\"dtype\":\"F32\",\"shape\":[1099511627776],\"data_offsets\":[0,4398046511104]}}", new byte[8]));
        SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> SafeTensors.load(f));
        assertNames(e, f, "tensor 'w'", "run past the end of the data section (8 bytes)");
    }

    @Test
    void overlappingTensors() throws IOException {
        Path f = file("overlap.safetensors", st("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", new byte[12]));
        SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> SafeTensors.load(f));
        assertNames(e, f, "tensor 'b'", "overlaps tensor 'a'");
    }

    @Test
    void notACheckpoint() throws IOException {
        Path f = dir.resolve("weights.safetensors");
        SafeTensors.save(Map.of("w", Tensor.of(1f)), f);
        SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> Checkpoint.load(f));
        assertNames(e, f, "not a jgrad checkpoint");
    }

    @Test
    void shapeMismatchWithTheModelChangesNothing() throws IOException {
        Generator g = new Generator(1);
        Linear small = new Linear(2, 3, true, g), model = new Linear(4, 3, true, g);
        Path f = dir.resolve("small.safetensors");
        Weights.save(small, f);
        float[] before = model.stateDict().get("weight").toFloatArray();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Weights.load(model, f));
        assertTrue(e.getMessage().contains("size mismatch for weight: copying a param with shape [3, 2] from checkpoint, "
                + "the shape in current model is [3, 4]"), e.getMessage());
        assertArrayEquals(before, model.stateDict().get("weight").toFloatArray());
    }

    @Test
    void checkpointForAnotherOptimizerChangesNeitherModelNorOptimizer() throws IOException {
        Generator g = new Generator(1);
        Linear a = new Linear(2, 2, true, g);
        Trainer ta = Trainer.builder(a, new SGD(a.parameters(), 0.1), new CrossEntropyLoss()).build();
        Path f = dir.resolve("sgd.safetensors");
        ta.saveCheckpoint(f);
        // Same model, but the optimizer splits its parameters into two groups: the model part fits, the optimizer part does not.
        Linear b = new Linear(2, 2, true, new Generator(2));
        SGD two = new SGD(List.of(new ParamGroup(List.of(b.stateDict().get("weight"))),
                new ParamGroup(List.of(b.stateDict().get("bias")))), 0.01);
        Trainer tb = Trainer.builder(b, two, new CrossEntropyLoss()).build();
        float[] before = b.stateDict().get("weight").toFloatArray();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tb.resume(f));
        assertTrue(e.getMessage().startsWith("SGD.loadStateDict: group 0 has 2 parameters in the state dict but 1 here"), e.getMessage());
        assertArrayEquals(before, b.stateDict().get("weight").toFloatArray(), "model restored after a failed resume");
        assertEquals(0.01, two.paramGroups().get(0).lr());
    }

    @Test
    void checkpointOfAnotherOptimizerIsRefused() throws IOException {
        Linear a = new Linear(2, 2, true, new Generator(1));
        Path f = dir.resolve("sgd.safetensors");
        Trainer.builder(a, new SGD(a.parameters(), 0.1).momentum(0.9), new CrossEntropyLoss()).build().saveCheckpoint(f);
        Linear b = new Linear(2, 2, true, new Generator(2));
        Adam adam = new Adam(b.parameters(), 0.01);
        Trainer tb = Trainer.builder(b, adam, new CrossEntropyLoss()).build();
        float[] before = b.stateDict().get("weight").toFloatArray();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tb.resume(f));
        assertTrue(e.getMessage().startsWith("Adam.loadStateDict: param_groups.0.") && e.getMessage().contains("is not an option of Adam")
                && e.getMessage().endsWith("is this another optimizer's state?"), e.getMessage());
        assertArrayEquals(before, b.stateDict().get("weight").toFloatArray());
        assertEquals(0.01, adam.paramGroups().get(0).lr());
    }

    @Test
    void malformedCsvNamesFileLineAndColumn() throws IOException {
        Path f = file("d.csv", "x,y,label\n1,2,0\n3,oops,1\n".getBytes(StandardCharsets.UTF_8));
        DataFormatException e = assertThrows(DataFormatException.class, () -> CsvDataset.read(f, CsvDataset.Options.defaults()));
        assertNames(e, f, ":3: column 2 ('y') is not a number: 'oops'");
    }

    @Test
    void corruptGzipIsAFormatError() throws IOException {
        Path f = file("d.csv.gz", "not gzip".getBytes(StandardCharsets.UTF_8));
        DataFormatException e = assertThrows(DataFormatException.class, () -> CsvDataset.read(f, CsvDataset.Options.defaults()));
        assertNames(e, f, "not a valid gzip file");
    }

    // ---- data

    private static Trainer trainer(Linear m) {
        return Trainer.builder(m, new SGD(m.parameters(), 0.1), new CrossEntropyLoss()).epochs(1).build();
    }

    @Test
    void nanInTheDataStopsTrainingNamingTheSample() {
        float[] x = new float[8 * 2];
        x[5 * 2 + 1] = Float.NaN;
        TensorDataset ds = new TensorDataset(TensorData.wrap(x, 8, 2), TensorData.wrapLongs(new long[8], 8));
        Linear m = new Linear(2, 2, true, new Generator(1));
        float[] before = m.stateDict().get("bias").toFloatArray();
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> trainer(m).fit(DataLoader.builder(ds).batchSize(4).build(), null));
        assertEquals("bad training data: the loss is NaN at step 2 (epoch 1, batch 2); this step was not applied. The batch's "
                + "inputs contain NaN at sample 1 of the batch (element 1 of that sample); clean the dataset (jgrad does not skip "
                + "or repair samples).", e.getMessage());
        assertEquals(2, e.step());
        assertTrue(!java.util.Arrays.equals(before, m.stateDict().get("bias").toFloatArray()), "step 1 was applied");
    }

    @Test
    void divergenceWithFiniteDataBlamesTheLearningRate() {
        TensorDataset ds = new TensorDataset(TensorData.wrap(new float[] {1e30f, -1e30f, 3e30f, 1e30f}, 2, 2), Tensor.ofLongs(0, 1));
        Linear m = new Linear(2, 2, true, new Generator(1));
        Trainer t = Trainer.builder(m, new SGD(m.parameters(), 1e30), new CrossEntropyLoss()).epochs(5).build();
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> t.fit(DataLoader.builder(ds).batchSize(2).build(), null));
        // Caught by the loss, or (one batch an epoch) by the weights check at the end of the epoch.
        assertTrue(e.getMessage().startsWith("training diverged: ") && e.getMessage().endsWith("Try a lower learning rate."),
                e.getMessage());
    }

    @Test
    void labelOutOfRangeNamesLabelAndPosition() {
        Tensor logits = Tensor.zeros(4, 3);
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                () -> new CrossEntropyLoss().forward(logits, Tensor.ofLongs(0, 2, 7, 1)));
        assertEquals("cross_entropy: target 7 at position 2 is out of bounds for 3 classes (valid: 0..2, or ignore_index -100)",
                e.getMessage());
    }

    @Test
    void emptyDataset() throws IOException {
        Path f = file("empty.csv", "\n\n".getBytes(StandardCharsets.UTF_8));
        DataFormatException e = assertThrows(DataFormatException.class, () -> CsvDataset.read(f, CsvDataset.Options.defaults()));
        assertEquals(f + ": no rows (empty CSV file)", e.getMessage());
        TensorDataset empty = new TensorDataset(Tensor.zeros(0, 2), Tensor.zerosLong(0));
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(empty).build());
        assertEquals("DataLoader: the dataset is empty", e2.getMessage());
    }

    @Test
    void batchSizeZeroOrLargerThanTheDataset() {
        TensorDataset ds = new TensorDataset(Tensor.zeros(5, 2), Tensor.zerosLong(5));
        assertEquals("DataLoader: batch size must be positive, got 0",
                assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(ds).batchSize(0).build()).getMessage());
        assertEquals("DataLoader: batch size 8 is larger than the dataset (5 samples) and dropLast is set, so no batch would "
                + "ever be produced", assertThrows(IllegalArgumentException.class,
                        () -> DataLoader.builder(ds).batchSize(8).dropLast(true).build()).getMessage());
        // Without dropLast, as in PyTorch: one short batch.
        DataLoader l = DataLoader.builder(ds).batchSize(8).build();
        assertEquals(1, l.numBatches());
        assertEquals(5, l.iterator().next().size());
    }

    // ---- hyperparameters and sizes

    @Test
    void negativeLearningRate() {
        Linear m = new Linear(2, 2, true, new Generator(1));
        assertEquals("SGD: invalid learning rate value: -0.1",
                assertThrows(IllegalArgumentException.class, () -> new SGD(m.parameters(), -0.1)).getMessage());
        assertEquals("ParamGroup: invalid learning rate value: -0.5 (must be finite and >= 0)",
                assertThrows(IllegalArgumentException.class, () -> new ParamGroup(m.parameters()).lr(-0.5)).getMessage());
        SGD sgd = new SGD(m.parameters(), 0.1);
        assertThrows(IllegalArgumentException.class, () -> sgd.paramGroups().get(0).lr(Double.NaN));
        var dict = new java.util.LinkedHashMap<>(sgd.stateDict());
        dict.replaceAll((k, v) -> k.endsWith(".lr") ? TensorData.wrapLongs(new long[] {Double.doubleToLongBits(-1.0)}) : v);
        assertThrows(IllegalArgumentException.class, () -> sgd.loadStateDict(dict));
        assertEquals(0.1, sgd.paramGroups().get(0).lr(), "a refused state dict changes nothing");
    }

    @Test
    void modelTooLargeForAnArray() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Linear(100_000, 100_000, true, new Generator(1)));
        assertEquals("zeros: shape [100000, 100000] has more than 2^31-9 elements", e.getMessage());
    }

    @Test
    void modelTooLargeForTheHeap() {
        long max = Runtime.getRuntime().maxMemory();
        // A weight matrix just over the heap, within the 2^31 element limit of one array.
        long elements = max / 4 + (64L << 20);
        assumeTrue(elements < Integer.MAX_VALUE - 8, "heap too large to provoke an out-of-memory error: " + max);
        int side = (int) Math.ceil(Math.sqrt((double) elements));
        OutOfMemoryError e = assertThrows(OutOfMemoryError.class, () -> new Linear(side, side, false, new Generator(1)));
        assertTrue(e.getMessage().startsWith("zeros: shape [" + side + ", " + side + "] needs ")
                && e.getMessage().contains("which the JVM heap (max ") && e.getMessage().contains("raise -Xmx"), e.getMessage());
    }

    @Test
    void everyBadFileTypeIsAFileFormatException() {
        for (Class<?> c : List.of(SafeTensorsException.class, DataFormatException.class))
            assertTrue(FileFormatException.class.isAssignableFrom(c) && IOException.class.isAssignableFrom(c), c.getName());
    }

    @Test
    void optimizerStateDictRoundTripStillWorks() {
        // Guards the negative-lr check above against refusing what stateDict() itself writes.
        Linear m = new Linear(2, 2, true, new Generator(1));
        Adam a = new Adam(m.parameters(), 0.01);
        a.loadStateDict(a.stateDict());
        assertEquals(0.01, a.paramGroups().get(0).lr());
        new Sequential(m);
    }
}
