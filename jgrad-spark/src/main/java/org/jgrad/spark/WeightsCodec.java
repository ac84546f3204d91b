package org.jgrad.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jgrad.io.SafeTensors;
import org.jgrad.tensor.Tensor;

/**
 * State dicts as safetensors bytes: how weights travel between the driver and the tasks (never Java
 * serialization). Both ways go through jgrad's own safetensors writer and its checked reader, via a
 * temporary file that is deleted at once.
 */
final class WeightsCodec {
    private WeightsCodec() {}

    /** The safetensors bytes of {@code state}. */
    static byte[] encode(Map<String, Tensor> state) {
        try {
            Path tmp = Files.createTempFile("jgrad-spark-weights", ".safetensors");
            try {
                SafeTensors.save(state, tmp);
                return Files.readAllBytes(tmp);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("jgrad-spark: could not encode weights: " + e.getMessage(), e);
        }
    }

    /** The state dict in {@code bytes}; a malformed file fails with the reader's message. */
    static Map<String, Tensor> decode(byte[] bytes) {
        try {
            Path tmp = Files.createTempFile("jgrad-spark-weights", ".safetensors");
            try {
                Files.write(tmp, bytes);
                return new LinkedHashMap<>(SafeTensors.load(tmp).tensors());
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("jgrad-spark: could not decode weights: " + e.getMessage(), e);
        }
    }
}
