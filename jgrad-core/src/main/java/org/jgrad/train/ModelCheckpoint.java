package org.jgrad.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Saves the full training state after every epoch to {@code dir/last.safetensors} (atomically:
 * a crash mid-write leaves the previous checkpoint intact), and with {@code keepEvery} also to
 * {@code dir/epoch-NNN.safetensors}. Resume with {@link Trainer#resume}.
 */
public final class ModelCheckpoint implements Callback {
    private final Path dir;
    private final boolean keepEvery;

    public ModelCheckpoint(Path dir, boolean keepEvery) {
        this.dir = dir;
        this.keepEvery = keepEvery;
    }

    /** The file holding the newest checkpoint. */
    public Path lastFile() {
        return dir.resolve("last.safetensors");
    }

    @Override
    public void onEpochEnd(Trainer trainer, EpochLog log) {
        try {
            Files.createDirectories(dir);
            var ck = trainer.checkpoint();
            ck.save(lastFile());
            if (keepEvery) ck.save(dir.resolve(String.format("epoch-%03d.safetensors", log.epoch())));
        } catch (IOException e) {
            throw new UncheckedIOException("ModelCheckpoint: could not write a checkpoint in " + dir + ": " + e.getMessage(), e);
        }
    }
}
