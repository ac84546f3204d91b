package org.jgrad.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The pooling and im2col kernels of both providers against their definitions (2×2 max pool with ties, ±0, ±∞ and NaN). */
class ConvPoolKernelsTest {

    /** Values whose order, ties and signs the kernels must treat as the definition does. */
    private static final float[] SPECIALS = {0f, -0f, 1f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -1f};

    @Test
    void maxPool2x2MatchesDefinition() {
        SplittableRandom rnd = new SplittableRandom(3);
        for (KernelProvider k : ProvidersForTest.all())
            for (int trial = 0; trial < 400; trial++) {
                int oh = 1 + rnd.nextInt(9), ow = 1 + rnd.nextInt(21), h = 2 * oh + rnd.nextInt(2), w = 2 * ow + rnd.nextInt(2);
                int off = rnd.nextInt(4);
                float[] x = new float[off + h * w + 3];
                int mode = trial % 3;
                for (int i = 0; i < x.length; i++)
                    x[i] = mode == 0 ? (float) rnd.nextGaussian()
                            : mode == 1 ? rnd.nextInt(3) : SPECIALS[rnd.nextInt(SPECIALS.length)];
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

    @Test
    void rowPairPoolMatchesDefinitionAtTheArraysEnds() {
        // Rows of 1-40 windows (one and several vectors, whole and partial), offsets, and arrays that end
        // right after the last row pair or the last output: the kernel's last rows take the definition.
        SplittableRandom rnd = new SplittableRandom(19);
        for (KernelProvider k : ProvidersForTest.all())
            for (int trial = 0; trial < 300; trial++) {
                int ow = 1 + rnd.nextInt(40), w = 2 * ow + rnd.nextInt(3), rows = 1 + rnd.nextInt(12);
                int xo = rnd.nextInt(4), o = rnd.nextInt(4), xTail = rnd.nextBoolean() ? 0 : rnd.nextInt(40);
                int oTail = rnd.nextBoolean() ? 0 : rnd.nextInt(20);
                float[] x = new float[xo + 2 * rows * w + xTail];
                int mode = trial % 3;
                for (int i = 0; i < x.length; i++)
                    x[i] = mode == 0 ? (float) rnd.nextGaussian()
                            : mode == 1 ? rnd.nextInt(3) : SPECIALS[rnd.nextInt(SPECIALS.length)];
                float[] out = new float[o + rows * ow + oTail], which = new float[out.length];
                Arrays.fill(out, 42f);
                Arrays.fill(which, -7f);
                k.maxPool2x2RowPairs(x, xo, rows, w, ow, out, o, which);
                for (int r = 0; r < rows; r++)
                    for (int j = 0; j < ow; j++) {
                        int q = 2 * r * w + 2 * j, t = o + r * ow + j;
                        int[] cand = {q, q + 1, q + w, q + w + 1};
                        int bi = cand[0];
                        float best = x[xo + bi];
                        for (int c = 1; c < 4; c++) {
                            float v = x[xo + cand[c]];
                            if (v > best || (v != v && best == best)) {
                                best = v;
                                bi = cand[c];
                            }
                        }
                        String what = k.name() + " trial " + trial + " row " + r + " window " + j;
                        assertEquals(Float.floatToRawIntBits(best), Float.floatToRawIntBits(out[t]), what + " value");
                        assertEquals(bi, q + (int) which[t], what + " position");
                    }
                for (int t = 0; t < o; t++) assertEquals(42f, out[t], "untouched before");
                for (int t = o + rows * ow; t < out.length; t++) {
                    assertEquals(42f, out[t], "untouched after");
                    assertEquals(-7f, which[t], "untouched after");
                }
            }
    }

    @Test
    void windowTablesOfSeveralShapesInTurn() {
        // More shapes than the tables kept, asked for in turn and again: each table as defined, whichever
        // were built or dropped before it.
        int[][] shapes = {{28, 28, 14, 14}, {10, 10, 5, 5}, {11, 9, 5, 4}, {7, 7, 3, 3}, {6, 13, 3, 6}, {28, 28, 14, 14}};
        for (int round = 0; round < 3; round++)
            for (int[] s : shapes) {
                int h = s[0], w = s[1], oh = s[2], ow = s[3], outPlane = oh * ow;
                int[] start = MaxPoolLoops.windowStarts(h, w, oh, ow);
                assertEquals(0, start.length % 16, "whole vectors " + Arrays.toString(s));
                for (int k = 0; k < start.length; k++) {
                    int p = k / outPlane, t = k % outPlane;
                    assertEquals(p * h * w + 2 * (t / ow) * w + 2 * (t % ow), start[k], Arrays.toString(s) + " entry " + k);
                }
            }
    }

    @Test
    void maxPool2x2OverManyPlanesMatchesDefinitionBothWays() {
        SplittableRandom rnd = new SplittableRandom(11);
        for (KernelProvider k : ProvidersForTest.all())
            for (int trial = 0; trial < 120; trial++) {
                // Small planes (LeNet's 14×14 and 5×5 outputs among them) go through the window table;
                // the last trials' 65×65 outputs are too large for it and go plane by plane.
                boolean big = trial >= 116, lenet = trial == 115;
                int oh = big ? 65 : lenet ? 14 : 1 + rnd.nextInt(15), ow = big ? 65 : lenet ? 14 : 1 + rnd.nextInt(15);
                int h = lenet ? 28 : 2 * oh + rnd.nextInt(2), w = lenet ? 28 : 2 * ow + rnd.nextInt(2);
                int planes = lenet ? 384 : 1 + rnd.nextInt(big ? 3 : 40);
                assertEquals(big, MaxPoolLoops.windowStarts(h, w, oh, ow) == null, "table for " + oh + "x" + ow);
                int xo = rnd.nextInt(5), plane = h * w, outPlane = oh * ow, n = planes * outPlane;
                float[] x = new float[xo + planes * plane];
                int mode = trial % 3;
                for (int i = 0; i < x.length; i++)
                    x[i] = mode == 0 ? (float) rnd.nextGaussian()
                            : mode == 1 ? rnd.nextInt(3) : SPECIALS[rnd.nextInt(SPECIALS.length)];
                float[] out = new float[n], which = new float[n], g = new float[n + 3];
                for (int i = 0; i < g.length; i++) g[i] = i % 7 == 0 ? -0f : (float) rnd.nextGaussian();
                MaxPoolLoops.maxPool2x2(k, x, xo, planes, h, w, oh, ow, out, which);
                float[] dx = new float[planes * plane];
                MaxPoolLoops.maxPool2x2Backward(k, g, 3, which, planes, h, w, oh, ow, dx);
                float[] expectDx = new float[dx.length];
                for (int p = 0; p < planes; p++)
                    for (int i = 0; i < oh; i++)
                        for (int j = 0; j < ow; j++) {
                            int q = p * plane + 2 * i * w + 2 * j, t = p * outPlane + i * ow + j;
                            int[] cand = {q, q + 1, q + w, q + w + 1};
                            int bi = cand[0];
                            float best = x[xo + bi];
                            for (int c = 1; c < 4; c++) {
                                float v = x[xo + cand[c]];
                                if (v > best || (v != v && best == best)) {
                                    best = v;
                                    bi = cand[c];
                                }
                            }
                            String what = k.name() + " trial " + trial + " window " + t;
                            assertEquals(Float.floatToRawIntBits(best), Float.floatToRawIntBits(out[t]), what + " value");
                            assertEquals(bi, q + (int) which[t], what + " position");
                            expectDx[bi] += g[3 + t];
                        }
                for (int i = 0; i < dx.length; i++)
                    assertEquals(Float.floatToRawIntBits(expectDx[i]), Float.floatToRawIntBits(dx[i]),
                            k.name() + " trial " + trial + " gradient " + i);
            }
    }

    @Test
    void reluPoolBackwardIsThePoolBackwardThenTheReluMask() {
        SplittableRandom rnd = new SplittableRandom(13);
        for (KernelProvider k : ProvidersForTest.all())
            for (int trial = 0; trial < 80; trial++) {
                boolean big = trial >= 77;
                int oh = big ? 65 : 1 + rnd.nextInt(15), ow = big ? 65 : 1 + rnd.nextInt(15);
                int h = 2 * oh + rnd.nextInt(2), w = 2 * ow + rnd.nextInt(2), planes = 1 + rnd.nextInt(big ? 3 : 40);
                int plane = h * w, outPlane = oh * ow, n = planes * outPlane;
                // a ReLU's output: zeros and positives, a NaN now and then
                float[] y = new float[planes * plane];
                for (int i = 0; i < y.length; i++) {
                    float v = trial % 2 == 0 ? (float) rnd.nextGaussian() : rnd.nextInt(3) - 1;
                    y[i] = rnd.nextInt(50) == 0 ? Float.NaN : Math.max(v, 0f);
                }
                float[] out = new float[n], which = new float[n], g = new float[n + 2];
                for (int i = 0; i < g.length; i++)
                    g[i] = i % 5 == 0 ? SPECIALS[rnd.nextInt(SPECIALS.length)] : (float) rnd.nextGaussian();
                MaxPoolLoops.maxPool2x2(k, y, 0, planes, h, w, oh, ow, out, which);
                float[] expect = new float[y.length], dx = new float[y.length];
                MaxPoolLoops.maxPool2x2Backward(k, g, 2, which, planes, h, w, oh, ow, expect);
                for (int i = 0; i < expect.length; i++) expect[i] = expect[i] * (y[i] > 0f ? 1f : 0f);
                MaxPoolLoops.maxPool2x2Backward(k, g, 2, which, out, planes, h, w, oh, ow, dx);
                for (int i = 0; i < dx.length; i++)
                    assertEquals(Float.floatToRawIntBits(expect[i]), Float.floatToRawIntBits(dx[i]),
                            k.name() + " trial " + trial + " gradient " + i);
            }
    }

    @Test
    void inlinePoolAtAnOffsetMatchesThePool() {
        SplittableRandom rnd = new SplittableRandom(17);
        for (KernelProvider k : ProvidersForTest.all())
            for (int trial = 0; trial < 60; trial++) {
                boolean big = trial >= 57;
                int oh = big ? 65 : 1 + rnd.nextInt(15), ow = big ? 65 : 1 + rnd.nextInt(15);
                int h = 2 * oh + rnd.nextInt(2), w = 2 * ow + rnd.nextInt(2), planes = 1 + rnd.nextInt(big ? 3 : 40);
                int xo = rnd.nextInt(5), oo = rnd.nextInt(5), n = planes * oh * ow;
                float[] x = new float[xo + planes * h * w];
                for (int i = 0; i < x.length; i++) x[i] = trial % 2 == 0 ? (float) rnd.nextGaussian() : rnd.nextInt(3);
                float[] out = new float[n], which = new float[n];
                MaxPoolLoops.maxPool2x2(k, x, xo, planes, h, w, oh, ow, out, which);
                float[] out2 = new float[oo + n + 3], which2 = new float[oo + n + 3];
                Arrays.fill(out2, 42f);
                Arrays.fill(which2, -7f);
                int[] start = k.maxPool2x2Gathers() ? MaxPoolLoops.windowStarts(h, w, oh, ow) : null;
                MaxPoolLoops.maxPool2x2Inline(k, start, x, xo, planes, h, w, oh, ow, out2, oo, which2);
                String what = k.name() + " trial " + trial;
                assertArrayEquals(out, Arrays.copyOfRange(out2, oo, oo + n), 0f, what + " values");
                assertArrayEquals(which, Arrays.copyOfRange(which2, oo, oo + n), 0f, what + " choices");
                for (int i = 0; i < oo; i++) assertEquals(42f, out2[i], what + " untouched before");
                for (int i = oo + n; i < out2.length; i++) assertEquals(-7f, which2[i], what + " untouched after");
            }
    }

    @Test
    void weightGradientLanesAddEachLanesSums() {
        SplittableRandom rnd = new SplittableRandom(5);
        for (KernelProvider k : ProvidersForTest.all())
            for (int trial = 0; trial < 20; trial++) {
                int lanes = k.convWeightLaneWidth() > 0 ? k.convWeightLaneWidth() : 16;
                int len = 16 * (1 + rnd.nextInt(6)), ldg = len + rnd.nextInt(5), go = rnd.nextInt(4), ao = rnd.nextInt(4);
                float[] g = new float[go + 5 * ldg + len + 2], x = new float[len + 40];
                for (int i = 0; i < g.length; i++) g[i] = (float) rnd.nextGaussian();
                for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian();
                int xa = rnd.nextInt(20), xb = rnd.nextInt(20);
                float[] acc = new float[ao + 12 * lanes + 3];
                for (int i = 0; i < acc.length; i++) acc[i] = (float) rnd.nextGaussian();
                float[] before = acc.clone();
                k.convWeightLanes(len, g, go, ldg, xa, xb, x, acc, ao);
                for (int r = 0; r < 6; r++)
                    for (int j = 0; j < 2; j++)
                        for (int e = 0; e < lanes; e++) {
                            int a = ao + (2 * r + j) * lanes + e;
                            double want = before[a];
                            for (int q = e; q < len; q += lanes) want += (double) g[go + r * ldg + q] * x[(j == 0 ? xa : xb) + q];
                            assertEquals(want, acc[a], 1e-4 * (1 + len), k.name() + " trial " + trial + " row " + r + " tap " + j);
                        }
                for (int i = 0; i < ao; i++) assertEquals(before[i], acc[i], "untouched before");
                for (int i = ao + 12 * lanes; i < acc.length; i++) assertEquals(before[i], acc[i], "untouched after");
            }
    }

    @Test
    void maskedRowsMatchLoopsAndLeaveTheRestAlone() {
        SplittableRandom rnd = new SplittableRandom(5);
        for (KernelProvider k : ProvidersForTest.all())
            for (int trial = 0; trial < 400; trial++) {
                int len = 1 + rnd.nextInt(70), ko = rnd.nextInt(5);
                boolean[] keep = new boolean[ko + len + ShiftMasks.SLACK];
                for (int j = 0; j < len; j++) keep[ko + j] = rnd.nextInt(4) != 0;
                // Unkept entries at both ends lie outside src and dst: they must not be touched.
                int lead = rnd.nextInt(3), trail = rnd.nextInt(3);
                for (int j = 0; j < Math.min(lead, len); j++) keep[ko + j] = false;
                for (int j = Math.max(0, len - trail); j < len; j++) keep[ko + j] = false;
                int lo = Math.min(lead, len), hi = Math.max(lo, len - trail);
                float[] src = new float[hi - lo];
                for (int i = 0; i < src.length; i++) src[i] = rnd.nextInt(5) == 0 ? -0f : (float) rnd.nextGaussian();
                int s = -lo, d = rnd.nextInt(3);
                float[] copy = new float[d + len + rnd.nextInt(3)];
                java.util.Arrays.fill(copy, Float.NaN);
                float[] expCopy = copy.clone();
                for (int j = 0; j < len; j++) expCopy[d + j] = keep[ko + j] ? src[s + j] : 0f;
                k.copyRowMasked(src, s, keep, ko, copy, d, len);
                org.junit.jupiter.api.Assertions.assertArrayEquals(expCopy, copy, k.name() + " copy, trial " + trial);
                // dst holds only the kept span; the unkept entries in it are -0 and must stay -0.
                float[] acc = new float[hi - lo], col = new float[d + len];
                for (int i = 0; i < acc.length; i++) acc[i] = keep[ko + lo + i] ? (float) rnd.nextGaussian() : -0f;
                for (int i = 0; i < col.length; i++) col[i] = (float) rnd.nextGaussian();
                float[] expAcc = acc.clone();
                for (int j = lo; j < hi; j++)
                    if (keep[ko + j]) expAcc[j - lo] += col[d + j];
                k.addRowMasked(col, d, keep, ko, acc, -lo, len, 0, acc.length);
                for (int i = 0; i < acc.length; i++)
                    assertEquals(Float.floatToRawIntBits(expAcc[i]), Float.floatToRawIntBits(acc[i]),
                            k.name() + " add, trial " + trial + " element " + i);
            }
    }

    /**
     * A random block of {@code rows} rows of {@code len} floats, read from offset {@code s} with row stride
     * {@code ss} and written at {@code d} with stride {@code ds}: the shape every block kernel takes.
     */
    private record Block(int rows, int len, int ss, int ds, int s, int d) {
        static Block random(SplittableRandom rnd) {
            int len = 1 + rnd.nextInt(40);
            return new Block(rnd.nextInt(6), len, len + rnd.nextInt(5), len + rnd.nextInt(5), rnd.nextInt(4), rnd.nextInt(4));
        }

        int srcEnd() {
            return s + rows * ss;
        }

        /** A destination of Gaussian values that ends {@code slack} floats after the block's last row. */
        float[] randomDst(SplittableRandom rnd, int slack) {
            float[] dst = new float[d + rows * ds + slack];
            for (int i = 0; i < dst.length; i++) dst[i] = (float) rnd.nextGaussian();
            return dst;
        }
    }

    @Test
    void copyAndAddBlocksMatchLoops() {
        SplittableRandom rnd = new SplittableRandom(4);
        for (KernelProvider k : ProvidersForTest.all())
            for (int trial = 0; trial < 300; trial++) {
                Block b = Block.random(rnd);
                int rows = b.rows, len = b.len, ss = b.ss, ds = b.ds, s = b.s, d = b.d;
                float[] src = new float[b.srcEnd() + rnd.nextInt(3)];
                for (int i = 0; i < src.length; i++) src[i] = (float) rnd.nextGaussian();
                float[] dst = b.randomDst(rnd, rnd.nextInt(3));
                float[] copy = dst.clone(), add = dst.clone(), expCopy = dst.clone(), expAdd = dst.clone();
                for (int r = 0; r < rows; r++)
                    for (int j = 0; j < len; j++) {
                        expCopy[d + r * ds + j] = src[s + r * ss + j];
                        expAdd[d + r * ds + j] += src[s + r * ss + j];
                    }
                k.copyBlock(src, s, ss, copy, d, ds, rows, len);
                k.addBlock(src, s, ss, add, d, ds, rows, len);
                org.junit.jupiter.api.Assertions.assertArrayEquals(expCopy, copy, k.name() + " copy");
                org.junit.jupiter.api.Assertions.assertArrayEquals(expAdd, add, k.name() + " add");
            }
    }

    @Test
    void biasReluBlockIsTheBiasAddThenTheRelu() {
        // Against binaryScalar ADD and relu row by row on the same provider (the pass it replaced), bit for
        // bit, with ±0, ±∞ and NaN in the rows and the bias, and arrays that end right after the last row.
        SplittableRandom rnd = new SplittableRandom(23);
        for (KernelProvider k : ProvidersForTest.all())
            for (int trial = 0; trial < 400; trial++) {
                Block b = Block.random(rnd);
                int rows = b.rows, len = b.len, ss = b.ss, ds = b.ds, s = b.s, d = b.d;
                boolean relu = rnd.nextBoolean();
                float bias = trial % 4 == 0 ? SPECIALS[rnd.nextInt(SPECIALS.length)] : (float) rnd.nextGaussian();
                float[] src = new float[b.srcEnd() + (rnd.nextBoolean() ? 0 : rnd.nextInt(20))];
                for (int i = 0; i < src.length; i++)
                    src[i] = rnd.nextInt(5) == 0 ? SPECIALS[rnd.nextInt(SPECIALS.length)] : (float) rnd.nextGaussian();
                float[] dst = b.randomDst(rnd, rnd.nextBoolean() ? 0 : rnd.nextInt(20));
                float[] got = dst.clone(), expect = dst.clone();
                for (int r = 0; r < rows; r++) {
                    k.binaryScalar(Elementwise.Binary.ADD, src, s + r * ss, bias, expect, d + r * ds, len, false);
                    if (relu) k.relu(expect, d + r * ds, expect, d + r * ds, len);
                }
                k.biasReluBlock(src, s, ss, bias, relu, got, d, ds, rows, len);
                for (int i = 0; i < got.length; i++)
                    assertEquals(Float.floatToRawIntBits(expect[i]), Float.floatToRawIntBits(got[i]),
                            k.name() + " trial " + trial + " at " + i);
            }
    }

    @Test
    void centeredSumsMatchDoubleLoops() {
        SplittableRandom rnd = new SplittableRandom(5);
        for (KernelProvider k : ProvidersForTest.all())
            for (int trial = 0; trial < 200; trial++) {
                int len = rnd.nextInt(70), p = rnd.nextInt(4), q = rnd.nextInt(4);
                float mu = (float) rnd.nextGaussian();
                float[] a = new float[p + len + 2], b = new float[q + len + 2];
                for (int i = 0; i < a.length; i++) a[i] = (float) (3 + rnd.nextGaussian());
                for (int i = 0; i < b.length; i++) b[i] = (float) rnd.nextGaussian();
                double s = 0, sq = 0, dot = 0;
                for (int j = 0; j < len; j++) {
                    double t = a[p + j] - (double) mu;
                    s += t;
                    sq += t * t;
                    dot += b[q + j] * t;
                }
                String what = k.name() + " len " + len;
                assertEquals(s, Elementwise.sumCentered(k, a, p, len, mu, false), 1e-4 * (1 + Math.abs(s)), what + " sum");
                assertEquals(sq, Elementwise.sumCentered(k, a, p, len, mu, true), 1e-4 * (1 + sq), what + " squares");
                assertEquals(dot, Elementwise.dotCentered(k, b, q, a, p, len, mu), 1e-4 * (1 + Math.abs(dot)), what + " dot");
            }
    }
}
