package org.jgrad.vision.datasets;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.jgrad.data.DataFormatException;
import org.jgrad.tensor.Tensor;

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
        BufferedImage img;
        try {
            img = decodeBounded(file);
        } catch (DataFormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new DataFormatException(file + ": unreadable image (" + e.getMessage() + ")", e);
        }
        if (img == null)
            throw new DataFormatException(file + ": not an image format javax.imageio can decode (use PNG, JPEG, GIF or BMP)");
        return img;
    }

    /**
     * Decodes like {@code ImageIO.read} (first reader that accepts the stream), but reads the size
     * from the header first and refuses a size the file cannot plausibly hold: image codecs compress
     * at most about 1000:1 on real pictures, so a few-kilobyte file claiming 60000x60000 pixels is
     * refused here instead of ending in an OutOfMemoryError inside the decoder.
     *
     * @return null when no reader recognises the content
     */
    private static BufferedImage decodeBounded(Path file) throws IOException {
        try (javax.imageio.stream.ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) return null;
            java.util.Iterator<javax.imageio.ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) return null;
            javax.imageio.ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long w = reader.getWidth(0), h = reader.getHeight(0), bytes = Files.size(file);
                long limit = Math.min(MAX_TENSOR_PIXELS, Math.max(1L << 20, 1024 * bytes));
                if (w <= 0 || h <= 0 || w * h > limit)
                    throw new DataFormatException(file + ": header claims a " + w + "x" + h + " image, more than a " + bytes
                            + "-byte file can hold (at most " + limit + " pixels)");
                return reader.read(0);
            } finally {
                reader.dispose();
            }
        }
    }

    // Three channels of float32 in one Java array.
    private static final long MAX_TENSOR_PIXELS = (Integer.MAX_VALUE - 8) / 3;

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
        float[] src = x.contiguous().toFloatArray(), dst = new float[n * c * height * width];
        int[] y0 = new int[height], y1 = new int[height], x0 = new int[width], x1 = new int[width];
        float[] fy = new float[height], fx = new float[width];
        axis(h, height, y0, y1, fy);
        axis(w, width, x0, x1, fx);
        for (int p = 0; p < n * c; p++) {
            int si = p * h * w, di = p * height * width;
            for (int i = 0; i < height; i++) {
                int r0 = si + y0[i] * w, r1 = si + y1[i] * w;
                for (int j = 0; j < width; j++) {
                    float top = src[r0 + x0[j]] + (src[r0 + x1[j]] - src[r0 + x0[j]]) * fx[j];
                    float bottom = src[r1 + x0[j]] + (src[r1 + x1[j]] - src[r1 + x0[j]]) * fx[j];
                    dst[di + i * width + j] = top + (bottom - top) * fy[i];
                }
            }
        }
        return Tensor.wrap(dst, n, c, height, width);
    }

    private static void axis(int in, int out, int[] lo, int[] hi, float[] frac) {
        double scale = (double) in / out;
        for (int o = 0; o < out; o++) {
            double s = Math.max(0, (o + 0.5) * scale - 0.5);
            int l = Math.min((int) s, in - 1);
            lo[o] = l;
            hi[o] = Math.min(l + 1, in - 1);
            frac[o] = (float) (s - l);
        }
    }
}
