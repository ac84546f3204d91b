package org.jgrad.vision.image;

import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;

/** Colour conversions of [C, H, W] images. */
public final class Color {
    private Color() {}

    /** ITU-R BT.601 luma weights, the ones OpenCV's {@code COLOR_RGB2GRAY} and PIL's {@code convert("L")} use. */
    public static final float WR = 0.299f, WG = 0.587f, WB = 0.114f;

    /**
     * Luma {@code 0.299 R + 0.587 G + 0.114 B} of a [3, H, W] image as [1, H, W]; a [1, H, W] image is
     * returned as it is.
     */
    public static Tensor grayscale(Tensor image) {
        if (image.dim() != 3 || (image.size(0) != 1 && image.size(0) != 3))
            throw new IllegalArgumentException("grayscale: expected an image [1 or 3, H, W], got " + Shape.str(image.shape()));
        if (image.size(0) == 1) return image;
        int h = image.size(1), w = image.size(2), plane = h * w;
        float[] d = image.detach().contiguous().toFloatArray();
        float[] out = new float[plane];
        for (int i = 0; i < plane; i++) out[i] = WR * d[i] + WG * d[plane + i] + WB * d[2 * plane + i];
        return TensorData.wrap(out, 1, h, w);
    }

    /**
     * The image with {@code channels} channels: unchanged when it has them, luma ({@link #grayscale})
     * for 3 → 1, the grey plane repeated for 1 → 3.
     */
    public static Tensor toChannels(Tensor image, int channels) {
        if (image.dim() != 3 || (image.size(0) != 1 && image.size(0) != 3) || (channels != 1 && channels != 3))
            throw new IllegalArgumentException("toChannels: expected an image [1 or 3, H, W] and 1 or 3 channels, got "
                    + Shape.str(image.shape()) + " and " + channels);
        if (image.size(0) == channels) return image;
        return channels == 1 ? grayscale(image) : image.expand(3, image.size(1), image.size(2)).contiguous();
    }
}
