package org.jgrad.vision.features;

/** The raw pixels as the feature vector ({@code [C, H, W]} flattened): the baseline every feature is compared with. */
public final class PixelFeatures extends ArrayImageFeature {
    @Override
    public String name() {
        return "pixels";
    }

    @Override
    public String toString() {
        return "pixels";
    }

    @Override
    public int length(int channels, int height, int width) {
        if (channels < 1 || height < 1 || width < 1)
            throw new IllegalArgumentException("pixels: empty image: " + channels + " channels of " + height + "x"
                    + width + " pixels");
        return Math.multiplyExact(Math.multiplyExact(channels, height), width);
    }

    @Override
    void extract(float[] image, int offset, int channels, int height, int width, float[] out, int outOffset) {
        ImageShape.check("pixels", image, offset, channels, height, width);
        System.arraycopy(image, offset, out, outOffset, channels * height * width);
    }
}
