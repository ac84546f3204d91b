package org.jgrad.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.DType;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
    @TempDir
    Path dir;

    private static Map<String, Tensor> model() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("fc1.weight", Tensor.randn(new Generator(1), 4, 3));
        m.put("fc1.bias", Tensor.zeros(4));
        m.put("bn.num_batches_tracked", TensorData.wrapLongs(new long[] {12}));
        return m;
    }

    @Test
    void roundTripRestoresEverythingAndTheRunContinuesIdentically() throws IOException {
        Generator gen = new Generator(42);
        gen.nextGaussian(); // leaves a cached spare, which the state must carry
        Map<String, Tensor> optim = new LinkedHashMap<>();
        optim.put("state.0.exp_avg", Tensor.of(0.1f, -0.2f));
        optim.put("state.0.step", Tensor.scalar(3f));
        optim.put("param_groups.0.lr", Tensor.scalar(1e-3f));
        String hparams = "{\"lr\": 0.001, \"batch\": 64, \"note\": \"ünï\"}";
        Checkpoint ck = Checkpoint.builder().model(model()).optimizer(optim)
                .scheduler(Map.of("last_epoch", TensorData.wrapLongs(new long[] {4})))
                .epoch(5).step((1L << 53) - 1).rng("main", gen).rng("data", new Generator(9))
                .metadata("hparams", hparams).metadata(Map.of("git", "abc123"))
                .build();
        Path p = dir.resolve("ck.safetensors");
        ck.save(p);

        Checkpoint back = Checkpoint.load(p);
        assertEquals(5, back.epoch());
        assertEquals((1L << 53) - 1, back.step());
        assertEquals(ck.model().keySet(), back.model().keySet());
        for (String k : ck.model().keySet()) {
            assertEquals(ck.model().get(k).dtype(), back.model().get(k).dtype());
            assertArrayEquals(ck.model().get(k).shape(), back.model().get(k).shape());
            assertArrayEquals(ck.model().get(k).toFloatArray(), back.model().get(k).toFloatArray());
        }
        assertEquals(optim.keySet(), back.optimizer().keySet());
        assertArrayEquals(new float[] {0.1f, -0.2f}, back.optimizer().get("state.0.exp_avg").toFloatArray());
        assertEquals(4L, back.scheduler().get("last_epoch").getLong());
        assertEquals(Map.of("hparams", hparams, "git", "abc123"), back.metadata());
        assertEquals(List.of("main", "data").stream().sorted().toList(),
                back.rngStates().keySet().stream().sorted().toList());

        Generator resumed = new Generator(0);
        back.restoreRng("main", resumed);
        for (int i = 0; i < 10; i++) assertEquals(gen.nextGaussian(), resumed.nextGaussian());
        assertThrows(IllegalArgumentException.class, () -> back.restoreRng("missing", resumed));
    }

    @Test
    void theFileIsPlainSafetensorsWithDocumentedKeys() throws IOException {
        Path p = dir.resolve("ck.safetensors");
        Checkpoint.builder().model(Map.of("w", Tensor.of(1f))).epoch(2).step(30).rng("g", new Generator(1))
                .build().save(p);
        SafeTensorsFile f = SafeTensors.load(p);
        assertEquals(Map.of(Checkpoint.FORMAT_KEY, Checkpoint.FORMAT_VALUE), f.metadata());
        assertEquals(List.of("epoch", "rng.g", "step", "model.w"), List.copyOf(f.tensors().keySet()));
        assertEquals(DType.INT64, f.tensors().get("epoch").dtype());
        assertEquals(0, f.tensors().get("epoch").dim());
        assertArrayEquals(new Generator(1).getState(), f.tensors().get("rng.g").toLongArray());
    }

    @Test
    void emptyCheckpointAndDefensiveCopies() throws IOException {
        long[] state = new Generator(3).getState();
        Checkpoint ck = new Checkpoint(null, null, null, 0, 0, Map.of("g", state), null);
        state[0] = 0;
        assertTrue(ck.rngStates().get("g")[0] != 0);
        ck.rngStates().get("g")[0] = 0;
        assertTrue(ck.rngStates().get("g")[0] != 0);
        assertThrows(UnsupportedOperationException.class, () -> ck.model().put("x", Tensor.of(1f)));
        Path p = dir.resolve("empty.safetensors");
        ck.save(p);
        Checkpoint back = Checkpoint.load(p);
        assertEquals(Map.of(), back.model());
        assertEquals(Map.of(), back.metadata());
        assertThrows(IllegalArgumentException.class,
                () -> Checkpoint.builder().metadata(Checkpoint.FORMAT_KEY, "x").build());
    }

    @Test
    void truncatedOrCorruptCheckpointsFailWithTheFileNamed() throws IOException {
        Path p = dir.resolve("ck.safetensors");
        Checkpoint.builder().model(model()).epoch(1).step(2).rng("g", new Generator(5)).build().save(p);
        byte[] full = Files.readAllBytes(p);
        Path q = dir.resolve("broken.safetensors");
        for (int len : new int[] {0, 7, 8, 9, 50, full.length / 2, full.length - 1}) {
            Files.write(q, Arrays.copyOf(full, len));
            SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> Checkpoint.load(q));
            assertTrue(e.getMessage().contains(q.toString()), e.getMessage());
        }
        byte[] flipped = full.clone();
        flipped[20] = '!';
        Files.write(q, flipped);
        assertThrows(SafeTensorsException.class, () -> Checkpoint.load(q));
    }

    @Test
    void plainWeightFilesAndMalformedCheckpointsAreNotAccepted() throws IOException {
        Path p = dir.resolve("weights.safetensors");
        SafeTensors.save(Map.of("model.w", Tensor.of(1f)), p);
        assertTrue(assertThrows(SafeTensorsException.class, () -> Checkpoint.load(p)).getMessage()
                .contains("not a jgrad checkpoint"));
        Map<String, String> meta = Map.of(Checkpoint.FORMAT_KEY, Checkpoint.FORMAT_VALUE);
        SafeTensors.save(Map.of("epoch", Tensor.scalar(1f), "step", TensorData.wrapLongs(new long[] {1})), p, meta);
        assertTrue(assertThrows(SafeTensorsException.class, () -> Checkpoint.load(p)).getMessage()
                .contains("tensor 'epoch'"));
        SafeTensors.save(Map.of("epoch", TensorData.wrapLongs(new long[] {1})), p, meta);
        assertTrue(assertThrows(SafeTensorsException.class, () -> Checkpoint.load(p)).getMessage()
                .contains("no step tensor"));
        SafeTensors.save(Map.of("epoch", TensorData.wrapLongs(new long[] {1}), "step", TensorData.wrapLongs(new long[] {1}),
                "stray", Tensor.of(1f)), p, meta);
        assertTrue(assertThrows(SafeTensorsException.class, () -> Checkpoint.load(p)).getMessage()
                .contains("tensor 'stray'"));
        SafeTensors.save(Map.of("epoch", TensorData.wrapLongs(new long[] {1}), "step", TensorData.wrapLongs(new long[] {1})), p,
                Map.of(Checkpoint.FORMAT_KEY, "checkpoint-v9"));
        assertTrue(assertThrows(SafeTensorsException.class, () -> Checkpoint.load(p)).getMessage()
                .contains("unsupported checkpoint format 'checkpoint-v9'"));
    }
}
