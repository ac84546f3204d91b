package org.jgrad.vision.features;

import java.util.Locale;

/** What describes one square patch in a {@link BagOfVisualWords}. */
public enum PatchDescriptor {
    /**
     * {@link Hog} of the patch: 9 orientations, cells of half the patch's side, one block of 2×2 cells,
     * L2-Hys (36 values for any patch of even side).
     */
    HOG,
    /**
     * The raw pixels, normalised per patch to zero mean and unit variance: {@code (v − mean) / sqrt(var +
     * 0.01)} (Coates and Ng's normalisation; the 0.01, for pixels in [0, 1], keeps flat patches from
     * being blown up into noise).
     */
    PIXELS;

    /** Parses {@code hog} or {@code pixels}. */
    public static PatchDescriptor of(String s) {
        return switch (s == null ? "" : s.trim().toLowerCase(Locale.ROOT)) {
            case "hog" -> HOG;
            case "pixels", "raw" -> PIXELS;
            default -> throw new IllegalArgumentException("bag of words: patch descriptor must be hog or pixels, got '"
                    + s + "'");
        };
    }

    private static final float PIXEL_EPS = 0.01f;

    /** The Hog of a patch of side {@code patch}. */
    static Hog patchHog(int patch) {
        int cell = Math.max(1, patch / 2);
        return new Hog(9, cell, cell, 2, 2, Hog.BlockNorm.L2_HYS, false);
    }

    /** Values per patch of side {@code patch} with {@code channels} channels. */
    int length(int channels, int patch) {
        return this == HOG ? patchHog(patch).length(channels, patch, patch) : channels * patch * patch;
    }

    /**
     * Describes the patch at ({@code top}, {@code left}) of an image stored [C, H, W] from
     * {@code image[offset]}, into {@code out[outOffset ...]}; {@code buffer} holds C × patch² values.
     */
    void describe(Hog hog, float[] image, int offset, int channels, int height, int width, int top, int left, int patch,
            float[] buffer, float[] out, int outOffset) {
        int plane = height * width, pp = patch * patch;
        for (int c = 0; c < channels; c++)
            for (int r = 0; r < patch; r++)
                System.arraycopy(image, offset + c * plane + (top + r) * width + left, buffer, c * pp + r * patch, patch);
        if (this == HOG) {
            hog.extract(buffer, 0, channels, patch, patch, out, outOffset);
            return;
        }
        int n = channels * pp;
        double s = 0, s2 = 0;
        for (int i = 0; i < n; i++) s += buffer[i];
        double mean = s / n;
        for (int i = 0; i < n; i++) {
            double t = buffer[i] - mean;
            s2 += t * t;
        }
        double scale = 1 / Math.sqrt(s2 / n + PIXEL_EPS);
        for (int i = 0; i < n; i++) out[outOffset + i] = (float) ((buffer[i] - mean) * scale);
    }
}
