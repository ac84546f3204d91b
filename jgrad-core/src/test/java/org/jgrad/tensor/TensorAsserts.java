package org.jgrad.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;


/** Shared assertions and naive references for the core tests. */
public final class TensorAsserts {
    private TensorAsserts() {}

    /** Asserts shape and values (within {@code tol}). */
    public static void assertTensor(Tensor t, int[] shape, float[] values, float tol) {
        assertArrayEquals(shape, t.shape(), "shape");
        float[] got = t.toFloatArray();
        assertEquals(values.length, got.length, "numel");
        for (int i = 0; i < values.length; i++) {
            float e = values[i], g = got[i];
            if (Float.isNaN(e)) assertTrue(Float.isNaN(g), "element " + i + " expected NaN, got " + g);
            else assertEquals(e, g, tol + 1e-6f * Math.abs(e), "element " + i);
        }
    }

    /** Asserts exact shape and values. */
    public static void assertTensor(Tensor t, int[] shape, float... values) {
        assertTensor(t, shape, values, 0f);
    }

    /** Asserts that two tensors have the same shape and values within tol. */
    public static void assertClose(Tensor expected, Tensor actual, float tol) {
        assertTensor(actual, expected.shape(), expected.toFloatArray(), tol);
    }

    /** Row-major multi-index of flat position {@code k} in {@code shape}. */
    public static int[] unravel(int k, int[] shape) {
        int[] idx = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] == 0) return idx;
            idx[d] = k % shape[d];
            k /= shape[d];
        }
        return idx;
    }

    /** Flat row-major position of {@code idx} in {@code shape}, reading size-1 dims at 0 (broadcast). */
    public static int ravelBroadcast(int[] idx, int[] shape) {
        int off = idx.length - shape.length, k = 0;
        for (int d = 0; d < shape.length; d++) k = k * shape[d] + (shape[d] == 1 ? 0 : idx[d + off]);
        return k;
    }

    /** Naive float matrix product of a [m,k] and b [k,n] given as row-major arrays, in double. */
    public static float[] naiveMatmul(float[] a, float[] b, int m, int k, int n) {
        float[] c = new float[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) s += (double) a[i * k + p] * b[p * n + j];
                c[i * n + j] = (float) s;
            }
        return c;
    }

}
