package org.jgrad.vision.image;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.jgrad.internal.TensorData;
import org.jgrad.io.AtomicFiles;
import org.jgrad.io.FileFormatException;
import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;

/**
 * The project's one image decoder and encoder: PNG, JPEG, GIF and BMP files as float tensors of
 * shape [C, H, W] through {@code javax.imageio}, without a display (headless). Datasets
 * ({@code ImageFolder}), {@code jgrad predict} and the classic tools all read images here.
 *
 * <p>Pixels are decoded exactly, with no colour management: a grey PNG pixel stored as 3 reads as
 * 3/255 (AWT's {@code getRGB} would first convert linear grey to sRGB and return 28/255), an RGB
 * pixel's bytes read as they are stored. Grey images give C = 1; everything else gives C = 3 (R,
 * G, B); {@link #read(Path, int)} converts to the channels a model takes (grey repeated to RGB, RGB
 * to BT.601 luma as PIL's {@code convert("L")}). An alpha channel is dropped, since none of the
 * tools here knows what to do with it. Pixel values are in [0, 1] by default or in [0, 255] with
 * {@link Range#BYTE}, matching what {@code torchvision.transforms.ToTensor} and OpenCV respectively
 * hand out.
 */
public final class ImageFiles {
    private ImageFiles() {}

    static {
        // ImageIO pulls in AWT; without this a server with no display can fail to load it.
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }

    /** The value range of pixel tensors. */
    public enum Range {
        /** 0 is black, 1 is white. */
        UNIT(1f),
        /** 0 is black, 255 is white (8-bit counts as floats). */
        BYTE(255f);

        private final float max;

        Range(float max) {
            this.max = max;
        }

        /** The value of white. */
        public float max() {
            return max;
        }
    }

    /** {@link #read(Path, Range)} in [0, 1]. */
    public static Tensor read(Path file) throws IOException {
        return read(file, Range.UNIT);
    }

    /**
     * Reads an image file as {@code channels} channels in [0, 1]: 1 (grey; an RGB image becomes its
     * BT.601 luma) or 3 (RGB; a grey image is repeated).
     *
     * @throws NoSuchFileException when the file does not exist
     * @throws org.jgrad.io.FileFormatException naming the file when it is not a decodable image
     */
    public static Tensor read(Path file, int channels) throws IOException {
        if (channels != 1 && channels != 3)
            throw new IllegalArgumentException("ImageFiles.read: channels must be 1 or 3, got " + channels);
        return Color.toChannels(read(file), channels);
    }

    /**
     * Reads an image file into a [C, H, W] tensor.
     *
     * @throws NoSuchFileException when the file does not exist
     * @throws org.jgrad.io.FileFormatException naming the file when it is not an image ImageIO can
     *     decode, or its header claims more pixels than the file can plausibly hold
     */
    public static Tensor read(Path file, Range range) throws IOException {
        return toTensor(decode(file), range);
    }

    /**
     * Decodes an image file, checking first that its header's size is plausible for the file.
     *
     * @throws NoSuchFileException when the file does not exist
     * @throws org.jgrad.io.FileFormatException naming the file when it is not an image ImageIO can
     *     decode, or its header claims more pixels than the file can plausibly hold or than
     *     {@link #maxPixels()}
     */
    public static BufferedImage decode(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new NoSuchFileException(file.toString(), null, "no such image file");
        if (!Files.isReadable(file))
            throw new java.nio.file.AccessDeniedException(file.toString(), null, "permission denied: jgrad may not read"
                    + " this image (check its permissions, e.g. with ls -l)");
        BufferedImage img;
        try {
            img = decodeBounded(file);
        } catch (FileFormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // Bad content, not a failing disk: the documented bad-file type, so callers can tell them apart.
            throw new FileFormatException(file + ": cannot decode image: " + e.getMessage(), e);
        }
        if (img == null)
            throw new FileFormatException(file + ": not a readable image (supported: "
                    + String.join(", ", readableFormats()) + ")");
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
        checkBmpEmbeddedSize(file);
        try (javax.imageio.stream.ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) return null;
            java.util.Iterator<javax.imageio.ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) return null;
            javax.imageio.ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long w = reader.getWidth(0), h = reader.getHeight(0), bytes = Files.size(file);
                if (w > 0 && h > 0 && w * h > maxPixels())
                    throw new FileFormatException(file + ": a " + w + "x" + h + " image (" + w * h + " pixels) is over"
                            + " jgrad's limit of " + maxPixels() + " pixels for image work (-Djgrad.image.maxPixels"
                            + " raises it; JGRAD_JAVA_OPTS for the jgrad command); scale the image down first");
                long limit = Math.min(MAX_TENSOR_PIXELS, Math.max(1L << 20, 1024 * bytes));
                if (w <= 0 || h <= 0 || w * h > limit)
                    throw new FileFormatException(file + ": header claims a " + w + "x" + h + " image, more than a " + bytes
                            + "-byte file can hold (at most " + limit + " pixels)");
                return reader.read(0);
            } finally {
                reader.dispose();
            }
        }
    }

    /**
     * A BMP whose pixels are an embedded JPEG or PNG (compression 4 or 5) is read by the JDK's BMP
     * reader into one array of the size its header claims, before anything is decoded: a 70-byte file
     * claiming 1.9 GB ran the reader out of memory (found by ImageFuzzTest). Such a claim must fit in
     * the file.
     */
    private static void checkBmpEmbeddedSize(Path file) throws IOException {
        byte[] head = new byte[38];
        int n;
        try (java.io.InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        }
        if (n < head.length || head[0] != 'B' || head[1] != 'M') return;
        java.nio.ByteBuffer le = java.nio.ByteBuffer.wrap(head).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int dibSize = le.getInt(14), compression = le.getInt(30);
        long imageSize = Integer.toUnsignedLong(le.getInt(34)), bytes = Files.size(file);
        if (dibSize >= 40 && (compression == 4 || compression == 5) && imageSize > bytes)
            throw new FileFormatException(file + ": BMP header (offset 34) claims an embedded "
                    + (compression == 4 ? "JPEG" : "PNG") + " of " + imageSize + " bytes in a " + bytes + "-byte file");
    }

    /** The default of {@link #maxPixels()}: 2^26 pixels, e.g. 8192x8192. */
    public static final long DEFAULT_MAX_PIXELS = 1L << 26;

    /**
     * The most pixels an image may have to be decoded: {@code -Djgrad.image.maxPixels}, default
     * {@value #DEFAULT_MAX_PIXELS}. Image work costs tens of bytes per pixel and channel (a filter
     * over a 7000x7000 RGB image peaked near 10 GB), and a 12000x12000 PNG can be a 420 KB file.
     */
    public static long maxPixels() {
        String s = System.getProperty("jgrad.image.maxPixels");
        if (s == null || s.isBlank()) return DEFAULT_MAX_PIXELS;
        try {
            long v = Long.parseLong(s.strip());
            if (v > 0) return v;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("jgrad.image.maxPixels: not a positive pixel count: '" + s + "'");
    }

    // Three channels of float32 in one Java array.
    private static final long MAX_TENSOR_PIXELS = (Integer.MAX_VALUE - 8) / 3;

    /**
     * True when the decoded image is grey (one colour component, stored as plain samples rather than
     * a palette), so that {@link #toTensor} reads it as one channel.
     */
    public static boolean isGrey(BufferedImage img) {
        return img.getColorModel().getNumColorComponents() == 1 && img.getColorModel().getPixelSize() <= 16
                && img.getRaster().getNumBands() <= 2 && img.getType() != BufferedImage.TYPE_BYTE_BINARY
                && img.getType() != BufferedImage.TYPE_BYTE_INDEXED;
    }

    /**
     * Converts a decoded image to a [C, H, W] tensor (C = 1 for grey, else 3). Grey samples are read
     * from the raster as stored (8 or 16 bits), colour ones as 8-bit sRGB, both without gamma changes.
     */
    public static Tensor toTensor(BufferedImage img, Range range) {
        int h = img.getHeight(), w = img.getWidth();
        Raster raster = img.getRaster();
        float scale = range.max();
        if (isGrey(img)) {
            int bits = raster.getSampleModel().getSampleSize(0);
            float div = (float) ((1L << bits) - 1);
            float[] d = new float[h * w];
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++) d[y * w + x] = raster.getSample(x, y, 0) / div * scale;
            return TensorData.wrap(d, 1, h, w);
        }
        float[] d = new float[3 * h * w];
        int plane = h * w;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                int rgb = img.getRGB(x, y);
                int i = y * w + x;
                d[i] = ((rgb >> 16) & 0xFF) / 255f * scale;
                d[plane + i] = ((rgb >> 8) & 0xFF) / 255f * scale;
                d[2 * plane + i] = (rgb & 0xFF) / 255f * scale;
            }
        return TensorData.wrap(d, 3, h, w);
    }

    /** {@link #write(Tensor, Path, Range)} for values in [0, 1]. */
    public static void write(Tensor image, Path file) throws IOException {
        write(image, file, Range.UNIT);
    }

    /**
     * Writes a [C, H, W] (C = 1 or 3) or [H, W] tensor as an 8-bit image; the format follows the file
     * extension (.png, .jpg/.jpeg, .bmp). Values outside the range are clamped, then rounded. The
     * file is replaced atomically.
     *
     * @throws IllegalArgumentException for a shape that is not an image
     * @throws IOException naming the file for an unknown extension or a failed write
     */
    public static void write(Tensor image, Path file, Range range) throws IOException {
        String format = formatOf(file);
        BufferedImage img = toImage(image, range);
        AtomicFiles.write(file, ch -> {
            OutputStream os = Channels.newOutputStream(ch);
            if (!ImageIO.write(img, format, os))
                throw new IOException(file + ": no ImageIO writer for format " + format);
            os.flush();
        });
    }

    /** Converts a [C, H, W] (C = 1 or 3) or [H, W] tensor to an 8-bit grey or RGB image. */
    public static BufferedImage toImage(Tensor image, Range range) {
        Tensor t = image.dim() == 2 ? image.unsqueeze(0) : image;
        if (t.dim() != 3 || (t.size(0) != 1 && t.size(0) != 3) || t.size(1) < 1 || t.size(2) < 1)
            throw new IllegalArgumentException("ImageFiles.write: expected an image [1 or 3, H, W] or [H, W], got "
                    + Shape.str(image.shape()));
        int c = t.size(0), h = t.size(1), w = t.size(2), plane = h * w;
        float[] d = t.detach().contiguous().toFloatArray();
        float k = 255f / range.max();
        if (c == 1) {
            BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
            var r = img.getRaster();
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++) r.setSample(x, y, 0, toByte(d[y * w + x] * k));
            return img;
        }
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                img.setRGB(x, y, toByte(d[i] * k) << 16 | toByte(d[plane + i] * k) << 8 | toByte(d[2 * plane + i] * k));
            }
        return img;
    }

    private static int toByte(float v) {
        if (!(v > 0)) return 0; // NaN too
        return v >= 255f ? 255 : Math.round(v);
    }

    /** The ImageIO format name for a file's extension. */
    static String formatOf(Path file) throws IOException {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        String ext = dot < 0 ? "" : name.substring(dot + 1);
        return switch (ext) {
            case "png" -> "png";
            case "jpg", "jpeg" -> "jpeg";
            case "bmp" -> "bmp";
            default -> throw new IOException(file + ": unsupported image extension '" + ext
                    + "' (use .png, .jpg, .jpeg or .bmp)");
        };
    }

    private static String[] readableFormats() {
        return java.util.Arrays.stream(ImageIO.getReaderFormatNames()).map(s -> s.toLowerCase(Locale.ROOT)).distinct()
                .sorted().toArray(String[]::new);
    }
}
