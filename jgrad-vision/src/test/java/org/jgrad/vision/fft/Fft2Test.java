package org.jgrad.vision.fft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.jgrad.internal.TensorData;
import org.jgrad.ops.ConvOps;
import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Tensor;
import org.jgrad.vision.image.ImageFiles;
import org.jgrad.vision.tools.FftTool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Fft2Test {
    @TempDir
    Path dir;

    /** The 2-D DFT straight from the definition. */
    private static ComplexArray dft2(ComplexArray x, int h, int w) {
        double[] re = new double[h * w], im = new double[h * w];
        for (int u = 0; u < h; u++)
            for (int v = 0; v < w; v++)
                for (int i = 0; i < h; i++)
                    for (int j = 0; j < w; j++) {
                        double a = -2 * Math.PI * ((double) (u * i % h) / h + (double) (v * j % w) / w);
                        double xr = x.re()[i * w + j], xi = x.im()[i * w + j];
                        re[u * w + v] += xr * Math.cos(a) - xi * Math.sin(a);
                        im[u * w + v] += xr * Math.sin(a) + xi * Math.cos(a);
                    }
        return new ComplexArray(re, im);
    }

    @Test
    void fft2MatchesTheDefinitionAndInverts() {
        int h = 6, w = 5;
        ComplexArray x = FftTest.random(h * w, 3);
        ComplexArray f = Fft2.fft2(x, h, w);
        assertTrue(FftTest.relErr(f, dft2(x, h, w)) < 1e-12);
        assertTrue(FftTest.relErr(Fft2.ifft2(f, h, w), x) < 1e-13);
    }

    @Test
    void shiftsMatchNumpy() {
        // numpy.fft.fftshift(arange(5)) = [3, 4, 0, 1, 2]; ifftshift = [2, 3, 4, 0, 1]
        assertArrayEquals(new double[] {3, 4, 0, 1, 2}, Fft2.fftshift(new double[] {0, 1, 2, 3, 4}));
        assertArrayEquals(new double[] {2, 3, 4, 0, 1}, Fft2.ifftshift(new double[] {0, 1, 2, 3, 4}));
        assertArrayEquals(new double[] {2, 3, 0, 1}, Fft2.fftshift(new double[] {0, 1, 2, 3}));
        // 2x3: fftshift(arange(6).reshape(2,3)) = [[5,3,4],[2,0,1]]
        double[] a = {0, 1, 2, 3, 4, 5};
        assertArrayEquals(new double[] {5, 3, 4, 2, 0, 1}, Fft2.fftshift(a, 2, 3));
        assertArrayEquals(a, Fft2.ifftshift(Fft2.fftshift(a, 3, 2), 3, 2));
    }

    @Test
    void fftConvolutionMatchesDirectConvolution() {
        Generator g = new Generator(11);
        Tensor img = Tensor.rand(g, 13, 10), k = Tensor.randn(g, 4, 3);
        for (String mode : new String[] {"full", "same", "valid"}) {
            Tensor direct = ConvOps.convolve2d(img, k, mode), viaFft = FftConvolve.convolve2d(img, k, mode);
            assertArrayEquals(direct.shape(), viaFft.shape(), mode);
            assertArrayEquals(direct.toFloatArray(), viaFft.toFloatArray(), 1e-4f, mode);
        }
        // numpy.convolve([1, 2, 3], [0, 1, 0.5]) = [0, 1, 2.5, 4, 1.5]
        assertArrayEquals(new double[] {0, 1, 2.5, 4, 1.5}, FftConvolve.convolve(new double[] {1, 2, 3},
                new double[] {0, 1, 0.5}), 1e-12);
    }

    @Test
    void spectrumOfAStripePatternPeaksAtItsFrequency() {
        int h = 32, w = 32;
        float[] d = new float[h * w];
        for (int i = 0; i < h; i++) for (int j = 0; j < w; j++) d[i * w + j] = (float) (0.5 + 0.5 * Math.cos(2 * Math.PI * 4 * j / w));
        Tensor img = TensorData.wrap(d, 1, h, w);
        Tensor mag = Spectrum.magnitudeImage(img);
        assertArrayEquals(new int[] {1, h, w}, mag.shape());
        assertEquals(1f, mag.get(0, 16, 16), 1e-6f); // DC in the centre is the largest
        assertTrue(mag.get(0, 16, 20) > 0.8f && mag.get(0, 16, 12) > 0.8f); // ±4 cycles across
        assertEquals(0f, mag.get(0, 3, 7), 1e-6f);
        Tensor phase = Spectrum.phaseImage(img);
        assertEquals(0.5f, phase.get(0, 16, 16), 1e-6f); // a positive real DC has phase 0
    }

    @Test
    void fftToolWritesTheSpectrumImage() throws IOException {
        Path in = dir.resolve("in.png"), out = dir.resolve("spec.png");
        ImageFiles.write(Tensor.rand(new Generator(2), 3, 20, 30), in);
        FftTool.Result r = FftTool.run(in, out);
        assertEquals(20, r.height());
        assertEquals(30, r.width());
        assertTrue(r.dc() > 100);
        Tensor spec = ImageFiles.read(out);
        assertArrayEquals(new int[] {1, 20, 30}, spec.shape());
        assertEquals(1f, spec.get(0, 10, 15), 1e-6f);
    }
}
