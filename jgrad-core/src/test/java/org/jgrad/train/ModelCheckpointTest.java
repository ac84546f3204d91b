package org.jgrad.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
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
                .callback(new ModelCheckpoint(dir, true, Map.of("model", "mlp", "classes", "[\"a\",\"b\"]"))).build();
        t.fit(TrainerTest.loader(data, 2), null);
        for (String f : new String[] {"last.safetensors", "epoch-001.safetensors", "epoch-002.safetensors"}) {
            Checkpoint ck = Checkpoint.load(dir.resolve(f));
            assertEquals("mlp", ck.metadata().get("model"), f);
            assertEquals("[\"a\",\"b\"]", ck.metadata().get("classes"), f);
        }
        assertEquals(2, Checkpoint.load(dir.resolve("last.safetensors")).epoch());
    }
}
