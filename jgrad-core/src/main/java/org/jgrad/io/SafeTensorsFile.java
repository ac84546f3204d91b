package org.jgrad.io;

import java.util.LinkedHashMap;
import java.util.Objects;
import org.jgrad.tensor.Tensor;

/**
 * The contents of a safetensors file as read by {@link SafeTensors#load}: freshly allocated tensors
 * that share nothing with the file or with each other, and the {@code __metadata__} strings.
 *
 * <p>Both maps are new, mutable and owned by the caller. {@code tensors} is in header order, which for
 * files written by jgrad or by the reference library is also the order of the data in the file.
 *
 * @param tensors name to tensor, float32 or int64 (see {@link SafeTensors} for the dtype conversions)
 * @param metadata the header's {@code __metadata__} object, empty when the file has none
 */
public record SafeTensorsFile(LinkedHashMap<String, Tensor> tensors, LinkedHashMap<String, String> metadata) {
    /** Checks that neither map is null. */
    public SafeTensorsFile {
        Objects.requireNonNull(tensors, "tensors");
        Objects.requireNonNull(metadata, "metadata");
    }
}
