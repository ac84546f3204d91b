package org.jgrad.vision.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class HogTest {
    static Stream<Fixtures.HogCase> cases() {
        return Fixtures.hogCases().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void equalsScikitImage(Fixtures.HogCase c) {
        Tensor img = TensorData.wrap(c.image(), c.channels(), c.height(), c.width());
        float[] got = c.hog().apply(img).toFloatArray();
        assertEquals(c.expected().length, got.length, c.name() + ": length");
        double worst = 0;
        int at = -1;
        for (int i = 0; i < got.length; i++) {
            double e = Math.abs(got[i] - c.expected()[i]);
            if (e > worst) {
                worst = e;
                at = i;
            }
        }
        System.out.printf("hog %s: %d values, largest difference from scikit-image %.2e%n", c.name(), got.length, worst);
        assertTrue(worst <= 1e-5, c.name() + ": largest difference " + worst + " at " + at);
    }

    @Test
    void theIssuesLengths() {
        assertEquals(324, new Hog().length(1, 32, 32));
        assertEquals(81, new Hog().length(1, 28, 28));
        assertEquals(1296, new Hog(9, 4, 2).length(1, 28, 28));
        assertEquals(324, new Hog().apply(Tensor.rand(new org.jgrad.tensor.Generator(1), 3, 32, 32)).numel());
        assertEquals(List.of(324, 81, 1296, 324), Fixtures.hogCases().stream().limit(4).map(c -> c.expected().length).toList());
    }

    @Test
    void aGreyImageGivesTheSameAsItsThreeIdenticalChannels() {
        Tensor g = Tensor.rand(new org.jgrad.tensor.Generator(3), 1, 24, 24);
        Tensor rgb = Tensor.cat(0, g, g, g);
        float[] a = new Hog(9, 4, 2).apply(g).toFloatArray(), b = new Hog(9, 4, 2).apply(rgb).toFloatArray();
        org.junit.jupiter.api.Assertions.assertArrayEquals(a, b);
    }

    @Test
    void badInputsSayWhatIsWrong() {
        var e = assertThrows(IllegalArgumentException.class, () -> new Hog().apply(Tensor.zeros(1, 0, 32)));
        assertTrue(e.getMessage().contains("empty image"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Hog().apply(Tensor.zeros(1, 16, 16)));
        assertTrue(e.getMessage().contains("fewer than one block"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Hog(0, 8, 3));
        assertTrue(e.getMessage().contains("at least 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Hog().apply(Tensor.zeros(2, 1, 32, 32)));
        assertTrue(e.getMessage().contains("[C, H, W]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Hog.BlockNorm.of("L3"));
        assertTrue(e.getMessage().contains("L2-Hys"), e.getMessage());
        Tensor neg = Tensor.full(-0.5f, 1, 16, 16);
        e = assertThrows(IllegalArgumentException.class,
                () -> new Hog(9, 8, 8, 2, 2, Hog.BlockNorm.L2_HYS, true).apply(neg));
        assertTrue(e.getMessage().contains("non-negative"), e.getMessage());
    }
}
