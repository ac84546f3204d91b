package org.jgrad.vision.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

class ColorHistogramTest {
    @Test
    void binsAreHalfOpenWithTheTopEdgeInTheLastBin() {
        // numpy.histogram(v, bins=4, range=(0, 1)) counts [2, 1, 1, 2].
        Tensor img = TensorData.wrap(new float[] {0f, 0.24f, 0.25f, 0.5f, 0.99f, 1f}, 1, 2, 3);
        assertArrayEquals(new float[] {2 / 6f, 1 / 6f, 1 / 6f, 2 / 6f}, ColorHistogram.perChannel(4).apply(img).toFloatArray(),
                1e-7f);
    }

    @Test
    void perChannelHistogramsEachSumToOne() {
        Tensor img = Tensor.rand(new Generator(5), 3, 17, 23);
        float[] h = ColorHistogram.perChannel(10).apply(img).toFloatArray();
        assertEquals(30, h.length);
        for (int c = 0; c < 3; c++) {
            double s = 0;
            for (int b = 0; b < 10; b++) s += h[c * 10 + b];
            assertEquals(1, s, 1e-6, "channel " + c);
        }
    }

    @Test
    void jointHistogramCountsColours() {
        // Two red pixels, one white, one black; 2 bins per channel: cells (r, g, b) → index r·4 + g·2 + b.
        Tensor img = TensorData.wrap(new float[] {1, 1, 1, 0, /* g */ 0, 0, 1, 0, /* b */ 0, 0, 1, 0}, 3, 2, 2);
        float[] h = ColorHistogram.joint(2).apply(img).toFloatArray();
        assertEquals(8, h.length);
        float[] expected = new float[8];
        expected[4] = 0.5f; // red (1, 0, 0)
        expected[7] = 0.25f; // white
        expected[0] = 0.25f; // black
        assertArrayEquals(expected, h);
    }

    @Test
    void intensityHistogramOfRgbIsTheHistogramOfItsLuma() {
        Tensor rgb = Tensor.rand(new Generator(9), 3, 12, 12);
        Tensor luma = org.jgrad.vision.image.Color.grayscale(rgb);
        assertArrayEquals(ColorHistogram.perChannel(16).apply(luma).toFloatArray(),
                ColorHistogram.intensity(16).apply(rgb).toFloatArray(), 1e-7f);
        assertEquals(16, ColorHistogram.intensity(16).length(1, 4, 4));
        // White stays in the top bin although the luma weights' float sum is not exactly 1.
        float[] white = ColorHistogram.intensity(4).apply(Tensor.full(1f, 3, 2, 2)).toFloatArray();
        assertArrayEquals(new float[] {0, 0, 0, 1}, white);
    }

    @Test
    void hsvPutsPureColoursInTheirHueBins() {
        // red, green, blue, grey: hue 0, 1/3, 2/3, 0; saturation 1, 1, 1, 0; value 1, 1, 1, 0.5
        Tensor img = TensorData.wrap(new float[] {1, 0, 0, 0.5f, /* g */ 0, 1, 0, 0.5f, /* b */ 0, 0, 1, 0.5f}, 3, 1, 4);
        var hsv = new ColorHistogram(3, ColorHistogram.Mode.PER_CHANNEL, ColorHistogram.Space.HSV, 0f, 1f);
        assertArrayEquals(new float[] {0.5f, 0.25f, 0.25f, /* s */ 0.25f, 0, 0.75f, /* v */ 0, 0.25f, 0.75f},
                hsv.apply(img).toFloatArray());
    }

    @Test
    void bytesNeedTheirRange() {
        Tensor bytes = TensorData.wrap(new float[] {0, 64, 128, 255}, 1, 2, 2);
        var h = new ColorHistogram(4, ColorHistogram.Mode.PER_CHANNEL, ColorHistogram.Space.AS_IS, 0, 255);
        assertArrayEquals(new float[] {0.25f, 0.25f, 0.25f, 0.25f}, h.apply(bytes).toFloatArray());
        var e = assertThrows(IllegalArgumentException.class, () -> ColorHistogram.perChannel(4).apply(bytes));
        assertTrue(e.getMessage().contains("pixel value 64.0 at (channel 0, row 0, column 1) is outside the range [0.0, 1.0]"),
                e.getMessage());
    }

    @Test
    void badInputsSayWhatIsWrong() {
        var e = assertThrows(IllegalArgumentException.class, () -> ColorHistogram.perChannel(0));
        assertEquals("color histogram: bins must be positive, got 0", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ColorHistogram.joint(-3));
        e = assertThrows(IllegalArgumentException.class, () -> ColorHistogram.perChannel(8).apply(Tensor.zeros(3, 0, 4)));
        assertTrue(e.getMessage().contains("empty image"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ColorHistogram.perChannel(8).apply(Tensor.zeros(4, 5, 5)));
        assertTrue(e.getMessage().contains("expected 1 (grey) or 3 (RGB) channels, got 4"), e.getMessage());
        var hsv = new ColorHistogram(8, ColorHistogram.Mode.JOINT, ColorHistogram.Space.HSV, 0f, 1f);
        e = assertThrows(IllegalArgumentException.class, () -> hsv.apply(Tensor.zeros(1, 5, 5)));
        assertTrue(e.getMessage().contains("HSV needs 3 (RGB) channels, got 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ColorHistogram.perChannel(8).apply(
                TensorData.wrap(new float[] {0.5f, Float.NaN}, 1, 1, 2)));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new ColorHistogram(8, ColorHistogram.Mode.JOINT, ColorHistogram.Space.AS_IS, 1f, 1f));
        assertTrue(e.getMessage().contains("high > low"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ColorHistogram.Space.of("lab"));
    }
}
