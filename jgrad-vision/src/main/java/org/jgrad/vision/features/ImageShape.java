package org.jgrad.vision.features;

import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;

/**
 * Channels, height and width of an image or a batch of images, read from a tensor's shape with the
 * errors every feature shares (empty images, wrong rank).
 *
 * @param count number of images (1 for a single image)
 */
record ImageShape(int count, int channels, int height, int width) {

    /** Values in one image. */
    int pixels() {
        return channels * height * width;
    }

    /** One image: {@code [H, W]} (grey) or {@code [C, H, W]}. */
    static ImageShape ofImage(String op, Tensor image) {
        int[] s = image.shape();
        ImageShape r = switch (s.length) {
            case 2 -> new ImageShape(1, 1, s[0], s[1]);
            case 3 -> new ImageShape(1, s[0], s[1], s[2]);
            default -> throw new IllegalArgumentException(op + ": expected an image [H, W] or [C, H, W], got "
                    + Shape.str(s));
        };
        return r.checked(op, s);
    }

    /** A batch: {@code [N, H, W]} (grey) or {@code [N, C, H, W]}. */
    static ImageShape ofBatch(String op, Tensor images) {
        int[] s = images.shape();
        ImageShape r = switch (s.length) {
            case 3 -> new ImageShape(s[0], 1, s[1], s[2]);
            case 4 -> new ImageShape(s[0], s[1], s[2], s[3]);
            default -> throw new IllegalArgumentException(op + ": expected images [N, H, W] or [N, C, H, W], got "
                    + Shape.str(s));
        };
        if (r.count < 1) throw new IllegalArgumentException(op + ": no images: shape " + Shape.str(s) + " is an empty batch");
        return r.checked(op, s);
    }

    private ImageShape checked(String op, int[] s) {
        if (channels < 1 || height < 1 || width < 1)
            throw new IllegalArgumentException(op + ": empty image: shape " + Shape.str(s)
                    + " has no pixels (channels, height and width must be at least 1)");
        return this;
    }

    /** Checks a raw call's sizes and that the array holds the image. */
    static void check(String op, float[] image, int offset, int channels, int height, int width) {
        if (channels < 1 || height < 1 || width < 1)
            throw new IllegalArgumentException(op + ": empty image: " + channels + " channels of " + height + "x" + width
                    + " pixels (channels, height and width must be at least 1)");
        long end = offset + (long) channels * height * width;
        if (offset < 0 || end > image.length)
            throw new IllegalArgumentException(op + ": a " + channels + "x" + height + "x" + width + " image at offset "
                    + offset + " does not fit in an array of " + image.length + " values");
    }
}
