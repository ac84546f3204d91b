package org.jgrad.vision.features;

import org.jgrad.data.Transform;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Tensor;

/**
 * A fixed-length feature vector computed from one image: a {@link Transform} from an image
 * {@code [H, W]} (grey) or {@code [C, H, W]} to a vector {@code [D]}, so {@code dataset.map(feature)}
 * turns images into features lazily; {@link Features#extract} does a whole batch on every core.
 * Implementations are immutable and safe to call from many threads.
 */
public interface ImageFeature extends Transform {
    /** A short name for messages and tables, like {@code "hog"}. */
    String name();

    /**
     * Length D of the vector for images of this size.
     *
     * @throws IllegalArgumentException if this feature cannot be computed on such images (too small,
     *     a channel count it does not take); the message says why
     */
    int length(int channels, int height, int width);

    /**
     * Writes the {@link #length} values of one image, stored {@code [C, H, W]} row-major from
     * {@code image[offset]}, into {@code out[outOffset ...]}.
     */
    void extract(float[] image, int offset, int channels, int height, int width, float[] out, int outOffset);

    /** The feature vector {@code [D]} of one image {@code [H, W]} or {@code [C, H, W]}. */
    @Override
    default Tensor apply(Tensor image) {
        ImageShape s = ImageShape.ofImage(name(), image);
        float[] out = new float[length(s.channels(), s.height(), s.width())];
        extract(image.detach().contiguous().toFloatArray(), 0, s.channels(), s.height(), s.width(), out, 0);
        return TensorData.wrap(out, out.length);
    }
}
