package org.jgrad.hardening;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jgrad.data.DataLoader;
import org.jgrad.data.TensorDataset;
import org.jgrad.internal.TensorData;
import org.jgrad.io.Checkpoint;
import org.jgrad.nn.Linear;
import org.jgrad.nn.loss.CrossEntropyLoss;
import org.jgrad.optim.SGD;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.jgrad.train.Callback;
import org.jgrad.train.ModelCheckpoint;
import org.jgrad.train.Trainer;
import org.jgrad.train.TrainingDivergedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The NaN guard checks the weights after the updates, and nothing non-finite is saved or scored. */
class NanGuardTest {
    @TempDir
    Path dir;

    /** Overflows the first weight right after the given step, as a too-large update would; that step's loss was finite. */
    private record Overflow(long badStep) implements Callback {
        @Override
        public void onBatchEnd(Trainer t, int epoch, int batch, int size, double loss, double runningAccuracy) {
            if (t.step() == badStep) TensorData.floats(t.model().stateDict().get("weight"))[1] = Float.POSITIVE_INFINITY;
        }
    }

    private static DataLoader loader() {
        TensorDataset ds = new TensorDataset(TensorData.wrap(new float[] {1, 0, 0, 1, 1, 1, 0, 0}, 4, 2), Tensor.ofLongs(0, 1, 1, 0));
        return DataLoader.builder(ds).batchSize(2).build();
    }

    @Test
    void nonFiniteWeightsAfterTheLastStepOfAnEpochKeepTheLastGoodCheckpoint() throws IOException {
        Linear m = new Linear(2, 2, true, new Generator(1));
        // Two batches an epoch: step 4 is the last of epoch 2; its loss was computed before the update.
        Trainer t = Trainer.builder(m, new SGD(m.parameters(), 0.1), new CrossEntropyLoss()).epochs(3)
                .callback(new Overflow(4)).callback(new ModelCheckpoint(dir)).build();
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> t.fit(loader(), null));
        assertEquals("training diverged: after step 4 (epoch 2, batch 2) the weights hold Infinity in 'weight' (element 1)"
                + " although every loss was finite: an update was too large. Nothing was saved for this epoch (the last"
                + " checkpoint is kept). Try a lower learning rate.", e.getMessage());
        assertEquals(4, e.step());
        Checkpoint last = Checkpoint.load(dir.resolve("last.safetensors"));
        assertEquals(1, last.epoch(), "epoch 1's checkpoint is kept");
        for (float v : last.model().get("weight").toFloatArray()) assertTrue(Float.isFinite(v));
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count(), "no temp file left");
        }
    }

    @Test
    void aNonFiniteCheckpointIsNeverWritten() throws IOException {
        Linear m = new Linear(2, 2, true, new Generator(1));
        Path f = dir.resolve("last.safetensors");
        Checkpoint.builder().model(m.stateDict()).build().save(f);
        byte[] good = Files.readAllBytes(f);
        TensorData.floats(m.stateDict().get("bias"))[0] = Float.NaN;
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Checkpoint.builder().model(m.stateDict()).build().save(f));
        assertEquals("Checkpoint.save: tensor 'model.bias' holds NaN at element 0; a non-finite state cannot be resumed, so "
                + f + " was not written (the previous checkpoint, if any, is kept)", e.getMessage());
        assertArrayEquals(good, Files.readAllBytes(f));
    }

    @Test
    void evaluationRefusesNonFiniteWeightsAndInputs() {
        Linear m = new Linear(2, 2, true, new Generator(1));
        Trainer t = Trainer.builder(m, new SGD(m.parameters(), 0.1), new CrossEntropyLoss()).build();
        TensorDataset bad = new TensorDataset(TensorData.wrap(new float[] {1, 0, Float.NaN, 1}, 2, 2), Tensor.ofLongs(0, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> t.evaluate(DataLoader.builder(bad).batchSize(2).build()));
        assertEquals("evaluate: batch 1's inputs contain NaN at sample 1 of the batch (element 0 of that sample); jgrad does"
                + " not score non-finite data: clean the dataset", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> t.predict(DataLoader.builder(bad).batchSize(2).build()));
        TensorData.floats(m.stateDict().get("weight"))[3] = Float.NEGATIVE_INFINITY;
        IllegalStateException w = assertThrows(IllegalStateException.class, () -> t.evaluate(loader()));
        assertTrue(w.getMessage().startsWith("evaluate: the model's weights hold -Infinity in 'weight' (element 3)"), w.getMessage());
        assertFalse(w.getMessage().isBlank());
    }
}
