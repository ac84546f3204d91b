package org.jgrad.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jgrad.io.Checkpoint;

/**
 * Saves the full training state after every epoch to {@code dir/last.safetensors} (atomically:
 * a crash mid-write leaves the previous checkpoint intact), and with {@link Keep#EVERY_EPOCH} also
 * to {@code dir/epoch-NNN.safetensors}. Resume with {@link Trainer#resume}.
 *
 * <pre>{@code
 * new ModelCheckpoint(Path.of("runs/digits"))                                   // last.safetensors
 * new ModelCheckpoint(Path.of("runs/digits"), ModelCheckpoint.Keep.EVERY_EPOCH) // and epoch-001.safetensors, ...
 * }</pre>
 */
public final class ModelCheckpoint implements Callback {

    /** Which checkpoints stay on disk. */
    public enum Keep {
        /** Only the newest, {@code last.safetensors}, overwritten every epoch. */
        LAST,
        /** The newest, and a copy per epoch ({@code epoch-001.safetensors}, ...). */
        EVERY_EPOCH
    }

    private final Path dir;
    private final Keep keep;
    private final Map<String, String> metadata;

    /** Keeps only {@code dir/last.safetensors}. */
    public ModelCheckpoint(Path dir) {
        this(dir, Keep.LAST, Map.of());
    }

    /** Keeps the checkpoints {@code keep} says. */
    public ModelCheckpoint(Path dir, Keep keep) {
        this(dir, keep, Map.of());
    }

    /**
     * Also stores {@code metadata} in every checkpoint, so that a file alone says what produced it
     * (model name and configuration, dataset, class names).
     */
    public ModelCheckpoint(Path dir, Keep keep, Map<String, String> metadata) {
        this.dir = dir;
        this.keep = java.util.Objects.requireNonNull(keep, "ModelCheckpoint: keep");
        // In the caller's order: Map.copyOf's order changes from run to run, and with it the file's bytes.
        this.metadata = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /** The file holding the newest checkpoint. */
    public Path lastFile() {
        return dir.resolve("last.safetensors");
    }

    /**
     * Deletes what writes interrupted by a crash left behind: AtomicFiles temp files of this
     * callback's checkpoints ({@code .last.safetensors.tmp-*}, {@code .epoch-NNN.safetensors.tmp-*}).
     * They are never complete checkpoints and would otherwise pile up with every kill. Nothing else
     * in the folder is touched.
     */
    @Override
    public void onTrainBegin(Trainer trainer) {
        if (!Files.isDirectory(dir)) return;
        try (var files = Files.newDirectoryStream(dir, ".{last,epoch-[0-9]*}.safetensors.tmp-*")) {
            for (Path f : files) Files.deleteIfExists(f);
        } catch (IOException e) {
            // Leftovers waste space but harm nothing; training goes on.
        }
    }

    @Override
    public void onEpochEnd(Trainer trainer, EpochLog log) {
        try {
            Files.createDirectories(dir);
            Checkpoint ck = withMetadata(trainer.checkpoint());
            ck.save(lastFile());
            if (keep == Keep.EVERY_EPOCH) ck.save(dir.resolve(String.format("epoch-%03d.safetensors", log.epoch())));
        } catch (IOException e) {
            throw new UncheckedIOException("ModelCheckpoint: could not write a checkpoint in " + dir + ": " + e.getMessage(), e);
        }
    }

    private Checkpoint withMetadata(Checkpoint ck) {
        if (metadata.isEmpty()) return ck;
        var all = new LinkedHashMap<>(ck.metadata());
        all.putAll(metadata);
        return new Checkpoint(ck.model(), ck.optimizer(), ck.scheduler(), ck.epoch(), ck.step(), ck.rngStates(), all);
    }
}
