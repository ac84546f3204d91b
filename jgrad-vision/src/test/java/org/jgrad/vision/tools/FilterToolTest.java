package org.jgrad.vision.tools;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.jgrad.vision.image.ImageFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilterToolTest {
    @TempDir
    Path dir;

    private Path face() throws IOException {
        // Example 2.4 resizes its face to 28×32; a smooth blob with noise stands in for it
        int h = 32, w = 28;
        Generator g = new Generator(7);
        float[] d = new float[h * w];
        for (int i = 0; i < h; i++)
            for (int j = 0; j < w; j++)
                d[i * w + j] = (float) Math.min(1, Math.max(0, Math.exp(-((i - 16) * (i - 16) + (j - 14) * (j - 14)) / 80.0)
                        + 0.05 * g.nextGaussian()));
        Path f = dir.resolve("face.png");
        ImageFiles.write(TensorData.wrap(d, 1, h, w), f);
        return f;
    }

    @Test
    void example24RandomUniformFilterKeepsSizeAndLosesALittle() throws IOException {
        Path out = dir.resolve("out.png");
        FilterTool.Result r = FilterTool.run(face(), out, "random-uniform:5", 1, null);
        assertArrayEquals(new int[] {1, 32, 28}, r.outputShape());
        assertTrue(r.comparedAtInputSize());
        assertTrue(r.mse() > 0 && r.psnr() > 15 && r.ssim() > 0.3 && r.ssim() < 1, r.summary());
        assertArrayEquals(new int[] {1, 32, 28}, ImageFiles.read(out).shape());
    }

    @Test
    void example25MaxPoolingShrinksAndTheInputIsResizedToCompare() throws IOException {
        FilterTool.Result r = FilterTool.run(face(), dir.resolve("o.bmp"), "random-normal:5:2:0", 1, "max:3");
        assertArrayEquals(new int[] {1, 30, 26}, r.outputShape());
        assertFalse(r.comparedAtInputSize());
        // a kernel of 2s sums to 50: everything not black saturates to white
        assertTrue(r.ssim() < 0.5, r.summary());
    }

    @Test
    void derivativeFiltersAreScaledToFullRange() throws IOException {
        Path out = dir.resolve("edges.png");
        FilterTool.Result r = FilterTool.run(face(), out, "sobel", 2, "");
        assertArrayEquals(new int[] {1, 16, 14}, r.outputShape());
        assertEquals(1f, ImageFiles.read(out).max().item(), 1e-6f);
    }

    @Test
    void colourInputCanBeConvertedToGreyFirst() throws IOException {
        Path in = dir.resolve("rgb.png"), out = dir.resolve("grey.png");
        ImageFiles.write(Tensor.rand(new Generator(8), 3, 12, 10), in);
        assertArrayEquals(new int[] {3, 12, 10}, FilterTool.run(in, dir.resolve("c.png"), "gaussian:1", 1, null).outputShape());
        FilterTool.Result r = FilterTool.run(in, out, "gaussian:1", 1, null, true);
        assertArrayEquals(new int[] {1, 12, 10}, r.outputShape());
        assertArrayEquals(new int[] {1, 12, 10}, ImageFiles.read(out).shape());
    }

    @Test
    void badArgumentsAreClearErrors() throws IOException {
        Path in = face();
        assertThrows(IllegalArgumentException.class, () -> FilterTool.run(in, dir.resolve("a.png"), "nope", 1, null));
        assertThrows(IllegalArgumentException.class, () -> FilterTool.run(in, dir.resolve("a.png"), "mean", 0, null));
        assertThrows(IllegalArgumentException.class, () -> FilterTool.run(in, dir.resolve("a.png"), "mean", 1, "min:3"));
        var e = assertThrows(IOException.class, () -> FilterTool.run(dir.resolve("none.png"), dir.resolve("a.png"), "mean", 1, null));
        assertTrue(e.getMessage().contains("none.png"), e.getMessage());
    }
}
