package org.jgrad.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.jgrad.nn.LoadResult;
import org.jgrad.nn.Module;

/**
 * A model's weights as a safetensors file: the PyTorch idiom
 * {@code torch.save(model.state_dict(), f)} / {@code model.load_state_dict(torch.load(f))} in one call
 * each. Files written here load in PyTorch with {@code safetensors.torch.load_file}, and files
 * exported from PyTorch load here when the key names match (the model zoo uses torchvision's).
 */
public final class Weights {
    private Weights() {}

    /** Writes the model's state dict atomically (temp file + rename), with optional metadata. */
    public static void save(Module model, Path file, Map<String, String> metadata) throws IOException {
        SafeTensors.save(model.stateDict(), file, metadata);
    }

    /** Writes the model's state dict atomically. */
    public static void save(Module model, Path file) throws IOException {
        save(model, file, Map.of());
    }

    /**
     * Loads weights into {@code model}. The file is read and validated completely, then the state
     * dict is checked against the model (missing/unexpected keys, shapes) before any value is copied:
     * on any error the model is unchanged.
     *
     * @throws SafeTensorsException for an unreadable or corrupt file
     * @throws IllegalArgumentException listing every key or shape that does not fit the model
     */
    public static LoadResult load(Module model, Path file, boolean strict) throws IOException {
        SafeTensorsFile f = SafeTensors.load(file);
        return model.loadStateDict(f.tensors(), strict);
    }

    /** Strict load: every key must match. */
    public static LoadResult load(Module model, Path file) throws IOException {
        return load(model, file, true);
    }
}
