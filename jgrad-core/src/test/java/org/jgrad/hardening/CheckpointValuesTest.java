package org.jgrad.hardening;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.jgrad.data.DataLoader;
import org.jgrad.data.TensorDataset;
import org.jgrad.internal.TensorData;
import org.jgrad.io.Checkpoint;
import org.jgrad.io.SafeTensors;
import org.jgrad.io.SafeTensorsException;
import org.jgrad.nn.Linear;
import org.jgrad.nn.loss.CrossEntropyLoss;
import org.jgrad.optim.Adam;
import org.jgrad.optim.SGD;
import org.jgrad.optim.StateDicts;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.jgrad.train.ModelCheckpoint;
import org.jgrad.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoint rows of docs/bad-inputs.md: values checked as the constructors check them, missing state, F64, bytes. */
class CheckpointValuesTest {
    @TempDir
    Path dir;

    private static TensorDataset data() {
        Generator g = new Generator(3);
        return new TensorDataset(Tensor.randn(g, 16, 2), TensorData.wrapLongs(new long[] {0, 1, 0, 1, 1, 0, 0, 1, 0, 1, 1, 0, 0, 1, 1, 0}, 16));
    }

    private static Trainer adamTrainer(Linear m) {
        return Trainer.builder(m, new Adam(m.parameters(), 0.01), new CrossEntropyLoss()).epochs(1).build();
    }

    /** A checkpoint of one Adam epoch, then one entry of its optimizer state changed by {@code edit}. */
    private Path edited(String name, Consumer<Map<String, Tensor>> edit) throws IOException {
        Linear m = new Linear(2, 2, true, new Generator(1));
        Trainer t = adamTrainer(m);
        t.fit(DataLoader.builder(data()).batchSize(4).shuffle(true).seed(1).build(), null);
        Checkpoint ck = t.checkpoint();
        Map<String, Tensor> opt = new LinkedHashMap<>(ck.optimizer());
        edit.accept(opt);
        Path f = dir.resolve(name + ".safetensors");
        new Checkpoint(ck.model(), opt, ck.scheduler(), ck.epoch(), ck.step(), ck.rngStates(), ck.metadata()).save(f);
        return f;
    }

    private String refusedOnResume(Path f) {
        Linear m = new Linear(2, 2, true, new Generator(2));
        Adam adam = new Adam(m.parameters(), 0.5);
        Trainer t = Trainer.builder(m, adam, new CrossEntropyLoss()).build();
        float[] before = m.stateDict().get("weight").toFloatArray();
        Exception e = assertThrows(Exception.class, () -> t.resume(f));
        assertTrue(e instanceof IllegalArgumentException || e instanceof SafeTensorsException, e.toString());
        assertArrayEquals(before, m.stateDict().get("weight").toFloatArray(), "nothing changed");
        assertEquals(0.5, adam.paramGroups().get(0).lr());
        return e.getMessage();
    }

    private Path withOption(String option, double value) throws IOException {
        return edited(option + value, o -> o.put("param_groups.0." + option, StateDicts.encodeDouble(value)));
    }

    @Test
    void optionValuesAreCheckedAsTheConstructorsCheckThem() throws IOException {
        assertEquals("Adam.loadStateDict: param_groups.0.beta1: Adam: invalid beta parameter at index 0 value: 2.0",
                refusedOnResume(withOption("beta1", 2)));
        assertEquals("Adam.loadStateDict: param_groups.0.eps: Adam: invalid epsilon value: -1.0",
                refusedOnResume(withOption("eps", -1)));
        assertEquals("Adam.loadStateDict: param_groups.0.eps: Adam: invalid epsilon value: NaN",
                refusedOnResume(withOption("eps", Double.NaN)));
        assertEquals("Adam.loadStateDict: param_groups.0.weight_decay: Adam: invalid weight_decay value: -5.0",
                refusedOnResume(withOption("weight_decay", -5)));
        assertTrue(refusedOnResume(withOption("lr", Double.POSITIVE_INFINITY)).contains("invalid learning rate value: Infinity"));
        assertEquals("Adam.loadStateDict: param_groups.0.amsgrad: Adam: invalid amsgrad value: 5.0 (a boolean: 0 or 1)",
                refusedOnResume(withOption("amsgrad", 5)));
        // The constructors refuse the same values.
        Linear m = new Linear(2, 2, true, new Generator(1));
        assertEquals("Adam: invalid beta parameter at index 0 value: 2.0",
                assertThrows(IllegalArgumentException.class, () -> new Adam(m.parameters()).betas(2, 0.9)).getMessage());
        assertEquals("SGD: invalid learning rate value: Infinity",
                assertThrows(IllegalArgumentException.class, () -> new SGD(m.parameters(), Double.POSITIVE_INFINITY)).getMessage());
    }

    @Test
    void stepCountsOutOfRangeOrMissingAreRefused() throws IOException {
        assertEquals("Adam.loadStateDict: state.0.step is -3, outside [0, 2^53]",
                refusedOnResume(edited("neg", o -> o.put("state.0.step", StateDicts.encodeLong(-3)))));
        assertEquals("Adam.loadStateDict: state.0 has buffers but no step count (state.0.step)",
                refusedOnResume(edited("nostep", o -> o.remove("state.0.step"))));
    }

    @Test
    void trainerStepNearLongMaxIsRefused() throws IOException {
        Linear m = new Linear(2, 2, true, new Generator(1));
        Checkpoint ck = Checkpoint.builder().model(m.stateDict()).optimizer(new SGD(m.parameters(), 0.1).stateDict())
                .epoch(1).step(Long.MAX_VALUE).build();
        Path f = dir.resolve("max.safetensors");
        ck.save(f);
        SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> Checkpoint.load(f));
        assertTrue(e.getMessage().endsWith("step 9223372036854775807 is out of range [0, 2^53]"), e.getMessage());
    }

    @Test
    void missingLoaderGeneratorIsRefused() throws IOException {
        Linear m = new Linear(2, 2, true, new Generator(1));
        Trainer t = adamTrainer(m);
        t.fit(DataLoader.builder(data()).batchSize(4).shuffle(true).seed(1).build(), null);
        Checkpoint ck = t.checkpoint();
        Map<String, long[]> rng = ck.rngStates();
        rng.remove("loader");
        Path f = dir.resolve("norng.safetensors");
        new Checkpoint(ck.model(), ck.optimizer(), ck.scheduler(), ck.epoch(), ck.step(), rng, ck.metadata()).save(f);
        assertTrue(refusedOnResume(f).endsWith("tensor 'rng.loader': the checkpoint is at step 4 but has no 'loader'"
                + " random-generator state, so the run cannot be continued exactly"));
    }

    @Test
    void hyperparametersAreF64NumbersAndOldBitPatternsStillLoad() throws IOException {
        Linear m = new Linear(2, 2, true, new Generator(1));
        Trainer t = adamTrainer(m);
        Path f = dir.resolve("f64.safetensors");
        t.saveCheckpoint(f);
        String header = header(f);
        assertTrue(header.contains("\"optim.param_groups.0.lr\":{\"dtype\":\"F64\",\"shape\":[]"), header);
        assertTrue(header.contains("\"optim.param_groups.0.params\":{\"dtype\":\"I64\""), header);
        assertEquals(0.01f, SafeTensors.load(f).tensors().get("optim.param_groups.0.lr").item(), 0f, "what a plain reader sees");
        assertEquals(0.01, StateDicts.decodeDouble(Checkpoint.load(f).optimizer().get("param_groups.0.lr")), 0.0, "exact");
        // A checkpoint from before: the same double as int64 bits.
        Checkpoint ck = Checkpoint.load(f);
        Map<String, Tensor> all = new LinkedHashMap<>();
        ck.model().forEach((k, v) -> all.put(Checkpoint.MODEL_PREFIX + k, v));
        ck.optimizer().forEach((k, v) -> all.put(Checkpoint.OPTIMIZER_PREFIX + k, v));
        all.put("epoch", TensorData.wrapLongs(new long[] {0}));
        all.put("step", TensorData.wrapLongs(new long[] {0}));
        all.put("optim.param_groups.0.lr", TensorData.wrapLongs(new long[] {Double.doubleToLongBits(0.003)}));
        all.put("optim.param_groups.0.beta2", TensorData.wrapLongs(new long[] {Double.doubleToLongBits(0.999)}));
        Path old = dir.resolve("old.safetensors");
        SafeTensors.save(all, old, Map.of(Checkpoint.FORMAT_KEY, Checkpoint.FORMAT_VALUE));
        assertTrue(header(old).contains("\"optim.param_groups.0.lr\":{\"dtype\":\"I64\""), "the old layout");
        Adam a = new Adam(new Linear(2, 2, true, new Generator(1)).parameters(), 0.5);
        a.loadStateDict(Checkpoint.load(old).optimizer());
        assertEquals(0.003, a.paramGroups().get(0).lr(), 0.0);
        assertEquals(0.999, a.paramGroups().get(0).get("beta2"), 0.0);
    }

    private static String header(Path f) throws IOException {
        byte[] b = Files.readAllBytes(f);
        long n = ByteBuffer.wrap(b, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        return new String(b, 8, (int) n, StandardCharsets.UTF_8);
    }

    @Test
    void identicalRunsWriteIdenticalCheckpointBytes() throws IOException {
        Map<String, String> meta = new LinkedHashMap<>();
        for (int i = 0; i < 20; i++) meta.put("key" + (char) ('a' + (i * 7) % 20), "v" + i);
        byte[][] files = new byte[2][];
        for (int run = 0; run < 2; run++) {
            org.jgrad.nn.DefaultGenerator.manualSeed(5);
            Linear m = new Linear(2, 2, true, new Generator(1));
            Path d = dir.resolve("run" + run);
            Trainer t = Trainer.builder(m, new Adam(m.parameters(), 0.01), new CrossEntropyLoss()).epochs(2)
                    .callback(new ModelCheckpoint(d, ModelCheckpoint.Keep.LAST, meta)).build();
            t.fit(DataLoader.builder(data()).batchSize(4).shuffle(true).seed(1).build(), null);
            files[run] = Files.readAllBytes(d.resolve("last.safetensors"));
        }
        assertArrayEquals(files[0], files[1]);
        // And in the caller's order, which Map.copyOf would not keep.
        String h = new String(files[0], StandardCharsets.UTF_8);
        int prev = -1;
        for (String k : meta.keySet()) {
            int at = h.indexOf("\"" + k + "\"");
            assertTrue(at > prev, k);
            prev = at;
        }
    }
}
