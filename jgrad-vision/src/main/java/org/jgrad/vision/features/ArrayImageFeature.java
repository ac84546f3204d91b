package org.jgrad.vision.features;

import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Tensor;

/**
 * The features of this package, computed on a row-major array: {@link Features#extract} hands each
 * task an image inside one batch array and a place in one output array, with no tensor per image.
 */
abstract class ArrayImageFeature implements ImageFeature {

    /**
     * Writes the {@link #length} values of one image, stored {@code [C, H, W]} row-major from
     * {@code image[offset]}, into {@code out[outOffset ...]}.
     */
    abstract void extract(float[] image, int offset, int channels, int height, int width, float[] out, int outOffset);

    /** The feature vector {@code [D]} of one image {@code [H, W]} or {@code [C, H, W]}. */
    @Override
    public Tensor apply(Tensor image) {
        ImageShape s = ImageShape.ofImage(name(), image);
        float[] out = new float[length(s.channels(), s.height(), s.width())];
        extract(image.detach().contiguous().toFloatArray(), 0, s.channels(), s.height(), s.width(), out, 0);
        return TensorData.wrap(out, out.length);
    }
}
