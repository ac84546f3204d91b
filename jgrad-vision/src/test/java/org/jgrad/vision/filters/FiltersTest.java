package org.jgrad.vision.filters;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jgrad.internal.TensorData;
import org.jgrad.ops.ConvOps;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

class FiltersTest {
    /** Seed 004's 6×6 image f[-3:2][-3:2]. */
    private static final Tensor F = TensorData.wrap(new float[] {1, 4, 5, 8, 2, 1, 0, 3, 1, 5, 7, 2, 1, 2, 1, 4, 7, 1, 2, 2,
        0, 3, 6, 2, 0, 1, 7, 3, 5, 3, 1, 3, 4, 1, 2, 4}, 1, 6, 6);

    @Test
    void flippedKernelGivesTheTrueConvolutionWithSamePadding() {
        Tensor g = TensorData.wrap(new float[] {-1, 0, 1, -2, 0, 2, -3, 0, 3}, 3, 3);
        Tensor out = Filters.filter2d(F, FilterKernels.flip(g), 1);
        Tensor ref = ConvOps.convolve2d(F.reshape(6, 6), g, "same");
        assertArrayEquals(ref.toFloatArray(), out.toFloatArray(), 1e-5f);
        // scipy.signal.convolve2d(f, g, 'same') at f[0][0] (array [3][3]) and at the zero-padded corner
        assertEquals(-28f, out.get(0, 3, 3), 1e-5f);
        assertEquals(19f, out.get(0, 5, 5), 1e-5f);
    }

    @Test
    void meanFilterKeepsFlatRegionsAndZeroPadsBorders() {
        Tensor out = Filters.filter2d(Tensor.ones(2, 5, 5), FilterKernels.box(3), 1);
        assertArrayEquals(new int[] {2, 5, 5}, out.shape());
        assertEquals(1f, out.get(1, 2, 2), 1e-6f);
        assertEquals(4f / 9, out.get(0, 0, 0), 1e-6f);
        assertEquals(6f / 9, out.get(0, 0, 2), 1e-6f);
    }

    @Test
    void strideSamplesTheSameResult() {
        Tensor img = Tensor.rand(new Generator(1), 3, 7, 9);
        Tensor k = FilterKernels.gaussian(1.0, 5);
        Tensor full = Filters.filter2d(img, k, 1), strided = Filters.filter2d(img, k, 2);
        assertArrayEquals(new int[] {3, 4, 5}, strided.shape());
        for (int c = 0; c < 3; c++)
            for (int i = 0; i < 4; i++)
                for (int j = 0; j < 5; j++) assertEquals(full.get(c, 2 * i, 2 * j), strided.get(c, i, j), 1e-5f);
    }

    @Test
    void channelsAreFilteredSeparately() {
        Tensor img = Tensor.rand(new Generator(2), 3, 6, 6);
        Tensor out = Filters.filter2d(img, FilterKernels.sharpen(), 1);
        for (int c = 0; c < 3; c++) {
            Tensor one = Filters.filter2d(img.narrow(0, c, 1).contiguous(), FilterKernels.sharpen(), 1);
            assertArrayEquals(one.toFloatArray(), out.narrow(0, c, 1).contiguous().toFloatArray(), 1e-6f);
        }
    }

    @Test
    void sobelFindsAVerticalEdge() {
        float[] d = new float[25];
        for (int i = 0; i < 5; i++) for (int j = 3; j < 5; j++) d[i * 5 + j] = 1;
        Tensor img = TensorData.wrap(d, 1, 5, 5);
        Tensor gx = Filters.filter2d(img, FilterKernels.sobelX(), 1), gy = Filters.filter2d(img, FilterKernels.sobelY(), 1);
        assertEquals(4f, gx.get(0, 2, 2), 1e-6f); // brightness grows to the right
        assertEquals(0f, gy.get(0, 2, 2), 1e-6f);
        assertEquals(4f, Filters.sobelMagnitude(img).get(0, 2, 3), 1e-6f);
        assertEquals(0f, Filters.sobelMagnitude(img).get(0, 2, 0), 1e-6f);
    }

    @Test
    void gaussianIsNormalisedAndTheSeedTableIsSigmaAboutOne() {
        Tensor g = FilterKernels.gaussian(1.0, 5);
        assertEquals(1f, g.sum().item(), 1e-6f);
        assertEquals(1f, FilterKernels.gaussian5x5Table().sum().item(), 1e-6f);
        float[] table = FilterKernels.gaussian5x5Table().toFloatArray(), ours = g.toFloatArray();
        for (int i = 0; i < 25; i++) {
            // σ = 1 rounds to 44 at the centre against 41: the same bell, within 3 counts of 273 everywhere
            assertEquals(table[i] * 273, Math.round(ours[i] * 273), 3.01f, "tap " + i);
            assertEquals(table[i], ours[i], 0.012f, "tap " + i);
        }
        // σ = 1.048 reproduces the table exactly after rounding to 1/273
        float[] fit = FilterKernels.gaussian(1.048, 5).toFloatArray();
        for (int i = 0; i < 25; i++) assertEquals(Math.round(table[i] * 273), Math.round(fit[i] * 273), "tap " + i);
        assertEquals(7, FilterKernels.gaussian(1.0).size(0));
    }

    @Test
    void randomKernelsFollowExamples24And25() {
        Tensor u = FilterKernels.randomUniform(5, new Generator(3));
        assertEquals(1f, u.sum().item(), 1e-5f);
        assertTrue(u.min().item() >= 0);
        assertArrayEquals(u.toFloatArray(), FilterKernels.randomUniform(5, new Generator(3)).toFloatArray());
        Tensor n = FilterKernels.randomNormal(5, 2, 0, new Generator(4));
        assertArrayEquals(Tensor.full(2f, 5, 5).toFloatArray(), n.toFloatArray());
        Tensor n2 = FilterKernels.randomNormal(64, 0, 1, new Generator(4));
        assertEquals(0f, n2.mean().item(), 0.1f);
        assertEquals(1f, n2.std().item(), 0.1f);
    }

    @Test
    void poolingOfSeed004() {
        Tensor max = Filters.maxPool(F, 3, 1);
        assertArrayEquals(new float[] {5, 8, 8, 8, 3, 5, 7, 7, 7, 7, 7, 7, 7, 7, 7, 6}, max.toFloatArray());
        assertArrayEquals(new float[] {5, 8, 7, 6}, Filters.maxPool(F, 3, 3).toFloatArray());
        Tensor avg = Filters.avgPool(Tensor.ones(1, 4, 4), 3, 1);
        assertArrayEquals(new float[] {1, 1, 1, 1}, avg.toFloatArray(), 1e-6f);
        assertThrows(IllegalArgumentException.class, () -> Filters.maxPool(F, 7, 1));
    }
}
