package org.jgrad.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every GEMM path against a triple loop in double, on both providers. */
class GemmTest {

    /** A stored operand: op(X) is rows×cols; it is stored transposed when {@code trans}. */
    private record Operand(float[] data, int off, int ld, boolean trans) {
        float at(int i, int j) {
            return trans ? data[off + j * ld + i] : data[off + i * ld + j];
        }
    }

    private static Operand operand(SplittableRandom rnd, int rows, int cols, boolean trans, int pad, int off) {
        int storedRows = trans ? cols : rows, storedCols = trans ? rows : cols;
        int ld = storedCols + pad;
        float[] d = new float[off + Math.max(0, storedRows - 1) * ld + storedCols + pad];
        // Padding and the offset prefix hold NaN: reading them would poison the result.
        java.util.Arrays.fill(d, Float.NaN);
        for (int r = 0; r < storedRows; r++)
            for (int s = 0; s < storedCols; s++) d[off + r * ld + s] = (float) (rnd.nextDouble() * 2 - 1);
        return new Operand(d, off, ld, trans);
    }

    private static final float SENTINEL = 12345.5f;

    /** Runs one case on one provider and checks every element of C, including the untouched gaps. */
    private static void check(KernelProvider kp, SplittableRandom rnd, boolean ta, boolean tb, int m, int n, int k,
            float alpha, float beta, int pad, int off) {
        Operand a = operand(rnd, m, k, ta, pad, off), b = operand(rnd, k, n, tb, pad + 1, off + 2);
        int ldc = n + pad, cOff = off + 1;
        float[] c = new float[cOff + Math.max(0, m - 1) * ldc + n + pad + 3];
        java.util.Arrays.fill(c, SENTINEL);
        float[] c0 = new float[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) {
                // With beta = 0, C must not be read: NaN there must not reach the result.
                float v = beta == 0f && (i + j) % 3 == 0 ? Float.NaN : (float) (rnd.nextDouble() * 2 - 1);
                c[cOff + i * ldc + j] = v;
                c0[i * n + j] = v;
            }

        Gemm.sgemm(kp, ta, tb, m, n, k, alpha, a.data(), a.off(), a.ld(), b.data(), b.off(), b.ld(), beta, c, cOff,
                ldc);

        String what = kp.name() + " ta=" + ta + " tb=" + tb + " m=" + m + " n=" + n + " k=" + k + " alpha=" + alpha
                + " beta=" + beta + " pad=" + pad + " off=" + off;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0, mag = 0;
                if (alpha != 0f) {
                    for (int p = 0; p < k; p++) {
                        double t = (double) a.at(i, p) * b.at(p, j);
                        sum += t;
                        mag += Math.abs(t);
                    }
                }
                double old = c0[i * n + j];
                double want = alpha * sum + (beta == 0f ? 0 : beta * old);
                double scale = Math.abs(alpha) * mag + (beta == 0f ? 0 : Math.abs(beta * old));
                double tol = (k + 2) * 1.2e-7 * scale + 1e-30;
                float got = c[cOff + i * ldc + j];
                if (!(Math.abs(got - want) <= tol))
                    fail(what + ": C[" + i + "][" + j + "] = " + got + ", want " + want + " (tol " + tol + ")");
            }
        }
        for (int q = 0; q < c.length; q++) {
            int r = q - cOff;
            boolean inside = r >= 0 && r / ldc < m && r % ldc < n;
            if (!inside && c[q] != SENTINEL) fail(what + ": wrote outside C at index " + q);
        }
    }

    static Stream<KernelProvider> providers() {
        return ProvidersForTest.all().stream();
    }

    @ParameterizedTest
    @MethodSource("providers")
    void smallAndOddShapesAllTransposes(KernelProvider kp) {
        int[] sizes = {1, 2, 3, 5, 7, 13, 16, 17, 31, 32, 33, 47};
        SplittableRandom rnd = new SplittableRandom(1);
        for (boolean ta : new boolean[] {false, true})
            for (boolean tb : new boolean[] {false, true})
                for (int m : sizes)
                    for (int n : sizes) {
                        int k = sizes[rnd.nextInt(sizes.length)];
                        check(kp, rnd, ta, tb, m, n, k, 1f, 0f, 0, 0);
                    }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void stridesOffsetsAlphaBeta(KernelProvider kp) {
        float[] alphas = {1f, -0.5f, 2.5f, 0f};
        float[] betas = {0f, 1f, -1.5f, 0.25f};
        SplittableRandom rnd = new SplittableRandom(2);
        for (boolean ta : new boolean[] {false, true})
            for (boolean tb : new boolean[] {false, true})
                for (float alpha : alphas)
                    for (float beta : betas) {
                        int m = 1 + rnd.nextInt(40), n = 1 + rnd.nextInt(70), k = 1 + rnd.nextInt(50);
                        check(kp, rnd, ta, tb, m, n, k, alpha, beta, 1 + rnd.nextInt(5), rnd.nextInt(9));
                    }
    }

    /**
     * Shapes that cross the KC, MC and NC block edges, so every loop of the blocking runs more than once; the
     * last two have a C of at least {@link Gemm#DEEP_MIN_C} elements, whose slices the vector kernel cuts
     * {@link Gemm#KC_DEEP} deep (two slices of 265; 64×4100 also crosses the narrower B block of deep slices).
     */
    static Stream<Arguments> blockEdges() {
        List<Arguments> cases = new ArrayList<>();
        int[][] shapes = {
            {7, 9, Gemm.KC + 1}, {5, 40, 2 * Gemm.KC + 3}, {1100, 37, 300}, {3, Gemm.NC + 45, 5}, {64, 10, 125},
            {97, 101, 103}, {515, 515, 530}, {64, 4100, 520}};
        for (KernelProvider kp : ProvidersForTest.all())
            for (int[] s : shapes)
                for (int t = 0; t < 4; t++) cases.add(Arguments.of(kp, (t & 1) != 0, (t & 2) != 0, s[0], s[1], s[2]));
        return cases.stream();
    }

    /** The slice depths the shapes above rely on: deep only for a large C and a narrow enough B panel. */
    @Test
    void deepSlicesOnlyForLargeCAndNarrowPanels() {
        assertEquals(265, Gemm.sliceDepth(530, 515, 515, 32));
        assertEquals(260, Gemm.sliceDepth(520, 64, 4100, 32));
        assertEquals(300, Gemm.sliceDepth(300, 300, 900, 32));
        assertEquals(512, Gemm.sliceDepth(1024, 1024, 1024, 32));
        assertEquals(150, Gemm.sliceDepth(300, 300, 64, 32)); // one strip's C alone is below DEEP_MIN_C
        assertEquals(177, Gemm.sliceDepth(530, 515, 515, 512)); // the plain-Java kernel's 512-wide panels
        assertEquals(256, Gemm.sliceDepth(512, 511, 513, 32));
    }

    @ParameterizedTest
    @MethodSource("blockEdges")
    void acrossBlockEdges(KernelProvider kp, boolean ta, boolean tb, int m, int n, int k) {
        SplittableRandom rnd = new SplittableRandom(m * 31L + n * 7L + k);
        check(kp, rnd, ta, tb, m, n, k, 0.75f, 0.5f, 3, 5);
    }

    /**
     * Edges of the tiles inside one block: rows around the micro-tile and accumulator-group heights of
     * both providers (4, 6, 8), columns around their panel widths (32, 512), depths that leave a k % 4
     * tail and split the k-passes unevenly.
     */
    @ParameterizedTest
    @MethodSource("providers")
    void tileEdgesInsideABlock(KernelProvider kp) {
        int[] ms = {1, 3, 4, 5, 7, 8, 9, 12, 17}, ns = {1, 15, 31, 33, 511, 512, 513}, ks = {1, 3, 8, 9, 30};
        SplittableRandom rnd = new SplittableRandom(6);
        for (int m : ms)
            for (int n : ns) {
                int k = ks[rnd.nextInt(ks.length)], t = rnd.nextInt(4);
                check(kp, rnd, (t & 1) != 0, (t & 2) != 0, m, n, k, 1f, 0f, 0, 0);
                check(kp, rnd, (t & 1) == 0, (t & 2) == 0, m, n, k, -0.5f, 0.75f, 1, 2);
            }
    }

    /**
     * Shapes that take the special paths: a few-rows x·Wᵀ with beta = 0 is computed as (W·xᵀ)ᵀ, and a
     * row-major A next to a narrow B is read in place with only its last partial panel packed.
     */
    @ParameterizedTest
    @MethodSource("providers")
    void fewRowsAndInPlaceAPaths(KernelProvider kp) {
        int[][] shapes = {{1, 33, 40}, {2, 17, 64}, {5, 300, 129}, {6, 100, 7}, {7, 257, 31}, {13, 64, 500},
            {64, 125, 10}, {64, 250, 125}, {64, 784, 500}, {65, 511, 513}, {3, 1, 100}, {12, 40, 6}};
        SplittableRandom rnd = new SplittableRandom(5);
        for (int[] s : shapes)
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                check(kp, rnd, ta, tb, s[0], s[2], s[1], 1f, 0f, 0, 0);
                check(kp, rnd, ta, tb, s[0], s[2], s[1], -0.5f, 0f, 1 + rnd.nextInt(4), rnd.nextInt(7));
                check(kp, rnd, ta, tb, s[0], s[2], s[1], 1.5f, 0.5f, 2, 3);
            }
    }

    /**
     * A row-major B next to few rows of A is read in place (whole panels; a partial last panel packed):
     * against the reference, and bit for bit against the same product with B packed, on odd shapes,
     * with A in place and packed, strides and offsets, one thread and split.
     */
    @ParameterizedTest
    @MethodSource("providers")
    void fewRowsReadBInPlaceAsPackedBits(KernelProvider kp) {
        // {m, n, k}: the MLP's g·W products, partial panels on every side, n below one panel, k over KC
        int[][] shapes = {{64, 500, 250}, {64, 250, 125}, {64, 125, 10}, {1, 33, 40}, {5, 31, 7}, {7, 64, 300},
            {13, 97, 513}, {96, 130, 61}, {61, 1025, 67}, {64, 784, 500}};
        int saved = Gemm.bInPlaceMaxRows, threads = Parallel.threads();
        SplittableRandom rnd = new SplittableRandom(17);
        try {
            for (int[] sh : shapes)
                for (int t = 0; t < 4; t++) {
                    int m = sh[0], n = sh[1], k = sh[2];
                    boolean ta = (t & 1) != 0;
                    Parallel.setThreads(t < 2 ? 1 : 2);
                    Operand a = operand(rnd, m, k, ta, t, 1), b = operand(rnd, k, n, false, t + 1, 3);
                    float beta = t == 3 ? 0.5f : 0f, alpha = t == 1 ? -0.75f : 1f;
                    float[] c0 = new float[m * n];
                    for (int i = 0; i < c0.length; i++) c0[i] = (float) rnd.nextGaussian();
                    float[] inPlace = c0.clone(), packed = c0.clone();
                    Gemm.bInPlaceMaxRows = 96;
                    Gemm.sgemm(kp, ta, false, m, n, k, alpha, a.data(), a.off(), a.ld(), b.data(), b.off(), b.ld(), beta,
                            inPlace, 0, n);
                    Gemm.bInPlaceMaxRows = 0;
                    Gemm.sgemm(kp, ta, false, m, n, k, alpha, a.data(), a.off(), a.ld(), b.data(), b.off(), b.ld(), beta,
                            packed, 0, n);
                    for (int i = 0; i < packed.length; i++)
                        if (Float.floatToRawIntBits(inPlace[i]) != Float.floatToRawIntBits(packed[i]))
                            fail(kp.name() + " m=" + m + " n=" + n + " k=" + k + " ta=" + ta + ": C[" + i + "] = "
                                    + inPlace[i] + " with B in place, " + packed[i] + " packed");
                    Gemm.bInPlaceMaxRows = 96;
                    check(kp, rnd, ta, false, m, n, k, alpha, beta, t, 2);
                }
        } finally {
            Gemm.bInPlaceMaxRows = saved;
            Parallel.setThreads(threads);
        }
    }

    /** Products large enough to be split across threads, along n and along m, with uneven strips. */
    @ParameterizedTest
    @MethodSource("providers")
    void parallelSplits(KernelProvider kp) {
        int[][] shapes = {{131, 409, 157}, {521, 61, 271}, {64, 500, 263}};
        int saved = Parallel.threads();
        try {
            for (int threads : new int[] {2, 3}) {
                Parallel.setThreads(threads);
                SplittableRandom rnd = new SplittableRandom(threads);
                for (int[] s : shapes) {
                    assertTrue((long) s[0] * s[1] * s[2] >= Gemm.PARALLEL_MIN_WORK, "too small to split");
                    boolean t = s[0] % 2 == 1;
                    check(kp, rnd, t, !t, s[0], s[1], s[2], t ? -1f : 1f, t ? 1f : 0.5f, s[0] % 3, s[1] % 5);
                }
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    /**
     * Split products against the reference and, bit for bit, against one thread: strips claimed one at a
     * time, with the operand every strip reads packed once (gᵀ of a weight gradient when n is split, B
     * when m is split), the swapped few-rows x·Wᵀ transposing each strip's rows as they finish, an in-place
     * A too big for L2, odd sizes that leave partial panels in the last strip, and every transpose case.
     */
    @ParameterizedTest
    @MethodSource("providers")
    void stripsAgreeWithOneThread(KernelProvider kp) {
        // {m, n, k}: MLP-like (swap, nn, tn), split m with B shared, split n with A shared, big in-place A, and
        // a C large enough for deep slices whose strips (300×64) are not: the strips must cut k as the product does
        int[][] shapes = {{64, 500, 263}, {62, 263, 523}, {499, 781, 67}, {251, 509, 67}, {701, 89, 203},
            {1031, 37, 241}, {67, 1021, 131}, {390, 389, 391}, {300, 900, 300}};
        int saved = Parallel.threads();
        try {
            SplittableRandom rnd = new SplittableRandom(11);
            for (int[] sh : shapes)
                for (int t = 0; t < 4; t++) {
                    boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                    int m = sh[0], n = sh[1], k = sh[2];
                    assertTrue((long) m * n * k >= Gemm.PARALLEL_MIN_WORK, "too small to split");
                    Operand a = operand(rnd, m, k, ta, t, 1), b = operand(rnd, k, n, tb, 1, 3);
                    float beta = t == 3 ? 0.5f : 0f, alpha = t == 1 ? -0.75f : 1f;
                    float[] c0 = new float[m * n];
                    for (int i = 0; i < c0.length; i++) c0[i] = (float) rnd.nextGaussian();
                    float[] one = c0.clone();
                    Parallel.setThreads(1);
                    Gemm.sgemm(kp, ta, tb, m, n, k, alpha, a.data(), a.off(), a.ld(), b.data(), b.off(), b.ld(), beta, one, 0, n);
                    for (int threads : new int[] {2, 3}) {
                        Parallel.setThreads(threads);
                        float[] c = c0.clone();
                        Gemm.sgemm(kp, ta, tb, m, n, k, alpha, a.data(), a.off(), a.ld(), b.data(), b.off(), b.ld(), beta, c, 0, n);
                        for (int i = 0; i < c.length; i++)
                            if (Float.floatToRawIntBits(c[i]) != Float.floatToRawIntBits(one[i]))
                                fail(kp.name() + " threads=" + threads + " m=" + m + " n=" + n + " k=" + k + " ta=" + ta
                                        + " tb=" + tb + ": C[" + i + "] = " + c[i] + ", one thread " + one[i]);
                    }
                    check(kp, rnd, ta, tb, m, n, k, alpha, beta, t, 2);
                }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    /** The packing transpose directly, around the 16×16 blocks of the vector version. */
    @ParameterizedTest
    @MethodSource("providers")
    void transposeIntoMatchesDefinition(KernelProvider kp) {
        int[] sizes = {1, 3, 15, 16, 17, 32, 33, 40};
        for (int rows : sizes)
            for (int len : sizes) {
                int ld = len + 3, s = 2, d = 5, stride = rows + 1;
                float[] src = new float[s + rows * ld], dst = new float[d + len * stride + 1];
                for (int i = 0; i < src.length; i++) src[i] = i;
                java.util.Arrays.fill(dst, -1f);
                kp.transposeInto(src, s, ld, rows, len, dst, d, stride);
                for (int p = 0; p < len; p++)
                    for (int r = 0; r < rows; r++)
                        assertEquals(src[s + r * ld + p], dst[d + p * stride + r],
                                kp.name() + " rows=" + rows + " len=" + len + " r=" + r + " p=" + p);
                for (int p = 0; p < len; p++) assertEquals(-1f, dst[d + p * stride + rows], "wrote past the row");
                assertEquals(-1f, dst[d - 1], "wrote before the block");
            }
    }

    @ParameterizedTest
    @MethodSource("providers")
    void zeroSizes(KernelProvider kp) {
        SplittableRandom rnd = new SplittableRandom(4);
        check(kp, rnd, false, false, 4, 5, 0, 1f, 0f, 0, 0);
        check(kp, rnd, true, false, 4, 5, 0, 1f, 0.5f, 1, 2);
        check(kp, rnd, false, true, 3, 6, 4, 0f, 2f, 0, 0);
        float[] c = {1f};
        Gemm.sgemm(kp, false, false, 0, 1, 1, 1f, new float[0], 0, 1, new float[1], 0, 1, 0f, c, 0, 1);
        Gemm.sgemm(kp, false, false, 1, 0, 1, 1f, new float[1], 0, 1, new float[0], 0, 1, 0f, c, 0, 1);
        assertEquals(1f, c[0]);
    }

    /** A row stride of 0 reads one stored row for every row of op(A): how matmul passes expanded views. */
    @ParameterizedTest
    @MethodSource("providers")
    void broadcastRowStride(KernelProvider kp) {
        float[] a = {1f, 2f, 3f}, b = {1f, 0f, 0f, 1f, 1f, 1f}, c = new float[6];
        Gemm.sgemm(kp, false, false, 3, 2, 3, 1f, a, 0, 0, b, 0, 2, 0f, c, 0, 2);
        assertTrue(java.util.Arrays.equals(new float[] {4f, 5f, 4f, 5f, 4f, 5f}, c), java.util.Arrays.toString(c));
    }

    @Test
    void publicEntryUsesDefaultAndValidates() {
        float[] a = {1, 2, 3, 4}, b = {5, 6, 7, 8}, c = new float[4];
        Gemm.sgemm(false, false, 2, 2, 2, 1f, a, 0, 2, b, 0, 2, 0f, c, 0, 2);
        assertTrue(java.util.Arrays.equals(new float[] {19, 22, 43, 50}, c), java.util.Arrays.toString(c));
        var e = assertThrows(IllegalArgumentException.class,
                () -> Gemm.sgemm(false, false, -1, 2, 2, 1f, a, 0, 2, b, 0, 2, 0f, c, 0, 2));
        assertTrue(e.getMessage().startsWith("sgemm:"), e.getMessage());
    }

    /**
     * The scalar GEMM sums each element as the same FMA chain from zero as the vector kernel and merges
     * it the same way, so the two providers agree bit for bit: on odd shapes, every transpose case,
     * alpha and beta, in-place and packed A, and across KC slices.
     */
    @Test
    void scalarAndVectorGemmGiveTheSameBits() {
        KernelProvider v = Kernels.vectorOrNull(), s = Kernels.scalar();
        org.junit.jupiter.api.Assumptions.assumeTrue(v != null, "no Vector API in this JVM (the no-vector run)");
        SplittableRandom rnd = new SplittableRandom(77);
        int[][] shapes = {{1, 1, 1}, {7, 13, 5}, {6, 33, 300}, {64, 125, 10}, {65, 257, 513}, {13, 600, 31}, {300, 7, 70}};
        float[][] ab = {{1f, 0f}, {1f, 1f}, {0.5f, 0f}, {-1.5f, 0.25f}};
        for (int[] sh : shapes)
            for (int t = 0; t < 4; t++)
                for (float[] al : ab) {
                    boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                    int m = sh[0], n = sh[1], k = sh[2];
                    Operand a = operand(rnd, m, k, ta, 1, 2), b = operand(rnd, k, n, tb, 0, 1);
                    float[] c0 = new float[m * n];
                    for (int i = 0; i < c0.length; i++) c0[i] = (float) rnd.nextGaussian();
                    float[] cv = c0.clone(), cs = c0.clone();
                    Gemm.sgemm(v, ta, tb, m, n, k, al[0], a.data(), a.off(), a.ld(), b.data(), b.off(), b.ld(), al[1], cv, 0, n);
                    Gemm.sgemm(s, ta, tb, m, n, k, al[0], a.data(), a.off(), a.ld(), b.data(), b.off(), b.ld(), al[1], cs, 0, n);
                    for (int i = 0; i < cv.length; i++)
                        assertEquals(Float.floatToRawIntBits(cv[i]), Float.floatToRawIntBits(cs[i]),
                                "m=" + m + " n=" + n + " k=" + k + " ta=" + ta + " tb=" + tb + " alpha=" + al[0] + " beta="
                                        + al[1] + " at " + i);
                }
    }
}
