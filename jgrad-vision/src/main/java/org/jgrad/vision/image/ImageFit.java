package org.jgrad.vision.image;

import java.util.Locale;
import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;

/**
 * How an image of another size is brought to the size a model takes ({@code jgrad predict
 * --resize}), and what was done, in words.
 *
 * <pre>{@code
 * ImageFit.Fitted f = ImageFit.CENTER_CROP.apply(image, 28, 28);
 * System.out.println(f.note());   // "64x48 resized to 37x28 (aspect kept), centre 28x28 cropped"
 * }</pre>
 */
public enum ImageFit {
    /** Bilinear resize to exactly the model's size: the aspect ratio changes when the two differ. */
    STRETCH,
    /**
     * Bilinear resize keeping the aspect ratio until the image covers the model's size, then the
     * centre cut out (torchvision's {@code Resize} + {@code CenterCrop}): nothing is distorted, the
     * margins of the longer side are lost.
     */
    CENTER_CROP,
    /** No resizing: an image of another size is an error. */
    REFUSE;

    /** The image at the model's size, and a note saying what was done (empty when nothing was). */
    public record Fitted(Tensor image, String note) {}

    /** The command-line spelling: {@code stretch}, {@code center-crop}, {@code refuse}. */
    public String optionName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * Parses {@link #optionName()} (case-insensitive; {@code _} for {@code -} accepted).
     *
     * @throws IllegalArgumentException listing the choices
     */
    public static ImageFit parse(String s) {
        for (ImageFit f : values())
            if (f.optionName().equalsIgnoreCase(s.strip().replace('_', '-'))) return f;
        throw new IllegalArgumentException("unknown resize mode '" + s + "' (expected stretch, center-crop or refuse)");
    }

    /**
     * Brings a [C, H, W] image to {@code height × width}.
     *
     * @throws IllegalArgumentException for {@link #REFUSE} when the size differs, naming both sizes
     */
    public Fitted apply(Tensor image, int height, int width) {
        if (image.dim() != 3)
            throw new IllegalArgumentException("ImageFit: expected an image [C, H, W], got " + Shape.str(image.shape()));
        int h = image.size(1), w = image.size(2);
        String from = w + "x" + h, to = width + "x" + height;
        if (h == height && w == width) return new Fitted(image, "");
        return switch (this) {
            case REFUSE -> throw new IllegalArgumentException("the image is " + from + " but the model takes " + to
                    + " (sizes as width x height); resize it, or choose --resize stretch or center-crop");
            case STRETCH -> new Fitted(Resize.bilinear(image, height, width), from + " stretched to " + to
                    + (sameAspect(h, w, height, width) ? "" : " (aspect ratio changed)"));
            case CENTER_CROP -> {
                double scale = Math.max((double) height / h, (double) width / w);
                int rh = Math.max(height, (int) Math.round(h * scale)), rw = Math.max(width, (int) Math.round(w * scale));
                if (rh == h && rw == w) yield new Fitted(Crop.centerCrop(image, height, width), from + ": centre " + to + " cropped");
                Tensor resized = Resize.bilinear(image, rh, rw);
                if (rh == height && rw == width) yield new Fitted(resized, from + " resized to " + to + " (same aspect ratio)");
                yield new Fitted(Crop.centerCrop(resized, height, width), from + " resized to " + rw + "x" + rh
                        + " (aspect kept), centre " + to + " cropped");
            }
        };
    }

    private static boolean sameAspect(int h, int w, int height, int width) {
        return (long) h * width == (long) w * height;
    }
}
