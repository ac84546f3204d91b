package org.jgrad.vision.filters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.jgrad.internal.TensorData;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

class ImageQualityTest {
    @Test
    void identicalImagesLoseNothing() {
        Tensor x = Tensor.rand(new Generator(5), 3, 20, 24);
        assertEquals(0.0, ImageQuality.mse(x, x));
        assertEquals(Double.POSITIVE_INFINITY, ImageQuality.psnr(x, x, 1));
        assertEquals(1.0, ImageQuality.ssim(x, x, 1), 1e-12);
    }

    @Test
    void psnrOfAKnownError() {
        Tensor a = Tensor.zeros(1, 4, 4), b = Tensor.full(0.1f, 1, 4, 4);
        assertEquals(0.01, ImageQuality.mse(a, b), 1e-9);
        assertEquals(20.0, ImageQuality.psnr(a, b, 1), 1e-5);
        // the same images on the 0..255 scale give the same PSNR
        assertEquals(20.0, ImageQuality.psnr(a.mul(255f), b.mul(255f), 255), 1e-4);
    }

    @Test
    void constantImagesReduceToTheLuminanceTerm() {
        // σx = σy = σxy = 0, so SSIM = (2μxμy + C1) / (μx² + μy² + C1)
        Tensor a = Tensor.full(0.2f, 1, 16, 16), b = Tensor.full(0.6f, 1, 16, 16);
        double c1 = 1e-4, mx = 0.2f, my = 0.6f;
        assertEquals((2 * mx * my + c1) / (mx * mx + my * my + c1), ImageQuality.ssim(a, b, 1), 1e-9);
        assertEquals((2 * mx * my + c1) / (mx * mx + my * my + c1),
                ImageQuality.ssim(a.mul(255f), b.mul(255f), 255), 1e-7);
    }

    @Test
    void matchesAnIndependentNumpyComputation() {
        int h = 16, w = 20;
        float[] x = new float[h * w], y = new float[h * w];
        for (int i = 0; i < h; i++)
            for (int j = 0; j < w; j++) {
                x[i * w + j] = ((i * 3 + j * 5) % 11) / 10f;
                y[i * w + j] = (float) (0.5 * x[i * w + j] + 0.25 + 0.1 * ((i * j) % 3) / 2);
            }
        Tensor a = TensorData.wrap(x, h, w), b = TensorData.wrap(y, h, w);
        // scipy.signal.correlate2d(·, outer(g, g), 'valid') with g the normalised 11-tap σ = 1.5 Gaussian
        assertEquals(0.7894363646018818, ImageQuality.ssim(a, b, 1), 1e-6);
        assertEquals(0.02762499958463041, ImageQuality.mse(a, b), 1e-7);
    }

    @Test
    void ssimIsSymmetricAndDropsWithNoise() {
        Generator g = new Generator(6);
        Tensor x = Tensor.rand(g, 1, 32, 32);
        Tensor slight = x.add(Tensor.randn(g, 1, 32, 32).mul(0.02f)), heavy = x.add(Tensor.randn(g, 1, 32, 32).mul(0.3f));
        double s1 = ImageQuality.ssim(x, slight, 1), s2 = ImageQuality.ssim(x, heavy, 1);
        assertEquals(s1, ImageQuality.ssim(slight, x, 1), 1e-12);
        assertEquals(true, s1 > s2 && s1 < 1 && s2 > -1, s1 + " vs " + s2);
        assertThrows(IllegalArgumentException.class, () -> ImageQuality.mse(x, Tensor.zeros(1, 32, 31)));
    }
}
