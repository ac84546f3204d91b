package org.jgrad.vision.models;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jgrad.io.Checkpoint;
import org.jgrad.io.SafeTensors;
import org.jgrad.io.SafeTensorsFile;
import org.jgrad.io.Weights;
import org.jgrad.nn.Module;
import org.jgrad.tensor.DType;
import org.jgrad.tensor.Tensor;
import org.jgrad.vision.image.ImageFiles;

/**
 * A whole trained model in one safetensors file: the weights plus the {@link ModelInfo} that
 * rebuilds it (zoo name and arguments, input shape, class names, normalisation), like Keras'
 * {@code model.save} / {@code load_model}. Files written here and by {@code jgrad train} are the
 * same kind: {@code jgrad eval} and {@code jgrad predict} take either, and {@link #load} reads
 * both weights files and training checkpoints ({@code last.safetensors}).
 *
 * <pre>{@code
 * ModelInfo info = ModelInfo.of("mlp", new int[] {1, 8, 8}, 10);
 * Module net = info.create();
 * // ... train it ...
 * SavedModel.save(net, info, Path.of("digits.safetensors"));
 * SavedModel back = SavedModel.load(Path.of("digits.safetensors"));   // back.model() is in eval mode
 * }</pre>
 *
 * @param info what the model is
 * @param model the rebuilt model, weights loaded, in evaluation mode
 * @param metadata every metadata entry of the file (training settings too, for files {@code jgrad train} wrote)
 */
public record SavedModel(ModelInfo info, Module model, Map<String, String> metadata) {

    /** Copies the metadata. */
    public SavedModel {
        metadata = Map.copyOf(metadata);
    }

    /**
     * Writes {@code model}'s state dict and {@code info} to {@code file} (atomically).
     *
     * @throws IllegalArgumentException when {@code info}'s model is not registered
     */
    public static void save(Module model, ModelInfo info, Path file) throws IOException {
        save(model, info, file, Map.of());
    }

    /** {@link #save(Module, ModelInfo, Path)} with further metadata entries (which must not start with {@code jgrad.model}). */
    public static void save(Module model, ModelInfo info, Path file, Map<String, String> extra) throws IOException {
        info.entry(); // a model that cannot be rebuilt by name is not worth saving as one
        Map<String, String> m = new LinkedHashMap<>(info.toMetadata());
        for (Map.Entry<String, String> e : extra.entrySet()) {
            if (m.containsKey(e.getKey()) || e.getKey().startsWith(ModelInfo.ARG_PREFIX))
                throw new IllegalArgumentException("SavedModel.save: extra metadata '" + e.getKey() + "' would overwrite the model's own");
            m.put(e.getKey(), e.getValue());
        }
        Weights.save(model, file, m);
    }

    /**
     * Loads a file {@link #save} or {@code jgrad train} wrote (weights or checkpoint).
     *
     * @throws FileNotFoundException when there is no such file
     * @throws MissingModelInfoException when the file has no model metadata (use {@link #load(Path, ModelInfo)})
     * @throws IllegalArgumentException when its tensors do not fit the model its metadata names
     */
    public static SavedModel load(Path file) throws IOException {
        return load(file, null);
    }

    /**
     * Loads {@code file}, taking the model from {@code ifMissing} when the file has no model metadata
     * of its own (weights saved with {@code Weights.save} or exported by another tool); a file's own
     * metadata always wins.
     *
     * @param ifMissing the model to build for a weights-only file, or null to refuse such a file
     */
    public static SavedModel load(Path file, ModelInfo ifMissing) throws IOException {
        if (!Files.isRegularFile(file)) throw new FileNotFoundException("no such model file: " + file);
        SafeTensorsFile f = SafeTensors.load(file);
        Map<String, String> meta = f.metadata();
        ModelInfo info = ModelInfo.isPresent(meta) || ifMissing == null ? ModelInfo.fromMetadata(meta, file.toString()) : ifMissing;
        Map<String, Tensor> state = Checkpoint.FORMAT_VALUE.equals(meta.get(Checkpoint.FORMAT_KEY))
                ? Checkpoint.load(file).model() : f.tensors();
        checkAgainstTensors(info, state, file);
        Module m = info.create();
        try {
            m.loadStateDict(state, true);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new IllegalArgumentException(file + ": its tensors do not fit " + info + ": " + e.getMessage(), e);
        }
        m.eval();
        for (Map.Entry<String, Tensor> e : m.stateDict().entrySet()) {
            if (e.getValue().dtype() != DType.FLOAT32) continue;
            for (float v : e.getValue().toFloatArray())
                if (!Float.isFinite(v))
                    throw new IllegalArgumentException(file + ": tensor '" + e.getKey() + "' holds " + v + "; a model with"
                            + " non-finite weights gives meaningless outputs (was it saved from a run that diverged?)");
        }
        return new SavedModel(info, m, meta);
    }

    /**
     * The metadata describe the model to build; before building it (a claim of 5 million classes would
     * allocate gigabytes), they must agree with the tensors actually in the file: the output layer's
     * bias has one entry per class, and no size exceeds the number of values the file holds.
     */
    private static void checkAgainstTensors(ModelInfo info, Map<String, Tensor> state, Path file) {
        long values = 0;
        boolean classBias = false;
        for (Tensor t : state.values()) {
            values += t.numel();
            if (t.dim() == 1 && t.size(0) == info.numClasses()) classBias = true;
        }
        long inputs = 1;
        for (int d : info.inputShape()) inputs *= d;
        if (info.numClasses() > values || info.inChannels() > values || !classBias)
            throw new IllegalArgumentException(file + ": its metadata claim a " + info.model() + " with " + info.numClasses()
                    + " classes and " + info.inChannels() + " input channels, but the file's " + state.size() + " tensors ("
                    + values + " values) have no output layer of " + info.numClasses() + " entries; the metadata do not"
                    + " describe these weights");
        if (inputs > ImageFiles.maxPixels() * 3)
            throw new IllegalArgumentException(file + ": its metadata claim inputs of " + info.shapeString() + ", more than"
                    + " jgrad's image limit (" + ImageFiles.maxPixels() + " pixels of 3 channels)");
    }
}
