package org.jgrad.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.jgrad.data.DataLoader;
import org.jgrad.data.Synthetic2D;
import org.jgrad.data.TensorDataset;
import org.jgrad.io.Checkpoint;
import org.jgrad.nn.Module;
import org.jgrad.nn.loss.CrossEntropyLoss;
import org.jgrad.optim.SGD;
import org.jgrad.tensor.Generator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCheckpointTest {

    @Test
    void metadataIsStoredInEveryCheckpoint(@TempDir Path dir) throws IOException {
        TensorDataset data = Synthetic2D.generate(Synthetic2D.Kind.CIRCLE, 64, 0, new Generator(1));
        Module model = TrainerTest.mlp(3, false);
        Trainer t = Trainer.builder(model, new SGD(model.parameters(), 0.1), new CrossEntropyLoss()).epochs(2)
                .callback(new ModelCheckpoint(dir, ModelCheckpoint.Keep.EVERY_EPOCH, Map.of("model", "mlp", "classes", "[\"a\",\"b\"]"))).build();
        t.fit(TrainerTest.loader(data, 2), null);
        for (String f : new String[] {"last.safetensors", "epoch-001.safetensors", "epoch-002.safetensors"}) {
            Checkpoint ck = Checkpoint.load(dir.resolve(f));
            assertEquals("mlp", ck.metadata().get("model"), f);
            assertEquals("[\"a\",\"b\"]", ck.metadata().get("classes"), f);
        }
        assertEquals(2, Checkpoint.load(dir.resolve("last.safetensors")).epoch());
    }

    @Test
    void tempFilesOfInterruptedWritesAreRemovedWhenTrainingStarts(@TempDir Path dir) throws IOException {
        Path[] leftovers = {dir.resolve(".last.safetensors.tmp-0123abcd"), dir.resolve(".epoch-007.safetensors.tmp-ffee")};
        Path[] kept = {dir.resolve("notes.txt"), dir.resolve(".other.tmp-1"), dir.resolve("last.safetensors.tmp-9")};
        for (Path p : leftovers) Files.write(p, new byte[] {1, 2, 3});
        for (Path p : kept) Files.write(p, new byte[] {1});
        TensorDataset data = Synthetic2D.generate(Synthetic2D.Kind.CIRCLE, 32, 0, new Generator(1));
        Module model = TrainerTest.mlp(3, false);
        Trainer.builder(model, new SGD(model.parameters(), 0.1), new CrossEntropyLoss()).epochs(1)
                .callback(new ModelCheckpoint(dir)).build().fit(TrainerTest.loader(data, 2), null);
        for (Path p : leftovers) assertFalse(Files.exists(p), p + " should be gone");
        for (Path p : kept) assertTrue(Files.exists(p), p + " is not ours and must stay");
        assertEquals(1, Checkpoint.load(dir.resolve("last.safetensors")).epoch());
    }
}
