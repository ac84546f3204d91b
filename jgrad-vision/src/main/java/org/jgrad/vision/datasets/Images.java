package org.jgrad.vision.datasets;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jgrad.data.DataFormatException;
import org.jgrad.tensor.Tensor;
import org.jgrad.vision.image.Resize;

/** Image files to tensors: decoding through {@code javax.imageio}, resizing and grayscale conversion. */
public final class Images {
    private Images() {}

    /**
      * Decodes a PNG, JPEG, GIF or BMP file.
      *
      * @throws DataFormatException naming the file when it is not an image javax.imageio can decode
      */
    public static BufferedImage read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new java.io.FileNotFoundException(file + ": no such image file");
        if (!Files.isReadable(file))
            throw new java.nio.file.AccessDeniedException(file.toString(), null, "permission denied: jgrad may not read"
                    + " this image (check its permissions, e.g. with ls -l)");
        try {
            return org.jgrad.vision.image.Images.decode(file);
        } catch (DataFormatException e) {
            throw e;
        } catch (org.jgrad.io.FileFormatException e) {
            // dataset readers report bad files as DataFormatException (a FileFormatException too)
            throw new DataFormatException(e.getMessage(), e);
        }
    }

    /** True when the image has a single (gray) color channel. */
    public static boolean isGray(BufferedImage img) {
        return img.getColorModel().getColorSpace().getNumComponents() == 1;
    }

    /**
      * The image as float32 {@code [channels, height, width]} in [0, 1], resized (bilinear) when its
      * size differs; {@code channels} 1 converts to luminance, 3 keeps RGB (a gray image is repeated).
      */
    public static Tensor toTensor(BufferedImage img, int channels, int height, int width) {
        if (channels != 1 && channels != 3)
            throw new IllegalArgumentException("Images.toTensor: channels must be 1 or 3, got " + channels);
        BufferedImage src = img.getWidth() == width && img.getHeight() == height ? img : resize(img, width, height);
        float[] d = new float[channels * height * width];
        int plane = height * width;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int rgb = src.getRGB(x, y);
                float r = ((rgb >> 16) & 0xff) / 255f, g = ((rgb >> 8) & 0xff) / 255f, b = (rgb & 0xff) / 255f;
                int i = y * width + x;
                if (channels == 1) {
                    d[i] = 0.299f * r + 0.587f * g + 0.114f * b; // ITU-R BT.601 luma, as PIL's convert("L")
                } else {
                    d[i] = r;
                    d[plane + i] = g;
                    d[2 * plane + i] = b;
                }
            }
        }
        return Tensor.wrap(d, channels, height, width);
    }

    private static BufferedImage resize(BufferedImage img, int width, int height) {
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(img, 0, 0, width, height, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    /**
     * Resizes a batch {@code [N, C, H, W]} to {@code [N, C, height, width]} by bilinear interpolation
     * with PyTorch's {@code align_corners=False} sampling (pixel centers), as
     * {@code F.interpolate(x, size, mode="bilinear")}.
     */
    public static Tensor resize(Tensor x, int height, int width) {
        if (x.dim() != 4)
            throw new IllegalArgumentException("Images.resize: expected [N, C, H, W], got " + java.util.Arrays.toString(x.shape()));
        if (height < 1 || width < 1)
            throw new IllegalArgumentException("Images.resize: size must be positive, got " + height + "x" + width);
        int n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
        if (h == height && w == width) return x;
        // the same sampling per plane, so all N·C planes go through one call
        return Resize.bilinear(x.reshape(n * c, h, w), height, width).reshape(n, c, height, width);
    }
}
