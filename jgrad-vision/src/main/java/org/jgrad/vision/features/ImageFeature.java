package org.jgrad.vision.features;

import org.jgrad.data.Transform;
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
     * The feature vector {@code [D]} of one image {@code [H, W]} or {@code [C, H, W]}, D being
     * {@link #length}.
     */
    @Override
    Tensor apply(Tensor image);
}
