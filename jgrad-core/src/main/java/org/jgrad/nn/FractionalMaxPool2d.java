package org.jgrad.nn;

import java.util.Arrays;
import org.jgrad.autograd.Autograd;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;

/**
 * Fractional max pooling (Graham, "Fractional Max-Pooling") over [N, C, H, W] (or [C, H, W]), like
 * {@code torch.nn.FractionalMaxPool2d}: a {@code kH×kW} window whose starts are spread pseudo-randomly
 * so that the output can shrink the input by a non-integer factor, e.g. by 1/√2 per layer.
 *
 * <p>The output size is given, or a ratio of the input's in (0, 1), {@code out = ⌊in · ratio⌋}. Each
 * (sample, channel) plane draws two numbers {@code u} in [0, 1), one for the width and one for the
 * height (PyTorch's {@code _random_samples[n, c] = (u_W, u_H)}); along an axis with
 * {@code α = (in − k)/(out − 1)}, window {@code i < out − 1} starts at
 * {@code ⌊α·(i + u)⌋ − ⌊α·u⌋} and the last window at {@code in − k}, computed in float32 as PyTorch
 * does so that the windows agree exactly. Windows may overlap; ties keep the first maximum in
 * row-major order and the last NaN wins, as in PyTorch. The gradient goes to each window's maximum.
 *
 * <p>The draws come from the module's {@link Generator} (see {@link Stochastic}), in training and
 * evaluation alike (PyTorch draws in both); {@link #forward(Tensor, Tensor)} takes them explicitly
 * instead, e.g. PyTorch's own {@code _random_samples} to reproduce its output.
 */
public class FractionalMaxPool2d extends Module implements Stochastic {
    private final int kernelH, kernelW;
    private final int outH, outW;          // > 0 when the size is fixed
    private final double ratioH, ratioW;   // > 0 when the size is a ratio
    private Generator generator;

    private FractionalMaxPool2d(int kernelH, int kernelW, int outH, int outW, double ratioH, double ratioW) {
        if (kernelH < 1 || kernelW < 1)
            throw new IllegalArgumentException("FractionalMaxPool2d: kernel_size must be positive, got " + kernelH + "x" + kernelW);
        this.kernelH = kernelH;
        this.kernelW = kernelW;
        this.outH = outH;
        this.outW = outW;
        this.ratioH = ratioH;
        this.ratioW = ratioW;
    }

    /** A square {@code k×k} window and a square output size (PyTorch's {@code output_size=int}). */
    public static FractionalMaxPool2d withOutputSize(int kernelSize, int outputSize) {
        return withOutputSize(kernelSize, kernelSize, outputSize, outputSize);
    }

    /** A {@code kH×kW} window and a fixed {@code outH×outW} output. */
    public static FractionalMaxPool2d withOutputSize(int kernelH, int kernelW, int outH, int outW) {
        if (outH < 1 || outW < 1)
            throw new IllegalArgumentException("FractionalMaxPool2d: output_size must be positive, got " + outH + "x" + outW);
        return new FractionalMaxPool2d(kernelH, kernelW, outH, outW, 0, 0);
    }

    /** A square {@code k×k} window and the same output ratio on both axes, in (0, 1). */
    public static FractionalMaxPool2d withOutputRatio(int kernelSize, double ratio) {
        return withOutputRatio(kernelSize, kernelSize, ratio, ratio);
    }

    /** A {@code kH×kW} window and output ratios in (0, 1): {@code out = ⌊in · ratio⌋}. */
    public static FractionalMaxPool2d withOutputRatio(int kernelH, int kernelW, double ratioH, double ratioW) {
        if (!(ratioH > 0 && ratioH < 1 && ratioW > 0 && ratioW < 1))
            throw new IllegalArgumentException("FractionalMaxPool2d: output_ratio must be between 0 and 1 (got ("
                    + ratioH + ", " + ratioW + "))");
        return new FractionalMaxPool2d(kernelH, kernelW, 0, 0, ratioH, ratioW);
    }

    @Override
    public FractionalMaxPool2d setGenerator(Generator gen) {
        this.generator = gen;
        return this;
    }

    @Override
    public Generator generator() {
        return generator != null ? generator : DefaultGenerator.get();
    }

    /** Pools with fresh draws from the generator. */
    @Override
    public Tensor forward(Tensor input) {
        checkInput(input);
        int n = input.dim() == 4 ? input.size(0) : 1, c = input.size(input.dim() - 3);
        Generator gen = generator();
        float[] u = new float[n * c * 2];
        for (int i = 0; i < u.length; i++) u[i] = gen.nextFloat();
        return forwardWithIndices(input, TensorData.wrap(u, n, c, 2)).values();
    }

    /** Pools with the given draws, shape [N, C, 2] ([1, C, 2] for a 3-D input), each in [0, 1). */
    public Tensor forward(Tensor input, Tensor samples) {
        return forwardWithIndices(input, samples).values();
    }

    /**
     * The pooled values and, as int64, the flat index {@code h·W + w} of each maximum within its
     * input plane (PyTorch's {@code return_indices=True}).
     */
    public Tensor.ValuesIndices forwardWithIndices(Tensor input, Tensor samples) {
        checkInput(input);
        int d = input.dim();
        int n = d == 4 ? input.size(0) : 1, c = input.size(d - 3), h = input.size(d - 2), w = input.size(d - 1);
        int oh = outH > 0 ? outH : (int) (h * ratioH), ow = outW > 0 ? outW : (int) (w * ratioW);
        if (oh + kernelH - 1 > h)
            throw new IllegalArgumentException("FractionalMaxPool2d: pool height " + kernelH + " too large relative to input height "
                    + h + " for output height " + oh);
        if (ow + kernelW - 1 > w)
            throw new IllegalArgumentException("FractionalMaxPool2d: pool width " + kernelW + " too large relative to input width "
                    + w + " for output width " + ow);
        if (samples == null || !Arrays.equals(samples.shape(), new int[] {n, c, 2}))
            throw new IllegalArgumentException("FractionalMaxPool2d: expected samples of shape " + Arrays.toString(new int[] {n, c, 2})
                    + " for input shape " + Arrays.toString(input.shape()) + ", got "
                    + (samples == null ? "null" : Arrays.toString(samples.shape())));
        float[] u = samples.toFloatArray();
        for (int i = 0; i < u.length; i++)
            if (!(u[i] >= 0 && u[i] < 1))
                throw new IllegalArgumentException("FractionalMaxPool2d: samples must lie in [0, 1), got " + u[i] + " at flat index " + i);

        float[] x = input.contiguous().toFloatArray();
        int planes = n * c, inPlane = h * w, outPlane = oh * ow;
        float[] out = new float[planes * outPlane];
        long[] idx = new long[planes * outPlane];
        for (int p = 0; p < planes; p++) {
            int[] startW = windowStarts(u[2 * p], w, ow, kernelW);
            int[] startH = windowStarts(u[2 * p + 1], h, oh, kernelH);
            int base = p * inPlane;
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++) {
                    int h0 = startH[i], w0 = startW[j];
                    float best = Float.NEGATIVE_INFINITY;
                    int bestAt = h0 * w + w0;
                    for (int a = h0; a < h0 + kernelH; a++)
                        for (int b = w0; b < w0 + kernelW; b++) {
                            float v = x[base + a * w + b];
                            if (v > best || Float.isNaN(v)) {
                                best = v;
                                bestAt = a * w + b;
                            }
                        }
                    out[p * outPlane + i * ow + j] = best;
                    idx[p * outPlane + i * ow + j] = bestAt;
                }
        }
        int[] outShape = d == 4 ? new int[] {n, c, oh, ow} : new int[] {c, oh, ow};
        Tensor values = TensorData.wrap(out, outShape);
        int[] inShape = input.shape();
        Autograd.record(values, "fractional_max_pool2d", g -> {
            float[] go = g.contiguous().toFloatArray(), gi = new float[planes * inPlane];
            // the same order as PyTorch's backward, so overlapping windows sum alike
            for (int p = 0; p < planes; p++)
                for (int k = 0; k < outPlane; k++) gi[p * inPlane + (int) idx[p * outPlane + k]] += go[p * outPlane + k];
            return new Tensor[] {TensorData.wrap(gi, inShape)};
        }, input);
        return new Tensor.ValuesIndices(values, TensorData.wrapLongs(idx, outShape));
    }

    /**
     * The window starts along one axis for draw {@code u}: {@code ⌊α·(i + u)⌋ − ⌊α·u⌋} with
     * {@code α = (in − k)/(out − 1)} in float32, and {@code in − k} for the last window.
     */
    public static int[] windowStarts(float u, int in, int out, int kernel) {
        int[] s = new int[out];
        if (out > 1) {
            float alpha = (float) (in - kernel) / (float) (out - 1);
            for (int i = 0; i < out - 1; i++) s[i] = (int) (((float) i + u) * alpha) - (int) (u * alpha);
        }
        if (out > 0) s[out - 1] = in - kernel;
        return s;
    }

    private static void checkInput(Tensor input) {
        if (input.dim() != 3 && input.dim() != 4)
            throw new IllegalArgumentException("FractionalMaxPool2d: expected a 3-D [C, H, W] or 4-D [N, C, H, W] input, got shape "
                    + Arrays.toString(input.shape()));
        int d = input.dim();
        if (input.size(d - 1) == 0 || input.size(d - 2) == 0)
            throw new IllegalArgumentException("FractionalMaxPool2d: expected non-empty spatial dimensions, got shape "
                    + Arrays.toString(input.shape()));
    }

    /** The window height and width. */
    public int[] kernelSize() {
        return new int[] {kernelH, kernelW};
    }

    // PyTorch's FractionalMaxPool2d has no extra_repr: it prints as "FractionalMaxPool2d()".
}
