package org.jgrad.vision.transforms;

import org.jgrad.data.Transform;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;
import org.jgrad.vision.image.Color;
import org.jgrad.vision.image.Crop;
import org.jgrad.vision.image.Resize;

/**
 * Image transforms like torchvision's, for {@code [C, H, W]} float tensors, to compose with
 * {@link Transform#compose} and apply with {@link org.jgrad.data.Dataset#map}. The random ones
 * draw from the {@link Generator} they are given, so an augmented run repeats exactly.
 *
 * <pre>{@code
 * Transform train = Transform.compose(
 *         Transforms.randomCrop(28, 2, gen), Transforms.randomHorizontalFlip(0.5, gen),
 *         Transforms.normalize(Tensor.of(0.2860f), Tensor.of(0.3530f)));
 * Dataset augmented = trainSet.map(train);
 * }</pre>
 */
public final class Transforms {
    private Transforms() {}

    private static void requireImage(String op, Tensor x) {
        if (x.dim() != 3)
            throw new IllegalArgumentException(op + ": expected an image [C, H, W], got shape " + Shape.str(x.shape()));
    }

    /** Multiplies by {@code factor}, e.g. 1/255 for 8-bit pixel values (torchvision's {@code ToTensor} scaling). */
    public static Transform scale(float factor) {
        return x -> x.mul(factor);
    }

    /**
     * {@code (x − mean[c]) / std[c]} per channel of an image [C, H, W], like {@code transforms.Normalize}, with
     * {@code mean} [C] and {@code std} [C] (copied; a scalar is one channel, as {@code Tensor.of(0.5f)} gives).
     */
    public static Transform normalize(Tensor meanPerChannel, Tensor stdPerChannel) {
        if (meanPerChannel.dim() > 1 || stdPerChannel.dim() > 1)
            throw new IllegalArgumentException("normalize: expected mean [C] and std [C], got "
                    + Shape.str(meanPerChannel.shape()) + " and " + Shape.str(stdPerChannel.shape()));
        float[] mean = meanPerChannel.contiguous().toFloatArray(), std = stdPerChannel.contiguous().toFloatArray();
        if (mean.length != std.length || mean.length == 0)
            throw new IllegalArgumentException("normalize: need as many means as stds (got " + mean.length + " and " + std.length + ")");
        for (float s : std) if (!(s > 0)) throw new IllegalArgumentException("normalize: std must be positive, got " + s);
        Tensor m = Tensor.fromArray(mean, mean.length, 1, 1), s = Tensor.fromArray(std, std.length, 1, 1);
        return x -> {
            requireImage("normalize", x);
            if (x.size(0) != mean.length)
                throw new IllegalArgumentException("normalize: " + mean.length + " channel statistics for an image with "
                        + x.size(0) + " channels " + Shape.str(x.shape()));
            return x.sub(m).div(s);
        };
    }

    /** Bilinear resize to {@code height × width}. */
    public static Transform resize(int height, int width) {
        return x -> {
            requireImage("resize", x);
            return Resize.bilinear(x, height, width);
        };
    }

    /** ITU-R BT.601 luma; a one-channel image passes through. */
    public static Transform grayscale() {
        return x -> {
            requireImage("grayscale", x);
            return x.size(0) == 1 ? x : Color.grayscale(x);
        };
    }

    /** Zero padding of {@code p} pixels on every side. */
    public static Transform pad(int p) {
        return x -> {
            requireImage("pad", x);
            return Crop.pad(x, p, p, p, p, 0f);
        };
    }

    /** A random {@code size × size} crop after zero padding by {@code padding}, like {@code RandomCrop(size, padding)}. */
    public static Transform randomCrop(int size, int padding, Generator gen) {
        if (size <= 0 || padding < 0) throw new IllegalArgumentException("randomCrop: bad size " + size + " or padding " + padding);
        return x -> {
            requireImage("randomCrop", x);
            Tensor p = padding > 0 ? Crop.pad(x, padding, padding, padding, padding, 0f) : x;
            int h = p.size(1), w = p.size(2);
            if (size > h || size > w)
                throw new IllegalArgumentException("randomCrop: crop " + size + " is larger than the padded image " + Shape.str(p.shape()));
            int top = gen.nextInt(h - size + 1), left = gen.nextInt(w - size + 1);
            return Crop.crop(p, top, left, size, size);
        };
    }

    /** Mirrors left-right with probability {@code p}. */
    public static Transform randomHorizontalFlip(double p, Generator gen) {
        return x -> {
            requireImage("randomHorizontalFlip", x);
            if (gen.nextDouble() >= p) return x;
            int w = x.size(2);
            long[] idx = new long[w];
            for (int i = 0; i < w; i++) idx[i] = w - 1 - i;
            return x.indexSelect(2, TensorData.wrapLongs(idx, w));
        };
    }

    /**
     * Rotates about the centre by an angle drawn uniformly from {@code [−degrees, degrees]}, with
     * bilinear sampling and zeros outside the image, like {@code RandomRotation(degrees)}.
     */
    public static Transform randomRotation(double degrees, Generator gen) {
        if (!(degrees >= 0)) throw new IllegalArgumentException("randomRotation: degrees must be >= 0, got " + degrees);
        return x -> {
            requireImage("randomRotation", x);
            double angle = Math.toRadians((2 * gen.nextDouble() - 1) * degrees);
            return rotate(x, angle);
        };
    }

    /** Rotation by {@code radians} (counter-clockwise on screen) about the image centre. */
    static Tensor rotate(Tensor x, double radians) {
        int c = x.size(0), h = x.size(1), w = x.size(2);
        float[] in = x.contiguous().toFloatArray(), out = new float[in.length];
        double cos = Math.cos(radians), sin = Math.sin(radians);
        double cy = (h - 1) / 2.0, cx = (w - 1) / 2.0;
        for (int y = 0; y < h; y++) {
            for (int xx = 0; xx < w; xx++) {
                // inverse mapping: where in the source does this output pixel come from
                double dx = xx - cx, dy = y - cy;
                double sx = cos * dx - sin * dy + cx, sy = sin * dx + cos * dy + cy;
                int x0 = (int) Math.floor(sx), y0 = (int) Math.floor(sy);
                double fx = sx - x0, fy = sy - y0;
                for (int ch = 0; ch < c; ch++) {
                    int base = ch * h * w;
                    double v = tap(in, base, h, w, y0, x0) * (1 - fx) * (1 - fy) + tap(in, base, h, w, y0, x0 + 1) * fx * (1 - fy)
                            + tap(in, base, h, w, y0 + 1, x0) * (1 - fx) * fy + tap(in, base, h, w, y0 + 1, x0 + 1) * fx * fy;
                    out[base + y * w + xx] = (float) v;
                }
            }
        }
        return TensorData.wrap(out, c, h, w);
    }

    private static float tap(float[] img, int base, int h, int w, int y, int x) {
        return y < 0 || y >= h || x < 0 || x >= w ? 0f : img[base + y * w + x];
    }
}
