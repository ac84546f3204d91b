package org.jgrad.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.jgrad.nn.LoadResult;
import org.jgrad.nn.Module;
import org.jgrad.tensor.Tensor;

/**
 * A model's weights as a safetensors file: the PyTorch idiom
 * {@code torch.save(model.state_dict(), f)} / {@code model.load_state_dict(torch.load(f))} in one call
 * each. Files written here load in PyTorch with {@code safetensors.torch.load_file}, and files
 * exported from PyTorch load here when the key names match (the model zoo uses torchvision's).
 * {@link #load} also reads PyTorch's own {@code torch.save} files ({@code .pth}, {@code .pt},
 * {@code .bin}) through {@link PyTorchCheckpoint}, telling the formats apart by their first bytes.
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
     * Loads weights into {@code model} from a safetensors file or a PyTorch checkpoint
     * ({@code torch.save} output, bare state dict or wrapped under {@code "state_dict"}, {@code "model"}
     * or {@code "model_state_dict"}); the format is recognised by the file's first bytes, whatever its
     * name. The file is read and validated completely, then the state dict is checked against the
     * model (missing/unexpected keys, shapes) before any value is copied: on any error the model is
     * unchanged.
     *
     * @throws SafeTensorsException for an unreadable or corrupt safetensors file
     * @throws PyTorchFormatException for an unreadable or corrupt PyTorch file, or one naming anything
     *     a state dict does not need
     * @throws IllegalArgumentException listing every key or shape that does not fit the model
     */
    public static LoadResult load(Module model, Path file, boolean strict) throws IOException {
        return model.loadStateDict(read(file), strict);
    }

    /** The tensors of a safetensors file or a PyTorch checkpoint, told apart by their first bytes. */
    public static Map<String, Tensor> read(Path file) throws IOException {
        if (PyTorchCheckpoint.looksLikePyTorch(file)) return PyTorchCheckpoint.read(file).tensors();
        return SafeTensors.load(file).tensors();
    }

    /** Strict load: every key must match. */
    public static LoadResult load(Module model, Path file) throws IOException {
        return load(model, file, true);
    }
}
