package org.jgrad.vision.image;

import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;

/** Cropping and padding of [C, H, W] images. */
public final class Crop {
    private Crop() {}

    /** The {@code height × width} window whose top-left pixel is ({@code top}, {@code left}), as a copy. */
    public static Tensor crop(Tensor image, int top, int left, int height, int width) {
        checkImage("crop", image);
        int h = image.size(1), w = image.size(2);
        if (top < 0 || left < 0 || height < 1 || width < 1 || top + height > h || left + width > w)
            throw new IllegalArgumentException("crop: window top=" + top + " left=" + left + " size " + height + "x" + width
                    + " is not inside the image " + Shape.str(image.shape()));
        return image.narrow(1, top, height).narrow(2, left, width).contiguous();
    }

    /** The centred {@code height × width} window (the extra pixel of an odd margin goes bottom/right). */
    public static Tensor centerCrop(Tensor image, int height, int width) {
        checkImage("centerCrop", image);
        return crop(image, (image.size(1) - height) / 2, (image.size(2) - width) / 2, height, width);
    }

    /** Adds borders of constant {@code value}: {@code top} rows above, {@code bottom} below, and so on. */
    public static Tensor pad(Tensor image, int top, int bottom, int left, int right, float value) {
        checkImage("pad", image);
        if (top < 0 || bottom < 0 || left < 0 || right < 0)
            throw new IllegalArgumentException("pad: padding must be >= 0, got top " + top + ", bottom " + bottom
                    + ", left " + left + ", right " + right);
        int c = image.size(0), h = image.size(1), w = image.size(2);
        int oh = h + top + bottom, ow = w + left + right;
        float[] src = image.detach().contiguous().toFloatArray();
        float[] dst = new float[c * oh * ow];
        if (value != 0f) java.util.Arrays.fill(dst, value);
        for (int ch = 0; ch < c; ch++)
            for (int y = 0; y < h; y++)
                System.arraycopy(src, (ch * h + y) * w, dst, (ch * oh + y + top) * ow + left, w);
        return TensorData.wrap(dst, c, oh, ow);
    }

    private static void checkImage(String op, Tensor image) {
        if (image.dim() != 3)
            throw new IllegalArgumentException(op + ": expected an image [C, H, W], got " + Shape.str(image.shape()));
    }
}
