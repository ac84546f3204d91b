package org.jgrad.vision.image;

import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;

/**
 * Resizing [C, H, W] images with PyTorch's conventions ({@code F.interpolate}): bilinear with
 * {@code align_corners=False} and nearest (OpenCV's {@code INTER_NEAREST} picks the same pixels).
 */
public final class Resize {
    private Resize() {}

    /** The interpolation rule. */
    public enum Mode {
        /** {@link #bilinear}: smooth, PyTorch's {@code interpolate(mode="bilinear", align_corners=False)}. */
        BILINEAR,
        /** {@link #nearest}: each output pixel copies one input pixel; keeps hard edges and exact values. */
        NEAREST
    }

    /** Resizes to {@code outH × outW} with the given mode. */
    public static Tensor resize(Tensor image, int outH, int outW, Mode mode) {
        return mode == Mode.NEAREST ? nearest(image, outH, outW) : bilinear(image, outH, outW);
    }

    /**
     * Resizes a batch {@code [N, C, H, W]} to {@code [N, C, height, width]} by {@link #bilinear}
     * interpolation, as {@code F.interpolate(x, size, mode="bilinear")}; returns {@code x} itself when
     * it already has that size.
     */
    public static Tensor bilinearBatch(Tensor x, int height, int width) {
        if (x.dim() != 4)
            throw new IllegalArgumentException("resize (bilinear): expected a batch [N, C, H, W], got " + Shape.str(x.shape()));
        int n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
        if (h == height && w == width) return x;
        // the same sampling per plane, so all N·C planes go through one call
        return bilinear(x.reshape(n * c, h, w), height, width).reshape(n, c, height, width);
    }

    /**
     * Bilinear interpolation with {@code align_corners=False}: pixel centres are aligned, so output
     * pixel {@code i} samples the input at {@code (i + 0.5)·in/out − 0.5}, clamped at 0 below and to the
     * last pixel above. Downscaling does not low-pass first (neither does PyTorch without antialias).
     */
    public static Tensor bilinear(Tensor image, int outH, int outW) {
        check("bilinear", image, outH, outW);
        int c = image.size(0), h = image.size(1), w = image.size(2);
        float[] src = image.detach().contiguous().toFloatArray();
        float[] dst = new float[c * outH * outW];
        int[] y0 = new int[outH], y1 = new int[outH], x0 = new int[outW], x1 = new int[outW];
        float[] fy = new float[outH], fx = new float[outW];
        taps(h, outH, y0, y1, fy);
        taps(w, outW, x0, x1, fx);
        for (int ch = 0; ch < c; ch++) {
            int s = ch * h * w, o = ch * outH * outW;
            for (int i = 0; i < outH; i++) {
                int r0 = s + y0[i] * w, r1 = s + y1[i] * w;
                float ly = fy[i];
                for (int j = 0; j < outW; j++) {
                    float lx = fx[j];
                    float top = src[r0 + x0[j]] * (1 - lx) + src[r0 + x1[j]] * lx;
                    float bot = src[r1 + x0[j]] * (1 - lx) + src[r1 + x1[j]] * lx;
                    dst[o + i * outW + j] = top * (1 - ly) + bot * ly;
                }
            }
        }
        return TensorData.wrap(dst, c, outH, outW);
    }

    private static void taps(int in, int out, int[] i0, int[] i1, float[] frac) {
        double scale = (double) in / out;
        for (int i = 0; i < out; i++) {
            double src = Math.max(0, (i + 0.5) * scale - 0.5);
            int lo = Math.min((int) src, in - 1);
            i0[i] = lo;
            i1[i] = Math.min(lo + 1, in - 1);
            frac[i] = (float) (src - lo);
        }
    }

    /** Nearest neighbour: output pixel {@code i} copies input pixel {@code ⌊i·in/out⌋}. */
    public static Tensor nearest(Tensor image, int outH, int outW) {
        check("nearest", image, outH, outW);
        int c = image.size(0), h = image.size(1), w = image.size(2);
        float[] src = image.detach().contiguous().toFloatArray();
        float[] dst = new float[c * outH * outW];
        int[] ys = new int[outH], xs = new int[outW];
        for (int i = 0; i < outH; i++) ys[i] = Math.min((int) Math.floor(i * ((double) h / outH)), h - 1);
        for (int j = 0; j < outW; j++) xs[j] = Math.min((int) Math.floor(j * ((double) w / outW)), w - 1);
        for (int ch = 0; ch < c; ch++)
            for (int i = 0; i < outH; i++)
                for (int j = 0; j < outW; j++)
                    dst[(ch * outH + i) * outW + j] = src[(ch * h + ys[i]) * w + xs[j]];
        return TensorData.wrap(dst, c, outH, outW);
    }

    private static void check(String op, Tensor image, int outH, int outW) {
        if (image.dim() != 3 || image.size(1) < 1 || image.size(2) < 1)
            throw new IllegalArgumentException("resize (" + op + "): expected a non-empty image [C, H, W], got "
                    + Shape.str(image.shape()));
        if (outH < 1 || outW < 1)
            throw new IllegalArgumentException("resize (" + op + "): output size must be positive, got " + outH + "x" + outW);
    }
}
