package org.jgrad.keras;

import java.util.List;
import org.jgrad.tensor.Tensor;

/**
 * One Keras layer's weights as the file stores them, in Keras' layouts (a Conv2D kernel is
 * {@code [kh, kw, in, out]}, a Dense kernel {@code [in, out]}), in the layer's own order (kernel then
 * bias; gamma, beta, moving mean, moving variance for batch normalization).
 *
 * @param layer the layer's name (Keras 3: the {@code name} attribute of its {@code vars} group when
 *     present, else the group's name; Keras 2: the entry of {@code layer_names})
 * @param h5Group the HDF5 group the weights came from, e.g. {@code layers/conv2d_1}
 * @param names each array's name: Keras 2 files store them ({@code kernel}, {@code moving_mean}),
 *     Keras 3 files only number them ({@code 0}, {@code 1}, ...)
 * @param arrays the arrays, float32 (float16 and float64 are converted)
 */
public record LayerWeights(String layer, String h5Group, List<String> names, List<Tensor> arrays) {
    /** Copies the lists. */
    public LayerWeights {
        names = List.copyOf(names);
        arrays = List.copyOf(arrays);
    }
}
