package org.jgrad.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The 2×2 max-pool kernel of both providers against its definition, with ties, ±0, ±∞ and NaN. */
class PoolingKernelsTest {

    @Test
    void maxPool2x2MatchesDefinition() {
        SplittableRandom rnd = new SplittableRandom(3);
        float[] specials = {0f, -0f, 1f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -1f};
        for (KernelProvider k : ProvidersForTest.all())
            for (int trial = 0; trial < 400; trial++) {
                int oh = 1 + rnd.nextInt(9), ow = 1 + rnd.nextInt(21), h = 2 * oh + rnd.nextInt(2), w = 2 * ow + rnd.nextInt(2);
                int off = rnd.nextInt(4);
                float[] x = new float[off + h * w + 3];
                int mode = trial % 3;
                for (int i = 0; i < x.length; i++)
                    x[i] = mode == 0 ? (float) rnd.nextGaussian()
                            : mode == 1 ? rnd.nextInt(3) : specials[rnd.nextInt(specials.length)];
                int n = oh * ow, o = rnd.nextInt(3);
                float[] out = new float[o + n + 2];
                float[] which = new float[o + n + 2];
                java.util.Arrays.fill(out, 42f);
                java.util.Arrays.fill(which, -7);
                float[] scratch = new float[Pooling.rowScratch(w)], bw = new float[Pooling.rowScratch(w)];
                java.util.Arrays.fill(scratch, Float.NaN);
                Pooling.maxPool2x2Plane(k, x, off, h, w, oh, ow, out, o, which, scratch, bw);
                for (int i = 0; i < oh; i++)
                    for (int j = 0; j < ow; j++) {
                        int q = 2 * i * w + 2 * j, t = i * ow + j;
                        int[] cand = {q, q + 1, q + w, q + w + 1};
                        int bi = cand[0];
                        float best = x[off + bi];
                        for (int c = 1; c < 4; c++) {
                            float v = x[off + cand[c]];
                            if (v > best || (v != v && best == best)) {
                                best = v;
                                bi = cand[c];
                            }
                        }
                        String what = k.name() + " trial " + trial + " window " + t;
                        assertEquals(Float.floatToRawIntBits(best), Float.floatToRawIntBits(out[o + t]), what + " value");
                        assertEquals(bi, q + (int) which[o + t], what + " position");
                    }
                for (int t = 0; t < o; t++) assertEquals(42f, out[t], "untouched before");
                for (int t = o + n; t < out.length; t++) {
                    assertEquals(42f, out[t], "untouched after");
                    assertEquals(-7f, which[t], "untouched after");
                }
            }
    }
}
