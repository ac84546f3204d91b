package org.jgrad.vision.tools;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Tensor;
import org.jgrad.vision.filters.FilterSpec;
import org.jgrad.vision.filters.Filters;
import org.jgrad.vision.filters.ImageQuality;
import org.jgrad.vision.image.Color;
import org.jgrad.vision.image.ImageFiles;
import org.jgrad.vision.image.Resize;

/**
 * The {@code jgrad filter} command as an API (the lectures' random-filter examples on a face image): read an image,
 * filter it, optionally pool it, write the result and report how much information was lost.
 */
public final class FilterTool {
    private FilterTool() {}

    /**
     * What {@link #run} did and measured.
     *
     * @param inputShape [C, H, W] of the image read
     * @param outputShape [C, H', W'] of the image written
     * @param mse mean squared error in [0, 1] units
     * @param psnr peak signal-to-noise ratio in dB (L = 1, the same as L = 255 on 8-bit values)
     * @param ssim mean SSIM, 1 for no loss
     * @param comparedAtInputSize false when the input was resized down to the output's size for the comparison
     */
    public record Result(int[] inputShape, int[] outputShape, double mse, double psnr, double ssim,
            boolean comparedAtInputSize) {
        /** One line for a terminal. */
        public String summary() {
            return String.format(Locale.ROOT, "%dx%d -> %dx%d  MSE %.6f  PSNR %.2f dB  SSIM %.4f%s", inputShape[1],
                    inputShape[2], outputShape[1], outputShape[2], mse, psnr, ssim,
                    comparedAtInputSize ? "" : "  (input resized bilinearly to the output size to compare)");
        }
    }

    /**
     * Filters {@code in} with {@code kernelSpec} (see {@link FilterSpec#parse}) using "same" zero
     * padding and {@code stride}, then applies {@code pool} ({@code "max:3"}, {@code "avg:3"}, or null/""
     * for none) with stride 1 and no padding, as in Example 2.5. The image is processed in [0, 1] with
     * its own channels (grey stays grey, colour stays colour).
     *
     * <p>Writing: smoothing filters are clamped to [0, 1]; derivative filters (Sobel, Prewitt,
     * Laplacian, emboss) have |response| scaled so that its maximum is white. The output is 8-bit.
     *
     * <p>Information loss is measured between the input and the image as written (after clamping,
     * scaling and 8-bit rounding), because that is what a viewer compares. When stride or pooling made
     * the output smaller, the input is first resized to the output's size with bilinear interpolation
     * ({@link Resize#bilinear}), so the numbers then also include the resampling. For a JPEG output
     * the comparison uses the 8-bit values handed to the encoder, not the lossy file.
     *
     * @throws IOException naming the file when {@code in} cannot be read or {@code out} cannot be written
     * @throws IllegalArgumentException for a bad spec, stride or pooling
     */
    public static Result run(Path in, Path out, String kernelSpec, int stride, String pool) throws IOException {
        return run(in, out, kernelSpec, stride, pool, false);
    }

    /**
     * {@link #run(Path, Path, String, int, String)}, converting a colour input to grey (BT.601) first
     * when {@code grayscale} is set, as Example 2.4 does with {@code cv2.cvtColor}; the information
     * loss is then measured against the grey image.
     */
    public static Result run(Path in, Path out, String kernelSpec, int stride, String pool, boolean grayscale)
            throws IOException {
        FilterSpec spec = FilterSpec.parse(kernelSpec);
        if (stride < 1) throw new IllegalArgumentException("filter: stride must be >= 1, got " + stride);
        Tensor image = ImageFiles.read(in);
        long need = BYTES_PER_VALUE * image.numel();
        if (!org.jgrad.io.MemoryBudget.allows(need))
            throw new IllegalArgumentException("filter: " + in + ": a " + image.size(2) + "x" + image.size(1) + " image with "
                    + image.size(0) + " channel(s) " + org.jgrad.io.MemoryBudget.refusal(need, "filtering it")
                    + "; or scale the image down");
        if (grayscale) image = Color.grayscale(image);
        Tensor response = pool(spec.apply(image, stride), pool);
        Tensor shown = toDisplay(response, spec.output());
        ImageFiles.write(shown, out);
        Tensor written = quantise(shown);
        boolean same = written.size(1) == image.size(1) && written.size(2) == image.size(2);
        Tensor reference = same ? image : Resize.bilinear(image, written.size(1), written.size(2));
        return new Result(image.shape(), written.shape(), ImageQuality.mse(reference, written),
                ImageQuality.psnr(reference, written, 1), ImageQuality.ssim(reference, written, 1), same);
    }

    /**
     * Memory charged per pixel and channel against the {@link org.jgrad.io.MemoryBudget}. The peak live
     * heap of a run was measured at 150 to 180 bytes a value (a 3000x3000 grey image ran out of memory
     * at -Xmx1200m and ran at -Xmx1600m; the SSIM comparison's blurred planes are the largest part);
     * the budget being half the heap, charging 96 keeps every run it admits inside the heap.
     */
    static final long BYTES_PER_VALUE = 96;

    /** Applies a pooling spec {@code "max:k"} / {@code "avg:k"} with stride 1; null or blank for none. */
    static Tensor pool(Tensor image, String pool) {
        if (pool == null || pool.isBlank() || pool.equalsIgnoreCase("none")) return image;
        String[] p = pool.trim().toLowerCase(Locale.ROOT).split(":");
        int k;
        try {
            k = p.length > 1 ? Integer.parseInt(p[1]) : 3;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("pool spec '" + pool + "': bad size '" + p[1] + "'", e);
        }
        if (p.length > 2) throw new IllegalArgumentException("pool spec '" + pool + "': expected max:k or avg:k");
        return switch (p[0]) {
            case "max" -> Filters.maxPool(image, k, 1);
            case "avg", "mean" -> Filters.avgPool(image, k, 1);
            default -> throw new IllegalArgumentException("pool spec '" + pool + "': expected max:k or avg:k (or none)");
        };
    }

    /** Maps a response to [0, 1] for display according to the filter's kind. */
    public static Tensor toDisplay(Tensor response, FilterSpec.Output output) {
        if (output == FilterSpec.Output.CLAMP) return response.clamp(0f, 1f);
        Tensor a = response.abs();
        float max = a.max().item();
        return max > 0 ? a.div(max) : a;
    }

    /** The [0, 1] values an 8-bit file holds for {@code t}. */
    private static Tensor quantise(Tensor t) {
        float[] d = t.contiguous().toFloatArray().clone();
        for (int i = 0; i < d.length; i++) d[i] = Math.round(Math.min(1f, Math.max(0f, d[i])) * 255f) / 255f;
        return TensorData.wrap(d, t.shape());
    }
}
