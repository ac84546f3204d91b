package org.jgrad.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The batch-norm row kernels ({@link BatchNormRows}' passes) on every provider give bitwise the
 * step-by-step float formulas they document, at offsets and on lengths around the vector width,
 * with ±0, ±∞ and NaN among the values.
 */
class BatchNormRowKernelsTest {
    private static final int[] LENGTHS = {0, 1, 3, 7, 8, 15, 16, 17, 31, 33, 64, 100};

    private static float[] values(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) r.nextGaussian() * 3;
        if (n > 5) {
            a[1] = -0f;
            a[2] = Float.NaN;
            a[3] = Float.POSITIVE_INFINITY;
            a[4] = 0f;
        }
        return a;
    }

    @Test
    void rowKernelsMatchTheirFormulas() {
        Random r = new Random(11);
        for (KernelProvider k : ProvidersForTest.all())
            for (int len : LENGTHS) {
                int p = 3, o = 5;
                float[] x = values(r, len + p), g = values(r, len + p), mu = values(r, len), is = values(r, len),
                        kk = values(r, len), mdy = values(r, len), mdyx = values(r, len), a = values(r, len), b = values(r, len);
                String what = k.getClass().getSimpleName() + " len " + len;

                float[] acc = values(r, len), want = acc.clone();
                for (int j = 0; j < len; j++) {
                    float t = x[p + j] - mu[j];
                    want[j] = want[j] + t * t;
                }
                k.addSquaredDeviations(x, p, mu, acc, len);
                assertArrayEquals(want, acc, 0f, what + " addSquaredDeviations");

                float[] accG = values(r, len), accGx = values(r, len), wantG = accG.clone(), wantGx = accGx.clone();
                for (int j = 0; j < len; j++) {
                    wantG[j] = wantG[j] + g[p + j];
                    wantGx[j] = wantGx[j] + g[p + j] * (x[p + j] - mu[j]);
                }
                k.addGradientSums(g, p, x, p, mu, accG, accGx, len);
                assertArrayEquals(wantG, accG, 0f, what + " addGradientSums dy");
                assertArrayEquals(wantGx, accGx, 0f, what + " addGradientSums dy·x");

                float[] out = new float[len + o], wantOut = new float[len + o];
                for (int j = 0; j < len; j++) wantOut[o + j] = x[p + j] * a[j] + b[j];
                k.scaleShiftRows(x, p, a, b, out, o, len);
                assertArrayEquals(wantOut, out, 0f, what + " scaleShiftRows");

                float[] dx = new float[len + o], wantDx = new float[len + o];
                for (int j = 0; j < len; j++) {
                    float xhat = (x[p + j] - mu[j]) * is[j];
                    wantDx[o + j] = kk[j] * (g[p + j] - mdy[j] - xhat * mdyx[j]);
                }
                k.batchNormBackwardRows(g, p, x, p, mu, is, kk, mdy, mdyx, dx, o, len);
                assertArrayEquals(wantDx, dx, 0f, what + " batchNormBackwardRows");
            }
    }
}
