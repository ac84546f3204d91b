package org.jgrad.ops;

import static org.jgrad.tensor.TensorAsserts.assertTensor;
import static org.jgrad.tensor.TensorAsserts.naiveMatmul;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jgrad.tensor.Generator;
import org.jgrad.tensor.Shape;
import org.jgrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** matmul against a naive triple loop, over PyTorch's matmul cases. */
class MatmulOpsTest {

    private static final Generator G = new Generator(31);

    private static Tensor randn(int... shape) {
        return Tensor.randn(G, shape);
    }

    /** Tolerance for a k-term dot product of N(0,1) values in float32. */
    private static float tol(int k) {
        return 2e-6f * (float) Math.sqrt(Math.max(k, 1)) * 8;
    }

    @Test
    void oddSizesIncludingOneAndPrimes() {
        int[] sizes = {1, 2, 3, 5, 7, 13, 31, 67};
        for (int m : sizes)
            for (int k : sizes)
                for (int n : new int[] {1, 3, 17, 67}) {
                    Tensor a = randn(m, k), b = randn(k, n);
                    Tensor c = a.matmul(b);
                    assertTensor(c, new int[] {m, n}, naiveMatmul(a.toFloatArray(), b.toFloatArray(), m, k, n), tol(k));
                }
    }

    @Test
    void largerThanTheParallelGrain() {
        Tensor a = randn(131, 97), b = randn(97, 61);
        assertTensor(a.matmul(b), new int[] {131, 61}, naiveMatmul(a.toFloatArray(), b.toFloatArray(), 131, 97, 61), tol(97));
    }

    @Test
    void transposedAndStridedOperands() {
        for (int[] mkn : new int[][] {{4, 6, 5}, {1, 7, 3}, {7, 1, 3}, {5, 3, 1}, {33, 17, 9}}) {
            int m = mkn[0], k = mkn[1], n = mkn[2];
            Tensor aT = randn(k, m).t(), bT = randn(n, k).t();
            Tensor aS = randn(m, 2 * k).slice(1, 0, 2 * k, 2), bS = randn(k + 3, n).narrow(0, 2, k);
            Tensor aP = randn(k, 3, m).select(1, 1).t();
            Tensor[] as = {aT, aS, aP, randn(m, k)}, bs = {bT, bS, randn(k, n)};
            for (Tensor a : as)
                for (Tensor b : bs) {
                    float[] want = naiveMatmul(a.toFloatArray(), b.toFloatArray(), m, k, n);
                    assertTensor(a.matmul(b), new int[] {m, n}, want, tol(k));
                }
        }
    }

    @Test
    void oneDimensionalCases() {
        Tensor v = randn(5), w = randn(5), M = randn(5, 3), N = randn(4, 5);
        float[] vv = v.toFloatArray(), ww = w.toFloatArray();
        double dot = 0;
        for (int i = 0; i < 5; i++) dot += vv[i] * ww[i];
        Tensor d = v.matmul(w);
        assertArrayEquals(new int[0], d.shape());
        assertEquals(dot, d.item(), 1e-5);
        Tensor vm = v.matmul(M); // [5] @ [5, 3] -> [3]
        assertTensor(vm, new int[] {3}, naiveMatmul(vv, M.toFloatArray(), 1, 5, 3), 1e-5f);
        Tensor mv = N.matmul(v); // [4, 5] @ [5] -> [4]
        assertTensor(mv, new int[] {4}, naiveMatmul(N.toFloatArray(), vv, 4, 5, 1), 1e-5f);
        Tensor B = randn(2, 4, 5);
        Tensor bv = B.matmul(v); // [2, 4, 5] @ [5] -> [2, 4]
        assertTensor(bv, new int[] {2, 4}, naiveMatmul(B.toFloatArray(), vv, 8, 5, 1), 1e-5f);
        Tensor C = randn(3, 5, 2);
        Tensor vb = v.matmul(C); // [5] @ [3, 5, 2] -> [3, 2]
        float[] want = new float[6];
        for (int b = 0; b < 3; b++) {
            float[] r = naiveMatmul(vv, C.select(0, b).toFloatArray(), 1, 5, 2);
            want[2 * b] = r[0];
            want[2 * b + 1] = r[1];
        }
        assertTensor(vb, new int[] {3, 2}, want, 1e-5f);
        assertEquals(0f, Tensor.zeros(0).matmul(Tensor.zeros(0)).item());
    }

    /** Naive batched reference with broadcast batch dims. */
    private static float[] naiveBatched(Tensor a, Tensor b, int[] batch) {
        int m = a.size(-2), k = a.size(-1), n = b.size(-1);
        int nb = Shape.numel(batch);
        float[] out = new float[nb * m * n];
        for (int bi = 0; bi < nb; bi++) {
            int[] idx = org.jgrad.tensor.TensorAsserts.unravel(bi, batch);
            Tensor sa = a, sb = b;
            for (int d = 0; d < batch.length; d++) {
                int offA = batch.length - (a.dim() - 2), offB = batch.length - (b.dim() - 2);
                if (d >= offA) sa = sa.select(0, sa.size(0) == 1 ? 0 : idx[d]);
                if (d >= offB) sb = sb.select(0, sb.size(0) == 1 ? 0 : idx[d]);
            }
            System.arraycopy(naiveMatmul(sa.toFloatArray(), sb.toFloatArray(), m, k, n), 0, out, bi * m * n, m * n);
        }
        return out;
    }

    @Test
    void batchedWithBroadcastBatchDims() {
        int[][][] cases = {
                {{2, 3, 4}, {2, 4, 5}}, {{2, 3, 4}, {4, 5}}, {{3, 4}, {2, 4, 5}}, {{1, 3, 4}, {6, 4, 2}},
                {{2, 1, 3, 4}, {5, 4, 1}}, {{7, 1, 1}, {7, 1, 3}}, {{2, 3, 1, 5}, {1, 1, 5, 3}}, {{0, 3, 4}, {4, 2}}};
        for (int[][] c : cases) {
            Tensor a = randn(c[0]), b = randn(c[1]);
            int[] batchA = java.util.Arrays.copyOf(c[0], c[0].length - 2), batchB = java.util.Arrays.copyOf(c[1], c[1].length - 2);
            int[] batch = Shape.broadcast("test", batchA, batchB);
            int[] os = java.util.Arrays.copyOf(batch, batch.length + 2);
            os[batch.length] = c[0][c[0].length - 2];
            os[batch.length + 1] = c[1][c[1].length - 1];
            assertTensor(a.matmul(b), os, naiveBatched(a, b, batch), 1e-5f);
            // the same with transposed (non-contiguous) operands
            Tensor aT = a.transpose(-1, -2).contiguous().transpose(-1, -2), bT = b.transpose(-1, -2).contiguous().transpose(-1, -2);
            assertTensor(aT.matmul(bT), os, naiveBatched(a, b, batch), 1e-5f);
        }
        // batch dims that are themselves permuted
        Tensor a = randn(4, 2, 3, 5).permute(1, 0, 2, 3), b = randn(2, 4, 5, 3);
        assertTensor(a.matmul(b), new int[] {2, 4, 3, 3}, naiveBatched(a, b, new int[] {2, 4}), 1e-5f);
    }

    @Test
    void emptyInnerDimensionGivesZeros() {
        assertTensor(Tensor.zeros(2, 0).matmul(Tensor.zeros(0, 3)), new int[] {2, 3}, new float[6]);
        assertArrayEquals(new int[] {0, 3}, Tensor.zeros(0, 4).matmul(Tensor.zeros(4, 3)).shape());
    }

    @Test
    void expandedOperandsWithZeroStrides() {
        Tensor row = randn(1, 6), col = randn(6, 1);
        Tensor a = row.expand(4, 6), b = col.expand(6, 3);
        assertTensor(a.matmul(b), new int[] {4, 3}, naiveMatmul(a.toFloatArray(), b.toFloatArray(), 4, 6, 3), 1e-5f);
        Tensor s = Tensor.scalar(2f).expand(3, 3);
        assertTensor(s.matmul(s), new int[] {3, 3}, 12, 12, 12, 12, 12, 12, 12, 12, 12);
    }

    @Test
    void badShapesNameMatmulAndShapes() {
        var e = assertThrows(IllegalArgumentException.class, () -> randn(2, 3).matmul(randn(4, 5)));
        assertEquals("matmul: inner dimensions differ: [2, 3] @ [4, 5]", e.getMessage());
        var e1 = assertThrows(IllegalArgumentException.class, () -> randn(3).matmul(randn(4)));
        assertEquals("matmul: inner dimensions differ: [3] @ [4]", e1.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class, () -> randn(2, 3, 4).matmul(randn(3, 4, 5)));
        assertTrue(e2.getMessage().startsWith("matmul:") && e2.getMessage().contains("[2]") && e2.getMessage().contains("[3]"), e2.getMessage());
        var e3 = assertThrows(IllegalArgumentException.class, () -> Tensor.scalar(1f).matmul(randn(3)));
        assertTrue(e3.getMessage().startsWith("matmul:") && e3.getMessage().contains("[]"), e3.getMessage());
        var e4 = assertThrows(IllegalArgumentException.class, () -> randn(3, 4).matmul(randn(3)));
        assertEquals("matmul: inner dimensions differ: [3, 4] @ [3]", e4.getMessage());
    }

    @Test
    void nanAndInfPropagateLikeIeee() {
        Tensor a = Tensor.of(new float[][] {{0f, 1f}});
        Tensor b = Tensor.of(new float[][] {{Float.POSITIVE_INFINITY}, {1f}});
        assertTrue(Float.isNaN(a.matmul(b).item()), "0 * inf + 1 * 1 must be NaN, as in PyTorch");
        Tensor c = Tensor.of(new float[][] {{Float.NaN}, {1f}});
        assertTrue(Float.isNaN(a.matmul(c).item()));
    }
}
