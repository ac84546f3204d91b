package org.jgrad.vision.transforms;

import java.util.Arrays;
import java.util.Locale;
import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;

/**
 * Per-channel input normalisation {@code (x − mean[c]) / std[c]} that a model was trained with,
 * kept with the model ({@code ModelInfo}) so that evaluation and prediction feed it inputs the way
 * training did. {@link #NONE} leaves inputs as they are (pixels in [0, 1]).
 *
 * <pre>{@code
 * Normalization imagenet = Normalization.of(Tensor.of(0.485f, 0.456f, 0.406f), Tensor.of(0.229f, 0.224f, 0.225f));
 * Tensor x = imagenet.apply(batch);   // [N, 3, H, W] or [3, H, W]
 * }</pre>
 */
public final class Normalization {
    /** No normalisation. */
    public static final Normalization NONE = new Normalization(new float[0], new float[0]);

    private final float[] mean, std;

    private Normalization(float[] mean, float[] std) {
        this.mean = mean;
        this.std = std;
    }

    /**
     * Normalisation by per-channel {@code mean} [C] and {@code std} [C] (copied; a scalar is one channel, as
     * {@code Tensor.of(0.5f)} gives).
     *
     * @throws IllegalArgumentException when the tensors have more than one dimension, their lengths differ or are
     *     zero, a value is not finite, or a std is not positive
     */
    public static Normalization of(Tensor mean, Tensor std) {
        if (mean.dim() > 1 || std.dim() > 1)
            throw new IllegalArgumentException("Normalization: expected mean [C] and std [C], got " + Shape.str(mean.shape())
                    + " and " + Shape.str(std.shape()));
        return of(mean.contiguous().toFloatArray(), std.contiguous().toFloatArray());
    }

    private static Normalization of(float[] mean, float[] std) {
        if (mean.length != std.length || mean.length == 0)
            throw new IllegalArgumentException("Normalization: need as many means as stds, at least one (got " + mean.length
                    + " and " + std.length + ")");
        for (int i = 0; i < mean.length; i++)
            if (!Float.isFinite(mean[i]) || !(std[i] > 0) || !Float.isFinite(std[i]))
                throw new IllegalArgumentException("Normalization: channel " + i + " has mean " + mean[i] + " and std " + std[i]
                        + " (means must be finite, stds positive)");
        return new Normalization(mean.clone(), std.clone());
    }

    /** True for {@link #NONE}. */
    public boolean isNone() {
        return mean.length == 0;
    }

    /** The per-channel means [C] (a copy; [0] for none). */
    public Tensor mean() {
        return Tensor.fromArray(mean, mean.length);
    }

    /** The per-channel standard deviations [C] (a copy; [0] for none). */
    public Tensor std() {
        return Tensor.fromArray(std, std.length);
    }

    /**
     * Normalises an image {@code [C, H, W]} or a batch {@code [N, C, H, W]}; {@link #NONE} returns it unchanged.
     *
     * @throws IllegalArgumentException when the channels differ from the statistics'
     */
    public Tensor apply(Tensor x) {
        if (isNone()) return x;
        int cDim = x.dim() == 4 ? 1 : 0;
        if ((x.dim() != 3 && x.dim() != 4) || x.size(cDim) != mean.length)
            throw new IllegalArgumentException("Normalization: " + mean.length + " channel statistics for input "
                    + Shape.str(x.shape()) + " (expected [" + mean.length + ", H, W] or [N, " + mean.length + ", H, W])");
        Tensor m = Tensor.fromArray(mean, mean.length, 1, 1), s = Tensor.fromArray(std, std.length, 1, 1);
        return x.sub(m).div(s);
    }

    /** {@code 0.485,0.456,0.406} for the means (empty for none), as stored in file metadata. */
    public String meanString() {
        return join(mean);
    }

    /** The standard deviations in the form of {@link #meanString()}. */
    public String stdString() {
        return join(std);
    }

    /**
     * Parses {@link #meanString()} and {@link #stdString()}; both empty or absent give {@link #NONE}.
     *
     * @throws IllegalArgumentException naming the text when it does not parse
     */
    public static Normalization parse(String mean, String std) {
        if ((mean == null || mean.isBlank()) && (std == null || std.isBlank())) return NONE;
        try {
            return of(floats(mean), floats(std));
        } catch (NumberFormatException | NullPointerException e) {
            throw new IllegalArgumentException("Normalization: cannot read mean '" + mean + "' and std '" + std + "'", e);
        }
    }

    private static float[] floats(String s) {
        String[] parts = s.split(",");
        float[] out = new float[parts.length];
        for (int i = 0; i < parts.length; i++) out[i] = Float.parseFloat(parts[i].strip());
        return out;
    }

    private static String join(float[] v) {
        StringBuilder b = new StringBuilder();
        for (float f : v) b.append(b.isEmpty() ? "" : ",").append(f);
        return b.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Normalization n && Arrays.equals(n.mean, mean) && Arrays.equals(n.std, std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    /** {@code none} or {@code mean [..], std [..]}. */
    @Override
    public String toString() {
        return isNone() ? "none" : String.format(Locale.ROOT, "mean [%s], std [%s]", meanString(), stdString());
    }
}
