package org.jgrad.vision.features;

import java.util.Locale;
import org.jgrad.vision.image.Color;

/**
 * Colour histograms: the share of pixels whose value falls in each of {@code bins} equal bins of
 * [{@code low}, {@code high}] (the top edge belongs to the last bin), in one of the colour spaces of
 * the images jgrad reads ({@code ImageFiles.read}: grey [1, H, W] or RGB [3, H, W]):
 * <ul>
 *   <li>{@link Mode#PER_CHANNEL}: one histogram per channel, each L1-normalised (sums to 1), concatenated:
 *       C × bins values;
 *   <li>{@link Mode#JOINT}: one histogram of the channels' values together (bins^C cells, channel 0
 *       slowest), L1-normalised; it sees colours, not only their components.
 * </ul>
 * {@link Space#GRAY} turns RGB into luma first ({@link Color#grayscale}'s BT.601 weights), so a
 * greyscale histogram is the intensity histogram; {@link Space#HSV} turns RGB into hue, saturation and
 * value, each scaled to [0, 1] (hue 0°–360° → 0–1) after dividing by the range. Pixels outside the
 * range are an error, not clipped: they mean the range does not fit the images (bytes 0–255 against
 * the default [0, 1]).
 */
public final class ColorHistogram extends ArrayImageFeature {
    /** Separate histograms per channel or one joint histogram. */
    public enum Mode {
        /** One histogram per channel, concatenated: C × bins values. */
        PER_CHANNEL,
        /** One histogram over the channels' values together: bins^C cells. */
        JOINT
    }

    /** The colour space the histogram is taken in. */
    public enum Space {
        /** The channels as stored (grey or RGB). */
        AS_IS,
        /** Luma; grey images stay as they are. */
        GRAY,
        /** Hue, saturation, value of RGB images. */
        HSV;

        /** Parses {@code rgb}/{@code as-is}, {@code gray}/{@code grey}/{@code intensity}, {@code hsv}. */
        public static Space of(String s) {
            return switch (s == null ? "" : s.trim().toLowerCase(Locale.ROOT)) {
                case "rgb", "as-is", "as_is" -> AS_IS;
                case "gray", "grey", "intensity", "luma" -> GRAY;
                case "hsv" -> HSV;
                default -> throw new IllegalArgumentException("color histogram: colour space must be rgb, gray or hsv, got '"
                        + s + "'");
            };
        }
    }

    private final int bins;
    private final Mode mode;
    private final Space space;
    private final float low, high;

    /**
     * @param bins bins per channel, at least 1
     * @param low smallest pixel value (0 for images read into [0, 1] or [0, 255])
     * @param high largest pixel value (1 or 255)
     * @throws IllegalArgumentException if bins ≤ 0 or the range is empty or not finite
     */
    public ColorHistogram(int bins, Mode mode, Space space, float low, float high) {
        if (bins <= 0) throw new IllegalArgumentException("color histogram: bins must be positive, got " + bins);
        if (!(Float.isFinite(low) && Float.isFinite(high) && high > low))
            throw new IllegalArgumentException("color histogram: the range [" + low + ", " + high
                    + "] must be finite with high > low");
        if (mode == null || space == null) throw new IllegalArgumentException("color histogram: mode and space must be given");
        this.bins = bins;
        this.mode = mode;
        this.space = space;
        this.low = low;
        this.high = high;
    }

    /** Per-channel histograms of images in [0, 1]. */
    public static ColorHistogram perChannel(int bins) {
        return new ColorHistogram(bins, Mode.PER_CHANNEL, Space.AS_IS, 0f, 1f);
    }

    /** A joint colour histogram of images in [0, 1] (bins³ values for RGB). */
    public static ColorHistogram joint(int bins) {
        return new ColorHistogram(bins, Mode.JOINT, Space.AS_IS, 0f, 1f);
    }

    /** The intensity (luma) histogram of images in [0, 1], grey or RGB. */
    public static ColorHistogram intensity(int bins) {
        return new ColorHistogram(bins, Mode.PER_CHANNEL, Space.GRAY, 0f, 1f);
    }

    @Override
    public String name() {
        return space == Space.GRAY ? "intensity histogram" : "color histogram";
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s(%d bins, %s, %s, [%s, %s])", name(), bins, mode, space, low, high);
    }

    private int spaceChannels(int channels) {
        if (channels != 1 && channels != 3)
            throw new IllegalArgumentException("color histogram: expected 1 (grey) or 3 (RGB) channels, got " + channels);
        return switch (space) {
            case AS_IS -> channels;
            case GRAY -> 1;
            case HSV -> {
                if (channels != 3)
                    throw new IllegalArgumentException("color histogram: HSV needs 3 (RGB) channels, got " + channels);
                yield 3;
            }
        };
    }

    @Override
    public int length(int channels, int height, int width) {
        if (channels < 1 || height < 1 || width < 1)
            throw new IllegalArgumentException("color histogram: empty image: " + channels + " channels of " + height + "x"
                    + width + " pixels");
        int c = spaceChannels(channels);
        if (mode == Mode.PER_CHANNEL) return Math.multiplyExact(c, bins);
        long cells = 1;
        for (int i = 0; i < c; i++) cells *= bins;
        if (cells > 1 << 24)
            throw new IllegalArgumentException("color histogram: a joint histogram of " + c + " channels with " + bins
                    + " bins has " + cells + " cells, more than 2^24; use fewer bins");
        return (int) cells;
    }

    @Override
    void extract(float[] image, int offset, int channels, int height, int width, float[] out, int outOffset) {
        ImageShape.check("color histogram", image, offset, channels, height, width);
        int len = length(channels, height, width), c = spaceChannels(channels), plane = height * width;
        float[] v = converted(image, offset, channels, plane);
        java.util.Arrays.fill(out, outOffset, outOffset + len, 0f);
        long[] counts = new long[len];
        if (mode == Mode.PER_CHANNEL) {
            for (int ch = 0; ch < c; ch++)
                for (int p = 0; p < plane; p++) counts[ch * bins + bin(v[ch * plane + p], ch, p, width)]++;
            for (int i = 0; i < len; i++) out[outOffset + i] = (float) ((double) counts[i] / plane);
        } else {
            for (int p = 0; p < plane; p++) {
                int cell = 0;
                for (int ch = 0; ch < c; ch++) cell = cell * bins + bin(v[ch * plane + p], ch, p, width);
                counts[cell]++;
            }
            for (int i = 0; i < len; i++) out[outOffset + i] = (float) ((double) counts[i] / plane);
        }
    }

    /** The image in this histogram's space, [c, H, W]; values of HSV are in [0, 1], others in [low, high]. */
    private float[] converted(float[] image, int offset, int channels, int plane) {
        if (space == Space.AS_IS || (space == Space.GRAY && channels == 1))
            return java.util.Arrays.copyOfRange(image, offset, offset + channels * plane);
        if (space == Space.GRAY) {
            float[] g = new float[plane];
            for (int p = 0; p < plane; p++)
                // The weights' float sum is not exactly 1: keep white at the top of the range.
                g[p] = Math.min(high, Color.WR * image[offset + p] + Color.WG * image[offset + plane + p]
                        + Color.WB * image[offset + 2 * plane + p]);
            return g;
        }
        float[] hsv = new float[3 * plane];
        float span = high - low;
        for (int p = 0; p < plane; p++) {
            float r = check(image[offset + p], 0, p, plane), g = check(image[offset + plane + p], 1, p, plane),
                    b = check(image[offset + 2 * plane + p], 2, p, plane);
            r = (r - low) / span;
            g = (g - low) / span;
            b = (b - low) / span;
            float max = Math.max(r, Math.max(g, b)), min = Math.min(r, Math.min(g, b)), d = max - min;
            float h;
            if (d == 0) h = 0;
            else if (max == r) h = ((g - b) / d) / 6f;
            else if (max == g) h = ((b - r) / d + 2) / 6f;
            else h = ((r - g) / d + 4) / 6f;
            if (h < 0) h += 1;
            hsv[p] = Math.min(h, 1f);
            hsv[plane + p] = max == 0 ? 0 : d / max;
            hsv[2 * plane + p] = max;
        }
        return hsv;
    }

    private float check(float v, int ch, int p, int plane) {
        if (!(v >= low && v <= high)) throw outside(v, ch, p, -1);
        return v;
    }

    private int bin(float v, int ch, int p, int width) {
        float lo = space == Space.HSV ? 0f : low, hi = space == Space.HSV ? 1f : high;
        if (!(v >= lo && v <= hi)) throw outside(v, ch, p, width);
        int b = (int) ((double) (v - lo) / (hi - lo) * bins);
        return Math.min(b, bins - 1);
    }

    private IllegalArgumentException outside(float v, int ch, int p, int width) {
        String where = width > 0 ? " at (channel " + ch + ", row " + p / width + ", column " + p % width + ")"
                : " in channel " + ch + " (pixel " + p + ")";
        return new IllegalArgumentException("color histogram: pixel value " + v + where + " is outside the range [" + low
                + ", " + high + "]" + (v > high && high <= 1 ? "; for images in [0, 255] use the range 0..255" : ""));
    }
}
