package org.jgrad.vision.transforms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jgrad.data.Batch;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

class BatchAugmentTest {

    private static Batch batch(int n, int c, int h, int w) {
        float[] x = new float[n * c * h * w];
        for (int i = 0; i < x.length; i++) x[i] = i + 1; // no zeros, so padding is visible
        long[] y = new long[n];
        return new Batch(TensorData.wrap(x, n, c, h, w), TensorData.wrapLongs(y, n));
    }

    @Test
    void flipWithProbabilityOneMirrorsEveryImageAndZeroKeepsThem() {
        Batch b = batch(3, 2, 4, 5);
        float[] flipped = BatchAugment.randomHorizontalFlip(1).apply(b, new Generator(0)).inputs().toFloatArray();
        float[] in = b.inputs().toFloatArray();
        for (int row = 0; row < 3 * 2 * 4; row++)
            for (int col = 0; col < 5; col++) assertEquals(in[row * 5 + 4 - col], flipped[row * 5 + col]);
        assertArrayEquals(in, BatchAugment.randomHorizontalFlip(0).apply(b, new Generator(0)).inputs().toFloatArray());
    }

    @Test
    void flipDrawsPerImage() {
        Batch b = batch(200, 1, 2, 3);
        float[] in = b.inputs().toFloatArray(), out = BatchAugment.randomHorizontalFlip(0.5).apply(b, new Generator(4)).inputs().toFloatArray();
        int flipped = 0;
        for (int i = 0; i < 200; i++) if (out[i * 6] != in[i * 6]) flipped++;
        assertTrue(flipped > 70 && flipped < 130, "flipped " + flipped + " of 200");
    }

    /** The crop against the definition: zero-pad by p, cut the original size at the drawn offset. */
    @Test
    void cropEqualsPadThenCutAtTheDrawnOffsets() {
        int n = 5, c = 2, h = 6, w = 7, p = 2;
        Batch b = batch(n, c, h, w);
        float[] in = b.inputs().toFloatArray();
        float[] out = BatchAugment.randomCrop(p).apply(b, new Generator(11)).inputs().toFloatArray();
        Generator g = new Generator(11);
        boolean shifted = false;
        for (int i = 0; i < n; i++) {
            int top = g.nextInt(2 * p + 1), left = g.nextInt(2 * p + 1);
            shifted |= top != p || left != p;
            for (int ch = 0; ch < c; ch++)
                for (int r = 0; r < h; r++)
                    for (int col = 0; col < w; col++) {
                        int sr = r + top - p, sc = col + left - p;
                        float want = sr < 0 || sr >= h || sc < 0 || sc >= w ? 0f : in[((i * c + ch) * h + sr) * w + sc];
                        assertEquals(want, out[((i * c + ch) * h + r) * w + col], "image " + i + " (" + r + "," + col + ")");
                    }
        }
        assertTrue(shifted);
    }

    @Test
    void cropWithoutPaddingAndComposeAndBadShapes() {
        Batch b = batch(2, 1, 3, 3);
        assertArrayEquals(b.inputs().toFloatArray(), BatchAugment.randomCrop(0).apply(b, new Generator(1)).inputs().toFloatArray());
        Batch both = BatchAugment.compose(BatchAugment.randomCrop(0), BatchAugment.randomHorizontalFlip(1)).apply(b, new Generator(1));
        assertEquals(3f, both.inputs().toFloatArray()[0]);
        assertSame(b.targets(), both.targets());
        Batch flat = new Batch(Tensor.zeros(2, 9), b.targets());
        var e = assertThrows(IllegalArgumentException.class, () -> BatchAugment.randomCrop(1).apply(flat, new Generator(0)));
        assertTrue(e.getMessage().contains("[2, 9]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BatchAugment.randomHorizontalFlip(1.5));
    }
}
